#include "http/fake_scheduler_api.h"

#include <algorithm>

#include "keel/env_file.h"
#include "keel/plan_coordinator.h"
#include "keel/plan_override.h"
#include "keel/spec_loader.h"

namespace keel::http {

plan::Plan& FakeSchedulerApi::addPlan(plan::Plan plan) {
  plans_.push_back(std::make_unique<plan::Plan>(std::move(plan)));
  return *plans_.back();
}

plan::Plan* FakeSchedulerApi::findPlan(const std::string& name) {
  for (auto& p : plans_) {
    if (p->name() == name) return p.get();
  }
  return nullptr;
}

void FakeSchedulerApi::addTasksFromPlan(const plan::Plan& plan,
                                        const std::vector<TaskPortRange>& ports) {
  for (const plan::Phase& phase : plan.phases()) {
    for (const plan::Step& step : phase.steps()) {
      const std::string& pod = step.podInstance();
      size_t dash = pod.rfind('-');
      for (const std::string& task : step.tasks()) {
        TaskView t;
        t.name = pod + "-" + task;
        t.podType = pod.substr(0, dash);
        t.podIndex = std::stoll(pod.substr(dash + 1));
        t.taskId = t.name + "__" + step.id();
        t.state = "RUNNING";
        t.infoJson = R"({"name":")" + t.name + R"(","task_id":{"value":")" + t.taskId + "\"}}";
        t.statusJson = R"({"task_id":{"value":")" + t.taskId + R"("},"state":"TASK_RUNNING"})";
        t.ports = ports;
        taskViews.push_back(std::move(t));
      }
    }
  }
}

std::vector<plan::Plan*> FakeSchedulerApi::plans() {
  std::vector<plan::Plan*> out;
  for (auto& p : plans_) out.push_back(p.get());
  return plan::PlanCoordinator(out).plans();
}

Status FakeSchedulerApi::persistOverrides(const std::string& plan,
                                          const std::vector<plan::OverrideChange>& changes) {
  plan::Plan* live = findPlan(plan);
  persisted.push_back(
      {plan, changes, live ? plan::overrideRecords(*live) : std::map<std::string, std::string>{}});
  return persistResult;
}

Result<std::vector<TaskView>> FakeSchedulerApi::tasks() {
  if (!tasksResult.isOk()) return tasksResult;
  return taskViews;
}

Result<std::vector<std::string>> FakeSchedulerApi::restartPod(const std::string& podInstance,
                                                              bool replace) {
  std::vector<std::string> names;
  for (const TaskView& t : taskViews) {
    if (t.podType + "-" + std::to_string(t.podIndex) == podInstance) names.push_back(t.name);
  }
  if (names.empty()) return Status::notFound("Pod " + podInstance + " not found");
  podRestarts.emplace_back(podInstance, replace);
  return names;
}

Status FakeSchedulerApi::restartTask(const std::string& task, bool replace) {
  bool known = std::any_of(taskViews.begin(), taskViews.end(),
                           [&](const TaskView& t) { return t.name == task; });
  if (!known) return Status::notFound("Task " + task + " not found");
  taskRestarts.emplace_back(task, replace);
  return Status::ok();
}

Result<std::vector<std::string>> FakeSchedulerApi::configurationIds() {
  std::vector<std::string> ids;
  for (const auto& [id, json] : configurations) ids.push_back(id);
  return ids;
}

Result<std::string> FakeSchedulerApi::configurationJson(const std::string& id) {
  auto it = configurations.find(id);
  if (it == configurations.end()) return Status::notFound("Configuration " + id + " not found");
  return it->second;
}

Result<std::vector<std::string>> FakeSchedulerApi::propertyKeys() {
  std::vector<std::string> keys;
  for (const auto& [key, value] : properties) keys.push_back(key);
  return keys;
}

Result<std::string> FakeSchedulerApi::propertyJson(const std::string& key) {
  auto it = properties.find(key);
  if (it == properties.end()) return Status::notFound("Property " + key + " not found");
  return it->second;
}

Result<std::string> FakeSchedulerApi::renderedConfig(const std::string& taskId, size_t index) {
  auto it = rendered.find({taskId, index});
  if (it == rendered.end()) {
    return Status::notFound("Config " + std::to_string(index) + " of task " + taskId +
                            " not found");
  }
  return it->second;
}

std::string FakeSchedulerApi::offerOutcomesJson(const OfferFilter& filter) {
  lastOfferFilter = filter;
  return offers;
}

Result<spec::ServiceSpec> loadDataStoreSpec(const std::string& sourceDir,
                                            const std::map<std::string, std::string>& overrides) {
  std::string dir = sourceDir + "/examples/data-store";
  KEEL_ASSIGN_OR_RETURN(auto env, readEnvFile(dir + "/data-store.env"));
  env["METADATA_URI"] = "file://" + dir + "/meta-data";
  env["DATA_URI"] = "file://" + dir + "/data";
  for (const auto& [k, v] : overrides) env[k] = v;
  spec::LoadOptions options;
  options.env = env;
  spec::LoadResult loaded = spec::loadServiceSpecFile(dir + "/svc.yml", options);
  if (!loaded.ok()) {
    return Status::invalidArgument("data-store svc.yml does not load: " +
                                   loaded.errors.front().toString());
  }
  return std::move(*loaded.spec);
}

plan::Plan emptyRecoveryPlan(const plan::IdGenerator& ids) {
  std::vector<plan::Phase> phases;
  phases.emplace_back(ids(), "recovery", std::vector<plan::Step>{}, plan::parallelStrategy());
  return plan::Plan(ids(), "recovery", std::move(phases), plan::serialStrategy());
}

}  // namespace keel::http
