#include "cluster/local/agent_protocol.h"

#include <nlohmann/json.hpp>

namespace keel::local {
namespace {

using nlohmann::json;

constexpr std::pair<MessageType, const char*> kTypeNames[] = {
    {MessageType::kLaunch, "launch"},     {MessageType::kKill, "kill"},
    {MessageType::kShutdown, "shutdown"}, {MessageType::kAck, "ack"},
    {MessageType::kHello, "hello"},       {MessageType::kUpdate, "update"},
};

double secs(Seconds s) { return s.count(); }

json envJson(const std::vector<std::pair<std::string, std::string>>& env) {
  json out = json::array();
  for (const auto& [k, v] : env) out.push_back({k, v});
  return out;
}
std::vector<std::pair<std::string, std::string>> envFrom(const json& j) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& kv : j)
    out.emplace_back(kv.at(0).get<std::string>(), kv.at(1).get<std::string>());
  return out;
}

json targetJson(const CheckTarget& t) {
  return {{"kind", static_cast<int>(t.kind)},
          {"command", t.command},
          {"env", envJson(t.env)},
          {"port", t.port},
          {"path", t.path}};
}
CheckTarget targetFrom(const json& j) {
  CheckTarget t;
  t.kind = static_cast<CheckKind>(j.at("kind").get<int>());
  t.command = j.at("command").get<std::string>();
  t.env = envFrom(j.at("env"));
  t.port = j.at("port").get<uint16_t>();
  t.path = j.at("path").get<std::string>();
  return t;
}

json taskJson(const TaskLaunch& t) {
  json j = {{"task_id", t.taskId},      {"name", t.name},
            {"shell", t.shell},         {"command", t.command},
            {"arguments", t.arguments}, {"env", envJson(t.env)},
            {"cpus", t.cpus},           {"mem", t.memMb}};
  for (const auto& u : t.uris) {
    j["uris"].push_back({{"value", u.value},
                         {"extract", u.extract},
                         {"executable", u.executable},
                         {"output_file", u.outputFile}});
  }
  for (const auto& r : t.rlimits) {
    json rl = {{"type", r.type}};
    if (r.soft) rl["soft"] = *r.soft;
    if (r.hard) rl["hard"] = *r.hard;
    j["rlimits"].push_back(rl);
  }
  for (const auto& v : t.volumes) {
    j["volumes"].push_back({{"host_path", v.hostPath},
                            {"container_path", v.containerPath},
                            {"read_only", v.readOnly}});
  }
  if (t.healthCheck) {
    const auto& h = *t.healthCheck;
    j["health_check"] = {{"target", targetJson(h.target)}, {"delay", secs(h.delay)},
                         {"interval", secs(h.interval)},   {"timeout", secs(h.timeout)},
                         {"grace", secs(h.gracePeriod)},   {"failures", h.consecutiveFailures}};
  }
  if (t.check) {
    const auto& c = *t.check;
    j["check"] = {{"target", targetJson(c.target)},
                  {"delay", secs(c.delay)},
                  {"interval", secs(c.interval)},
                  {"timeout", secs(c.timeout)}};
  }
  if (t.killGracePeriod) j["kill_grace_ms"] = t.killGracePeriod->count();
  return j;
}

TaskLaunch taskFrom(const json& j) {
  TaskLaunch t;
  t.taskId = j.at("task_id").get<std::string>();
  t.name = j.at("name").get<std::string>();
  t.shell = j.at("shell").get<bool>();
  t.command = j.at("command").get<std::string>();
  t.arguments = j.at("arguments").get<std::vector<std::string>>();
  t.env = envFrom(j.at("env"));
  t.cpus = j.at("cpus").get<double>();
  t.memMb = j.at("mem").get<double>();
  for (const auto& u : j.value("uris", json::array())) {
    t.uris.push_back({u.at("value").get<std::string>(), u.at("extract").get<bool>(),
                      u.at("executable").get<bool>(), u.at("output_file").get<std::string>()});
  }
  for (const auto& r : j.value("rlimits", json::array())) {
    RLimit rl{r.at("type").get<std::string>(), std::nullopt, std::nullopt};
    if (r.contains("soft")) rl.soft = r.at("soft").get<uint64_t>();
    if (r.contains("hard")) rl.hard = r.at("hard").get<uint64_t>();
    t.rlimits.push_back(rl);
  }
  for (const auto& v : j.value("volumes", json::array())) {
    t.volumes.push_back({v.at("host_path").get<std::string>(),
                         v.at("container_path").get<std::string>(), v.at("read_only").get<bool>()});
  }
  if (j.contains("health_check")) {
    const auto& h = j.at("health_check");
    t.healthCheck = HealthCheckSpec{targetFrom(h.at("target")),
                                    Seconds(h.at("delay").get<double>()),
                                    Seconds(h.at("interval").get<double>()),
                                    Seconds(h.at("timeout").get<double>()),
                                    Seconds(h.at("grace").get<double>()),
                                    h.at("failures").get<uint32_t>()};
  }
  if (j.contains("check")) {
    const auto& c = j.at("check");
    t.check =
        CheckSpec{targetFrom(c.at("target")), Seconds(c.at("delay").get<double>()),
                  Seconds(c.at("interval").get<double>()), Seconds(c.at("timeout").get<double>())};
  }
  if (j.contains("kill_grace_ms"))
    t.killGracePeriod = Duration(j.at("kill_grace_ms").get<int64_t>());
  return t;
}

json eventJson(const TaskEvent& e) {
  json j = {{"task_id", e.taskId},
            {"executor_id", e.executorId},
            {"framework_id", e.frameworkId},
            {"state", e.state},
            {"message", e.message},
            {"reason", e.reason},
            {"source", e.source},
            {"timestamp_ms", toEpochMillis(e.timestamp)},
            {"uuid", e.uuid}};
  if (e.healthy) j["healthy"] = *e.healthy;
  if (e.checkExitCode) j["check_exit_code"] = *e.checkExitCode;
  if (e.checkHttpStatus) j["check_http_status"] = *e.checkHttpStatus;
  if (e.checkTcpSucceeded) j["check_tcp_succeeded"] = *e.checkTcpSucceeded;
  return j;
}

TaskEvent eventFrom(const json& j) {
  TaskEvent e;
  e.taskId = j.at("task_id").get<std::string>();
  e.executorId = j.at("executor_id").get<std::string>();
  e.frameworkId = j.at("framework_id").get<std::string>();
  e.state = j.at("state").get<std::string>();
  e.message = j.at("message").get<std::string>();
  e.reason = j.at("reason").get<std::string>();
  e.source = j.at("source").get<std::string>();
  e.timestamp = fromEpochMillis(j.at("timestamp_ms").get<int64_t>());
  e.uuid = j.at("uuid").get<std::string>();
  if (j.contains("healthy")) e.healthy = j.at("healthy").get<bool>();
  if (j.contains("check_exit_code")) e.checkExitCode = j.at("check_exit_code").get<int>();
  if (j.contains("check_http_status")) e.checkHttpStatus = j.at("check_http_status").get<int>();
  if (j.contains("check_tcp_succeeded"))
    e.checkTcpSucceeded = j.at("check_tcp_succeeded").get<bool>();
  return e;
}

json bodyJson(const ControlMessage& m) {
  json j = json::object();
  switch (m.type) {
    case MessageType::kLaunch:
      j["tasks"] = json::array();
      for (const auto& t : m.tasks) j["tasks"].push_back(taskJson(t));
      break;
    case MessageType::kKill:
      j["task_id"] = m.taskId;
      if (m.grace) j["grace_ms"] = m.grace->count();
      break;
    case MessageType::kShutdown:
      break;
    case MessageType::kAck:
      j = {{"task_id", m.taskId}, {"uuid", m.uuid}};
      break;
    case MessageType::kHello:
      j["pid"] = m.pid;
      j["known"] = json::array();
      for (const auto& k : m.known) j["known"].push_back({k.taskId, k.state});
      break;
    case MessageType::kUpdate:
      j["status"] = eventJson(m.update);
      j["task_pid"] = m.taskPid;
      j["task_start"] = m.taskStartTime;
      break;
  }
  return j;
}

void bodyFrom(const json& j, ControlMessage* m) {
  switch (m->type) {
    case MessageType::kLaunch:
      for (const auto& t : j.at("tasks")) m->tasks.push_back(taskFrom(t));
      break;
    case MessageType::kKill:
      m->taskId = j.at("task_id").get<std::string>();
      if (j.contains("grace_ms")) m->grace = Duration(j.at("grace_ms").get<int64_t>());
      break;
    case MessageType::kShutdown:
      break;
    case MessageType::kAck:
      m->taskId = j.at("task_id").get<std::string>();
      m->uuid = j.at("uuid").get<std::string>();
      break;
    case MessageType::kHello:
      m->pid = j.at("pid").get<int>();
      for (const auto& k : j.at("known"))
        m->known.push_back({k.at(0).get<std::string>(), k.at(1).get<std::string>()});
      break;
    case MessageType::kUpdate:
      m->update = eventFrom(j.at("status"));
      m->taskPid = j.at("task_pid").get<int>();
      m->taskStartTime = j.at("task_start").get<uint64_t>();
      break;
  }
}

}  // namespace

ControlMessage launchMessage(std::vector<TaskLaunch> tasks) {
  ControlMessage m;
  m.type = MessageType::kLaunch;
  m.tasks = std::move(tasks);
  return m;
}
ControlMessage killMessage(std::string taskId, std::optional<Duration> grace) {
  ControlMessage m;
  m.type = MessageType::kKill;
  m.taskId = std::move(taskId);
  m.grace = grace;
  return m;
}
ControlMessage shutdownMessage() {
  ControlMessage m;
  m.type = MessageType::kShutdown;
  return m;
}
ControlMessage ackMessage(std::string taskId, std::string uuid) {
  ControlMessage m;
  m.type = MessageType::kAck;
  m.taskId = std::move(taskId);
  m.uuid = std::move(uuid);
  return m;
}
ControlMessage helloMessage(int pid, std::vector<TaskSummary> known) {
  ControlMessage m;
  m.type = MessageType::kHello;
  m.pid = pid;
  m.known = std::move(known);
  return m;
}
ControlMessage updateMessage(TaskEvent event, int taskPid, uint64_t taskStartTime) {
  ControlMessage m;
  m.type = MessageType::kUpdate;
  m.update = std::move(event);
  m.taskPid = taskPid;
  m.taskStartTime = taskStartTime;
  return m;
}

std::string encodeMessage(const ControlMessage& message) {
  json j = bodyJson(message);
  for (const auto& [type, name] : kTypeNames) {
    if (type == message.type) j["type"] = name;
  }
  return j.dump() + "\n";
}

Result<ControlMessage> decodeMessage(std::string_view line) {
  try {
    json j = json::parse(line);
    ControlMessage m;
    std::string type = j.at("type").get<std::string>();
    bool known = false;
    for (const auto& [t, name] : kTypeNames) {
      if (type == name) {
        m.type = t;
        known = true;
      }
    }
    if (!known) return Status::invalidArgument("unknown control message type '" + type + "'");
    bodyFrom(j, &m);
    return m;
  } catch (const json::exception& e) {
    return Status::invalidArgument(std::string("bad control message: ") + e.what());
  }
}

std::string encodeExecutorConfig(const ExecutorConfig& c) {
  json j = {{"executor_id", c.executorId},
            {"framework_id", c.frameworkId},
            {"agent_id", c.agentId},
            {"run_dir", c.runDir},
            {"socket_name", c.socketName},
            {"task_group", c.taskGroup},
            {"killing_state", c.killingState},
            {"linger_ms", c.linger.count()},
            {"reconnect_timeout_ms", c.reconnectTimeout.count()},
            {"cgroups",
             {{"mode", static_cast<int>(c.cgroups.mode)},
              {"memory_root", c.cgroups.memoryRoot},
              {"cpu_root", c.cgroups.cpuRoot},
              {"description", c.cgroups.description}}}};
  return j.dump(2) + "\n";
}

Result<ExecutorConfig> decodeExecutorConfig(std::string_view text) {
  try {
    json j = json::parse(text);
    ExecutorConfig c;
    c.executorId = j.at("executor_id").get<std::string>();
    c.frameworkId = j.at("framework_id").get<std::string>();
    c.agentId = j.at("agent_id").get<std::string>();
    c.runDir = j.at("run_dir").get<std::string>();
    c.socketName = j.at("socket_name").get<std::string>();
    c.taskGroup = j.at("task_group").get<bool>();
    c.killingState = j.at("killing_state").get<bool>();
    c.linger = Duration(j.at("linger_ms").get<int64_t>());
    c.reconnectTimeout = Duration(
        j.value("reconnect_timeout_ms", int64_t{kDefaultExecutorReconnectTimeout.count()}));
    const auto& cg = j.at("cgroups");
    c.cgroups.mode = static_cast<CgroupPlan::Mode>(cg.at("mode").get<int>());
    c.cgroups.memoryRoot = cg.at("memory_root").get<std::string>();
    c.cgroups.cpuRoot = cg.at("cpu_root").get<std::string>();
    c.cgroups.description = cg.at("description").get<std::string>();
    return c;
  } catch (const json::exception& e) {
    return Status::corruption(std::string("bad executor config: ") + e.what());
  }
}

bool isTerminalState(std::string_view s) {
  return s == "TASK_FINISHED" || s == "TASK_FAILED" || s == "TASK_KILLED" || s == "TASK_ERROR" ||
         s == "TASK_LOST" || s == "TASK_DROPPED" || s == "TASK_GONE" ||
         s == "TASK_GONE_BY_OPERATOR";
}

std::optional<std::string> LineBuffer::next() {
  size_t nl = data_.find('\n', start_);
  if (nl == std::string::npos) {
    if (start_ > 0) {
      data_.erase(0, start_);
      start_ = 0;
    }
    return std::nullopt;
  }
  std::string line = data_.substr(start_, nl - start_);
  start_ = nl + 1;
  if (start_ == data_.size()) {
    data_.clear();
    start_ = 0;
  }
  return line;
}

}  // namespace keel::local
