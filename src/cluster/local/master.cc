#include "cluster/local/master.h"

#include <filesystem>
#include <future>

#include <pthread.h>

#include "keel/ids.h"
#include "keel/log.h"
#include "keel/mesos/json.h"
#include "keel/mesos/recordio.h"

namespace keel::local {

// ------------------------------------------------------------ EventStream

void EventStream::push(std::string record) {
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    records_.push_back(std::move(record));
  }
  cv_.notify_all();
}

void EventStream::close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

std::vector<std::string> EventStream::take(Duration timeout, bool& ended) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return closed_ || !records_.empty(); });
  std::vector<std::string> out(std::make_move_iterator(records_.begin()),
                               std::make_move_iterator(records_.end()));
  records_.clear();
  ended = closed_;
  return out;
}

// ----------------------------------------------------------------- Master

Master::Master(MasterLoopOptions options)
    : options_(std::move(options)),
      clock_(options_.clock ? options_.clock : &SystemClock::instance()),
      state_(options_.master) {
  if (options_.checkpoint) {
    writer_ = std::make_unique<CheckpointWriter>(options_.checkpoint, [this] {
      {
        std::lock_guard lock(mu_);
        durableEvents_ = true;
      }
      cv_.notify_all();
    });
  }
}

Result<std::unique_ptr<Master>> Master::start(MasterLoopOptions options) {
  if (!options.makeRuntime) return Status::invalidArgument("Master needs an agent runtime factory");
  std::optional<MasterSnapshot> snapshot;
  if (options.checkpoint) {
    KEEL_ASSIGN_OR_RETURN(snapshot, options.checkpoint->load());
    if (snapshot) options.master.masterId = snapshot->masterId;
  }
  std::vector<AgentConfig> agents = std::move(options.agents);
  std::unique_ptr<Master> master(new Master(std::move(options)));
  TimePoint now = master->clock_->now();
  if (snapshot) {
    KEEL_RETURN_IF_ERROR(master->restoreFrom(std::move(*snapshot), now));
  } else {
    KEEL_RETURN_IF_ERROR(master->registerAgents(std::move(agents), now));
  }
  master->dirty_ = true;
  master->checkpoint();
  if (master->writer_) {
    Status saved = master->writer_->flush();
    if (!saved.isOk()) return saved;
  }
  master->releaseDurable();
  master->nextTick_ = now;
  master->nextAllocation_ = now;
  master->thread_ = std::thread([m = master.get()] { m->loop(); });
  return master;
}

Master::~Master() {
  stop();
  // Their threads call back into mu_ and cv_, declared (so destroyed) after
  // them: they end first.
  writer_.reset();
  workers_.clear();
  runtimes_.clear();
}

void Master::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  checkpoint();
  if (writer_) (void)writer_->flush();
  releaseDurable();  // durable commands reach the workers before they stop
  for (auto& [id, worker] : workers_) worker->stop();  // their last reports run inline
  dirty_ = dirty_ || lazyDirty_;
  checkpoint();
  finishDurable();
  std::lock_guard lock(mu_);
  for (auto& [id, stream] : streams_) stream->close();
  streams_.clear();
  frameworkStream_.clear();
}

Status Master::registerAgents(std::vector<AgentConfig> agents, TimePoint now) {
  for (AgentConfig& agent : agents) {
    Outbox out;
    KEEL_ASSIGN_OR_RETURN(std::string id, state_.addAgent(std::move(agent), now, out));
    KEEL_RETURN_IF_ERROR(createRuntime(state_.agents().at(id).config, now, out));
    deliver(out);
  }
  return Status::ok();
}

Status Master::restoreFrom(MasterSnapshot s, TimePoint now) {
  KEEL_LOG(Info, "master").field("agents", s.agents.size()).field("tasks", s.tasks.size())
      << " restoring the checkpoint";
  state_.restore(s.counters, std::move(s.agents), std::move(s.frameworks),
                 std::move(s.removedFrameworks), std::move(s.tasks), std::move(s.executors),
                 std::move(s.operationUpdates), now);
  std::vector<AgentConfig> live;
  for (const auto& [id, agent] : state_.agents()) {
    if (agent.health != AgentHealth::kRemoved) live.push_back(agent.config);
  }
  for (const AgentConfig& agent : live) {
    Outbox out;
    KEEL_RETURN_IF_ERROR(createRuntime(agent, now, out));
    deliver(out);
  }
  return Status::ok();
}

Status Master::createRuntime(const AgentConfig& agent, TimePoint now, Outbox& out) {
  auto onEvents = [this] {
    {
      std::lock_guard lock(mu_);
      agentEvents_ = true;
    }
    cv_.notify_all();
  };
  KEEL_ASSIGN_OR_RETURN(std::unique_ptr<AgentRuntime> runtime,
                        options_.makeRuntime(agent, onEvents));
  KEEL_ASSIGN_OR_RETURN(RecoveryResult recovered, runtime->recover(true));
  runtimes_[agent.id] = std::move(runtime);
  workers_[agent.id] = std::make_unique<AgentWorker>();
  state_.recovered(agent.id, recovered, now, out);
  return Status::ok();
}

void Master::post(Work work) {
  {
    std::lock_guard lock(mu_);
    if (stopped_) {
      Outbox ignored;
      work(clock_->now(), ignored);
      return;
    }
    work_.push_back(std::move(work));
  }
  cv_.notify_all();
}

template <typename R>
R Master::run(std::function<R(TimePoint, Outbox&)> fn, bool answerAtOnce) {
  auto promise = std::make_shared<std::promise<R>>();
  std::future<R> result = promise->get_future();
  post([this, fn = std::move(fn), promise, answerAtOnce](TimePoint now, Outbox& out) {
    auto value = std::make_shared<R>(fn(now, out));
    deliver(out);
    auto answer = [promise, value] { promise->set_value(std::move(*value)); };
    if (answerAtOnce) {
      answer();
    } else {
      whenDurable(answer, true);
    }
  });
  return result.get();
}

void Master::loop() {
  ::pthread_setname_np(::pthread_self(), "keel-master");  // for perf, top, /proc
  while (true) {
    std::deque<Work> work;
    bool events = false;
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, options_.idleWait,
                   [&] { return stopping_ || agentEvents_ || durableEvents_ || !work_.empty(); });
      if (stopping_) break;
      work.swap(work_);
      events = agentEvents_;
      agentEvents_ = false;
      durableEvents_ = false;
    }
    for (Work& item : work) {
      Outbox out;
      item(clock_->now(), out);
      deliver(out);
    }
    if (events) pollRuntimes();
    runTimers();
    checkpoint();
    releaseDurable();
  }
  // Work posted while stopping still gets an answer: nobody waits forever.
  std::lock_guard lock(mu_);
  stopped_ = true;
  for (Work& item : work_) {
    Outbox ignored;
    item(clock_->now(), ignored);
  }
  work_.clear();
}

void Master::runTimers() {
  TimePoint now = clock_->now();
  Outbox out;
  if (now >= nextTick_) {
    state_.tick(now, out);
    nextTick_ = now + options_.tickInterval;
  }
  bool revived = state_.takeReviveRequest();
  if (state_.allocationPending() && (now >= nextAllocation_ || revived)) {
    state_.allocate(now, out);
    nextAllocation_ = now + options_.allocationInterval;
  }
  deliver(out);
}

// Every event the runtimes queued is applied first; the whole batch is then
// saved in one transaction before any of its updates is forwarded to a
// framework or confirmed to an executor (which forgets an update only then).
void Master::pollRuntimes() {
  Outbox batch;
  for (auto& [agentId, runtime] : runtimes_) {
    for (AgentEvent& event : runtime->pollEvents(Duration::zero())) {
      TimePoint now = clock_->now();
      if (auto* task = std::get_if<TaskEvent>(&event)) {
        state_.taskEvent(agentId, *task, now, batch);
        pendingAcks_.push_back({agentId, task->taskId, task->uuid});
        dirty_ = true;
      } else {
        state_.executorExited(agentId, std::get<ExecutorExited>(event), now, batch);
      }
    }
  }
  held_.insert(held_.end(), std::make_move_iterator(batch.events.begin()),
               std::make_move_iterator(batch.events.end()));
  batch.events.clear();
  dirty_ = dirty_ || batch.dirty;
  checkpoint();
  deliver(batch);
}

void Master::deliver(Outbox& out) {
  dirty_ = dirty_ || out.dirty;
  if (dirty_) checkpoint();
  if (!out.events.empty() || !out.closeStreams.empty() || !out.commands.empty()) {
    whenDurable([this, events = std::move(out.events), closes = std::move(out.closeStreams),
                 commands = std::move(out.commands)] {
      for (const OutgoingEvent& e : events) pushToStream(e);
      for (const std::string& streamId : closes) closeStream(streamId);
      for (const AgentCommand& command : commands) execute(command);
    });
  }
  out = Outbox{};
}

void Master::pushToStream(const OutgoingEvent& e) {
  auto it = frameworkStream_.find(e.frameworkId);
  if (it == frameworkStream_.end()) return;
  auto stream = streams_.find(it->second);
  if (stream != streams_.end()) stream->second->push(mesos::encodeRecordIo(mesos::toJson(e.event)));
}

void Master::closeStream(const std::string& streamId) {
  auto it = streams_.find(streamId);
  if (it == streams_.end()) return;
  it->second->close();
  streams_.erase(it);
  for (auto f = frameworkStream_.begin(); f != frameworkStream_.end();) {
    f = f->second == streamId ? frameworkStream_.erase(f) : std::next(f);
  }
}

void Master::execute(const AgentCommand& command) {
  using Kind = AgentCommand::Kind;
  if (command.kind == Kind::kCreateVolume || command.kind == Kind::kDestroyVolume) {
    std::error_code ec;
    if (command.kind == Kind::kCreateVolume) {
      std::filesystem::create_directories(command.path, ec);
    } else {
      std::filesystem::remove_all(command.path, ec);
    }
    if (ec) {
      KEEL_LOG(Error, "master") << "volume directory " << command.path << ": " << ec.message();
    }
    return;
  }
  auto it = runtimes_.find(command.agentId);
  auto worker = workers_.find(command.agentId);
  if (it == runtimes_.end() || worker == workers_.end()) return;
  AgentRuntime* runtime = it->second.get();
  auto fn = [this, runtime, command] { runOnAgent(*runtime, command); };
  // Commands about one executor stay in order on its lane.
  const std::string& executor =
      command.kind == Kind::kLaunch ? command.launch.executorId : command.executorId;
  if (command.kind == Kind::kKillAll || executor.empty()) {
    worker->second->postBarrier(std::move(fn));
  } else {
    worker->second->post(executor, std::move(fn));
  }
}

void Master::runOnAgent(AgentRuntime& runtime, const AgentCommand& command) {
  using Kind = AgentCommand::Kind;
  Status status;
  switch (command.kind) {
    case Kind::kLaunch:
      status = runtime.launch(command.launch);
      if (!status.isOk()) {
        post([this, request = command.launch, status](TimePoint, Outbox& out) {
          launchFailed(request, status, out);
        });
      }
      return;
    case Kind::kKill:
      status = runtime.kill(command.taskId, command.killGrace);
      break;
    case Kind::kShutdownExecutor:
      status = runtime.shutdownExecutor(command.executorId);
      break;
    case Kind::kKillAll:
      status = runtime.killAll();
      break;
    default:
      break;
  }
  if (!status.isOk() && status.code() != StatusCode::kNotFound) {
    KEEL_LOG(Warn, "master") << "agent " << command.agentId << ": " << status.message();
  }
}

void Master::launchFailed(const LaunchRequest& request, const Status& status, Outbox& out) {
  TimePoint now = clock_->now();
  for (const TaskLaunch& task : request.tasks) {
    TaskEvent event;
    event.taskId = task.taskId;
    event.executorId = request.executorId;
    event.frameworkId = request.frameworkId;
    event.state = "TASK_FAILED";
    event.reason = "REASON_CONTAINER_LAUNCH_FAILED";
    event.source = "SOURCE_AGENT";
    event.message = std::string(status.message());
    event.timestamp = now;
    event.uuid = randomUuid();
    state_.taskEvent(request.agentId, event, now, out);
  }
}

// ------------------------------------------------------------- requests

std::shared_ptr<EventStream> Master::subscribe(const mesos::Call& call) {
  return run<std::shared_ptr<EventStream>>(
      [this, &call](TimePoint now, Outbox& out) {
        auto stream = std::make_shared<EventStream>(randomUuid());
        SubscribeOutcome outcome = state_.subscribe(call, stream->id(), now, out);
        for (const mesos::Event& e : outcome.initial) {
          stream->push(mesos::encodeRecordIo(mesos::toJson(e)));
        }
        if (outcome.closeAfterInitial) {
          stream->close();
        } else {
          streams_[stream->id()] = stream;
          frameworkStream_[outcome.frameworkId] = stream->id();
        }
        return stream;
      },
      /*answerAtOnce=*/true);
}

HttpReply Master::call(const mesos::Call& call, const std::optional<std::string>& streamId) {
  using Type = mesos::Call::Type;
  bool ack = call.type == Type::kAcknowledge || call.type == Type::kAcknowledgeOperationStatus;
  return run<HttpReply>(
      [this, &call, &streamId, ack](TimePoint now, Outbox& out) {
        HttpReply reply = state_.handleCall(call, streamId, now, out);
        if (ack && out.dirty && out.commands.empty()) {
          // Losing an acknowledgement only re-sends the update: saved lazily.
          out.dirty = false;
          lazyDirty_ = true;
        }
        return reply;
      },
      /*answerAtOnce=*/true);
}

void Master::streamClosed(const std::string& streamId) {
  post([this, streamId](TimePoint now, Outbox& out) {
    state_.streamClosed(streamId, now, out);
    closeStream(streamId);
  });
}

Result<std::string> Master::addAgent(AgentConfig config) {
  return run<Result<std::string>>(
      [this, &config](TimePoint now, Outbox& out) -> Result<std::string> {
        KEEL_ASSIGN_OR_RETURN(std::string id, state_.addAgent(config, now, out));
        Status status = createRuntime(state_.agents().at(id).config, now, out);
        if (!status.isOk()) {
          (void)state_.removeAgent(id, now, out);
          return status;
        }
        return id;
      });
}

Status Master::agentDown(const std::string& agentId) {
  Status status = run<Status>(
      [this, &agentId](TimePoint now, Outbox& out) { return state_.agentDown(agentId, now, out); });
  if (status.isOk()) waitForAgent(agentId);
  return status;
}

void Master::waitForAgent(const std::string& agentId) {
  AgentWorker* worker = run<AgentWorker*>([this, &agentId](TimePoint, Outbox&) -> AgentWorker* {
    auto it = workers_.find(agentId);
    return it == workers_.end() ? nullptr : it->second.get();
  });
  if (worker == nullptr) return;
  std::promise<void> done;
  worker->postBarrier([&done] { done.set_value(); });
  done.get_future().wait();
}

Status Master::agentUp(const std::string& agentId) {
  return run<Status>(
      [this, &agentId](TimePoint now, Outbox& out) { return state_.agentUp(agentId, now, out); });
}

Status Master::removeAgent(const std::string& agentId) {
  Status status = run<Status>([this, &agentId](TimePoint now, Outbox& out) {
    return state_.removeAgent(agentId, now, out);
  });
  if (status.isOk()) waitForAgent(agentId);
  return status;
}

void Master::setPort(int port) {
  run<bool>(
      [this, port](TimePoint, Outbox&) {
        state_.setPort(port);
        return true;
      },
      /*answerAtOnce=*/true);
}

void Master::inspect(const std::function<void(const MasterState&)>& fn) {
  run<bool>(
      [this, &fn](TimePoint, Outbox&) {
        fn(state_);
        return true;
      },
      /*answerAtOnce=*/true);
}

}  // namespace keel::local
