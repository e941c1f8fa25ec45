#include "keel/spec_builder.h"

#include <sstream>

#include "keel/spec_validate.h"

namespace keel {
namespace {

std::string quoteJson(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

Command& Command::uri(std::string u) {
  uris_.push_back(std::move(u));
  return *this;
}

Volume Volume::root(double sizeMb, std::string containerPath) {
  Volume v;
  v.spec_.type = spec::VolumeType::kRoot;
  v.spec_.sizeMb = sizeMb;
  v.spec_.path = std::move(containerPath);
  return v;
}

Volume Volume::mount(double sizeMb, std::string containerPath) {
  Volume v = root(sizeMb, std::move(containerPath));
  v.spec_.type = spec::VolumeType::kMount;
  return v;
}

Placement Placement::avoidTaskType(const std::string& taskType) {
  Placement p;
  p.rows_.push_back({"@type", "AVOID", taskType});
  return p;
}

Placement Placement::colocateWithTaskType(const std::string& taskType) {
  Placement p;
  p.rows_.push_back({"@type", "COLOCATE", taskType});
  return p;
}

Placement Placement::marathon(const std::string& field, const std::string& op,
                              const std::string& param) {
  Placement p;
  p.rows_.push_back(param.empty() ? std::vector<std::string>{field, op}
                                  : std::vector<std::string>{field, op, param});
  return p;
}

Placement Placement::operator&&(const Placement& other) const {
  Placement p = *this;
  p.rows_.insert(p.rows_.end(), other.rows_.begin(), other.rows_.end());
  return p;
}

std::string Placement::text() const {
  std::ostringstream out;
  out << '[';
  for (size_t i = 0; i < rows_.size(); ++i) {
    out << (i ? ", [" : "[");
    for (size_t j = 0; j < rows_[i].size(); ++j) out << (j ? ", " : "") << quoteJson(rows_[i][j]);
    out << ']';
  }
  out << ']';
  return out.str();
}

HealthCheck HealthCheck::command(std::string cmd) {
  HealthCheck h;
  h.spec_.cmd = std::move(cmd);
  return h;
}

HealthCheck& HealthCheck::interval(double s) {
  spec_.intervalS = s;
  return *this;
}

HealthCheck& HealthCheck::gracePeriod(double s) {
  spec_.gracePeriodS = s;
  return *this;
}

HealthCheck& HealthCheck::maxConsecutiveFailures(int64_t n) {
  spec_.maxConsecutiveFailures = n;
  return *this;
}

HealthCheck& HealthCheck::delay(double s) {
  spec_.delayS = s;
  return *this;
}

HealthCheck& HealthCheck::timeout(double s) {
  spec_.timeoutS = s;
  return *this;
}

TaskSet::TaskSet(std::string name, int64_t count) {
  pod_.type = std::move(name);
  pod_.count = count;
  taskName("node");
}

TaskSet& TaskSet::taskName(std::string name) {
  task_.name = std::move(name);
  resources_.id = task_.name + "-resource-set";
  task_.resourceSet = resources_.id;
  return *this;
}

TaskSet& TaskSet::command(const Command& command) {
  task_.cmd = command.value();
  pod_.uris = command.uris();
  return *this;
}

TaskSet& TaskSet::resources(double cpus, double memoryMb) {
  resources_.cpus = cpus;
  resources_.memoryMb = memoryMb;
  return *this;
}

TaskSet& TaskSet::volume(const Volume& volume) {
  resources_.volumes.push_back(volume.spec());
  return *this;
}

TaskSet& TaskSet::placement(const Placement& placement) {
  pod_.placement = placement.text();
  return *this;
}

TaskSet& TaskSet::healthCheck(const HealthCheck& check) {
  task_.healthCheck = check.spec();
  return *this;
}

TaskSet& TaskSet::env(std::string key, std::string value) {
  task_.env[std::move(key)] = std::move(value);
  return *this;
}

TaskSet& TaskSet::goal(spec::GoalState goal) {
  task_.goal = goal;
  return *this;
}

TaskSet& TaskSet::allowDecommission(bool allow) {
  pod_.allowDecommission = allow;
  return *this;
}

spec::PodSpec TaskSet::toPod() const {
  spec::PodSpec pod = pod_;
  pod.resourceSets = {resources_};
  pod.tasks = {task_};
  return pod;
}

ServiceBuilder::ServiceBuilder(std::string name) {
  spec_.name = std::move(name);
  spec_.scheduler.principal = spec_.name + "-principal";
}

ServiceBuilder& ServiceBuilder::principal(std::string principal) {
  spec_.scheduler.principal = std::move(principal);
  return *this;
}

ServiceBuilder& ServiceBuilder::user(std::string user) {
  spec_.scheduler.user = std::move(user);
  return *this;
}

ServiceBuilder& ServiceBuilder::add(const TaskSet& taskSet) { return add(taskSet.toPod()); }

ServiceBuilder& ServiceBuilder::add(spec::PodSpec pod) {
  spec_.pods.push_back(std::move(pod));
  return *this;
}

ServiceBuilder& ServiceBuilder::plan(spec::PlanSpec plan) {
  spec_.plans.push_back(std::move(plan));
  return *this;
}

Result<spec::ServiceSpec> ServiceBuilder::build() const {
  std::vector<spec::Diagnostic> errors = spec::validateServiceSpec(spec_);
  if (errors.empty()) return spec_;
  std::string message = "service '" + spec_.name + "' is invalid:";
  for (const auto& e : errors) message += "\n  " + e.toString();
  return Status::invalidArgument(message);
}

}  // namespace keel
