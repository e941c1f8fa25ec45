#include "keel/mesos/client.h"

#include <cmath>
#include <random>

#include "cluster/mesos/client_impl.h"
#include "keel/log.h"
#include "keel/mesos/calls.h"
#include "keel/mesos/json.h"
#include "keel/mesos/recordio.h"

namespace keel::mesos {
namespace {

constexpr const char* kLog = "mesos-client";
// Longest the client thread sleeps while something is timed, so that a
// ManualClock moved by a test is noticed.
constexpr Duration kMaxTimedWait = std::chrono::milliseconds(100);
constexpr Duration kIdleWait = std::chrono::seconds(1);

bool streamIsCurrent(ConnectionState state) {
  return state == ConnectionState::kSubscribing || state == ConnectionState::kSubscribed;
}

std::optional<Duration> heartbeatOf(const Event::Subscribed& subscribed) {
  if (!subscribed.heartbeatIntervalSeconds) return std::nullopt;
  return Duration(std::llround(*subscribed.heartbeatIntervalSeconds * 1000.0));
}

std::string subscribeBody(const MesosClientConfig& config, const std::optional<std::string>& id) {
  FrameworkInfo info = config.framework;
  if (id) info.id = FrameworkID{*id};
  return toJson(makeSubscribe(std::move(info), config.suppressedRoles));
}

}  // namespace

MesosClient::Impl::Impl(MesosClientConfig c, MesosClientListener l, const Clock& k,
                        ConnectionConfig connection)
    : config(std::move(c)), listener(std::move(l)), clock(k), machine(std::move(connection)) {
  std::optional<HttpCredential> credential;
  if (config.credential)
    credential = HttpCredential{config.credential->principal, config.credential->secret};
  callOptions = {credential, config.connectTimeout, config.callTimeout};
  calls = std::make_unique<CallConnections>(callOptions);
  streamOptions = {credential, config.connectTimeout, config.streamReadTimeout};
  publish();
}

void MesosClient::Impl::post(ClientItem item) {
  {
    std::lock_guard lock(mu);
    queue.push_back(std::move(item));
  }
  wake.notify_one();
}

ClientSnapshot MesosClient::Impl::snapshot() const {
  std::lock_guard lock(snapshotMu);
  return current;
}

bool MesosClient::Impl::onClientThread() const {
  return threadId.load() == std::this_thread::get_id();
}

void MesosClient::Impl::publish() {
  std::lock_guard lock(snapshotMu);
  current.state = machine.state();
  current.frameworkId = machine.frameworkId();
  current.streamId = machine.streamId();
  current.endpoint = machine.endpoint();
  current.lastError = machine.lastError();
}

std::optional<Duration> MesosClient::Impl::waitBudget() const {
  std::optional<TimePoint> deadline = machine.nextDeadline();
  if (!deadline) return std::nullopt;
  auto left = std::chrono::duration_cast<Duration>(*deadline - clock.now());
  return std::clamp(left, Duration(0), kMaxTimedWait);
}

void MesosClient::Impl::run() {
  threadId = std::this_thread::get_id();
  for (;;) {
    std::deque<ClientItem> batch;
    {
      std::unique_lock lock(mu);
      std::optional<Duration> budget = waitBudget();
      wake.wait_for(lock, budget.value_or(kIdleWait), [&] { return !queue.empty(); });
      batch.swap(queue);
    }
    for (const ClientItem& item : batch) process(item);
    bool more;
    {
      std::lock_guard lock(mu);
      more = !queue.empty();
    }
    // Events that arrived while callbacks ran count before the watchdog looks.
    if (!more) step(TickInput{}, clock.now());
    bool stopped = machine.state() == ConnectionState::kStopped;
    reapStreams(stopped);
    std::lock_guard lock(mu);
    if (stopped && queue.empty()) {
      running = false;
      threadId = std::thread::id();
      return;
    }
  }
}

void MesosClient::Impl::process(const ClientItem& item) {
  if (const auto* event = std::get_if<StreamEvent>(&item.what)) {
    processEvent(*event, item.at);
  } else {
    step(std::get<ConnectionInput>(item.what), item.at);
  }
}

void MesosClient::Impl::processEvent(const StreamEvent& in, TimePoint at) {
  if (in.attempt != machine.attempt() || !streamIsCurrent(machine.state())) return;
  const Event& event = in.event;
  Event::Type type = event.type.value_or(Event::Type::kUnknown);
  if (type == Event::Type::kSubscribed && event.subscribed) {
    step(SubscribedInput{in.attempt, event.subscribed->frameworkId.value,
                         heartbeatOf(*event.subscribed)},
         at);
  } else if (type != Event::Type::kError) {
    step(EventInput{in.attempt}, at);
  }
  if (listener.onEvent && in.attempt == machine.attempt() && streamIsCurrent(machine.state())) {
    listener.onEvent(event);
  }
  if (type == Event::Type::kError) {
    step(ErrorEventInput{in.attempt, event.error ? event.error->message : "(no message)"}, at);
  }
}

void MesosClient::Impl::step(const ConnectionInput& input, TimePoint at) {
  std::vector<ConnectionAction> actions = machine.handle(input, at);
  publish();
  for (const ConnectionAction& action : actions) execute(action);
}

void MesosClient::Impl::execute(const ConnectionAction& action) {
  using Kind = ConnectionAction::Kind;
  switch (action.kind) {
    case Kind::kOpenStream:
      openStream(action);
      break;
    case Kind::kCloseStream:
      for (StreamSlot& slot : streams) {
        if (slot.attempt == action.attempt) slot.stream->abort();
      }
      break;
    case Kind::kSubscribed:
      KEEL_LOG(Info, kLog) << "subscribed framework_id=" << action.frameworkId.value_or("")
                           << " master=" << action.endpoint.url()
                           << " heartbeat_ms=" << action.heartbeatInterval.count();
      if (listener.onSubscribed) {
        listener.onSubscribed(FrameworkID{action.frameworkId.value_or("")},
                              action.heartbeatInterval);
      }
      break;
    case Kind::kDisconnected:
      KEEL_LOG(Warn, kLog) << "disconnected: " << action.reason;
      if (listener.onDisconnected) listener.onDisconnected(Status::unavailable(action.reason));
      break;
    case Kind::kFailed:
      KEEL_LOG(Error, kLog) << "giving up: " << action.error;
      if (listener.onFailed) listener.onFailed(action.error);
      break;
  }
}

void MesosClient::Impl::openStream(const ConnectionAction& action) {
  KEEL_LOG(Debug, kLog) << "subscribing master=" << action.endpoint.url()
                        << " attempt=" << action.attempt;
  StreamSlot slot;
  slot.attempt = action.attempt;
  slot.stream = std::make_shared<SubscribeStream>(
      action.endpoint, subscribeBody(config, action.frameworkId), streamOptions);
  slot.done = std::make_shared<std::atomic<bool>>(false);
  slot.reader =
      std::thread([this, attempt = action.attempt, stream = slot.stream, done = slot.done] {
        readStream(attempt, *stream);
        *done = true;
        wake.notify_one();
      });
  streams.push_back(std::move(slot));
}

void MesosClient::Impl::readStream(uint64_t attempt, SubscribeStream& stream) {
  RecordIoDecoder decoder;
  std::string failure;
  SubscribeStream::Handlers handlers;
  handlers.onResponse = [&](const HttpReply& reply) {
    post({ResponseInput{attempt, reply.status, reply.streamId, reply.location, reply.body},
          clock.now()});
  };
  handlers.onData = [&](std::string_view data) {
    Result<std::vector<std::string>> records = decoder.feed(data);
    if (!records.has_value()) {
      failure = "bad RecordIO framing on the event stream: " + records.error().message();
      return false;
    }
    for (const std::string& record : *records) {
      Result<Event> event = eventFromJson(record);
      if (!event.has_value()) {
        failure = "undecodable event on the stream: " + event.error().message();
        return false;
      }
      post({StreamEvent{attempt, std::move(event).value()}, clock.now()});
    }
    return true;
  };
  Status ended = stream.run(handlers);
  std::string reason = !failure.empty() ? failure
                       : ended.isOk()   ? "the event stream was closed"
                                        : ended.message();
  post({StreamEndedInput{attempt, reason}, clock.now()});
}

void MesosClient::Impl::reapStreams(bool all) {
  if (all) {
    for (StreamSlot& slot : streams) slot.stream->abort();
  }
  for (auto it = streams.begin(); it != streams.end();) {
    // abort() may race with the reader entering its request; repeat it until
    // the reader has noticed.
    while (all && !*it->done) {
      it->stream->abort();
      std::unique_lock lock(mu);
      wake.wait_for(lock, std::chrono::milliseconds(10), [&] { return it->done->load(); });
    }
    if (*it->done) {
      it->reader.join();
      it = streams.erase(it);
    } else {
      if (it->stream->aborted()) it->stream->abort();
      ++it;
    }
  }
}

MesosClient::MesosClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MesosClient::~MesosClient() {
  stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

Result<std::unique_ptr<MesosClient>> MesosClient::create(MesosClientConfig config,
                                                         MesosClientListener listener,
                                                         const Clock& clock) {
  KEEL_ASSIGN_OR_RETURN(MasterEndpoint master, parseMasterUrl(config.masterUrl));
  ConnectionConfig connection;
  connection.master = std::move(master);
  if (config.framework.id) connection.frameworkId = config.framework.id->value;
  connection.backoff = config.backoff;
  if (connection.backoff.seed == 0) connection.backoff.seed = std::random_device{}();
  connection.timeouts = config.timeouts;
  auto impl =
      std::make_unique<Impl>(std::move(config), std::move(listener), clock, std::move(connection));
  return std::unique_ptr<MesosClient>(new MesosClient(std::move(impl)));
}

void MesosClient::start() {
  Impl& impl = *impl_;
  std::unique_lock outer(impl.lifecycleMu, std::defer_lock);
  if (!impl.onClientThread()) outer.lock();
  std::lock_guard lock(impl.mu);
  impl.queue.push_back({StartInput{}, impl.clock.now()});
  if (!impl.running) {
    if (impl.thread.joinable()) impl.thread.join();  // it has left run()
    impl.running = true;
    impl.thread = std::thread([&impl] { impl.run(); });
  }
  impl.wake.notify_one();
}

void MesosClient::stop() {
  Impl& impl = *impl_;
  if (impl.onClientThread()) {
    impl.post({StopInput{}, impl.clock.now()});
    return;
  }
  std::lock_guard outer(impl.lifecycleMu);
  std::thread finished;
  {
    std::lock_guard lock(impl.mu);
    if (impl.running) impl.queue.push_back({StopInput{}, impl.clock.now()});
    finished = std::move(impl.thread);
  }
  impl.wake.notify_one();
  if (finished.joinable()) finished.join();
}

ConnectionState MesosClient::state() const { return impl_->snapshot().state; }

std::optional<FrameworkID> MesosClient::frameworkId() const {
  std::optional<std::string> id = impl_->snapshot().frameworkId;
  if (!id) return std::nullopt;
  return FrameworkID{*id};
}

std::string MesosClient::streamId() const { return impl_->snapshot().streamId; }

MasterEndpoint MesosClient::master() const { return impl_->snapshot().endpoint; }

Status MesosClient::lastError() const { return impl_->snapshot().lastError; }

}  // namespace keel::mesos
