// The scheduler's decommission plan: see scheduler/decommission.h.
#include "scheduler/decommission.h"

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>

#include "keel/log.h"
#include "keel/offer/unexpected_resources.h"
#include "keel/plan_coordinator.h"
#include "keel/plan_strategy.h"
#include "keel/scheduler/scheduler.h"
#include "keel/state/properties_store.h"
#include "offer/resource_util.h"
#include "scheduler/resource_release.h"
#include "scheduler/task_book.h"

namespace keel::scheduler {
namespace {

constexpr const char* kLog = "decommission";
constexpr const char* kKill = "kill-";
constexpr const char* kUnreserve = "unreserve-";
constexpr const char* kErase = "erase-";

bool startsWith(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

Result<std::map<std::string, std::string>> parseReasons(const std::optional<std::string>& text) {
  std::map<std::string, std::string> out;
  if (!text) return out;
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object()) {
    return Status::corruption(std::string("property ") + kDecommissioningProperty +
                              " is not a JSON object: " + *text);
  }
  for (const auto& [instance, why] : j.items()) {
    out[instance] = why.is_string() ? why.get<std::string>() : why.dump();
  }
  return out;
}

std::string joinReasons(const std::map<std::string, std::string>& reasons) {
  return nlohmann::json(reasons).dump();
}

// Pod instances in decommission order: pod types the spec no longer has
// (by name), then the spec's pods in reverse order; highest index first.
std::vector<std::string> decommissionOrder(const spec::ServiceSpec& spec,
                                           const std::map<std::string, std::string>& reasons,
                                           const TaskBook& tasks) {
  std::vector<std::tuple<int64_t, int64_t, std::string>> keyed;  // (type rank, -index, name)
  for (const auto& [instance, why] : reasons) {
    std::vector<const TaskRecord*> recs = tasks.instanceTasks(instance);
    if (recs.empty()) continue;
    int64_t rank = -1;
    for (size_t i = 0; i < spec.pods.size(); ++i) {
      if (spec.pods[i].type == recs.front()->podType()) rank = static_cast<int64_t>(i);
    }
    keyed.emplace_back(rank < 0 ? -1 : -rank, -recs.front()->podIndex(), instance);
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<std::string> out;
  for (const auto& k : keyed) out.push_back(std::get<2>(k));
  return out;
}

}  // namespace

// The instances the store has tasks for and the target has not, with why.
std::map<std::string, std::string> Scheduler::surplusInstances() const {
  std::map<std::string, int64_t> storedCount;  // pod type -> highest stored index + 1
  for (const auto& [name, rec] : tasks_->all()) {
    int64_t& n = storedCount[rec.podType()];
    n = std::max(n, rec.podIndex() + 1);
  }
  std::map<std::string, std::string> out;
  for (const auto& [name, rec] : tasks_->all()) {
    std::string instance = rec.podInstance();
    if (instance.empty() || out.contains(instance)) continue;
    const spec::PodSpec* pod = spec_.pod(rec.podType());
    if (pod == nullptr) {
      out[instance] = instance + ": decommissioned (pod type " + rec.podType() +
                      " removed from the configuration)";
    } else if (rec.podIndex() >= pod->count) {
      out[instance] = instance + ": decommissioned (count " +
                      std::to_string(storedCount[rec.podType()]) + " -> " +
                      std::to_string(pod->count) + ")";
    }
  }
  return out;
}

// At startup, after the plans are generated: the instances to decommission
// are stored first, then the plan is built from the stored tasks.
Status Scheduler::buildDecommissionPlan() {
  decommission_.reset();
  state::PropertiesStore props(persister_);
  KEEL_ASSIGN_OR_RETURN(std::optional<std::string> stored, props.get(kDecommissioningProperty));
  KEEL_ASSIGN_OR_RETURN(auto reasons, parseReasons(stored));
  std::map<std::string, std::string> before = reasons;
  for (auto& [instance, why] : surplusInstances()) reasons.emplace(instance, why);
  std::erase_if(reasons, [&](const auto& r) { return tasks_->instanceTasks(r.first).empty(); });
  if (reasons != before || (stored && reasons.empty())) {
    Status s = reasons.empty() ? props.erase(kDecommissioningProperty)
                               : props.put(kDecommissioningProperty, joinReasons(reasons));
    if (!s.isOk()) return s.withContext("decommission not stored");
  }
  if (reasons.empty()) {
    (void)props.erase(kDecommissionReleasedProperty);  // NotFound unless a leftover
    return Status::ok();
  }
  KEEL_ASSIGN_OR_RETURN(std::optional<std::string> released,
                        props.get(kDecommissionReleasedProperty));
  auto state = std::make_unique<DecommissionState>();
  state->reasons = std::move(reasons);
  state->released = parseIdLines(released);
  std::vector<plan::Phase> phases;
  for (const std::string& instance : decommissionOrder(spec_, state->reasons, *tasks_)) {
    phases.push_back(decommissionPhase(instance, *state));
    KEEL_LOG(Warn, kLog) << state->reasons[instance];
  }
  plans_.push_back(std::make_unique<plan::Plan>(options_.planIds(), kDecommissionPlan,
                                                std::move(phases), plan::serialStrategy()));
  state->plan = plans_.back().get();
  decommission_ = std::move(state);
  return Status::ok();
}

plan::Phase Scheduler::decommissionPhase(const std::string& instance, DecommissionState& state) {
  std::vector<plan::Step> kills, unreserves, erases;
  for (const TaskRecord* rec : tasks_->instanceTasks(instance)) {
    kills.emplace_back(options_.planIds(), kKill + rec->name, instance, std::vector<std::string>{});
    erases.emplace_back(options_.planIds(), kErase + rec->name, instance,
                        std::vector<std::string>{});
    std::vector<mesos::TaskInfo> one = {rec->info};
    for (const std::string& id : offer::knownResourcesOf(one).resourceIds) {
      if (state.agentOf.emplace(id, rec->info.agentId.value).second) {
        unreserves.emplace_back(options_.planIds(), kUnreserve + id, instance,
                                std::vector<std::string>{});
      }
    }
  }
  std::vector<plan::Step> steps = std::move(kills);
  for (auto* part : {&unreserves, &erases}) {
    for (plan::Step& s : *part) steps.push_back(std::move(s));
  }
  return plan::Phase(options_.planIds(), instance, std::move(steps), plan::serialStrategy());
}

bool Scheduler::decommissioning(const std::string& podInstance) const {
  return decommission_ && decommission_->reasons.contains(podInstance);
}

std::vector<plan::Candidate> Scheduler::decommissionCandidates() {
  std::vector<plan::Candidate> out;
  if (!decommission_ || uninstall_) return out;
  // Steps of other plans in flight keep their pod instances; a PENDING one
  // on an instance being decommissioned waits for it (launchCandidates).
  plan::DirtyAssets dirty = plan::PlanCoordinator(plans()).dirtyAssets();
  return decommission_->plan->candidates(dirty);
}

bool Scheduler::wantsReleaseOffers(const plan::Candidate& c) const {
  return decommission_ && c.plan == decommission_->plan && startsWith(c.step->name(), kUnreserve) &&
         !c.step->isComplete();
}

// Moves the plan as far as it goes now: each pass completes at most one
// step per candidate, so the loop ends. Returns whether a step completed.
bool Scheduler::driveDecommission() {
  bool moved = false;
  for (bool progress = true; progress;) {
    progress = false;
    for (const plan::Candidate& c : decommissionCandidates()) {
      progress = driveDecommissionStep(*c.phase, *c.step) || progress;
    }
    moved = moved || progress;
  }
  return moved;
}

bool Scheduler::driveDecommissionStep(plan::Phase& phase, plan::Step& step) {
  const std::string& name = step.name();
  if (startsWith(name, kKill)) {
    return driveKillStep(step, name.substr(std::strlen(kKill)),
                         decommission_->reasons[step.podInstance()]);
  }
  if (startsWith(name, kUnreserve)) {
    std::string id = name.substr(std::strlen(kUnreserve));
    if (decommission_->released.contains(id)) {
      (void)step.markComplete();
      step.setMessage("released");
      return true;
    }
    if (step.status() == plan::ElementStatus::kPending) {
      (void)step.markPrepared();
      (void)step.markStarting();
    }
    step.setMessage("waiting for an offer of agent " + decommission_->agentOf[id] +
                    " that carries it");
    return false;
  }
  return eraseDecommissioned(phase, step, name.substr(std::strlen(kErase)));
}

// The task's state goes; after the instance's last task, the instance leaves
// the stored set (and its released ids the stored list).
bool Scheduler::eraseDecommissioned(plan::Phase& phase, plan::Step& step, const std::string& task) {
  Status s = tasks_->erase(task);
  if (!s.isOk()) {
    step.setMessage("task state not erased, will retry: " + s.message());
    KEEL_LOG(Error, kLog) << task << ": task state not erased, will retry: " << s.toString();
    return false;
  }
  (void)step.markComplete();
  step.setMessage("task state erased");
  if (!phase.isComplete()) return true;
  DecommissionState& d = *decommission_;
  std::string instance = phase.name();
  std::string why = d.reasons[instance];
  d.reasons.erase(instance);
  for (const plan::Step& st : phase.steps()) {
    if (startsWith(st.name(), kUnreserve))
      d.released.erase(st.name().substr(std::strlen(kUnreserve)));
  }
  state::PropertiesStore props(persister_);
  Status stored = d.reasons.empty() ? props.erase(kDecommissioningProperty)
                                    : props.put(kDecommissioningProperty, joinReasons(d.reasons));
  if (stored.isOk()) {
    stored = d.released.empty() ? props.erase(kDecommissionReleasedProperty)
                                : props.put(kDecommissionReleasedProperty, joinIdLines(d.released));
  }
  if (!stored.isOk() && stored.code() != StatusCode::kNotFound) {
    KEEL_LOG(Warn, kLog) << "decommission of " << instance
                         << " finished but not recorded (a restart drops it): "
                         << stored.toString();
  }
  KEEL_LOG(Warn, kLog) << why << ": done (tasks killed, reservations released, state erased)";
  return true;
}

// Unused offers that carry reservations of the candidate phases' unreserve
// steps: their volumes DESTROYed and reservations UNRESERVEd, the ids
// stored first.
void Scheduler::decommissionOffers(const std::vector<mesos::Offer>& offers,
                                   std::vector<offer::OfferSummary>& summaries,
                                   std::vector<std::string>& decisions) {
  std::set<std::string, std::less<>> wanted;
  for (const plan::Candidate& c : decommissionCandidates()) {
    if (!wantsReleaseOffers(c)) continue;
    for (const plan::Step& s : c.phase->steps()) {
      if (startsWith(s.name(), kUnreserve) && !s.isComplete()) {
        wanted.insert(s.name().substr(std::strlen(kUnreserve)));
      }
    }
  }
  if (wanted.empty()) return;
  for (size_t i = 0; i < offers.size(); ++i) {
    if (summaries[i].used) continue;
    std::vector<mesos::OfferOperation> ops = offer::releaseOperations(
        offers[i], context_,
        [&](const mesos::Resource& r) { return wanted.contains(offer::detail::resourceId(r)); });
    if (ops.empty()) continue;
    summaries[i].used = true;
    ReleaseOutcome out =
        releaseReservations(persister_, driver_, kDecommissionReleasedProperty,
                            decommission_->released, offers[i], ops, options_.acceptRefuseSeconds);
    decisions[i] = "decommission: " + out.decision;
  }
  (void)driveDecommission();
}

}  // namespace keel::scheduler
