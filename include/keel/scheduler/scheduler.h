// Scheduler: keel's service scheduler. It owns a service's plans and task
// state and turns cluster events into plan progress:
//
//   startup    layout version; the target configuration decided
//              (keel/config/config_update.h: a first or valid changed spec
//              is stored as the new target, a refused change keeps running
//              the stored target and shows why in the deploy plan's errors,
//              a refused first spec fails create()); plans
//              generated (deploy and the spec's plans, plus "recovery"; once
//              a deployment has completed, as recorded in the store, the
//              spec's "update" plan serves as deploy, keel/plan_generator.h);
//              stored operator overrides replayed; step statuses derived
//              from the stored tasks (a step whose tasks run, ready, under
//              the target config (or one whose pod has the same task
//              config), or finished for FINISH/ONCE, is COMPLETE;
//              one whose current launch is still alive resumes as STARTING).
//   subscribed the framework id persisted; explicit reconciliation of every
//              stored task that may be alive; no launch until all answered.
//   offers     plans ticked; for each candidate step (PlanCoordinator) a
//              PodInstanceRequirement evaluated against the cycle's offers
//              (first fit); a winner's config templates are rendered
//              against each task's environment (a template that does not
//              render puts the step in ERROR and nothing is sent), its
//              TaskInfos and rendered files are persisted FIRST, then
//              its operations ACCEPTed and the step is STARTING; a loser's
//              step stays PENDING with the evaluation's reason as message.
//              Unused offers holding reservations nobody knows are cleaned
//              (DESTROY/UNRESERVE), the rest declined. SUPPRESS when no plan
//              has work, REVIVE (rate limited) when new work appears.
//   updates    persisted, THEN acknowledged; the step of the task moves
//              (STARTED, COMPLETE, back to PENDING on failure). An update
//              for a task id the store does not know (or an older launch's)
//              is acknowledged and, unless terminal, the task is killed.
//              TASK_UNKNOWN or TASK_DROPPED before any other status of a
//              launch: the master never applied it (the scheduler died
//              between persisting it and its ACCEPT, or the offer was
//              rescinded); the task's record goes back to its previous
//              launch, so no reservation of the lost launch is expected,
//              and the step launches it again.
//   kills      repeated every killRetryInterval until the terminal update.
//   decommission  pod instances the store has but the target has not
//              (scale down, pod removal) are stored, then killed, their
//              volumes and reservations released and their task state
//              erased by the "decommission" plan (scheduler/decommission.h).
//   recovery   a COMPLETE step's RUNNING-goal task that ends is relaunched
//              in place on its reservations (after an exponential backoff,
//              the step DELAYED, when it fails again soon: a crash loop)
//              by a step of the "recovery"
//              plan (message "RecoveryType: TRANSIENT"), whatever the
//              terminal state (FAILED, KILLED, LOST, GONE, ... as
//              dcos-commons: an agent that may come back keeps the data).
//   replace    permanent recovery of a pod instance: restartPod(pod, true),
//              restartTask(task, true) (the task's whole pod instance, as
//              dcos-commons) and TASK_GONE_BY_OPERATOR (the agent removed
//              for good; the only state dcos-commons treats as permanent on
//              its own; also when the task had already ended: a task that
//              waits to relaunch in place is reconciled after every
//              subscription and every reconcileEndedInterval, so a pod
//              never waits for an agent that is gone) first persist the instance's permanent
//              failure with its reason and its incarnation + 1 (scheduler/pod_instances.h), THEN
//              kill its active tasks. A recovery step for the instance
//              ("RecoveryType: PERMANENT") relaunches every task of it that
//              had a TaskInfo on a NEW footprint: placement evaluated again
//              (any agent that fits, the failed one too unless placement
//              forbids it), new reservations, new persistent volumes. Once
//              that launch is sent the mark is cleared (persisted) and the
//              old footprint is known to no TaskInfo, so when it is offered
//              back it is DESTROYed and UNRESERVEd; the scheduler keeps
//              wanting offers until that was sent (or cleanupWindow ends).
//              A restart with the mark set resumes the replacement (other
//              plans count the instance's steps as COMPLETE: recovery owns
//              it); a restart after the launch was persisted clears it
//              and watches the old footprint (kept as the tasks' previous
//              launch) until it is cleaned.
//              While another plan has the instance's step in flight, that
//              step relaunches it, on a new footprint too. Old tasks on an
//              unreachable agent are not waited for (they are fenced). An
//              unknown pod or task is NotFound; a mark that cannot be
//              persisted fails the replace and kills nothing; a second
//              replace before the launch only kills again; during an
//              uninstall it is refused (FailedPrecondition), and the
//              uninstall releases old footprints not cleaned yet.
//   automatic  (opt-in, SchedulerOptions::automaticRecovery) an instance
//              failed or unreachable longer than the permanent-failure
//              timeout is replaced the same way, throttled, unless the
//              circuit breaker is open (keel/scheduler/recovery_policy.h;
//              automatic_recovery.cc). Evaluated on tick() once reconciled.
//   fencing    incarnations start at 0; every task gets its pod instance's
//              as POD_INCARNATION and the `incarnation` label. An update of
//              a task of an older incarnation (an agent back from a
//              partition) is persisted and acknowledged, and the task is
//              killed unless terminal; it never moves a step to running.
//
// Threading: everything runs on one owner thread (keel/http/executor.h):
// the cluster client's callbacks, timers and HTTP routes post to it. Only
// stateVersion() may be called from other threads. The driver's calls are
// made on the owner thread.
//
// Failure behaviour: create() fails when the store cannot be read or the
// spec's plans cannot be generated. After that, nothing throws: store
// failures are logged and the event is not acted on (an update not
// persisted is not acknowledged, so the master sends it again).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "keel/clock.h"
#include "keel/http/scheduler_api.h"
#include "keel/mesos/offer.h"
#include "keel/mesos/task_status.h"
#include "keel/offer/evaluator.h"
#include "keel/offer/outcome.h"
#include "keel/plan.h"
#include "keel/plan_operations.h"
#include "keel/scheduler/driver.h"
#include "keel/scheduler/recovery_policy.h"
#include "keel/scheduler/update_policy.h"
#include "keel/spec.h"
#include "keel/state/persister.h"
#include "keel/state/task_store.h"

namespace keel::scheduler {

class TaskBook;
struct TaskRecord;
class Reconciler;
class PodInstances;
struct PermanentFailure;
struct CleanedReservation;
struct UninstallState;
struct DecommissionState;
struct UpdateRecord;
struct UpdateGuardState;

struct SchedulerOptions {
  // Empty: from the spec (name, "<name>-role", scheduler.principal/user).
  std::string serviceName;
  std::string role;
  std::string principal;
  std::string user;
  // Where tasks reach the scheduler's API (SCHEDULER_API_HOSTNAME/_PORT).
  std::string apiHost = "127.0.0.1";
  int64_t apiPort = 0;
  std::string domain = "keel.local";  // FRAMEWORK_HOST = <service>.<domain>
  // Refuse filters of DECLINE: unused offers while some plan has work, when
  // none has, while reconciling; and of the ACCEPT of a launch.
  double refuseSeconds = 5;
  double idleRefuseSeconds = 3600;
  double reconcilingRefuseSeconds = 2;
  double acceptRefuseSeconds = 1;
  Duration reviveMinInterval = std::chrono::seconds(1);
  Duration reconcileInitialBackoff = std::chrono::seconds(4);
  Duration reconcileMaxBackoff = std::chrono::seconds(30);
  Duration implicitReconcileInterval = std::chrono::hours(1);
  // Ended tasks that wait to relaunch in place are reconciled this often.
  Duration reconcileEndedInterval = std::chrono::minutes(1);
  // A KILL is repeated at this interval until the task's terminal update.
  Duration killRetryInterval = std::chrono::seconds(5);
  // Crash loops: a pod instance whose task fails again within
  // recoveryBackoffReset of its previous failure is relaunched only after
  // initial x factor^(n-1) (n: such repeated failures), at most max; its
  // recovery step is DELAYED until then, with the time in its message.
  Duration recoveryBackoffInitial = std::chrono::seconds(10);
  double recoveryBackoffFactor = 2;
  Duration recoveryBackoffMax = std::chrono::minutes(5);
  Duration recoveryBackoffReset = std::chrono::minutes(10);
  // After a permanent replacement, how long the scheduler keeps wanting
  // offers (no SUPPRESS) so that the old footprint is offered back and
  // cleaned; an agent that never returns ends the wait.
  Duration cleanupWindow = std::chrono::minutes(10);
  // Automatic destructive recovery (off by default): the permanent-failure
  // timeout, the throttle and the circuit breaker
  // (keel/scheduler/recovery_policy.h; from the environment:
  // keel/scheduler/recovery_env.h).
  AutomaticRecoveryOptions automaticRecovery;
  // Ids of plan elements, reservations and tasks; empty: random.
  plan::IdGenerator planIds;
  offer::UuidSource uuids;
  // How configuration updates are watched (failure budget, progress
  // deadline, auto-rollback, canary promotion; scheduler/update_guard.h).
  UpdatePolicy update;
};

class Scheduler final : public http::SchedulerApi {
 public:
  static Result<std::unique_ptr<Scheduler>> create(spec::ServiceSpec spec,
                                                   state::Persister& persister, const Clock& clock,
                                                   SchedulerDriver& driver,
                                                   SchedulerOptions options = {});
  ~Scheduler() override;
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // The framework id stored by an earlier run (subscribe with it).
  const std::optional<std::string>& storedFrameworkId() const { return storedFrameworkId_; }
  const std::string& role() const { return context_.role; }
  const std::string& principal() const { return context_.principal; }
  const std::string& user() const { return context_.user; }
  const std::string& targetConfigId() const { return context_.targetConfigId; }
  // Where the API serves, once known (before subscribing).
  void setApiEndpoint(const std::string& host, int64_t port);

  // ---- inputs (owner thread) ----
  // Persists the framework id, then reconciles. When the id cannot be
  // persisted the scheduler does not act as subscribed (offers declined,
  // nothing launched: tasks under an id a restart would not know would be
  // orphaned) and retries the write on every tick.
  void onSubscribed(const std::string& frameworkId);
  void onOffers(const std::vector<mesos::Offer>& offers);
  void onRescind(const mesos::OfferID& offerId);
  void onUpdate(const mesos::TaskStatus& status);
  void onDisconnected(const Status& reason);
  // Timers: reconciliation, backoff and deadlines, rate-limited revives.
  void tick();

  // ---- queries (owner thread) ----
  plan::Plan* findPlan(const std::string& name);
  bool reconciled() const;
  bool suppressed() const { return suppressed_; }
  // The automatic recovery policy now: its options, stored state (last
  // automatic replacement, circuit breaker), the failing instances and this
  // process's automatic replacements (automatic_recovery.cc).
  AutomaticRecoveryView automaticRecovery() const;
  // The spec this scheduler runs (the stored target when a change was
  // refused) and why a change was refused (empty when it was not).
  const spec::ServiceSpec& spec() const { return spec_; }
  const std::vector<std::string>& configErrors() const { return configErrors_; }

  // ---- SchedulerApi ----
  std::string serviceName() const override { return context_.serviceName; }
  uint64_t stateVersion() const override { return version_.load(); }
  std::vector<plan::Plan*> plans() override;
  Status persistOverrides(const std::string& plan,
                          const std::vector<plan::OverrideChange>& changes) override;
  Result<std::vector<http::TaskView>> tasks() override;
  Result<std::vector<std::string>> restartPod(const std::string& podInstance,
                                              bool replace) override;
  Status restartTask(const std::string& task, bool replace) override;
  Result<std::vector<http::AdvertisedPort>> advertisedPorts() override;
  std::map<std::string, std::string> customEndpoints() override { return {}; }
  Result<std::vector<std::string>> configurationIds() override;
  Result<std::optional<std::string>> targetConfigurationId() override;
  Result<std::string> configurationJson(const std::string& id) override;
  Result<std::optional<std::string>> frameworkId() override;
  Result<std::vector<std::string>> propertyKeys() override;
  Result<std::string> propertyJson(const std::string& key) override;
  std::string offerOutcomesJson(const http::OfferFilter& filter) override;
  Result<std::string> renderedConfig(const std::string& taskId, size_t index) override;
  Result<std::string> rollBack(const std::string& reason) override;
  // Resets the circuit breaker (stored first); see recovery_policy.h.
  Result<std::string> resetRecovery() override;

  // ---- uninstall (uninstall.cc; what it does: scheduler/uninstall.h) ----
  // Stores the "uninstalling" property, then runs only the uninstall plan.
  Result<std::string> uninstall() override;
  bool uninstalling() const { return uninstall_ != nullptr; }
  // Called once on the owner thread after TEARDOWN was sent: the service is
  // gone from the cluster and its state may be deleted.
  void setOnUninstalled(std::function<void()> fn) { onUninstalled_ = std::move(fn); }
  // The master refused to subscribe because the framework was removed. In
  // an uninstall with every reservation released, only TEARDOWN was left
  // (a scheduler stopped between TEARDOWN and deleting its state lands
  // here): the uninstall is finished (onUninstalled) and OK is returned.
  // Otherwise FailedPrecondition saying what is lost with the framework
  // (running tasks, or reservations the uninstall had not released).
  Status onFrameworkRemoved(const std::string& masterMessage);

 private:
  Scheduler(spec::ServiceSpec spec, state::Persister& persister, const Clock& clock,
            SchedulerDriver& driver, SchedulerOptions options);
  void bump() { version_.fetch_add(1); }
  // The end of every event that may move steps: persists the override
  // records the scheduler's own transitions changed (a restart or a forced
  // completion ends when the step completes or moves on), then bump()s.
  // Without it a completed restart would replay after a scheduler restart.
  void finishEvent();

  // startup (scheduler.cc)
  Status start();
  Status adoptTargetConfig();
  Status runStoredTarget(const std::string& id, const std::string& json);
  // rollback.cc
  Result<bool> applyRollbacks(std::optional<std::string>& target);
  Status buildPlans();
  void showConfigErrors();
  void noteDeploymentCompleted();
  void deriveStepStatuses();
  void deriveStepStatus(plan::Step& step);
  bool runsTargetConfig(const TaskRecord& rec);
  const spec::ServiceSpec* launchConfig(const std::string& id);
  void resetEvaluator();

  // offers (offer_cycle.cc)
  void launchCandidates(std::vector<offer::OfferSummary>& summaries,
                        offer::PlacementContext& placement, std::vector<std::string>& decisions);
  void launchStep(plan::Plan& plan, plan::Step& step, std::vector<offer::OfferSummary>& summaries,
                  offer::PlacementContext& placement, std::vector<std::string>& decisions);
  // `renderedConfigs`: the launch's config files (rendered_configs.h),
  // persisted with its TaskInfos.
  void sendLaunch(plan::Plan& plan, plan::Step& step, const offer::EvaluationResult& eval,
                  const std::map<std::string, std::string>& renderedConfigs,
                  std::vector<offer::OfferSummary>& summaries, std::vector<std::string>& decisions);
  Result<offer::PodInstanceRequirement> requirementFor(const plan::Plan& plan,
                                                       const plan::Step& step) const;
  void finishOffers(const std::vector<mesos::Offer>& offers,
                    const std::vector<offer::OfferSummary>& summaries,
                    std::vector<std::string>& decisions);
  void declineAll(const std::vector<mesos::Offer>& offers, double refuseSeconds,
                  const std::string& reason);
  void updateOfferInterest(TimePoint now);
  std::vector<std::string> workingStepIds();

  // updates (status_updates.cc)
  void handleStrayUpdate(const mesos::TaskStatus& status, const std::string& why);
  bool recordUpdate(const std::string& name, const mesos::TaskStatus& status);
  void revertLostLaunch(const std::string& name, const mesos::TaskStatus& status);
  void driveSteps(const std::string& taskName, TimePoint now);
  void completeDoneSteps(const std::string& taskName);
  void recoverTransient(const std::string& taskName, TimePoint now);
  void rebuildRecoveryPlan();
  void setStepMessage(const plan::Plan& plan, plan::Step& step, const std::string& text);
  // The step's message again after a status change, with the text last set.
  void refreshStepMessage(const plan::Plan& plan, plan::Step& step);
  std::vector<std::string> killActiveTasks(const plan::Step& step);
  void killTask(const mesos::TaskID& taskId, const std::optional<mesos::AgentID>& agentId);
  void retryKills(TimePoint now);

  // permanent recovery (permanent_recovery.cc)
  Result<std::vector<std::string>> replacePod(const std::string& podInstance,
                                              const std::string& reason);
  Status markPermanentFailure(const std::string& podInstance, const PermanentFailure& failure);
  void schedulePermanentRecovery(const std::string& podInstance, const std::string& why);
  std::vector<std::string> podTaskNames(const std::string& podInstance) const;
  bool olderIncarnation(const TaskRecord& rec) const;
  void handleOlderIncarnation(const TaskRecord& rec, const mesos::TaskStatus& status);
  void onGoneByOperator(const TaskRecord& rec, const mesos::TaskStatus& status);
  bool waitsForItsAgent(const TaskRecord& rec) const;
  std::vector<mesos::Call::Reconcile::Task> tasksWaitingForTheirAgent() const;
  void finishReplacement(const plan::Plan& plan, const std::string& podInstance,
                         const std::vector<mesos::TaskInfo>& oldInfos);
  Status resumeReplacements();
  Result<bool> undoReplacement(const std::string& name);
  Status clearLaunchedReplacement(const std::string& instance);
  void noteCleaned(const std::string& offerId,
                   const std::vector<mesos::OfferOperation>& operations);
  bool cleanupPending(TimePoint now) const;
  // automatic recovery policy (automatic_recovery.cc)
  Status loadAutomaticRecovery();
  Status storeAutomaticRecovery(const AutomaticRecoveryState& next);
  void observeInstance(const std::string& instance, TimePoint now);
  void applyRecoveryPolicy(TimePoint now);
  void replaceAutomatically(const std::string& instance, const std::string& reason, TimePoint now);
  void showRecoveryPolicy(std::map<std::string, std::string> notes);
  // decommission (decommission.cc; kill_step.cc)
  std::map<std::string, std::string> surplusInstances() const;
  Status buildDecommissionPlan();
  plan::Phase decommissionPhase(const std::string& instance, DecommissionState& state);
  bool decommissioning(const std::string& podInstance) const;
  std::vector<plan::Candidate> decommissionCandidates();
  bool wantsReleaseOffers(const plan::Candidate& c) const;
  bool driveDecommission();
  bool driveDecommissionStep(plan::Phase& phase, plan::Step& step);
  bool eraseDecommissioned(plan::Phase& phase, plan::Step& step, const std::string& task);
  void decommissionOffers(const std::vector<mesos::Offer>& offers,
                          std::vector<offer::OfferSummary>& summaries,
                          std::vector<std::string>& decisions);
  // A step killing `taskName` (KILL until terminal); true when it completed
  // now. `why` goes into its message.
  bool driveKillStep(plan::Step& step, const std::string& taskName, const std::string& why);

  // uninstall (uninstall.cc)
  Status resumeUninstall();
  Status buildUninstallPlan(std::set<std::string> released);
  plan::Plan* uninstallPlan() const;
  void uninstallOffers(const std::vector<mesos::Offer>& offers);
  void driveUninstall(TimePoint now);
  void driveUninstallKills();

  // update guard (update_guard.cc, canary_promotion.cc; scheduler/update_guard.h)
  using PlanOperation = std::function<Result<plan::OperationResult>(plan::Plan&)>;
  Status applyPersisted(plan::Plan& live, const PlanOperation& op);
  UpdateRecord* currentUpdate(TimePoint now);
  void saveUpdateRecord();
  void noteUpdateFailure(const std::string& taskName, const mesos::TaskStatus& status);
  void guardUpdate();
  void watchUpdate(plan::Plan& deploy, UpdateRecord& update, TimePoint now);
  std::string haltMessage(const UpdateRecord& update) const;
  void haltUpdate(plan::Plan& deploy, UpdateRecord& update, const std::string& why);
  void holdHaltedUpdate(plan::Plan& deploy, UpdateRecord& update);
  void resumeOrHold(plan::Plan& deploy, UpdateRecord& update, TimePoint now);
  void releaseHaltedUpdate(const std::string& aborted);
  std::string unhealthyReason(const plan::Step& step) const;
  void promoteCanaries(plan::Plan& deploy, TimePoint now);
  void promoteCanary(plan::Plan& deploy, plan::Phase& phase, plan::Step& held,
                     const std::vector<const plan::Step*>& canaries, Duration after, TimePoint now);

  spec::ServiceSpec spec_;
  state::Persister& persister_;
  const Clock& clock_;
  SchedulerDriver& driver_;
  SchedulerOptions options_;
  offer::ServiceContext context_;
  std::optional<std::string> storedFrameworkId_;
  // Subscribed under this id but could not persist it: not acting as
  // subscribed (nothing launched) until a tick stores it.
  std::optional<std::string> unstoredFrameworkId_;
  std::vector<std::string> configErrors_;
  // Configurations tasks were launched with, by id (nullopt: unreadable).
  std::map<std::string, std::optional<spec::ServiceSpec>> launchConfigs_;
  std::unique_ptr<state::TaskStore> taskStore_;
  std::unique_ptr<TaskBook> tasks_;
  std::unique_ptr<Reconciler> reconciler_;
  std::unique_ptr<offer::OfferEvaluator> evaluator_;
  offer::OfferOutcomeTracker outcomes_;
  // plans_[0] is deploy, then the spec's other plans; recovery_ is separate
  // (rebuilt when a pod instance enters recovery). Stable addresses.
  std::vector<std::unique_ptr<plan::Plan>> plans_;
  std::unique_ptr<plan::Plan> recovery_;
  // Pod instance -> its recovery step's tasks and kind (TRANSIENT: the
  // ended tasks in place; PERMANENT: every task on a new footprint).
  struct RecoveryEntry {
    std::vector<std::string> tasks;
    offer::RecoveryType type = offer::RecoveryType::kTransient;
    // Crash-loop backoff: failures of the instance, each within
    // recoveryBackoffReset of the one before (0: the first), and when the
    // last one was seen. In memory: a restarted scheduler starts over.
    int repeatedFailures = 0;
    std::optional<TimePoint> lastFailure;
  };
  // Counts the failure; the backoff before the relaunch, if any.
  std::optional<Duration> crashLoopDelay(RecoveryEntry& entry, TimePoint now) const;
  std::map<std::string, RecoveryEntry> recovering_;
  std::unique_ptr<PodInstances> pods_;
  AutomaticRecoveryState autoState_;
  std::vector<AutomaticReplacement> autoReplacements_;
  // Offers whose ACCEPT cleaned old footprints: (pod instance, reservation
  // id) sent, watched again if the offer is rescinded (the ACCEPT dropped).
  std::map<std::string, std::vector<CleanedReservation>> cleaningOffers_;
  // Per pod instance: the policy's note appended to its recovery step's
  // message, and the message's own text (so the note can change alone).
  std::map<std::string, std::string> policyNotes_;
  std::map<std::string, std::string> recoveryTexts_;
  bool deploymentCompleted_ = false;
  bool subscribed_ = false;
  bool suppressed_ = false;
  bool revivePending_ = false;
  std::optional<TimePoint> lastRevive_;
  std::vector<std::string> lastWork_;  // sorted step ids
  struct PendingKill {
    mesos::TaskID taskId;
    std::optional<mesos::AgentID> agentId;
    TimePoint next;
  };
  std::map<std::string, PendingKill> killing_;  // by task id
  std::unique_ptr<UninstallState> uninstall_;
  std::unique_ptr<DecommissionState> decommission_;  // its plan is in plans_
  std::function<void()> onUninstalled_;
  std::atomic<uint64_t> version_{1};
  std::unique_ptr<UpdateGuardState> updateGuard_;
};

}  // namespace keel::scheduler
