// Offer operations for the end-to-end tests and benchmarks of the local
// cluster: reserved resources, a persistent volume on them, a one-task
// LAUNCH_GROUP on the default executor, a command task. Test-only.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "keel/mesos/calls.h"
#include "keel/mesos/resources.h"
#include "keel/mesos/scheduler.h"

namespace keel::local::e2e {

inline mesos::Resource reserved(mesos::Resource r, const std::string& role,
                                const std::string& principal) {
  return mesos::allocatedTo(
      mesos::withDynamicReservation(std::move(r), role, principal, std::nullopt), role);
}

// cpus, mem and disk reserved for `role`.
inline std::vector<mesos::Resource> reservation(const std::string& role,
                                                const std::string& principal, double cpus,
                                                double mem, double disk) {
  return {reserved(mesos::scalarResource("cpus", cpus), role, principal),
          reserved(mesos::scalarResource("mem", mem), role, principal),
          reserved(mesos::scalarResource("disk", disk), role, principal)};
}

// The reserved disk of `reservation` as a volume `id` mounted at `path`.
inline mesos::Resource volume(const std::vector<mesos::Resource>& reservation,
                              const std::string& id, const std::string& principal,
                              const std::string& path) {
  return mesos::persistentVolume(reservation[2], id, principal, path);
}

inline mesos::TaskInfo shellTask(const std::string& id, const std::string& agentId,
                                 std::vector<mesos::Resource> resources,
                                 const std::string& command) {
  mesos::TaskInfo task;
  task.name = id;
  task.taskId = mesos::TaskID{id};
  task.agentId = mesos::AgentID{agentId};
  task.resources = std::move(resources);
  mesos::CommandInfo cmd;
  cmd.shell = true;
  cmd.value = command;
  task.command = cmd;
  return task;
}

// A DEFAULT executor `id` with 0.05 cpus, 32 MB and 1 MB disk of `role`
// (unreserved, allocated to the role).
inline mesos::ExecutorInfo defaultExecutor(const std::string& id,
                                           const mesos::FrameworkID& framework,
                                           const std::string& role) {
  mesos::ExecutorInfo e;
  e.type = mesos::ExecutorInfo::Type::kDefault;
  e.executorId = mesos::ExecutorID{id};
  e.frameworkId = framework;
  e.resources = {mesos::allocatedTo(mesos::scalarResource("cpus", 0.05), role),
                 mesos::allocatedTo(mesos::scalarResource("mem", 32), role),
                 mesos::allocatedTo(mesos::scalarResource("disk", 1), role)};
  return e;
}

inline mesos::OfferOperation launchGroup(mesos::ExecutorInfo executor, mesos::TaskInfo task) {
  mesos::TaskGroupInfo group;
  group.tasks.push_back(std::move(task));
  return mesos::makeLaunchGroup(std::move(executor), std::move(group));
}

}  // namespace keel::local::e2e
