// Master: the local cluster's master thread. It owns a MasterState and one
// AgentRuntime per agent, runs posted work (HTTP calls, fault injection,
// agent-runtime events) one item at a time, wakes on a timer for
// MasterState::tick and for batched allocation, delivers Outbox events to
// the subscription streams as RecordIO records and turns agent commands
// into volume directories (mkdir / rm -rf, on the master thread) and
// AgentRuntime calls (on each agent's AgentWorker: in order per executor,
// several executors of an agent in parallel, so a slow executor start
// blocks neither the loop, nor the other agents, nor its agent's other
// executors).
//
// Thread-safety: every public method may be called from any thread; the
// ones returning a value block until the master thread has handled them.
// EventStream is thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cluster/local/agent_runtime.h"
#include "cluster/local/agent_worker.h"
#include "cluster/local/master_checkpoint.h"
#include "cluster/local/master_state.h"

namespace keel::local {

// The queue of one SUBSCRIBE connection: RecordIO-framed events pushed by
// the master thread, taken by the HTTP connection's thread.
class EventStream {
 public:
  explicit EventStream(std::string id) : id_(std::move(id)) {}
  const std::string& id() const { return id_; }
  void push(std::string record);
  // No records after those already queued.
  void close();
  // Waits up to `timeout` for records and returns them (possibly none).
  // `ended` is true once the stream is closed and everything was taken.
  std::vector<std::string> take(Duration timeout, bool& ended);

 private:
  const std::string id_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> records_;
  bool closed_ = false;
};

using AgentRuntimeFactory = std::function<Result<std::unique_ptr<AgentRuntime>>(
    const AgentConfig& agent, std::function<void()> onEvents)>;

struct MasterLoopOptions {
  MasterOptions master;
  std::vector<AgentConfig> agents;  // registered at start
  Duration tickInterval = std::chrono::seconds(1);
  Duration allocationInterval = std::chrono::seconds(1);  // batching of allocate
  // Longest real-time sleep between looks at the clock (a ManualClock
  // advanced by a test is noticed within it).
  Duration idleWait = std::chrono::milliseconds(100);
  Clock* clock = nullptr;  // nullptr: SystemClock
  // Required: one runtime per agent (the `keel cluster` process passes one
  // over makeAgentRuntime; tests a fake).
  AgentRuntimeFactory makeRuntime;
  // Optional: where the state is kept. With one, start() restores what it
  // holds (then `agents` is ignored) and the master saves after every loop
  // iteration that changed something, before running agent commands
  // (launches, volume directories) that follow a change, and before it
  // acknowledges status updates to the agent runtimes (so an update is
  // re-sent by the executor if the cluster dies before it was saved).
  std::shared_ptr<MasterCheckpoint> checkpoint;
  // A change that only records a framework's acknowledgement is saved with
  // the next other change, at stop, or after this long (a lost
  // acknowledgement only makes the update be sent again).
  Duration lazySaveInterval = std::chrono::seconds(1);
};

class Master {
 public:
  // Restores the checkpoint (if any) or registers `agents`, creates the
  // agents' runtimes (recovering what their work dirs hold: re-adopted
  // executors keep their tasks, tasks of dead ones are reported gone) and
  // starts the thread. InvalidArgument without a
  // runtime factory; fails when a runtime cannot be created or an agent is
  // invalid.
  static Result<std::unique_ptr<Master>> start(MasterLoopOptions options);
  ~Master();
  Master(const Master&) = delete;
  Master& operator=(const Master&) = delete;

  // Stops the thread and closes every stream. Idempotent.
  void stop();

  // A SUBSCRIBE call that passed validateCall: a new stream whose first
  // records (SUBSCRIBED + HEARTBEAT, or ERROR then end) are already queued.
  std::shared_ptr<EventStream> subscribe(const mesos::Call& call);
  // Any other call: the master's reply (202, 200, 4xx, 501).
  HttpReply call(const mesos::Call& call, const std::optional<std::string>& streamId);
  // The connection of a stream ended (client gone or server stopping).
  void streamClosed(const std::string& streamId);

  // Fault injection and agent management. agentDown and removeAgent return
  // once the agent's executors and tasks are killed.
  Result<std::string> addAgent(AgentConfig config);
  Status agentDown(const std::string& agentId);
  Status agentUp(const std::string& agentId);
  Status removeAgent(const std::string& agentId);

  // The port the HTTP server bound (for SUBSCRIBED's master_info).
  void setPort(int port);

  // Runs `fn` on the master thread with the state and waits for it.
  void inspect(const std::function<void(const MasterState&)>& fn);

 private:
  using Work = std::function<void(TimePoint, Outbox&)>;
  explicit Master(MasterLoopOptions options);

  Status createRuntime(const AgentConfig& agent, TimePoint now, Outbox& out);
  Status restoreFrom(MasterSnapshot snapshot, TimePoint now);
  Status registerAgents(std::vector<AgentConfig> agents, TimePoint now);
  // Saves when something changed since the last save (one transaction);
  // then acknowledges to the runtimes the updates it made durable and
  // forwards the held events. Without a checkpoint it only does the latter.
  // False when the save failed (retried at the next change).
  bool checkpoint();
  void forwardHeld();
  void flushAcknowledgements();
  // Waits (not on the master thread) until the agent's worker ran every
  // command queued so far.
  void waitForAgent(const std::string& agentId);
  void post(Work work);
  template <typename R>
  R run(std::function<R(TimePoint, Outbox&)> fn);
  void loop();
  void runTimers();
  void pollRuntimes();
  void deliver(Outbox& out);
  void pushToStream(const OutgoingEvent& e);
  // Volume directories now; runtime commands on the agent's worker.
  void execute(const AgentCommand& command);
  // On the agent's worker thread; a failed launch is posted back.
  void runOnAgent(AgentRuntime& runtime, const AgentCommand& command);
  void launchFailed(const LaunchRequest& request, const Status& status, Outbox& out);
  void closeStream(const std::string& streamId);

  MasterLoopOptions options_;
  Clock* clock_;
  MasterState state_;  // master thread only
  std::map<std::string, std::unique_ptr<AgentRuntime>> runtimes_;
  std::map<std::string, std::unique_ptr<AgentWorker>> workers_;  // by agent id
  std::map<std::string, std::shared_ptr<EventStream>> streams_;  // by stream id
  std::map<std::string, std::string> frameworkStream_;           // framework -> stream id
  TimePoint nextTick_{}, nextAllocation_{};
  bool dirty_ = false;      // changed since the last save
  bool lazyDirty_ = false;  // acknowledgements not saved yet
  TimePoint lastSave_{};
  struct PendingAck {
    std::string agentId, taskId, uuid;
  };
  std::vector<PendingAck> pendingAcks_;  // acknowledged to runtimes once saved
  std::vector<OutgoingEvent> held_;      // agent-runtime events, forwarded once saved

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Work> work_;
  bool agentEvents_ = false;
  bool stopping_ = false;
  bool stopped_ = false;  // the thread is gone: post() runs work itself
  std::thread thread_;
};

}  // namespace keel::local
