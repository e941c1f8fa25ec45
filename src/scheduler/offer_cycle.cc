// The offer cycle: candidate steps evaluated against the offers of one
// OFFERS event, launches (TaskInfos persisted before ACCEPT), collection of
// unexpected reservations, declines, and SUPPRESS/REVIVE.
#include <algorithm>

#include "keel/log.h"
#include "keel/mesos/calls.h"
#include "keel/offer/unexpected_resources.h"
#include "keel/plan_coordinator.h"
#include "keel/scheduler/scheduler.h"
#include "scheduler/pod_instances.h"
#include "scheduler/reconciler.h"
#include "scheduler/rendered_configs.h"
#include "scheduler/task_book.h"

namespace keel::scheduler {
namespace {

constexpr const char* kLog = "offers";

// "data-12" -> ("data", 12); nullopt when there is no numeric suffix.
std::optional<std::pair<std::string, int64_t>> splitInstance(const std::string& instance) {
  size_t dash = instance.rfind('-');
  if (dash == std::string::npos || dash + 1 >= instance.size()) return std::nullopt;
  try {
    return std::make_pair(instance.substr(0, dash), std::stoll(instance.substr(dash + 1)));
  } catch (...) {
    return std::nullopt;
  }
}

// Candidates include steps already in flight (their pod instance is theirs);
// only PENDING (or PREPARED) steps with tasks want offers.
bool needsOffers(const plan::Step& step) {
  plan::ElementStatus s = step.status();
  return (s == plan::ElementStatus::kPending || s == plan::ElementStatus::kPrepared) &&
         !step.podInstance().empty() && !step.tasks().empty();
}

}  // namespace

void Scheduler::onOffers(const std::vector<mesos::Offer>& offers) {
  if (!reconciled()) {
    declineAll(offers, options_.reconcilingRefuseSeconds,
               subscribed_ ? "waiting for reconciliation of " +
                                 std::to_string(reconciler_->pendingCount()) + " tasks"
                           : "not subscribed");
    bump();
    return;
  }
  TimePoint now = clock_.now();
  if (uninstallPlan() != nullptr) {
    uninstallOffers(offers);
    driveUninstall(now);
    finishEvent();
    return;
  }
  for (auto& p : plans_) (void)p->tick(now);
  if (recovery_) (void)recovery_->tick(now);
  std::vector<offer::OfferSummary> summaries = offer::summarizeOffers(offers, context_.role);
  std::vector<mesos::TaskInfo> placed = tasks_->infos();
  offer::PlacementContext placement = offer::placementContextFrom(placed);
  std::vector<std::string> decisions(offers.size());
  launchCandidates(summaries, placement, decisions);
  decommissionOffers(offers, summaries, decisions);
  finishOffers(offers, summaries, decisions);
  updateOfferInterest(now);
  finishEvent();
}

void Scheduler::launchCandidates(std::vector<offer::OfferSummary>& summaries,
                                 offer::PlacementContext& placement,
                                 std::vector<std::string>& decisions) {
  plan::PlanCoordinator coordinator(plans());
  for (const plan::Candidate& c : coordinator.candidates()) {
    if (!needsOffers(*c.step)) continue;
    if (decommissioning(c.step->podInstance())) {
      setStepMessage(*c.plan, *c.step,
                     "waiting for the decommission of " + c.step->podInstance() + " to finish");
      continue;
    }
    launchStep(*c.plan, *c.step, summaries, placement, decisions);
  }
}

void Scheduler::launchStep(plan::Plan& plan, plan::Step& step,
                           std::vector<offer::OfferSummary>& summaries,
                           offer::PlacementContext& placement,
                           std::vector<std::string>& decisions) {
  std::vector<std::string> stopping = killActiveTasks(step);
  if (!stopping.empty()) {
    setStepMessage(plan, step, "waiting for the previous launch to stop: " + stopping.front());
    return;
  }
  // Every offer of the cycle is taken: the evaluator's own answer, without
  // building a requirement and a pipeline per remaining step.
  if (std::none_of(summaries.begin(), summaries.end(),
                   [](const offer::OfferSummary& o) { return !o.used; })) {
    setStepMessage(plan, step, step.podInstance() + ": no offer to evaluate");
    return;
  }
  Result<offer::PodInstanceRequirement> req = requirementFor(plan, step);
  Result<offer::EvaluationResult> eval =
      req ? evaluator_->evaluate(*req, summaries, placement, clock_.now(), &outcomes_)
          : Result<offer::EvaluationResult>(req.error());
  if (!eval) {
    KEEL_LOG(Error, kLog) << plan.name() << "/" << step.name()
                          << " cannot be evaluated: " << eval.error().message();
    (void)step.markError(eval.error().message());
    return;
  }
  if (!eval->launch) {
    setStepMessage(plan, step, eval->message);
    KEEL_LOG(Debug, kLog) << step.name() << " not placed: " << eval->message;
    return;
  }
  Result<std::map<std::string, std::string>> configs =
      renderLaunchConfigs(req->pod, step.podInstance(), eval->launch->taskInfos);
  if (!configs) {
    summaries[*eval->offerIndex].used = false;
    KEEL_LOG(Error, kLog) << plan.name() << "/" << step.name()
                          << ": not launched: " << configs.error().message();
    (void)step.markError(configs.error().message());
    return;
  }
  sendLaunch(plan, step, *eval, *configs, summaries, decisions);
}

// Persist first: the TaskInfos are durable before the ACCEPT that launches
// them, so a scheduler that dies in between knows (and reconciles) them.
void Scheduler::sendLaunch(plan::Plan& plan, plan::Step& step, const offer::EvaluationResult& eval,
                           const std::map<std::string, std::string>& renderedConfigs,
                           std::vector<offer::OfferSummary>& summaries,
                           std::vector<std::string>& decisions) {
  const offer::LaunchPlan& launch = *eval.launch;
  size_t offer = *eval.offerIndex;
  bool replacing = pods_->failure(step.podInstance()) != nullptr;
  std::vector<mesos::TaskInfo> oldInfos;
  if (replacing) oldInfos = tasks_->instanceInfos(step.podInstance());
  Status persisted = tasks_->writeInfos(launch.taskInfos, renderedConfigs);
  if (!persisted.isOk()) {
    summaries[offer].used = false;
    setStepMessage(plan, step, "launch not persisted, not sent: " + persisted.message());
    KEEL_LOG(Error, kLog) << step.name()
                          << ": TaskInfos not persisted; launch not sent: " << persisted.toString();
    return;
  }
  Status sent = driver_.accept({launch.offerId}, launch.operations,
                               mesos::refuseFor(options_.acceptRefuseSeconds));
  (void)step.markPrepared();
  (void)step.markStarting();
  setStepMessage(plan, step, eval.message);
  decisions[offer] = "accepted for " + plan.name() + "/" + step.name() + " (" +
                     std::to_string(launch.operations.size()) + " operations)";
  if (!sent.isOk()) {
    // Its reservations were not made: the next launch must not expect them.
    for (const mesos::TaskInfo& t : launch.taskInfos) (void)tasks_->revertLaunch(t.name);
    (void)step.markPending("ACCEPT failed, will retry: " + sent.message());
    decisions[offer] += "; ACCEPT failed: " + sent.message();
  } else if (replacing) {
    finishReplacement(plan, step.podInstance(), oldInfos);
  }
}

Result<offer::PodInstanceRequirement> Scheduler::requirementFor(const plan::Plan& plan,
                                                                const plan::Step& step) const {
  auto instance = splitInstance(step.podInstance());
  const spec::PodSpec* pod = instance ? spec_.pod(instance->first) : nullptr;
  if (pod == nullptr) {
    return Status::invalidArgument("step " + step.name() + ": pod instance " + step.podInstance() +
                                   " is not a pod of the spec");
  }
  offer::PodInstanceRequirement req;
  req.pod = *pod;
  req.index = instance->second;
  req.tasksToLaunch = step.tasks();
  // A pod instance marked permanently failed goes to a new footprint,
  // whichever plan relaunches it.
  bool permanent = pods_->failure(step.podInstance()) != nullptr;
  req.recovery = permanent                  ? offer::RecoveryType::kPermanent
                 : &plan == recovery_.get() ? offer::RecoveryType::kTransient
                                            : offer::RecoveryType::kNone;
  req.incarnation = pods_->incarnation(step.podInstance());
  req.previousTasks = tasks_->instanceInfos(step.podInstance());
  for (const TaskRecord* rec : tasks_->instanceTasks(step.podInstance())) {
    if (permanent || !rec->active()) continue;
    bool inStep = std::any_of(step.tasks().begin(), step.tasks().end(), [&](const auto& t) {
      return step.podInstance() + "-" + t == rec->name;
    });
    if (!inStep) req.executorRunning = true;
  }
  req.environment = plan.parameters();
  return req;
}

void Scheduler::finishOffers(const std::vector<mesos::Offer>& offers,
                             const std::vector<offer::OfferSummary>& summaries,
                             std::vector<std::string>& decisions) {
  std::vector<mesos::TaskInfo> infos = tasks_->infos();
  offer::KnownResources known = offer::knownResourcesOf(infos);
  bool work = !workingStepIds().empty() || cleanupPending(clock_.now());
  double refuse = work ? options_.refuseSeconds : options_.idleRefuseSeconds;
  for (size_t i = 0; i < offers.size(); ++i) {
    const mesos::Offer& o = offers[i];
    if (!summaries[i].used) {
      std::vector<mesos::OfferOperation> gc =
          offer::unexpectedResourceOperations(o, context_, known);
      if (!gc.empty()) {
        Status s = driver_.accept({o.id}, gc, mesos::refuseFor(options_.acceptRefuseSeconds));
        if (s.isOk()) noteCleaned(o.id.value, gc);
        decisions[i] = "cleaning " + std::to_string(gc.size()) +
                       " operations of unknown reservations" +
                       (s.isOk() ? "" : "; ACCEPT failed: " + s.message());
      } else {
        Status s = driver_.decline({o.id}, refuse);
        decisions[i] = std::string(work ? "declined: no candidate step fits it"
                                        : "declined: no plan has work") +
                       " (refuse " + std::to_string(static_cast<int64_t>(refuse)) + " s)" +
                       (s.isOk() ? "" : "; DECLINE failed: " + s.message());
      }
    }
    KEEL_LOG(Info, kLog) << "offer " << o.id.value << " agent=" << o.agentId.value
                         << " host=" << o.hostname << ": " << decisions[i];
  }
}

void Scheduler::declineAll(const std::vector<mesos::Offer>& offers, double refuseSeconds,
                           const std::string& reason) {
  for (const mesos::Offer& o : offers) {
    Status s = driver_.decline({o.id}, refuseSeconds);
    KEEL_LOG(Info, kLog) << "offer " << o.id.value << " agent=" << o.agentId.value
                         << ": declined: " << reason
                         << (s.isOk() ? "" : "; DECLINE failed: " + s.message());
  }
}

std::vector<std::string> Scheduler::workingStepIds() {
  std::vector<std::string> ids;
  plan::PlanCoordinator coordinator(plans());
  for (const plan::Candidate& c : coordinator.candidates()) {
    bool launches = needsOffers(*c.step) && !decommissioning(c.step->podInstance());
    if (launches || wantsReleaseOffers(c)) ids.push_back(c.step->id());
  }
  return ids;
}

// SUPPRESS when no plan has work and no replaced footprint waits to be
// offered back and cleaned; REVIVE when work appears that was not
// there before (or offers are suppressed), at most once per
// reviveMinInterval (a revive that is due waits for tick()).
void Scheduler::updateOfferInterest(TimePoint now) {
  if (uninstallPlan() != nullptr) {
    driveUninstall(now);  // wants offers while a reservation is left
    return;
  }
  std::vector<std::string> work = workingStepIds();
  size_t steps = work.size();
  if (cleanupPending(now)) work.push_back("cleanup of replaced footprints");
  std::sort(work.begin(), work.end());
  if (work.empty()) {
    revivePending_ = false;
    if (!suppressed_) {
      Status s = driver_.suppress();
      if (s.isOk()) suppressed_ = true;
      KEEL_LOG(Info, kLog) << "no plan has work: SUPPRESS"
                           << (s.isOk() ? "" : " failed: " + s.message());
    }
  } else {
    bool fresh = !std::includes(lastWork_.begin(), lastWork_.end(), work.begin(), work.end());
    if (fresh || suppressed_) revivePending_ = true;
    bool allowed = !lastRevive_ || now - *lastRevive_ >= options_.reviveMinInterval;
    if (revivePending_ && allowed) {
      Status s = driver_.revive();
      if (s.isOk()) {
        suppressed_ = false;
        revivePending_ = false;
        lastRevive_ = now;
      }
      KEEL_LOG(Info, kLog) << steps << " steps have work"
                           << (steps < work.size() ? ", a replaced footprint awaits cleaning" : "")
                           << ": REVIVE" << (s.isOk() ? "" : " failed: " + s.message());
    }
  }
  lastWork_ = std::move(work);
}

}  // namespace keel::scheduler
