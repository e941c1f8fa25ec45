// Master: the master thread with a fake AgentRuntime and a ManualClock;
// tests read the subscription stream and poll with a deadline.
#include "cluster/local/master.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "cluster/local/fake_agent_runtime.h"
#include "keel/mesos/json.h"
#include "keel/mesos/recordio.h"
#include "keel/state/memory_persister.h"
#include "testing/manual_clock.h"
#include "testing/paths.h"
#include "testing/poll.h"
#include "testing/temp_dir.h"

namespace keel::local {
namespace {

using mesos::Event;
using namespace std::chrono_literals;

constexpr const char* kRecordedMaster = "79047ba7-2a31-4224-9278-d451e3538a71";

std::string fixture(const std::string& name) {
  std::ifstream in(keel::testing::sharedDir() + "/fixtures/mesos-v1/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class MasterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MasterLoopOptions o;
    o.master.masterId = kRecordedMaster;
    o.master.stateDir = dir_.path().string();
    o.clock = &clock_;
    o.idleWait = 2ms;
    AgentConfig agent;
    agent.diskMb = 4096;
    agent.attributes = {{"rack", "r1"}};
    o.agents = {agent};
    o.makeRuntime = [this](
                        const AgentConfig&,
                        std::function<void()> onEvents) -> Result<std::unique_ptr<AgentRuntime>> {
      auto runtime = std::make_unique<FakeRuntime>(shared_, std::move(onEvents));
      runtime_ = runtime.get();
      return std::unique_ptr<AgentRuntime>(std::move(runtime));
    };
    configure(o);
    master_ = *Master::start(std::move(o));
  }
  virtual void configure(MasterLoopOptions&) {}

  // Reads events until one of `type` arrives or 5 s pass (the clock is
  // advanced meanwhile so timers fire).
  std::optional<Event> waitFor(Event::Type type) {
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < deadline) {
      while (!pending_.empty()) {
        Event e = *mesos::eventFromJson(pending_.front());
        pending_.erase(pending_.begin());
        if (e.type == type) return e;
      }
      bool ended = false;
      for (std::string& bytes : stream_->take(10ms, ended)) {
        auto records = decoder_.feed(bytes);
        pending_.insert(pending_.end(), records->begin(), records->end());
      }
      if (ended && pending_.empty()) return std::nullopt;
      clock_.advance(1s);
    }
    return std::nullopt;
  }

  void subscribe() {
    stream_ = master_->subscribe(*mesos::callFromJson(fixture("subscribe-request.json")));
    ASSERT_TRUE(waitFor(Event::Type::kSubscribed).has_value());
  }

  testing::ManualClock clock_;
  testing::TempDir dir_;
  std::shared_ptr<FakeRuntime::Shared> shared_ = std::make_shared<FakeRuntime::Shared>();
  FakeRuntime* runtime_ = nullptr;
  std::unique_ptr<Master> master_;
  std::shared_ptr<EventStream> stream_;
  mesos::RecordIoDecoder decoder_;
  std::vector<std::string> pending_;
};

TEST_F(MasterTest, SubscribeStreamsSubscribedThenOffersOnTheTimer) {
  subscribe();
  std::optional<Event> offers = waitFor(Event::Type::kOffers);
  ASSERT_TRUE(offers.has_value());
  ASSERT_EQ(offers->offers->offers.size(), 1u);
  EXPECT_EQ(offers->offers->offers[0].id.value, std::string(kRecordedMaster) + "-O0");
}

TEST_F(MasterTest, AcceptLaunchesCreatesTheVolumeDirAndRelaysAcknowledgedUpdates) {
  subscribe();
  ASSERT_TRUE(waitFor(Event::Type::kOffers).has_value());
  mesos::Call accept = *mesos::callFromJson(fixture("accept-reserve-create-launch.json"));
  std::string streamId = stream_->id();
  EXPECT_EQ(master_->call(accept, streamId).status, 202);
  // The volume directory exists at the 202; the launch runs on the agent's
  // worker thread, soon after.
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < until) {
    std::lock_guard lock(shared_->mu);
    if (!shared_->launches.empty()) break;
  }
  std::string taskId;
  {
    std::lock_guard lock(shared_->mu);
    ASSERT_EQ(shared_->launches.size(), 1u);
    ASSERT_EQ(shared_->launches[0].tasks.size(), 1u);
    ASSERT_EQ(shared_->launches[0].tasks[0].volumes.size(), 1u);
    EXPECT_TRUE(std::filesystem::is_directory(shared_->launches[0].tasks[0].volumes[0].hostPath));
    taskId = shared_->launches[0].tasks[0].taskId;
  }
  TaskEvent running;
  running.taskId = taskId;
  running.executorId = taskId;
  running.frameworkId = std::string(kRecordedMaster) + "-0000";
  running.state = "TASK_RUNNING";
  running.source = "SOURCE_EXECUTOR";
  running.timestamp = clock_.now();
  running.uuid = "u-1";
  runtime_->emit(running);
  std::optional<Event> update = waitFor(Event::Type::kUpdate);
  ASSERT_TRUE(update.has_value());
  EXPECT_EQ(update->update->status.state, mesos::TaskState::kTaskRunning);
  // Acknowledged to the runtime at the end of the loop iteration (after the
  // save): any later work item runs after it.
  master_->inspect([](const MasterState&) {});
  std::lock_guard ackLock(shared_->mu);
  EXPECT_EQ(shared_->acks, std::vector<std::string>{"u-1"});
}

TEST_F(MasterTest, AFailedLaunchIsReportedTaskFailedContainerLaunchFailed) {
  shared_->launchStatus = Status::internal("no executor binary");
  subscribe();
  ASSERT_TRUE(waitFor(Event::Type::kOffers).has_value());
  mesos::Call accept = *mesos::callFromJson(fixture("accept-reserve-create-launch.json"));
  EXPECT_EQ(master_->call(accept, stream_->id()).status, 202);
  std::optional<Event> update = waitFor(Event::Type::kUpdate);
  ASSERT_TRUE(update.has_value());
  EXPECT_EQ(update->update->status.state, mesos::TaskState::kTaskFailed);
  EXPECT_EQ(update->update->status.reason, mesos::TaskStatus::Reason::kReasonContainerLaunchFailed);
}

TEST_F(MasterTest, AgentDownKillsEverythingOnTheRuntime) {
  std::string agent = std::string(kRecordedMaster) + "-S0";
  ASSERT_TRUE(master_->agentDown(agent).isOk());
  {
    std::lock_guard lock(shared_->mu);
    EXPECT_EQ(shared_->killAlls, 1);
  }
  EXPECT_TRUE(master_->agentUp(agent).isOk());
  EXPECT_EQ(master_->agentDown("nope").code(), StatusCode::kNotFound);
}

TEST_F(MasterTest, AResubscriptionEndsTheOldStream) {
  subscribe();
  std::shared_ptr<EventStream> first = stream_;
  mesos::FrameworkInfo info =
      mesos::callFromJson(fixture("subscribe-request.json"))->subscribe->frameworkInfo;
  info.id = mesos::FrameworkID{std::string(kRecordedMaster) + "-0000"};
  mesos::Call again = *mesos::callFromJson(fixture("subscribe-request.json"));
  again.frameworkId = info.id;
  again.subscribe->frameworkInfo = info;
  stream_ = master_->subscribe(again);
  bool ended = false;
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!ended && std::chrono::steady_clock::now() < deadline) first->take(10ms, ended);
  EXPECT_TRUE(ended);
  EXPECT_TRUE(waitFor(Event::Type::kSubscribed).has_value());
}

TEST_F(MasterTest, CallsAfterStopAreStillAnswered) {
  master_->stop();
  mesos::Call revive = *mesos::callFromJson(fixture("revive.json"));
  EXPECT_EQ(master_->call(revive, std::string("s")).status, 400);
}

// A store whose commits can be held, to see what waits for durability.
class HeldPersister final : public state::Persister {
 public:
  Result<state::Node> get(const std::string& path) override { return inner_.get(path); }
  Result<std::vector<std::string>> children(const std::string& path) override {
    return inner_.children(path);
  }
  Result<std::vector<state::Version>> commit(const std::vector<state::Op>& ops) override {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return open_; });
    return inner_.commit(ops);
  }
  void setOpen(bool open) {
    std::lock_guard lock(mu_);
    open_ = open;
    cv_.notify_all();
  }

 private:
  state::MemoryPersister inner_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = true;
};

class CheckpointedMasterTest : public MasterTest {
 protected:
  void configure(MasterLoopOptions& o) override {
    auto held = std::make_unique<HeldPersister>();
    persister_ = held.get();
    o.checkpoint = std::make_shared<MasterCheckpoint>(std::move(held));
  }
  void TearDown() override {
    persister_->setOpen(true);
    master_->stop();
  }
  HeldPersister* persister_ = nullptr;
};

// The answer to ACCEPT does not wait for the disk; the launch, the volume
// directory and the offers that follow do.
TEST_F(CheckpointedMasterTest, AnAcceptIsAnsweredAtOnceButActedOnOnlyOnceSaved) {
  subscribe();
  ASSERT_TRUE(waitFor(Event::Type::kOffers).has_value());
  persister_->setOpen(false);
  mesos::Call accept = *mesos::callFromJson(fixture("accept-reserve-create-launch.json"));
  EXPECT_EQ(master_->call(accept, stream_->id()).status, 202);
  mesos::Call revive = *mesos::callFromJson(fixture("revive.json"));
  revive.frameworkId = accept.frameworkId;
  EXPECT_EQ(master_->call(revive, stream_->id()).status, 202) << "the loop goes on";
  auto inspected =
      std::async(std::launch::async, [&] { master_->inspect([](const MasterState&) {}); });
  EXPECT_EQ(inspected.wait_for(5s), std::future_status::ready) << "inspect() waited for the disk";
  {
    std::lock_guard lock(shared_->mu);
    EXPECT_TRUE(shared_->launches.empty()) << "launched before the ACCEPT was saved";
  }
  bool ended = false;
  EXPECT_TRUE(stream_->take(20ms, ended).empty()) << "an event before the ACCEPT was saved";
  persister_->setOpen(true);
  ASSERT_TRUE(keel::testing::pollUntil(
      [&] {
        std::lock_guard lock(shared_->mu);
        return !shared_->launches.empty();
      },
      5s));
  std::lock_guard lock(shared_->mu);
  EXPECT_TRUE(std::filesystem::is_directory(shared_->launches[0].tasks[0].volumes[0].hostPath));
}

}  // namespace
}  // namespace keel::local
