// The scheduler's side of the HTTP API (keel/http/scheduler_api.h): plans,
// durable overrides, tasks, endpoints, configurations, state
// and offer outcomes. Owner thread only.
#include <nlohmann/json.hpp>

#include "keel/log.h"
#include "keel/mesos/values.h"
#include "keel/offer/task_labels.h"
#include "keel/plan_coordinator.h"
#include "keel/scheduler/scheduler.h"
#include "keel/state/config_store.h"
#include "keel/state/framework_store.h"
#include "keel/state/plan_override_store.h"
#include "keel/state/properties_store.h"
#include "scheduler/rendered_configs.h"
#include "scheduler/task_book.h"

namespace keel::scheduler {
namespace {

std::vector<http::TaskPortRange> portRanges(const mesos::TaskInfo& info) {
  std::vector<http::TaskPortRange> out;
  for (const mesos::Resource& r : info.resources) {
    if (r.name != "ports" || !r.ranges) continue;
    for (const mesos::Value::Range& range : r.ranges->range) {
      out.push_back({static_cast<uint32_t>(range.begin), static_cast<uint32_t>(range.end)});
    }
  }
  return out;
}

// The `ports` label: "name:port,name:port".
std::map<std::string, uint32_t> labelledPorts(const mesos::TaskInfo& info) {
  std::map<std::string, uint32_t> out;
  if (!info.labels) return out;
  std::string text(offer::labelValue(*info.labels, offer::kLabelPorts).value_or(""));
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(start, end - start);
    size_t colon = item.rfind(':');
    if (colon != std::string::npos) {
      try {
        out[item.substr(0, colon)] = static_cast<uint32_t>(std::stoul(item.substr(colon + 1)));
      } catch (...) {
      }
    }
    start = end + 1;
  }
  return out;
}

}  // namespace

std::vector<plan::Plan*> Scheduler::plans() {
  if (plan::Plan* uninstall = uninstallPlan()) return {uninstall};  // nothing else runs
  std::vector<plan::Plan*> all;
  for (auto& p : plans_) all.push_back(p.get());
  if (recovery_) all.push_back(recovery_.get());
  return plan::PlanCoordinator(all).plans();
}

Status Scheduler::persistOverrides(const std::string& plan,
                                   const std::vector<plan::OverrideChange>& changes) {
  state::PlanOverrideStore store(persister_);
  for (const plan::OverrideChange& c : changes) {
    Status s = c.value ? store.put(plan, c.key, *c.value) : store.erase(plan, c.key);
    if (!s.isOk()) return s;
  }
  bump();
  return Status::ok();
}

Result<std::vector<http::TaskView>> Scheduler::tasks() {
  std::vector<http::TaskView> out;
  for (const auto& [name, rec] : tasks_->all()) {
    http::TaskView v;
    v.name = name;
    v.podType = rec.podType();
    v.podIndex = std::max<int64_t>(rec.podIndex(), 0);
    v.taskId = rec.info.taskId.value;
    if (const mesos::TaskStatus* s = rec.currentStatus()) {
      std::string state(mesos::enumName(s->state));
      v.state = state.rfind("TASK_", 0) == 0 ? state.substr(5) : state;
    }
    v.infoJson = rec.infoJson;
    if (rec.status) v.statusJson = rec.statusJson;
    v.ports = portRanges(rec.info);
    out.push_back(std::move(v));
  }
  return out;
}

Result<std::vector<http::AdvertisedPort>> Scheduler::advertisedPorts() {
  std::vector<http::AdvertisedPort> out;
  for (const auto& [name, rec] : tasks_->all()) {
    const spec::PodSpec* pod = spec_.pod(rec.podType());
    if (pod == nullptr) continue;
    const spec::TaskSpec* task =
        pod->task(name.substr(std::min(name.size(), rec.podInstance().size() + 1)));
    const spec::ResourceSetSpec* set = task ? pod->resourceSet(task->resourceSet) : nullptr;
    if (set == nullptr) continue;
    std::map<std::string, uint32_t> ports = labelledPorts(rec.info);
    for (const spec::PortSpec& port : set->ports) {
      if (!port.advertise && !port.vip) continue;
      http::AdvertisedPort a;
      a.portName = port.name;
      a.dnsName = task->discovery && !task->discovery->prefix.empty()
                      ? task->discovery->prefix + "-" + std::to_string(rec.podIndex())
                      : name;
      a.address =
          std::string(offer::labelValue(*rec.info.labels, offer::kLabelOfferHostname).value_or(""));
      a.port = port.port > 0 ? static_cast<uint32_t>(port.port) : ports[port.name];
      if (port.vip) {
        a.vipPrefix = port.vip->prefix.empty() ? port.name : port.vip->prefix;
        a.vipPort = static_cast<uint32_t>(port.vip->port);
      }
      out.push_back(std::move(a));
    }
  }
  return out;
}

Result<std::vector<std::string>> Scheduler::configurationIds() {
  return state::ConfigStore(persister_).list();
}

Result<std::optional<std::string>> Scheduler::targetConfigurationId() {
  return state::ConfigStore(persister_).target();
}

Result<std::string> Scheduler::configurationJson(const std::string& id) {
  return state::ConfigStore(persister_).get(id);
}

Result<std::optional<std::string>> Scheduler::frameworkId() {
  return state::FrameworkStore(persister_).get();
}

Result<std::vector<std::string>> Scheduler::propertyKeys() {
  return state::PropertiesStore(persister_).keys();
}

Result<std::string> Scheduler::propertyJson(const std::string& key) {
  KEEL_ASSIGN_OR_RETURN(std::optional<std::string> value,
                        state::PropertiesStore(persister_).get(key));
  if (!value) return Status::notFound("Property " + key + " not found");
  if (nlohmann::json::accept(*value)) return *value;
  return nlohmann::json(*value).dump();
}

std::string Scheduler::offerOutcomesJson(const http::OfferFilter& filter) {
  if (filter.plan.empty() && filter.phase.empty() && filter.step.empty()) {
    return offer::OfferOutcomeTracker::toJson(outcomes_.summary());
  }
  std::set<std::string, std::less<>> instances;
  for (plan::Plan* p : plans()) {
    if (!filter.plan.empty() && p->name() != filter.plan) continue;
    for (const plan::Phase& phase : p->phases()) {
      if (!filter.phase.empty() && phase.name() != filter.phase && phase.id() != filter.phase) {
        continue;
      }
      // A step by id, name or pod instance ("data-0" for "data-0:[node]"), as
      // the plan routes find it.
      const plan::Step* wanted = filter.step.empty() ? nullptr : phase.findStep(filter.step);
      for (const plan::Step& step : phase.steps()) {
        if (!filter.step.empty() && &step != wanted) continue;
        instances.insert(step.podInstance());
      }
    }
  }
  // The counts too are those of the selected pod instances only.
  return offer::OfferOutcomeTracker::toJson(
      outcomes_.summary([&](std::string_view instance) { return instances.contains(instance); }));
}

Result<std::string> Scheduler::renderedConfig(const std::string& taskId, size_t index) {
  std::string what = "Config " + std::to_string(index) + " of task " + taskId;
  std::optional<std::string> name = offer::taskNameFromTaskId(taskId);
  const TaskRecord* rec = name ? tasks_->find(*name) : nullptr;
  if (rec == nullptr || rec->info.taskId.value != taskId) {
    return Status::notFound(what + " not found");
  }
  KEEL_ASSIGN_OR_RETURN(std::optional<std::string> stored, tasks_->renderedConfigs(*name));
  if (!stored) return Status::notFound(what + " not found");
  return renderedFile(*stored, taskId, index);
}

}  // namespace keel::scheduler
