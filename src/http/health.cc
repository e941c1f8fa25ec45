#include "http/health.h"

#include <string_view>

namespace keel::http {
namespace {

using plan::ElementStatus;

struct Code {
  int status;
  int priority;
};
constexpr Code kInitializing{318, 1};
constexpr Code kRunning{200, 1};
constexpr Code kErrorCreating{500, 1};
constexpr Code kDelayed{208, 1};
constexpr Code kDeployingPending{204, 2};
constexpr Code kDeployingStarting{202, 2};
constexpr Code kWaitingUser{207, 2};
constexpr Code kDegraded{206, 3};
constexpr Code kRecoveringPending{203, 4};
constexpr Code kRecoveringStarting{205, 4};
constexpr Code kBackingUp{320, 5};
constexpr Code kRestoring{321, 5};
constexpr Code kUpgrade{326, 6};

struct Stage {
  std::optional<int> code;
  std::string reason;
};

std::string head(const Code& c) {
  return "Priority " + std::to_string(c.priority) + ". Status Code " + std::to_string(c.status);
}

const plan::Plan* named(const std::vector<plan::Plan*>& plans, std::string_view name) {
  for (const plan::Plan* p : plans) {
    if (p->name() == name) return p;
  }
  return nullptr;
}

Stage errorCreating(const std::vector<plan::Plan*>& plans) {
  for (const plan::Plan* p : plans) {
    if (!p->errors().empty()) {
      return {kErrorCreating.status, head(kErrorCreating) + " is TRUE. Errors found in plans."};
    }
  }
  return {std::nullopt, head(kErrorCreating) + " is FALSE. No errors found in plans."};
}

Stage initializing(bool registered, const std::string& frameworkId) {
  if (registered) {
    return {std::nullopt,
            head(kInitializing) + " is FALSE. Registered with Framework ID " + frameworkId + "."};
  }
  return {kInitializing.status,
          head(kInitializing) + " is TRUE. Mesos registration pending, no Framework ID found."};
}

Stage deploymentComplete(const plan::Plan* deploy, bool initializingNow) {
  if (initializingNow) {
    return {std::nullopt, head(kRunning) + " is FALSE. Service still initializing."};
  }
  if (deploy == nullptr || deploy->isComplete()) {
    return {kRunning.status, head(kRunning) + " is TRUE. Service deploy plan is complete."};
  }
  return {std::nullopt, head(kRunning) + " is FALSE. Service deploy plan is NOT complete."};
}

// Counts of the plan's steps by (display) status, and the code they imply.
Stage pendingOrStarting(const plan::Plan& p, const Code& pending, const Code& starting) {
  size_t total = 0, pend = 0, prepared = 0, startingN = 0, started = 0, complete = 0, delayed = 0;
  for (const plan::Phase& phase : p.phases()) {
    for (const plan::Step& s : phase.steps()) {
      ++total;
      switch (s.displayStatus()) {
        case ElementStatus::kPending:
          ++pend;
          break;
        case ElementStatus::kPrepared:
          ++prepared;
          break;
        case ElementStatus::kStarting:
          ++startingN;
          break;
        case ElementStatus::kStarted:
          ++started;
          break;
        case ElementStatus::kComplete:
          ++complete;
          break;
        case ElementStatus::kDelayed:
          ++delayed;
          break;
        default:
          break;
      }
    }
  }
  std::optional<int> code;
  if (delayed > 0) {
    code = kDelayed.status;
  } else if (pend > 0 || prepared > 0) {
    code = pending.status;
  } else if (startingN > 0 || started > 0) {
    code = starting.status;
  }
  std::string what = code ? "Status Code " + std::to_string(*code) + " is TRUE,"
                          : "Status Code " + std::to_string(pending.status) + " and " +
                                std::to_string(starting.status) + " are both FALSE";
  auto n = [](size_t v) { return std::to_string(v); };
  return {code, "Priority " + std::to_string(pending.priority) + ". " + what + " Steps: Total(" +
                    n(total) + ") Pending(" + n(pend) + ") Prepared(" + n(prepared) +
                    ") Starting(" + n(startingN) + ") Started(" + n(started) + ") Completed(" +
                    n(complete) + ") Delayed(" + n(delayed) + ")"};
}

Stage deploying(const plan::Plan* deploy) {
  if (deploy == nullptr) {
    return {std::nullopt, "Priority 2. Status Code 204 and 202 are both FALSE. No deploy plan."};
  }
  return pendingOrStarting(*deploy, kDeployingPending, kDeployingStarting);
}

Stage waitingUser(const plan::Plan* deploy) {
  bool waiting = deploy != nullptr && deploy->interrupted();
  for (size_t i = 0; deploy != nullptr && !waiting && i < deploy->phases().size(); ++i) {
    for (const plan::Step& s : deploy->phases()[i].steps()) waiting = waiting || s.interrupted();
  }
  if (waiting) {
    return {kWaitingUser.status, head(kWaitingUser) +
                                     " is TRUE. Service deploy plan is awaiting user input to "
                                     "proceed."};
  }
  return {std::nullopt,
          head(kWaitingUser) + " is FALSE. Service deploy plan does NOT need user input."};
}

Stage notImplemented(const Code& c) {
  return {std::nullopt, head(c) + " is FALSE, Not implemented yet."};
}

Stage recovering(const plan::Plan* recovery) {
  std::string both = "Priority 4. Status Code 203 and 205 is FALSE. ";
  if (recovery == nullptr) return {std::nullopt, both + "Recovery plan not found."};
  if (recovery->isComplete()) return {std::nullopt, both + "Recovery plan is complete."};
  return pendingOrStarting(*recovery, kRecoveringPending, kRecoveringStarting);
}

// A running plan whose name contains `fragment` (backup, restore).
Stage runningPlanLike(const std::vector<plan::Plan*>& plans, std::string_view fragment,
                      const Code& c, std::string_view kind) {
  std::string all, running;
  for (const plan::Plan* p : plans) {
    if (p->name().find(fragment) == std::string::npos) continue;
    all += (all.empty() ? "" : ", ") + p->name();
    if (plan::isRunning(p->status())) running += (running.empty() ? "" : ", ") + p->name();
  }
  std::string k(kind);
  if (all.empty()) return {std::nullopt, head(c) + " is FALSE. No " + k + " plans detected."};
  if (running.empty()) {
    return {std::nullopt, head(c) + " is FALSE. Following " + k + " plans not running: " + all};
  }
  return {c.status, head(c) + " is TRUE. Following " + k + " plans found running: " + running};
}

}  // namespace

Health evaluateHealth(const std::vector<plan::Plan*>& plans, bool registered,
                      const std::string& frameworkId) {
  const plan::Plan* deploy = named(plans, "deploy");
  Stage error = errorCreating(plans);
  Stage init = initializing(registered, frameworkId);
  Stage complete = deploymentComplete(deploy, init.code.has_value());
  Stage deployingNow = deploying(deploy);
  Stage waiting = waitingUser(deploy);
  Stage degraded = notImplemented(kDegraded);
  Stage recoveringNow = recovering(named(plans, "recovery"));
  Stage backingUp = runningPlanLike(plans, "back", kBackingUp, "backup");
  Stage restoring = runningPlanLike(plans, "restor", kRestoring, "restore");
  Stage upgrade = notImplemented(kUpgrade);

  std::optional<int> code;
  for (const Stage* s : {&error, &init, &deployingNow, &waiting, &degraded, &recoveringNow}) {
    if (s->code) {
      code = s->code;
      break;
    }
  }
  if (!code) code = complete.code;
  if (code == kRunning.status) {
    for (const Stage* s : {&restoring, &backingUp, &upgrade}) {
      if (s->code) {
        code = s->code;
        break;
      }
    }
  }
  Health h;
  h.code = code.value_or(503);
  for (const Stage* s : {&error, &init, &waiting, &complete, &deployingNow, &degraded,
                         &recoveringNow, &backingUp, &restoring, &upgrade}) {
    h.reasons.push_back(s->reason);
  }
  return h;
}

}  // namespace keel::http
