// MesosClient's insides, shared by client.cc (the client thread: event
// stream, state machine, callbacks) and client_calls.cc (send() and the
// convenience calls). Private to keel_mesos_client.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <variant>
#include <vector>

#include "cluster/mesos/http_transport.h"
#include "keel/mesos/client.h"

namespace keel::mesos {

// One decoded event of subscribe attempt `attempt`.
struct StreamEvent {
  uint64_t attempt = 0;
  Event event;
};

// What the client thread works through, stamped with when it happened.
struct ClientItem {
  std::variant<ConnectionInput, StreamEvent> what;
  TimePoint at;
};

// What other threads may read: refreshed by the client thread after every
// state machine step.
struct ClientSnapshot {
  ConnectionState state = ConnectionState::kDisconnected;
  std::optional<std::string> frameworkId;
  std::string streamId;
  MasterEndpoint endpoint;
  Status lastError;
};

// A SUBSCRIBE stream and the thread reading it.
struct StreamSlot {
  uint64_t attempt = 0;
  std::shared_ptr<SubscribeStream> stream;
  std::shared_ptr<std::atomic<bool>> done;
  std::thread reader;
};

struct MesosClient::Impl {
  Impl(MesosClientConfig c, MesosClientListener l, const Clock& k, ConnectionConfig connection);

  // Thread-safe.
  void post(ClientItem item);
  ClientSnapshot snapshot() const;
  FrameworkID knownFrameworkId() const;
  bool onClientThread() const;

  // The client thread.
  void run();
  void process(const ClientItem& item);
  void processEvent(const StreamEvent& in, TimePoint at);
  void step(const ConnectionInput& input, TimePoint at);
  void execute(const ConnectionAction& action);
  void openStream(const ConnectionAction& action);
  void readStream(uint64_t attempt, SubscribeStream& stream);
  void reapStreams(bool all);
  void publish();
  std::optional<Duration> waitBudget() const;

  MesosClientConfig config;
  MesosClientListener listener;
  const Clock& clock;
  HttpOptions callOptions;
  std::unique_ptr<CallConnections> calls;  // on callOptions
  HttpOptions streamOptions;

  // Owned by the client thread.
  ConnectionStateMachine machine;
  std::vector<StreamSlot> streams;

  mutable std::mutex mu;  // queue, running, thread
  std::condition_variable wake;
  std::deque<ClientItem> queue;
  bool running = false;
  std::thread thread;
  std::atomic<std::thread::id> threadId{};
  std::mutex lifecycleMu;  // serialises start()/stop() from outside the client thread

  mutable std::mutex snapshotMu;
  ClientSnapshot current;
};

}  // namespace keel::mesos
