// Scheduler construction, startup from the state store, subscription and
// timers. Offers: offer_cycle.cc; status updates: status_updates.cc; pod
// restart and replace, incarnations: permanent_recovery.cc; the HTTP API's
// view: scheduler_api.cc.
#include "keel/scheduler/scheduler.h"

#include "keel/config/config_diff.h"
#include "keel/config/config_update.h"
#include "keel/log.h"
#include "keel/offer/task_labels.h"
#include "keel/plan_generator.h"
#include "keel/plan_override.h"
#include "keel/spec_json.h"
#include "keel/state/config_store.h"
#include "keel/state/framework_store.h"
#include "keel/state/layout.h"
#include "keel/state/plan_override_store.h"
#include "keel/state/properties_store.h"
#include "keel/state/task_store.h"
#include "scheduler/decommission.h"
#include "scheduler/pod_instances.h"
#include "scheduler/reconciler.h"
#include "scheduler/rollback.h"
#include "scheduler/step_progress.h"
#include "scheduler/task_book.h"
#include "scheduler/uninstall.h"
#include "scheduler/update_guard.h"

namespace keel::scheduler {
namespace {

constexpr const char* kLog = "scheduler";
// Property set once the deploy plan first completed (value "true").
constexpr const char* kDeploymentCompleted = "deployment-completed";

std::string frameworkHost(const std::string& service, const std::string& domain) {
  std::string host;
  for (char c : service) {
    if (c == '/') continue;
    host += c == '.' ? '-' : c;
  }
  return host + "." + domain;
}

offer::ServiceContext contextFrom(const spec::ServiceSpec& spec, const SchedulerOptions& o) {
  offer::ServiceContext c;
  c.serviceName = o.serviceName.empty() ? spec.name : o.serviceName;
  c.role = o.role.empty() ? spec::serviceRole(spec) : o.role;
  c.principal = o.principal.empty() ? spec.scheduler.principal : o.principal;
  if (c.principal.empty()) c.principal = c.serviceName + "-principal";
  c.user = o.user.empty() ? spec.scheduler.user : o.user;
  c.frameworkHost = frameworkHost(c.serviceName, o.domain);
  c.schedulerApiHostname = o.apiHost;
  c.schedulerApiPort = o.apiPort;
  return c;
}

}  // namespace

Result<std::unique_ptr<Scheduler>> Scheduler::create(spec::ServiceSpec spec,
                                                     state::Persister& persister,
                                                     const Clock& clock, SchedulerDriver& driver,
                                                     SchedulerOptions options) {
  std::unique_ptr<Scheduler> s(
      new Scheduler(std::move(spec), persister, clock, driver, std::move(options)));
  KEEL_RETURN_IF_ERROR(s->start());
  return s;
}

Scheduler::Scheduler(spec::ServiceSpec spec, state::Persister& persister, const Clock& clock,
                     SchedulerDriver& driver, SchedulerOptions options)
    : spec_(std::move(spec)),
      persister_(persister),
      clock_(clock),
      driver_(driver),
      options_(std::move(options)),
      context_(contextFrom(spec_, options_)) {
  if (!options_.planIds) options_.planIds = plan::randomIds();
  if (!options_.uuids) options_.uuids = offer::randomUuids();
  taskStore_ = std::make_unique<state::TaskStore>(persister_);
  tasks_ = std::make_unique<TaskBook>(*taskStore_);
  pods_ = std::make_unique<PodInstances>(persister_);
  reconciler_ = std::make_unique<Reconciler>(
      ReconcileOptions{options_.reconcileInitialBackoff, options_.reconcileMaxBackoff,
                       options_.implicitReconcileInterval, options_.reconcileEndedInterval});
  updateGuard_ = std::make_unique<UpdateGuardState>();
}

Scheduler::~Scheduler() = default;

Status Scheduler::start() {
  KEEL_RETURN_IF_ERROR(state::layout::ensureLayoutVersion(persister_));
  KEEL_ASSIGN_OR_RETURN(storedFrameworkId_, state::FrameworkStore(persister_).get());
  if (storedFrameworkId_) context_.frameworkId = *storedFrameworkId_;
  KEEL_RETURN_IF_ERROR(adoptTargetConfig());
  KEEL_RETURN_IF_ERROR(tasks_->load());
  KEEL_ASSIGN_OR_RETURN(std::optional<std::string> completed,
                        state::PropertiesStore(persister_).get(kDeploymentCompleted));
  deploymentCompleted_ = completed.has_value();
  KEEL_RETURN_IF_ERROR(pods_->load());
  KEEL_RETURN_IF_ERROR(loadAutomaticRecovery());
  KEEL_RETURN_IF_ERROR(resumeReplacements());
  KEEL_RETURN_IF_ERROR(buildPlans());
  noteDeploymentCompleted();
  KEEL_RETURN_IF_ERROR(resumeUninstall());
  resetEvaluator();
  KEEL_LOG(Info, kLog) << "service " << context_.serviceName << " ready: " << tasks_->all().size()
                       << " stored tasks, target configuration " << context_.targetConfigId;
  return Status::ok();
}

// The target configuration at startup (keel/config/config_update.h): a
// first or valid changed spec is stored and becomes the target; an unchanged
// one keeps the stored id; a refused change keeps the stored target, which is
// then what this scheduler runs (its errors are logged and kept in
// configErrors()).
Status Scheduler::adoptTargetConfig() {
  state::ConfigStore configs(persister_);
  KEEL_ASSIGN_OR_RETURN(std::optional<std::string> target, configs.target());
  KEEL_ASSIGN_OR_RETURN(bool rolledBack, applyRollbacks(target));
  std::optional<std::string> storedJson;
  if (target) {
    KEEL_ASSIGN_OR_RETURN(std::string stored, configs.get(*target));
    storedJson = std::move(stored);
  }
  if (rolledBack) return runStoredTarget(*target, *storedJson);
  KEEL_ASSIGN_OR_RETURN(config::TargetDecision decision, config::decideTarget(storedJson, spec_));
  for (const config::ConfigError& e : decision.errors) configErrors_.push_back(e.toString());
  if (!decision.target) {
    std::string text = "the configuration is refused:";
    for (const std::string& e : configErrors_) text += "\n  " + e;
    return Status::invalidArgument(text);
  }
  spec_ = *decision.target;
  if (!decision.storeCandidate) {
    context_.targetConfigId = *target;
    for (const std::string& e : configErrors_) {
      KEEL_LOG(Error, kLog) << "configuration change refused; running target " << *target << ": "
                            << e;
    }
    return Status::ok();
  }
  std::string id = options_.uuids();
  KEEL_RETURN_IF_ERROR(configs.store(id, spec::toJson(spec_, spec::JsonStyle::kCompact)));
  if (target) {
    KEEL_RETURN_IF_ERROR(state::PropertiesStore(persister_).put(kPreviousTargetProperty, *target));
  }
  KEEL_RETURN_IF_ERROR(configs.setTarget(id));
  KEEL_LOG(Info, kLog) << "new target configuration " << id << " ("
                       << config::targetDecisionName(decision.kind)
                       << (target ? ", was " + *target : std::string()) << ")";
  context_.targetConfigId = id;
  return Status::ok();
}

// Runs the stored target `id` instead of the candidate spec, whose refusal
// is already in configErrors_.
Status Scheduler::runStoredTarget(const std::string& id, const std::string& json) {
  KEEL_ASSIGN_OR_RETURN(spec_, spec::serviceSpecFromJson(json));
  context_.targetConfigId = id;
  for (const std::string& e : configErrors_) {
    KEEL_LOG(Error, kLog) << "configuration change refused; running target " << id << ": " << e;
  }
  return Status::ok();
}

Status Scheduler::buildPlans() {
  KEEL_ASSIGN_OR_RETURN(std::vector<plan::Plan> generated,
                        plan::generatePlans(spec_, options_.planIds, deploymentCompleted_));
  plans_.clear();
  for (plan::Plan& p : generated) plans_.push_back(std::make_unique<plan::Plan>(std::move(p)));
  showConfigErrors();
  KEEL_RETURN_IF_ERROR(buildDecommissionPlan());
  rebuildRecoveryPlan();
  deriveStepStatuses();
  state::PlanOverrideStore overrides(persister_);
  for (auto& p : plans_) {
    KEEL_ASSIGN_OR_RETURN(auto records, overrides.list(p->name()));
    if (records.empty()) continue;
    KEEL_ASSIGN_OR_RETURN(plan::ApplyReport report, plan::applyOverrides(*p, records));
    for (const std::string& key : report.unmatched) {
      KEEL_LOG(Warn, kLog) << "plan " << p->name() << ": stored override " << key
                           << " matches no element of the current spec; ignored";
    }
  }
  return Status::ok();
}

// A refused configuration change shows in the deploy plan's errors (so its
// status is ERROR, GET /v1/plans/deploy answers 417 and /v1/health 500)
// while the plan keeps running the stored target.
void Scheduler::showConfigErrors() {
  if (configErrors_.empty()) return;
  plan::Plan* deploy = findPlan("deploy");
  if (deploy == nullptr) return;
  std::vector<std::string> shown;
  for (const std::string& e : configErrors_) {
    shown.push_back("configuration change refused, still running configuration " +
                    context_.targetConfigId + ": " + e);
  }
  deploy->setOwnErrors(std::move(shown));
}

// A step is COMPLETE when every task of it is done under the target config
// (ONCE: under any config), or when its pod instance awaits a permanent
// replacement (the recovery plan owns it, as dcos-commons'
// DefaultStepFactory); STARTING when its tasks' current launch under the
// target config is still alive (the updates that follow move it on).
void Scheduler::deriveStepStatuses() {
  for (auto& p : plans_) {
    for (plan::Phase& phase : p->phases()) {
      for (plan::Step& step : phase.steps()) {
        if (decommissioning(step.podInstance())) continue;  // launched anew afterwards
        deriveStepStatus(step);
      }
    }
  }
}

void Scheduler::deriveStepStatus(plan::Step& step) {
  bool done = !step.tasks().empty(), alive = !step.tasks().empty();
  bool replacing = done && pods_->failure(step.podInstance()) != nullptr;
  std::vector<StepTask> progress;
  for (const std::string& t : step.tasks()) {
    const TaskRecord* rec = tasks_->find(step.podInstance() + "-" + t);
    if (rec == nullptr) {
      done = alive = replacing = false;
      continue;
    }
    bool current = runsTargetConfig(*rec) || taskGoal(rec->info) == spec::GoalState::kOnce;
    done = done && current && taskDone(rec->info, rec->currentStatus());
    alive = alive && current && rec->active();
    progress.push_back({&rec->info, rec->currentStatus()});
  }
  if (done || replacing) {
    (void)step.markComplete();
  } else if (alive) {
    (void)step.markPrepared();
    (void)step.markStarting();
    applyStepProgress(step, stepProgress(progress));
  }
}

// Launched under the target, or under a configuration whose pod has the same
// task config as the target's (a change of count, placement or
// allow-decommission restarts nothing; dcos-commons relabels such tasks).
bool Scheduler::runsTargetConfig(const TaskRecord& rec) {
  std::optional<std::string_view> label =
      rec.info.labels ? offer::labelValue(*rec.info.labels, offer::kLabelTargetConfiguration)
                      : std::nullopt;
  if (!label) return false;
  std::string id(*label);
  if (id == context_.targetConfigId) return true;
  // Both sides as stored (JSON): what a JSON round trip drops must not count.
  const spec::ServiceSpec* then = launchConfig(id);
  const spec::ServiceSpec* target = launchConfig(context_.targetConfigId);
  const spec::PodSpec* thenPod = then ? then->pod(rec.podType()) : nullptr;
  const spec::PodSpec* targetPod = target ? target->pod(rec.podType()) : nullptr;
  return thenPod != nullptr && targetPod != nullptr && config::sameTaskConfig(*thenPod, *targetPod);
}

// A stored configuration, decoded once; nullptr when it cannot be read.
const spec::ServiceSpec* Scheduler::launchConfig(const std::string& id) {
  auto cached = launchConfigs_.find(id);
  if (cached == launchConfigs_.end()) {
    std::optional<spec::ServiceSpec> spec;
    Result<std::string> json = state::ConfigStore(persister_).get(id);
    if (json) {
      Result<spec::ServiceSpec> decoded = spec::serviceSpecFromJson(*json);
      if (decoded) spec = std::move(*decoded);
    }
    cached = launchConfigs_.emplace(id, std::move(spec)).first;
  }
  return cached->second ? &*cached->second : nullptr;
}

void Scheduler::resetEvaluator() {
  evaluator_ = std::make_unique<offer::OfferEvaluator>(context_, options_.uuids);
}

void Scheduler::setApiEndpoint(const std::string& host, int64_t port) {
  context_.schedulerApiHostname = host;
  context_.schedulerApiPort = port;
  context_.artifactsUrl = "http://" + host + ":" + std::to_string(port);
  resetEvaluator();
}

plan::Plan* Scheduler::findPlan(const std::string& name) {
  if (uninstall_) return name == kUninstallPlan ? uninstall_->plan.get() : nullptr;
  if (recovery_ && recovery_->name() == name) return recovery_.get();
  for (auto& p : plans_) {
    if (p->name() == name) return p.get();
  }
  return nullptr;
}

bool Scheduler::reconciled() const { return subscribed_ && reconciler_->complete(); }

void Scheduler::onSubscribed(const std::string& frameworkId) {
  if (!storedFrameworkId_ || *storedFrameworkId_ != frameworkId) {
    Status s = state::FrameworkStore(persister_).set(frameworkId);
    if (!s.isOk()) {
      // Launching under an id a restart would not know orphans the tasks:
      // act as not subscribed and retry on every tick.
      if (unstoredFrameworkId_ != frameworkId) {
        KEEL_LOG(Error, kLog) << "framework id " << frameworkId
                              << " not persisted; launching nothing until it is (retried every "
                                 "tick): "
                              << s.toString();
      }
      unstoredFrameworkId_ = frameworkId;
      subscribed_ = false;
      return;
    }
    if (unstoredFrameworkId_) {
      KEEL_LOG(Info, kLog) << "framework id " << frameworkId << " persisted";
    }
    storedFrameworkId_ = frameworkId;
  }
  unstoredFrameworkId_.reset();
  context_.frameworkId = frameworkId;
  resetEvaluator();
  subscribed_ = true;
  suppressed_ = false;
  lastWork_.clear();
  std::vector<Reconciler::Task> tasks;
  for (const auto& [name, rec] : tasks_->all()) {
    if (rec.active()) tasks.push_back({rec.info.taskId, rec.info.agentId});
  }
  std::vector<Reconciler::Task> ended = tasksWaitingForTheirAgent();
  tasks.insert(tasks.end(), ended.begin(), ended.end());
  KEEL_LOG(Info, kLog) << "subscribed as framework " << frameworkId << "; reconciling "
                       << tasks.size() << " tasks";
  reconciler_->start(std::move(tasks), clock_.now());
  tick();
}

void Scheduler::onDisconnected(const Status& reason) {
  subscribed_ = false;
  unstoredFrameworkId_.reset();
  KEEL_LOG(Warn, kLog) << "disconnected from the master: " << reason.toString()
                       << "; offers are void until subscribed again";
  bump();
}

void Scheduler::onRescind(const mesos::OfferID& offerId) {
  // Offers are decided as they arrive, so none is held that could be
  // rescinded; one that was accepted means its ACCEPT was dropped.
  KEEL_LOG(Debug, "offers") << "offer " << offerId.value << " rescinded (not held)";
  auto cleaning = cleaningOffers_.find(offerId.value);
  if (cleaning == cleaningOffers_.end()) return;
  KEEL_LOG(Warn, "offers") << "offer " << offerId.value << " rescinded: its ACCEPT was dropped; "
                           << cleaning->second.size()
                           << " reservations of old footprints to clean again";
  pods_->uncleaned(cleaning->second);
  cleaningOffers_.erase(cleaning);
  if (subscribed_) updateOfferInterest(clock_.now());
  finishEvent();
}

void Scheduler::tick() {
  if (unstoredFrameworkId_) {
    std::string id = *unstoredFrameworkId_;
    onSubscribed(id);  // ticks again once the id is stored
    if (subscribed_) return;
  }
  TimePoint now = clock_.now();
  if (subscribed_) {
    if (std::optional<Reconciler::Request> r = reconciler_->due(now)) {
      Status s = driver_.reconcile(r->tasks);
      if (!s.isOk()) {
        KEEL_LOG(Warn, kLog) << "RECONCILE not sent: " << s.toString();
      } else if (!r->implicit) {
        KEEL_LOG(Info, kLog) << "explicit reconciliation of " << r->tasks.size() << " tasks";
      }
    }
    if (reconciler_->endedDue(now)) {
      std::vector<Reconciler::Task> ended = tasksWaitingForTheirAgent();
      if (!ended.empty()) (void)driver_.reconcile(ended);
    }
  }
  if (subscribed_) retryKills(now);
  if (uninstall_) {
    driveUninstall(now);
    finishEvent();
    return;
  }
  for (auto& p : plans_) {
    for (const std::string& change : p->tick(now)) KEEL_LOG(Info, kLog) << change;
  }
  if (recovery_) recovery_->tick(now);
  applyRecoveryPolicy(now);
  if (subscribed_) updateOfferInterest(now);
  finishEvent();
}

// Once the deploy plan has completed, a later configuration change rolls out
// through the spec's "update" plan (plan::generatePlans); the fact is
// stored so that it holds after a restart, which is when the change comes.
void Scheduler::noteDeploymentCompleted() {
  if (deploymentCompleted_) return;
  plan::Plan* deploy = findPlan("deploy");
  if (deploy == nullptr || !deploy->isComplete()) return;
  Status s = state::PropertiesStore(persister_).put(kDeploymentCompleted, "true");
  if (!s.isOk()) {
    KEEL_LOG(Error, kLog) << "deployment completed but not recorded (retried on the next "
                             "event): "
                          << s.toString();
    return;
  }
  deploymentCompleted_ = true;
  KEEL_LOG(Info, kLog) << "deployment completed; configuration changes from now on roll out "
                       << (spec_.plan("update") ? "through the update plan" : "through deploy");
}

void Scheduler::finishEvent() {
  if (driveDecommission() && subscribed_) updateOfferInterest(clock_.now());
  noteDeploymentCompleted();
  for (auto& p : plans_) {
    std::vector<plan::OverrideChange> changes = plan::takeOverrideChanges(*p);
    if (changes.empty()) continue;
    Status s = persistOverrides(p->name(), changes);
    if (!s.isOk()) {
      KEEL_LOG(Error, kLog) << "plan " << p->name()
                            << ": override records not persisted (an operator's restart or "
                               "force-complete may replay after a scheduler restart): "
                            << s.toString();
    }
  }
  guardUpdate();
  bump();
}

}  // namespace keel::scheduler
