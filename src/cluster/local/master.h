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
// Durability (with a checkpoint): the loop never waits for the disk. After
// each change it captures the changed records and hands them to a
// CheckpointWriter; whatever must not happen before that change is durable
// waits in a queue, in order, until the writer has written it:
//   - agent commands (launches, kills, volume directories): a task runs and
//     a volume exists only once the master would find them after a crash;
//   - events to frameworks (status updates, offers, operation updates,
//     rescinds) and the end of streams: a framework never learns of a
//     reservation, a volume, a launch or an update that a SIGKILL of the
//     cluster would take back;
//   - acknowledgements to the runtimes (an executor forgets an update only
//     once it is saved: otherwise it re-sends it);
//   - the answers of addAgent(), agentDown(), agentUp() and removeAgent()
//     (agentDown() returns once the kills ran, as before).
// The answers of call(), subscribe(), inspect() and setPort() are not held
// (inspect() and the /state it serves still answer while the disk fails).
// As in Mesos, a 202 says the call was received and will be acted on, not
// that its effects are done or durable: a call whose changes are lost to a
// crash before they were written is as if it had not arrived, and the
// framework saw none of its effects (a subscription's later events are
// held like any other). stop() writes what is left and runs what waited.
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
#include "cluster/local/checkpoint_writer.h"
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
  // holds (then `agents` is ignored) and the master saves every change, on
  // its writer thread, before it acts on it (see "Durability" above).
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
  // Submits what changed since the last save to the writer; then queues
  // the acknowledgements and held events behind it (whenDurable).
  void checkpoint();
  // Runs `fn` once everything submitted so far is durable and everything
  // queued before it ran (at once without a checkpoint). `answer`: an
  // answer someone waits for, run at stop() even if the last write failed.
  void whenDurable(std::function<void()> fn, bool answer = false);
  // Runs the queued functions whose changes are durable, in order.
  void releaseDurable();
  // stop(): writes what is left and runs every queued function (those
  // whose changes could not be written: only the answers).
  void finishDurable();
  // Waits (not on the master thread) until the agent's worker ran every
  // command queued so far.
  void waitForAgent(const std::string& agentId);
  void post(Work work);
  // Runs `fn` on the master thread and returns its value once its effects
  // were delivered (held until durable unless `answerAtOnce`).
  template <typename R>
  R run(std::function<R(TimePoint, Outbox&)> fn, bool answerAtOnce = false);
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
  std::unique_ptr<CheckpointWriter> writer_;
  uint64_t generation_ = 0;  // the writer's generation of the last submission
  struct Deferred {
    uint64_t generation;
    bool answer;
    std::function<void()> fn;
  };
  std::mutex deferredMu_;
  std::deque<Deferred> deferred_;  // in order; run once `generation` is durable
  bool finished_ = false;          // stop() ran them all: later ones run at once

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Work> work_;
  bool agentEvents_ = false;
  bool durableEvents_ = false;  // the writer made more durable
  bool stopping_ = false;
  bool stopped_ = false;  // the thread is gone: post() runs work itself
  std::thread thread_;
};

}  // namespace keel::local
