// C++ builders for a ServiceSpec, mirroring the data-store tutorial: a service
// is a list of task sets, launched in order (one deploy phase each); a task
// set has a count, a name, a command with URIs, resources, volumes, a
// placement rule and a health check.
//
//   ServiceSpec spec = *ServiceBuilder("data-store")
//       .add(TaskSet("meta-data", 2)
//                .command(Command("bash meta-data").uri(uri))
//                .resources(0.1, 256)
//                .volume(Volume::root(512, "meta-data-container-path"))
//                .placement(Placement::avoidTaskType("meta-data"))
//                .healthCheck(HealthCheck::command("stat meta-data-container-path/output")))
//       .build();
//
// A task set is a pod type with one task (named "node" unless taskName() says
// otherwise), so the spec equals the svc.yml that declares the same pod.
// build() validates the result exactly as the YAML loader does and returns the
// errors with key paths. Builders are plain values; not thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keel/result.h"
#include "keel/spec.h"

namespace keel {

class Command {
 public:
  explicit Command(std::string value) : value_(std::move(value)) {}
  Command& uri(std::string u);
  const std::string& value() const { return value_; }
  const std::vector<std::string>& uris() const { return uris_; }

 private:
  std::string value_;
  std::vector<std::string> uris_;
};

class Volume {
 public:
  // A ROOT persistent volume of `sizeMb` at `containerPath` (relative to the sandbox).
  static Volume root(double sizeMb, std::string containerPath);
  // A MOUNT volume: a whole dedicated disk of at least `sizeMb`.
  static Volume mount(double sizeMb, std::string containerPath);
  const spec::VolumeSpec& spec() const { return spec_; }

 private:
  spec::VolumeSpec spec_;
};

// Placement rules, rendered to keel's constraint text (Marathon syntax plus
// the `@type` task-type field), so YAML and C++ specs compare equal.
class Placement {
 public:
  // Never on an agent that runs a task of `taskType`.
  static Placement avoidTaskType(const std::string& taskType);
  // Only on agents that run a task of `taskType`.
  static Placement colocateWithTaskType(const std::string& taskType);
  // A Marathon constraint, e.g. marathon("hostname", "UNIQUE") or
  // marathon("@zone", "GROUP_BY", "3").
  static Placement marathon(const std::string& field, const std::string& op,
                            const std::string& param = "");
  // Both rules (rows are ANDed).
  Placement operator&&(const Placement& other) const;
  // Constraint text, e.g. [["@type","AVOID","data"]].
  std::string text() const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

class HealthCheck {
 public:
  static HealthCheck command(std::string cmd);
  HealthCheck& interval(double seconds);
  HealthCheck& gracePeriod(double seconds);
  HealthCheck& maxConsecutiveFailures(int64_t n);
  HealthCheck& delay(double seconds);
  HealthCheck& timeout(double seconds);
  const spec::HealthCheckSpec& spec() const { return spec_; }

 private:
  spec::HealthCheckSpec spec_;
};

class TaskSet {
 public:
  TaskSet(std::string name, int64_t count);
  TaskSet& taskName(std::string name);
  TaskSet& command(const Command& command);
  TaskSet& resources(double cpus, double memoryMb);
  TaskSet& volume(const Volume& volume);
  TaskSet& placement(const Placement& placement);
  TaskSet& healthCheck(const HealthCheck& check);
  TaskSet& env(std::string key, std::string value);
  TaskSet& goal(spec::GoalState goal);
  // Whether a smaller count (or the pod's removal) may decommission
  // instances (svc.yml `allow-decommission`, default false).
  TaskSet& allowDecommission(bool allow);
  spec::PodSpec toPod() const;

 private:
  spec::PodSpec pod_;
  spec::TaskSpec task_;
  spec::ResourceSetSpec resources_;
};

class ServiceBuilder {
 public:
  explicit ServiceBuilder(std::string name);
  ServiceBuilder& principal(std::string principal);
  ServiceBuilder& user(std::string user);
  ServiceBuilder& add(const TaskSet& taskSet);
  ServiceBuilder& add(spec::PodSpec pod);
  ServiceBuilder& plan(spec::PlanSpec plan);
  // The spec, or InvalidArgument listing every validation error by key path.
  Result<spec::ServiceSpec> build() const;

 private:
  spec::ServiceSpec spec_;
};

}  // namespace keel
