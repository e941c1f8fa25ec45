#include "keel/config/config_diff.h"

#include <set>

#include "json_diff.h"
#include "keel/spec_json.h"

namespace keel::config {
namespace {

using nlohmann::json;

// Pod fields whose change restarts nothing.
const std::set<std::string> kNoRestartFields = {"count", "placement", "allow-decommission"};

spec::PodSpec withoutNoRestartFields(spec::PodSpec pod) {
  pod.count = 0;
  pod.placement.clear();
  pod.allowDecommission = false;
  return pod;
}

json podJson(const spec::PodSpec& pod) {
  spec::ServiceSpec holder;
  holder.pods.push_back(pod);
  return json::parse(spec::toJson(holder, spec::JsonStyle::kCompact)).at("pods").at(0);
}

// The service without its pods, but with their order (the default deploy
// order) as "pod-order".
json serviceJsonWithoutPods(const spec::ServiceSpec& service) {
  spec::ServiceSpec copy = service;
  copy.pods.clear();
  json j = json::parse(spec::toJson(copy, spec::JsonStyle::kCompact));
  j.erase("pods");
  json order = json::array();
  for (const spec::PodSpec& pod : service.pods) order.push_back(pod.type);
  j["pod-order"] = order;
  return j;
}

std::string firstSegment(const std::string& path) {
  return path.substr(0, path.find_first_of(".["));
}

std::vector<int64_t> range(int64_t from, int64_t to) {
  std::vector<int64_t> out;
  for (int64_t i = from; i < to; ++i) out.push_back(i);
  return out;
}

// A task's own resource set reads as the task's fields, as svc.yml writes
// them: "resource-sets.node-resource-set.cpus" -> "tasks.node.cpus".
std::string svcYmlPath(const std::string& path, const spec::PodSpec& pod) {
  for (const spec::TaskSpec& task : pod.tasks) {
    std::string id = task.name + "-resource-set";
    std::string prefix = "resource-sets." + id + ".";
    if (task.resourceSet == id && path.compare(0, prefix.size(), prefix) == 0)
      return "tasks." + task.name + "." + path.substr(prefix.size());
  }
  return path;
}

void classify(const spec::PodSpec& was, const spec::PodSpec& now, PodDiff& d) {
  std::vector<FieldChange> changes;
  internal::diffJson(podJson(was), podJson(now), "", changes);
  for (FieldChange& c : changes) {
    c.path = svcYmlPath(svcYmlPath(c.path, now), was);
    bool noRestart = kNoRestartFields.count(firstSegment(c.path)) > 0;
    (noRestart ? d.otherChanges : d.taskConfigChanges).push_back(std::move(c));
  }
}

PodDiff diffPod(const spec::PodSpec* was, const spec::PodSpec* now) {
  PodDiff d;
  d.type = now ? now->type : was->type;
  d.oldCount = was ? was->count : 0;
  d.newCount = now ? now->count : 0;
  if (was && now) {
    if (*was == *now) return d;
    d.change = PodChange::kChanged;
    classify(*was, *now, d);
    if (!sameTaskConfig(*was, *now) && d.taskConfigChanges.empty())
      d.taskConfigChanges.push_back({"(pod spec)", "", ""});  // a difference JSON cannot show
    if (d.taskConfigChanged()) d.relaunched = range(0, std::min(d.oldCount, d.newCount));
  } else {
    d.change = now ? PodChange::kAdded : PodChange::kRemoved;
  }
  d.added = range(d.oldCount, d.newCount);
  d.decommissioned = range(d.newCount, d.oldCount);
  return d;
}

std::vector<std::string> instanceNames(const std::vector<PodDiff>& pods,
                                       std::vector<int64_t> PodDiff::*member) {
  std::vector<std::string> out;
  for (const PodDiff& p : pods) {
    for (int64_t i : p.*member) out.push_back(p.type + "-" + std::to_string(i));
  }
  return out;
}

}  // namespace

const char* podChangeName(PodChange c) {
  switch (c) {
    case PodChange::kUnchanged:
      return "unchanged";
    case PodChange::kAdded:
      return "added";
    case PodChange::kRemoved:
      return "removed";
    case PodChange::kChanged:
      return "changed";
  }
  return "unknown";
}

bool ConfigDiff::empty() const {
  if (!serviceChanges.empty()) return false;
  for (const PodDiff& p : pods) {
    if (p.change != PodChange::kUnchanged) return false;
  }
  return true;
}

std::vector<std::string> ConfigDiff::relaunchedInstances() const {
  return instanceNames(pods, &PodDiff::relaunched);
}
std::vector<std::string> ConfigDiff::addedInstances() const {
  return instanceNames(pods, &PodDiff::added);
}
std::vector<std::string> ConfigDiff::decommissionedInstances() const {
  return instanceNames(pods, &PodDiff::decommissioned);
}

bool sameTaskConfig(const spec::PodSpec& a, const spec::PodSpec& b) {
  return withoutNoRestartFields(a) == withoutNoRestartFields(b);
}

ConfigDiff diffConfigs(const spec::ServiceSpec& from, const spec::ServiceSpec& to) {
  ConfigDiff diff;
  internal::diffJson(serviceJsonWithoutPods(from), serviceJsonWithoutPods(to), "",
                     diff.serviceChanges);
  for (const spec::PodSpec& pod : to.pods) diff.pods.push_back(diffPod(from.pod(pod.type), &pod));
  for (const spec::PodSpec& pod : from.pods) {
    if (to.pod(pod.type) == nullptr) diff.pods.push_back(diffPod(&pod, nullptr));
  }
  return diff;
}

}  // namespace keel::config
