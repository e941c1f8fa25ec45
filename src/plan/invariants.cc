#include "keel/plan_invariants.h"

#include <map>
#include <set>

namespace keel::plan {
namespace {

using S = ElementStatus;

std::string statusText(S s) { return std::string(statusName(s)); }

void checkStep(const Step& s, const std::string& where, std::vector<std::string>& out) {
  if (!isStepStatus(s.status())) out.push_back(where + " stores " + statusText(s.status()));
  if ((s.status() == S::kError) != !s.errors().empty()) {
    out.push_back(where + " is " + statusText(s.status()) + " with " +
                  std::to_string(s.errors().size()) + " errors");
  }
  if ((s.status() == S::kDelayed) != s.delayedUntil().has_value()) {
    out.push_back(where + " is " + statusText(s.status()) + " but its backoff end is " +
                  (s.delayedUntil() ? "set" : "unset"));
  }
  const ElementOverrides& o = s.overrides();
  if (o.status == StatusOverride::kForcedComplete && s.status() != S::kComplete) {
    out.push_back(where + " is force-completed but " + statusText(s.status()));
  }
  if (o.status == StatusOverride::kRestarted && s.status() == S::kComplete) {
    out.push_back(where + " has a pending restart but is COMPLETE");
  }
  if (o.interrupted && *o.interrupted != s.interrupted()) {
    out.push_back(where + " interrupt override disagrees with its flag");
  }
  if (o.decisionPoint && *o.decisionPoint != s.decisionPoint()) {
    out.push_back(where + " decision point override disagrees with its flag");
  }
}

void checkId(const std::string& id, const std::string& where, std::set<std::string>& ids,
             std::vector<std::string>& out) {
  if (id.empty()) out.push_back(where + " has an empty id");
  if (!ids.insert(id).second) out.push_back(where + " repeats id " + id);
}

void checkAggregate(S status, bool ownErrors, bool anyError, bool allComplete, bool waits,
                    const std::string& where, std::vector<std::string>& out) {
  bool error = ownErrors || anyError;
  if ((status == S::kError) != error) {
    out.push_back(where + " is " + statusText(status) + " but errors are " +
                  (error ? "present" : "absent"));
  }
  if (!error && (status == S::kComplete) != allComplete) {
    out.push_back(where + " is " + statusText(status) + " but its children are " +
                  (allComplete ? "" : "not ") + "all COMPLETE");
  }
  if (status == S::kWaiting && !waits) out.push_back(where + " is WAITING with nothing waiting");
}

void checkPhase(const Phase& p, const std::string& where, std::set<std::string>& ids,
                std::vector<std::string>& out) {
  checkId(p.id(), where, ids, out);
  std::set<std::string> names;
  bool anyError = false, allComplete = true, waits = p.waiting();
  for (const Step& s : p.steps()) {
    std::string at = where + "/" + s.name();
    checkId(s.id(), at, ids, out);
    if (!names.insert(s.name()).second) out.push_back(where + " has two steps named " + s.name());
    checkStep(s, at, out);
    anyError |= s.status() == S::kError;
    allComplete &= s.isComplete();
    waits |= s.interrupted();
  }
  if (p.overrides().interrupted && *p.overrides().interrupted != p.interrupted()) {
    out.push_back(where + " interrupt override disagrees with its flag");
  }
  checkAggregate(p.status(), p.hasOwnErrors(), anyError, allComplete, waits, where, out);
}

}  // namespace

std::vector<std::string> checkPlanInvariants(const Plan& plan) {
  std::vector<std::string> out;
  std::set<std::string> ids;
  std::set<std::string> names;
  std::string where = "plan " + plan.name();
  checkId(plan.id(), where, ids, out);
  bool anyError = false, allComplete = true, waits = plan.waiting();
  for (const Phase& p : plan.phases()) {
    if (!names.insert(p.name()).second) out.push_back(where + " has two phases named " + p.name());
    checkPhase(p, where + "/" + p.name(), ids, out);
    S ps = p.status();
    anyError |= ps == S::kError;
    allComplete &= ps == S::kComplete;
    waits |= ps == S::kWaiting || p.waiting();
  }
  if (plan.overrides().interrupted && *plan.overrides().interrupted != plan.interrupted()) {
    out.push_back(where + " interrupt override disagrees with its flag");
  }
  checkAggregate(plan.status(), false, anyError, allComplete, waits, where, out);
  return out;
}

std::vector<std::string> checkAssetInvariants(std::span<const Plan* const> plans) {
  std::vector<std::string> out;
  std::map<std::string, std::string> owner;
  for (const Plan* plan : plans) {
    for (const Phase& p : plan->phases()) {
      for (const Step& s : p.steps()) {
        if (s.podInstance().empty()) continue;
        if (s.status() != S::kPrepared && s.status() != S::kStarting) continue;
        std::string at = plan->name() + "/" + p.name() + "/" + s.name();
        auto [it, fresh] = owner.emplace(s.podInstance(), at);
        if (!fresh) {
          out.push_back("pod instance " + s.podInstance() + " is worked on by " + it->second +
                        " and " + at);
        }
      }
    }
  }
  return out;
}

}  // namespace keel::plan
