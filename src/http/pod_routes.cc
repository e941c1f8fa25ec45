// /v1/pod/... (dcos-commons' PodResource and PodQueries) and the
// tutorial-era /v1/tasks/restart and /v1/tasks/connection.
#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "http/json_util.h"
#include "http/response.h"
#include "http/routes.h"
#include "keel/log.h"

namespace keel::http {
namespace {

using nlohmann::ordered_json;

// Tasks without pod labels are shown as pod "UNKNOWN_POD", as dcos-commons
// does.
constexpr const char* kUnknownPod = "UNKNOWN_POD";

std::string instanceName(const TaskView& t) { return t.podType + "-" + std::to_string(t.podIndex); }

// Tasks by pod type, then by numeric index; tasks sorted by name.
struct GroupedTasks {
  std::map<std::string, std::map<int64_t, std::vector<const TaskView*>>> byPod;
  std::vector<const TaskView*> unknown;
};

GroupedTasks groupTasks(const std::vector<TaskView>& tasks) {
  std::vector<const TaskView*> sorted;
  for (const TaskView& t : tasks) sorted.push_back(&t);
  std::sort(sorted.begin(), sorted.end(),
            [](const TaskView* a, const TaskView* b) { return a->name < b->name; });
  GroupedTasks g;
  for (const TaskView* t : sorted) {
    if (t->podType.empty()) {
      g.unknown.push_back(t);
    } else {
      g.byPod[t->podType][t->podIndex].push_back(t);
    }
  }
  return g;
}

std::vector<const TaskView*> instanceTasks(const std::vector<TaskView>& tasks,
                                           const std::string& pod) {
  std::vector<const TaskView*> out;
  for (const TaskView& t : tasks) {
    if (!t.podType.empty() && instanceName(t) == pod) out.push_back(&t);
  }
  std::sort(out.begin(), out.end(),
            [](const TaskView* a, const TaskView* b) { return a->name < b->name; });
  return out;
}

ordered_json instanceJson(const std::string& name, const std::vector<const TaskView*>& tasks) {
  ordered_json list = ordered_json::array();
  for (const TaskView* t : tasks) {
    ordered_json task = {{"id", t->taskId}, {"name", t->name}};
    if (t->state) task["status"] = *t->state;
    list.push_back(std::move(task));
  }
  return {{"name", name}, {"tasks", std::move(list)}};
}

Response podList(RouteContext& ctx) {
  Result<std::vector<TaskView>> tasks = ctx.api.tasks();
  if (!tasks) return errorResponse(tasks.error());
  GroupedTasks g = groupTasks(*tasks);
  std::vector<std::string> names;
  for (const auto& [type, instances] : g.byPod) {
    for (const auto& [index, list] : instances) names.push_back(type + "-" + std::to_string(index));
  }
  std::sort(names.begin(), names.end());
  for (const TaskView* t : g.unknown) names.push_back(std::string(kUnknownPod) + "_" + t->name);
  return stringArrayResponse(names);
}

// "pods" is always present (dcos-commons omitted it when there were no
// tasks, an artefact of JSONObject.append).
Response podStatuses(RouteContext& ctx) {
  Result<std::vector<TaskView>> tasks = ctx.api.tasks();
  if (!tasks) return errorResponse(tasks.error());
  GroupedTasks g = groupTasks(*tasks);
  ordered_json pods = ordered_json::array();
  for (const auto& [type, instances] : g.byPod) {
    ordered_json list = ordered_json::array();
    for (const auto& [index, members] : instances) {
      list.push_back(instanceJson(type + "-" + std::to_string(index), members));
    }
    pods.push_back({{"name", type}, {"instances", std::move(list)}});
  }
  if (!g.unknown.empty()) {
    ordered_json list =
        ordered_json::array({instanceJson(std::string(kUnknownPod) + "-0", g.unknown)});
    pods.push_back({{"name", kUnknownPod}, {"instances", std::move(list)}});
  }
  ordered_json out = {{"service", ctx.api.serviceName()}, {"pods", std::move(pods)}};
  return jsonResponse(200, dumpJson(out));
}

Response podStatus(RouteContext& ctx, const std::string& pod) {
  Result<std::vector<TaskView>> tasks = ctx.api.tasks();
  if (!tasks) return errorResponse(tasks.error());
  std::vector<const TaskView*> members = instanceTasks(*tasks, pod);
  if (members.empty()) return notFound("Pod " + pod);
  return jsonResponse(200, dumpJson(instanceJson(pod, members)));
}

// [{"info": TaskInfo, "status": TaskStatus}], "status" omitted before the
// first TaskStatus.
Response podInfo(RouteContext& ctx, const std::string& pod) {
  Result<std::vector<TaskView>> tasks = ctx.api.tasks();
  if (!tasks) return errorResponse(tasks.error());
  std::vector<const TaskView*> members = instanceTasks(*tasks, pod);
  if (members.empty()) return notFound("Pod " + pod);
  ordered_json out = ordered_json::array();
  for (const TaskView* t : members) {
    ordered_json entry = {{"info", ordered_json::parse(t->infoJson, nullptr, false)}};
    if (t->statusJson) entry["status"] = ordered_json::parse(*t->statusJson, nullptr, false);
    if (entry["info"].is_discarded() ||
        (entry.contains("status") && entry["status"].is_discarded())) {
      return messageResponse(
          500, "The stored TaskInfo or TaskStatus of " + t->name + " is not valid JSON");
    }
    out.push_back(std::move(entry));
  }
  return jsonResponse(200, dumpJson(out));
}

Response podRestart(RouteContext& ctx, const std::string& pod, bool replace) {
  Result<std::vector<TaskView>> tasks = ctx.api.tasks();
  if (!tasks) return errorResponse(tasks.error());
  if (instanceTasks(*tasks, pod).empty()) return notFound("Pod " + pod);
  Result<std::vector<std::string>> killed = ctx.api.restartPod(pod, replace);
  if (!killed) return errorResponse(killed.error());
  ctx.planCache.invalidate();
  if (logEnabled(LogLevel::kInfo)) {
    (LogMessage(LogLevel::kInfo, "http") << (replace ? "pod replace" : "pod restart"))
        .field("pod", pod)
        .field("tasks", killed->size());
  }
  ordered_json out = {{"pod", pod}, {"tasks", *killed}};
  return jsonResponse(200, dumpJson(out));
}

// ?replace=true|false, as Boolean.parseBoolean read it (any case); keel
// rejects other values with 400 where dcos-commons took them as false.
Result<bool> parseReplace(const Request& req) {
  if (!req.hasArg("replace")) return false;
  std::string v = req.arg("replace");
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  if (v == "true") return true;
  if (v == "false") return false;
  return Status::invalidArgument("replace must be true or false, not '" + req.arg("replace") + "'");
}

// dcos-commons answered 202 with no body; keel adds a command result.
Response taskRestart(RouteContext& ctx, const Request& req) {
  Result<bool> replace = parseReplace(req);
  if (!replace) return errorResponse(replace.error());
  const std::string& task = req.params[0];
  Status s = ctx.api.restartTask(task, *replace);
  if (s.code() == StatusCode::kNotFound) return notFound("Task " + task);
  if (!s.isOk()) return errorResponse(s);
  ctx.planCache.invalidate();
  return messageResponse(
      202, "Received cmd: restart " + task + " with replace=" + (*replace ? "true" : "false"));
}

std::string portsText(const std::vector<TaskPortRange>& ranges) {
  std::string out;
  for (const TaskPortRange& r : ranges) {
    if (!out.empty()) out += ",";
    out += std::to_string(r.begin);
    if (r.end != r.begin) out += "-" + std::to_string(r.end);
  }
  return out;
}

Response taskConnection(RouteContext& ctx, const std::string& task) {
  Result<std::vector<TaskView>> tasks = ctx.api.tasks();
  if (!tasks) return errorResponse(tasks.error());
  auto it =
      std::find_if(tasks->begin(), tasks->end(), [&](const TaskView& t) { return t.name == task; });
  if (it == tasks->end()) return notFound("Task " + task);
  ordered_json out = {{"dns", ctx.names().taskHost(task)}, {"ports", portsText(it->ports)}};
  return jsonResponse(200, dumpJson(out));
}

}  // namespace

void addPodRoutes(Router& router, RouteContext& ctx) {
  router.add("GET", "/v1/pod", [&ctx](const Request&) { return podList(ctx); });
  router.add("GET", "/v1/pod/status", [&ctx](const Request&) { return podStatuses(ctx); });
  router.add("GET", "/v1/pod/{pod}/status",
             [&ctx](const Request& req) { return podStatus(ctx, req.params[0]); });
  router.add("GET", "/v1/pod/{pod}/info",
             [&ctx](const Request& req) { return podInfo(ctx, req.params[0]); });
  router.add("POST", "/v1/pod/{pod}/restart",
             [&ctx](const Request& req) { return podRestart(ctx, req.params[0], false); });
  router.add("POST", "/v1/pod/{pod}/replace",
             [&ctx](const Request& req) { return podRestart(ctx, req.params[0], true); });
  router.add("POST", "/v1/tasks/restart/{task}",
             [&ctx](const Request& req) { return taskRestart(ctx, req); });
  router.add("GET", "/v1/tasks/connection/{task}",
             [&ctx](const Request& req) { return taskConnection(ctx, req.params[0]); });
}

}  // namespace keel::http
