// The records the local master keeps (agents, frameworks, tasks, executors,
// offers, filters, unacknowledged updates) and the effects its pure core
// emits (events for frameworks, commands for agent runtimes). Internal to
// src/cluster/local.
//
// Thread-safety: plain values; owned by the master thread.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cluster/local/agent_runtime.h"
#include "cluster/local/cluster_config.h"
#include "keel/clock.h"
#include "keel/mesos/offer.h"
#include "keel/mesos/resource.h"
#include "keel/mesos/scheduler.h"
#include "keel/mesos/task.h"
#include "keel/mesos/task_status.h"

namespace keel::local {

using Resources = std::vector<mesos::Resource>;

enum class AgentHealth { kUp, kDown, kRemoved };
std::string_view agentHealthName(AgentHealth health);

struct AgentRecord {
  AgentConfig config;  // id and workDir always set
  AgentHealth health = AgentHealth::kUp;
  // Everything the agent has: unreserved resources plus reservations and
  // persistent volumes (operations convert, never grow or shrink it). No
  // allocation_info; reservations in the refined (`reservations`) format.
  Resources total;
};

struct FrameworkRecord {
  mesos::FrameworkInfo info;  // id set
  bool connected = false;
  std::string streamId;
  TimePoint disconnectedAt{};  // when connected is false
  std::set<std::string> suppressedRoles;
  TimePoint registeredAt{};

  std::vector<std::string> roles() const;
  bool partitionAware() const;
  bool multiRole() const;
  bool refinement() const;
};

// One status update waiting for the framework's acknowledgement.
struct PendingUpdate {
  mesos::TaskStatus status;  // uuid set
};

struct TaskRecord {
  mesos::TaskInfo info;
  std::string frameworkId;
  std::string agentId;
  std::string executorId;  // the task id for a command task
  std::string role;
  Resources resources;       // with allocation_info
  mesos::TaskStatus latest;  // the state the master knows (reconciliation answers it)
  std::deque<PendingUpdate> unacknowledged;  // front is on the wire
  TimePoint nextRetry{};
  Duration retryBackoff{};
  bool resourcesReleased = false;  // true once terminal
  // Identifies the values of info, the ids, role and resources, which do
  // not change after launch: set by stampFixedFields (node_text_cache.h)
  // wherever they are set; 0, never stamped, is never trusted.
  uint64_t fixedSerial = 0;
};

struct ExecutorRecord {
  mesos::ExecutorInfo info;  // DEFAULT executor of a task group
  std::string frameworkId;
  std::string agentId;
  std::string role;
  Resources resources;  // with allocation_info
  std::set<std::string> taskIds;
};

struct OfferRecord {
  std::string id;
  std::string frameworkId;
  std::string agentId;
  std::string role;
  Resources resources;  // with allocation_info
};

// DECLINE (or unused ACCEPT resources): resources of `agentId` are not
// offered to (framework, role) until `expires` unless the offer would hold
// something outside `resources`.
struct OfferFilter {
  std::string frameworkId;
  std::string role;
  std::string agentId;
  Resources resources;  // without allocation_info
  TimePoint expires{};
};

struct PendingOperationUpdate {
  std::string frameworkId;
  mesos::OperationStatus status;  // uuid set
  TimePoint nextRetry{};
  Duration retryBackoff{};
};

// An event for one framework's subscription stream.
struct OutgoingEvent {
  std::string frameworkId;
  mesos::Event event;
};

// Work for an agent runtime (or for the file system of an agent).
struct AgentCommand {
  enum class Kind { kLaunch, kKill, kShutdownExecutor, kKillAll, kCreateVolume, kDestroyVolume };
  Kind kind = Kind::kLaunch;
  std::string agentId;
  LaunchRequest launch;               // kLaunch
  std::string taskId;                 // kKill
  std::optional<Duration> killGrace;  // kKill
  std::string executorId;             // kShutdownExecutor; kKill: the task's executor
  std::string path;                   // kCreateVolume / kDestroyVolume
};

// What one step of the master produced. The caller delivers the events in
// order, runs the commands, then (when dirty) checkpoints.
struct Outbox {
  std::vector<OutgoingEvent> events;
  std::vector<AgentCommand> commands;
  // Stream ids (not framework ids) whose SUBSCRIBE connection ends now, e.g.
  // the old stream of a framework that subscribed again on a new one.
  std::vector<std::string> closeStreams;
  bool dirty = false;

  void send(const std::string& frameworkId, mesos::Event event) {
    events.push_back({frameworkId, std::move(event)});
  }
  void append(Outbox&& other);
};

}  // namespace keel::local
