// Health-gated canary promotion of the update guard (scheduler/update_guard.h):
// a canary phase held at its next canary step continues by itself once the
// canaries before it have run healthy for the policy's time.
#include "keel/log.h"
#include "keel/plan_operations.h"
#include "keel/scheduler/scheduler.h"
#include "scheduler/step_progress.h"
#include "scheduler/task_book.h"
#include "scheduler/update_guard.h"

namespace keel::scheduler {
namespace {

constexpr const char* kLog = "update";

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

// Why the step's tasks are not all RUNNING, healthy and ready; empty when
// they are.
std::string Scheduler::unhealthyReason(const plan::Step& step) const {
  for (const std::string& t : step.tasks()) {
    std::string name = step.podInstance() + "-" + t;
    const TaskRecord* rec = tasks_->find(name);
    const mesos::TaskStatus* s = rec ? rec->currentStatus() : nullptr;
    if (s == nullptr) return name + " has no status";
    if (s->state != mesos::TaskState::kTaskRunning) {
      return name + " is " + std::string(mesos::enumName(s->state));
    }
    if (s->healthy && !*s->healthy) return name + " fails its health check";
    if (!readinessPassed(rec->info, *s)) return name + " is not ready";
  }
  return "";
}

void Scheduler::promoteCanaries(plan::Plan& deploy, TimePoint now) {
  if (deploy.interrupted()) return;
  Duration after = *options_.update.canaryPromoteAfter;
  for (plan::Phase& phase : deploy.phases()) {
    if (!endsWith(phase.strategy().name(), "-canary") || phase.interrupted() || !phase.waiting()) {
      continue;
    }
    plan::Step* held = nullptr;
    std::vector<const plan::Step*> canaries;
    for (plan::Step& step : phase.steps()) {
      if (step.interrupted() && !step.isComplete()) {
        held = &step;
        break;
      }
      canaries.push_back(&step);
    }
    if (held != nullptr) promoteCanary(deploy, phase, *held, canaries, after, now);
  }
}

void Scheduler::promoteCanary(plan::Plan& deploy, plan::Phase& phase, plan::Step& held,
                              const std::vector<const plan::Step*>& canaries, Duration after,
                              TimePoint now) {
  auto& since = updateGuard_->healthySince;
  std::string waitFor;
  for (const plan::Step* c : canaries) {
    std::string why = c->isComplete() ? unhealthyReason(*c) : c->name() + " is not complete";
    if (!why.empty()) waitFor = why;
  }
  if (!waitFor.empty()) {
    since.erase(held.id());
    held.setMessage(
        "canary: waits until the canaries before it have run healthy for " +
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(after).count()) +
        " s; now " + waitFor);
    return;
  }
  TimePoint from = since.emplace(held.id(), now).first->second;
  if (!canaries.empty() && now - from < after) {
    held.setMessage("canary: continues by itself at " + plan::formatTime(from + after) +
                    " if the canaries before it stay running and healthy");
    return;
  }
  std::string phaseName = phase.name();
  std::string stepName = held.name();
  Status s = applyPersisted(deploy, [&](plan::Plan& p) {
    return plan::continueElement(p, {phaseName, ""});
  });
  if (!s.isOk()) {
    KEEL_LOG(Error, kLog) << "canary " << stepName << " not promoted (retried): " << s.toString();
    return;
  }
  since.erase(held.id());
  held.setMessage("");
  KEEL_LOG(Info, kLog) << "canary promotion: " << phaseName << "/" << stepName << " released"
                       << (canaries.empty() ? " (the first canary)"
                                            : " after the canaries ran healthy");
}

}  // namespace keel::scheduler
