// SchedulerSim: the scheduler driven against the fake cluster with a manual
// clock, for simulation tests. One call per cluster "round": time passes,
// timers fire, the master allocates, and every queued event is handed to
// the scheduler (updates for launched tasks as the test decides).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "keel/mesos/client.h"
#include "keel/scheduler/scheduler.h"
#include "keel/state/memory_persister.h"
#include "testing/fake_cluster.h"
#include "testing/manual_clock.h"

namespace keel::scheduler::testing {

// A MemoryPersister whose commits fail (IoError) while `failing` is set: a
// full disk or a lost ZooKeeper, for "persist before acting" tests.
//
// It also kills the scheduler at a persistence point: with `crashAt` = k,
// the commit call number k (0-based, counting every commit call) is the
// last thing the process does. kBeforeCommit: that commit is not applied;
// kAfterCommit: it is durable. Either way `crashed` is set and every later
// commit fails, and the sim drops what the dead scheduler would still send
// (CrashGate) or receive; recover() makes the store usable by a new
// Scheduler. `commitCalls` counts every commit call.
class FlakyPersister final : public state::Persister {
 public:
  enum class Crash { kBeforeCommit, kAfterCommit };

  Result<state::Node> get(const std::string& path) override { return inner.get(path); }
  Result<std::vector<std::string>> children(const std::string& path) override {
    return inner.children(path);
  }
  Result<std::vector<state::Version>> commit(const std::vector<state::Op>& ops) override {
    if (crashed) return Status::ioError("state.db: the scheduler is dead (injected crash)");
    size_t call = commitCalls++;
    if (failing) return Status::ioError("state.db: disk full (injected)");
    if (!crashAt || call != *crashAt) return inner.commit(ops);
    crashed = true;
    if (crashMode == Crash::kBeforeCommit) {
      return Status::ioError("state.db: the scheduler died before this commit (injected)");
    }
    return inner.commit(ops);
  }
  void recover() {
    crashed = false;
    crashAt.reset();
  }
  bool failing = false;
  std::optional<size_t> crashAt;
  Crash crashMode = Crash::kBeforeCommit;
  bool crashed = false;
  size_t commitCalls = 0;

 private:
  state::MemoryPersister inner;
};

// The scheduler's driver: the fake cluster, until the persister's injected
// crash; from then on nothing reaches the cluster (the process is dead).
class CrashGate final : public SchedulerDriver {
 public:
  CrashGate(SchedulerDriver& inner, const FlakyPersister& persister)
      : inner_(inner), persister_(persister) {}
  Status accept(const std::vector<mesos::OfferID>& offerIds,
                const std::vector<mesos::OfferOperation>& operations,
                std::optional<mesos::Filters> filters) override {
    return dead() ? gone() : inner_.accept(offerIds, operations, filters);
  }
  Status decline(const std::vector<mesos::OfferID>& offerIds, double refuseSeconds) override {
    return dead() ? gone() : inner_.decline(offerIds, refuseSeconds);
  }
  Status revive() override { return dead() ? gone() : inner_.revive(); }
  Status suppress() override { return dead() ? gone() : inner_.suppress(); }
  Status kill(const mesos::TaskID& taskId, const std::optional<mesos::AgentID>& agentId) override {
    return dead() ? gone() : inner_.kill(taskId, agentId);
  }
  Status acknowledge(const mesos::TaskStatus& status) override {
    return dead() ? gone() : inner_.acknowledge(status);
  }
  Status reconcile(const std::vector<mesos::Call::Reconcile::Task>& tasks) override {
    return dead() ? gone() : inner_.reconcile(tasks);
  }
  Status teardown() override { return dead() ? gone() : inner_.teardown(); }

 private:
  bool dead() const { return persister_.crashed; }
  static Status gone() { return Status::unavailable("the scheduler is dead (injected crash)"); }
  SchedulerDriver& inner_;
  const FlakyPersister& persister_;
};

class SchedulerSim {
 public:
  static SchedulerOptions defaultOptions() {
    SchedulerOptions o;
    o.reviveMinInterval = std::chrono::seconds(1);
    return o;
  }
  explicit SchedulerSim(spec::ServiceSpec spec) : spec_(std::move(spec)), cluster(clock) {}

  // A new Scheduler over the same store (a first start or a failover).
  void start() {
    Status s = tryStart();
    ASSERT_TRUE(s.isOk()) << s.toString();
  }
  // start() that returns create()'s error (an injected crash during startup
  // makes it fail: the scheduler is then null).
  Status tryStart() {
    SchedulerOptions o = options;
    o.planIds = plan::seededIds(++seed_ * 1000);
    o.uuids = offer::seededUuids(seed_ * 100000);
    o.update = updatePolicy;
    scheduler.reset();
    auto s = Scheduler::create(spec_, persister, clock, driver, o);
    if (!s) return s.error();
    scheduler = std::move(*s);
    return Status::ok();
  }
  // The dead scheduler is discarded and a new one started over the surviving
  // store, subscribed, and handed the queued events.
  Status restartAfterCrash() {
    scheduler.reset();
    cluster.disconnect();
    persister.recover();
    KEEL_RETURN_IF_ERROR(tryStart());
    subscribe();
    pump();
    return Status::ok();
  }
  bool dead() const { return persister.crashed || scheduler == nullptr; }
  // SUBSCRIBE (with the stored framework id) and tell the scheduler.
  void subscribe() {
    mesos::FrameworkInfo info = mesos::defaultFrameworkInfo(
        scheduler->serviceName(), scheduler->user(), {scheduler->role()}, scheduler->principal());
    if (scheduler->storedFrameworkId())
      info.id = mesos::FrameworkID{*scheduler->storedFrameworkId()};
    scheduler->onSubscribed(cluster.subscribe(info));
  }
  // A (re)start as a scheduler process does it: start(), subscribe(), and
  // every queued event handed over.
  void startSubscribed() {
    start();
    subscribe();
    pump();
  }
  // Hands queued events to the scheduler until none is left.
  void pump() {
    while (cluster.hasEvents()) {
      for (const mesos::Event& e : cluster.takeEvents()) deliver(e);
    }
  }
  void deliver(const mesos::Event& e) {
    if (dead()) return;  // lost with the process; the master resends updates
    if (e.type == mesos::Event::Type::kOffers) scheduler->onOffers(e.offers->offers);
    if (e.type == mesos::Event::Type::kUpdate) scheduler->onUpdate(e.update->status);
    if (e.type == mesos::Event::Type::kRescind) scheduler->onRescind(e.rescind->offerId);
  }
  // Time passes (filters expire), timers fire, the master allocates.
  void round(Duration step = std::chrono::seconds(6)) {
    clock.advance(step);
    if (!dead()) scheduler->tick();
    cluster.tick();
    pump();
    cluster.allocate();
    pump();
  }
  // Every launched task the master still has STAGING reports TASK_RUNNING.
  int runStaged() {
    int n = 0;
    for (const std::string& id : cluster.activeTaskIds()) {
      auto it = cluster.master().tasks().find(cluster.frameworkId() + "/" + id);
      if (it->second.latest.state != mesos::TaskState::kTaskStaging) continue;
      cluster.sendTaskState(id, mesos::TaskState::kTaskRunning);
      ++n;
    }
    pump();
    return n;
  }
  // Every task the scheduler asked to kill (and that still lives) reports
  // TASK_KILLED, as its executor would.
  int answerKills() {
    int n = 0;
    std::vector<mesos::Call> kills = cluster.callsOf(mesos::Call::Type::kKill);
    for (; killsAnswered_ < kills.size(); ++killsAnswered_) {
      const std::string& id = kills[killsAnswered_].kill->taskId.value;
      std::vector<std::string> live = cluster.activeTaskIds();
      if (std::find(live.begin(), live.end(), id) == live.end()) continue;
      cluster.sendTaskState(id, mesos::TaskState::kTaskKilled);
      ++n;
    }
    pump();
    return n;
  }
  std::string planStatus(const std::string& plan) {
    return std::string(plan::statusName(scheduler->findPlan(plan)->status()));
  }
  // Rounds (launch, run) until the plan is COMPLETE or `maxRounds` pass.
  bool deploy(const std::string& plan = "deploy", int maxRounds = 20) {
    for (int i = 0; i < maxRounds; ++i) {
      if (planStatus(plan) == "COMPLETE") return true;
      round();
      answerKills();
      runStaged();
    }
    return planStatus(plan) == "COMPLETE";
  }
  // Task names of LAUNCH_GROUP operations in ACCEPT order, with agents.
  std::vector<std::pair<std::string, std::string>> launches() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const mesos::Call& c : cluster.callsOf(mesos::Call::Type::kAccept)) {
      for (const mesos::OfferOperation& op : c.accept->operations) {
        if (!op.launchGroup) continue;
        for (const mesos::TaskInfo& t : op.launchGroup->taskGroup.tasks) {
          out.emplace_back(t.name, t.agentId.value);
        }
      }
    }
    return out;
  }

  spec::ServiceSpec spec_;
  SchedulerOptions options = defaultOptions();  // what start() begins from (ids set by it)
  keel::testing::ManualClock clock;
  FlakyPersister persister;
  keel::testing::FakeCluster cluster;
  CrashGate driver{cluster, persister};
  std::unique_ptr<Scheduler> scheduler;
  uint64_t seed_ = 0;
  size_t killsAnswered_ = 0;
  UpdatePolicy updatePolicy;  // given to every start()
};

}  // namespace keel::scheduler::testing
