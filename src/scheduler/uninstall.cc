// The scheduler's uninstall mode: see scheduler/uninstall.h.
#include "scheduler/uninstall.h"

#include <algorithm>

#include "keel/log.h"
#include "keel/mesos/calls.h"
#include "keel/offer/unexpected_resources.h"
#include "keel/plan_override.h"
#include "keel/plan_strategy.h"
#include "keel/scheduler/scheduler.h"
#include "keel/state/plan_override_store.h"
#include "keel/state/properties_store.h"
#include "offer/resource_util.h"
#include "scheduler/pod_instances.h"
#include "scheduler/reconciler.h"
#include "scheduler/resource_release.h"
#include "scheduler/task_book.h"

namespace keel::scheduler {
namespace {

constexpr const char* kLog = "uninstall";
constexpr double kUninstallRefuseSeconds = 1;
constexpr std::string_view kUnreservePrefix = "unreserve-";

// The resource id an "unreserve-<id>" step releases.
std::string reservationIdOf(const plan::Step& step) {
  return step.name().substr(kUnreservePrefix.size());
}

plan::Step* findStep(plan::Plan& plan, const std::string& phase, const std::string& step) {
  plan::Phase* ph = plan.findPhase(phase);
  return ph ? ph->findStep(step) : nullptr;
}

}  // namespace

plan::Plan* Scheduler::uninstallPlan() const {
  return uninstall_ ? uninstall_->plan.get() : nullptr;
}

Result<std::string> Scheduler::uninstall() {
  if (uninstall_) return "uninstall of " + context_.serviceName + " already under way";
  // Durable before anything is killed or destroyed; never cleared.
  KEEL_RETURN_IF_ERROR(state::PropertiesStore(persister_).put(kUninstallingProperty, "true"));
  KEEL_RETURN_IF_ERROR(buildUninstallPlan({}));
  KEEL_LOG(Warn, kLog) << "uninstalling " << context_.serviceName
                       << " (operator request): kill every task, release every reservation, "
                          "tear down the framework, delete the state";
  lastRevive_.reset();
  driveUninstall(clock_.now());
  finishEvent();
  const plan::Plan& p = *uninstall_->plan;
  return "uninstalling " + context_.serviceName + ": " +
         std::to_string(p.phases()[0].steps().size()) + " tasks to kill, " +
         std::to_string(p.phases()[1].steps().size()) +
         " reservations to release; see /v1/plans/uninstall";
}

Status Scheduler::onFrameworkRemoved(const std::string& masterMessage) {
  std::string framework = storedFrameworkId_.value_or("(none stored)");
  if (!uninstall_) {
    return Status::failedPrecondition(
        "the master removed framework " + framework + " (" + masterMessage +
        "): its tasks are gone and its reservations can no longer be managed by this state. "
        "Uninstall what is left on the cluster, delete the state directory and deploy anew");
  }
  std::vector<std::string> held;
  for (const plan::Step& step : uninstall_->plan->phases()[1].steps()) {
    std::string id = reservationIdOf(step);
    if (step.status() != plan::ElementStatus::kComplete && !uninstall_->released.contains(id)) {
      held.push_back(id + " on agent " + uninstall_->agentOf[id]);
    }
  }
  if (!held.empty()) {
    std::string list;
    for (const std::string& h : held) list += (list.empty() ? "" : ", ") + h;
    return Status::failedPrecondition(
        "the master removed framework " + framework + " (" + masterMessage +
        ") before the uninstall released " + std::to_string(held.size()) +
        " reservations of role " + context_.role + ": " + list +
        ". They stay reserved; release them with the cluster's operator tools, then delete "
        "the state directory");
  }
  KEEL_LOG(Warn, kLog) << "framework " << framework << " is already removed (" << masterMessage
                       << ") and every reservation was released: the uninstall of "
                       << context_.serviceName << " is finished";
  uninstall_->tornDown = true;
  if (onUninstalled_) onUninstalled_();
  return Status::ok();
}

// At startup: an uninstall that a stopped scheduler began goes on.
Status Scheduler::resumeUninstall() {
  state::PropertiesStore props(persister_);
  KEEL_ASSIGN_OR_RETURN(std::optional<std::string> flag, props.get(kUninstallingProperty));
  if (!flag) return Status::ok();
  KEEL_ASSIGN_OR_RETURN(std::optional<std::string> released, props.get(kUninstallReleasedProperty));
  KEEL_RETURN_IF_ERROR(buildUninstallPlan(parseIdLines(released)));
  KEEL_LOG(Warn, kLog) << "resuming the uninstall of " << context_.serviceName << " ("
                       << uninstall_->released.size() << " reservations already released)";
  return Status::ok();
}

// Steps from the stored tasks: one per task to kill, one per reservation
// (resource id) their TaskInfos and executors hold or a replaced pod's old
// footprint still holds, and the deregistration.
Status Scheduler::buildUninstallPlan(std::set<std::string> released) {
  auto state = std::make_unique<UninstallState>();
  state->released = std::move(released);
  std::vector<plan::Step> kills, unreserves;
  for (const auto& [name, rec] : tasks_->all()) {
    kills.emplace_back(options_.planIds(), "kill-task-" + name, "", std::vector<std::string>{});
    std::vector<mesos::TaskInfo> one = {rec.info};
    for (const std::string& id : offer::knownResourcesOf(one).resourceIds) {
      if (state->agentOf.emplace(id, rec.info.agentId.value).second) {
        unreserves.emplace_back(options_.planIds(), std::string(kUnreservePrefix) + id, "",
                                std::vector<std::string>{});
      }
    }
  }
  // Old footprints of replaced pods not cleaned yet: no TaskInfo holds them.
  for (const auto& [id, agent] : pods_->cleanupReservations()) {
    if (state->agentOf.emplace(id, agent).second) {
      unreserves.emplace_back(options_.planIds(), std::string(kUnreservePrefix) + id, "",
                              std::vector<std::string>{});
    }
  }
  std::vector<plan::Step> deregister;
  deregister.emplace_back(options_.planIds(), "deregister", "", std::vector<std::string>{});
  std::vector<plan::Phase> phases;
  phases.emplace_back(options_.planIds(), "kill-tasks", std::move(kills), plan::parallelStrategy());
  phases.emplace_back(options_.planIds(), "unreserve-resources", std::move(unreserves),
                      plan::parallelStrategy());
  phases.emplace_back(options_.planIds(), "deregister-service", std::move(deregister),
                      plan::serialStrategy());
  state->plan = std::make_unique<plan::Plan>(options_.planIds(), kUninstallPlan, std::move(phases),
                                             plan::serialStrategy());
  KEEL_ASSIGN_OR_RETURN(auto records, state::PlanOverrideStore(persister_).list(kUninstallPlan));
  if (!records.empty()) {
    KEEL_ASSIGN_OR_RETURN(plan::ApplyReport report, plan::applyOverrides(*state->plan, records));
    (void)report;
  }
  uninstall_ = std::move(state);
  return Status::ok();
}

// Every offer: the service's volumes DESTROYed and reservations UNRESERVEd
// (their ids stored first), anything else declined. Nothing is launched.
void Scheduler::uninstallOffers(const std::vector<mesos::Offer>& offers) {
  for (const mesos::Offer& o : offers) {
    std::vector<mesos::OfferOperation> ops =
        offer::unexpectedResourceOperations(o, context_, offer::KnownResources{});
    if (ops.empty()) {
      Status s = driver_.decline({o.id}, kUninstallRefuseSeconds);
      KEEL_LOG(Debug, kLog) << "offer " << o.id.value << " agent=" << o.agentId.value
                            << ": declined: nothing of the service's"
                            << (s.isOk() ? "" : "; DECLINE failed: " + s.message());
      continue;
    }
    ReleaseOutcome out = releaseReservations(persister_, driver_, kUninstallReleasedProperty,
                                             uninstall_->released, o, ops, kUninstallRefuseSeconds);
    KEEL_LOG(Info, kLog) << "offer " << o.id.value << " agent=" << o.agentId.value << ": "
                         << out.decision;
  }
}

void Scheduler::driveUninstallKills() {
  for (plan::Step& step : uninstall_->plan->phases()[0].steps()) {
    (void)driveKillStep(step, step.name().substr(std::string("kill-task-").size()), "");
  }
}

// Moves the plan on from the task book and the released ids; TEARDOWN once
// everything else is COMPLETE. Offers are wanted while a reservation is left.
void Scheduler::driveUninstall(TimePoint now) {
  UninstallState& u = *uninstall_;
  if (u.tornDown) return;
  driveUninstallKills();
  bool reservationsLeft = false;
  for (plan::Step& step : u.plan->phases()[1].steps()) {
    if (step.status() == plan::ElementStatus::kComplete) continue;
    std::string id = reservationIdOf(step);
    if (u.released.contains(id)) {
      (void)step.markComplete();
      step.setMessage("released");
    } else {
      reservationsLeft = true;
      step.setMessage("waiting for an offer of agent " + u.agentOf[id] + " that carries it");
    }
  }
  if (reservationsLeft && subscribed_ && reconciled() &&
      (!lastRevive_ || now - *lastRevive_ >= std::chrono::seconds(5))) {
    Status s = driver_.revive();
    if (s.isOk()) lastRevive_ = now;
    suppressed_ = false;
  }
  plan::Step* deregister = findStep(*u.plan, "deregister-service", "deregister");
  bool rest = std::all_of(
      u.plan->phases().begin(), u.plan->phases().end() - 1,
      [](const plan::Phase& p) { return p.status() == plan::ElementStatus::kComplete; });
  if (!rest || !subscribed_ || deregister == nullptr) return;
  Status s = driver_.teardown();
  if (!s.isOk()) {
    deregister->setMessage("TEARDOWN failed, will retry: " + s.message());
    KEEL_LOG(Warn, kLog) << "TEARDOWN failed, will retry: " << s.toString();
    return;
  }
  (void)deregister->markComplete();
  deregister->setMessage("framework torn down");
  u.tornDown = true;
  KEEL_LOG(Warn, kLog) << context_.serviceName << " uninstalled: tasks killed, "
                       << u.released.size() << " reservations released, framework torn down";
  if (onUninstalled_) onUninstalled_();
}

}  // namespace keel::scheduler
