// `keel cluster agent add|down|up|remove`: fault injection on the running
// cluster through its /agents routes.
#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cluster_command.h"
#include "cli/cluster_http.h"
#include "cli/commands.h"

namespace keel::cli {
namespace {

using nlohmann::json;

constexpr uint64_t kPortsPerAgent = 100;

// The first port range of kPortsPerAgent ports after every agent's ports
// (agents share this machine: their ranges must not overlap).
Result<json> nextPortRange(const std::string& url) {
  KEEL_ASSIGN_OR_RETURN(std::string body, clusterRequest(url, "GET", "/state"));
  json state = json::parse(body, nullptr, false);
  if (state.is_discarded()) return Status::internal("the cluster's /state is not JSON");
  uint64_t last = 30999;
  for (const json& a : state.value("agents", json::array())) {
    for (const json& r : a.value("total", json::array())) {
      if (r.value("name", "") != "ports" || !r.contains("ranges")) continue;
      for (const json& range : r["ranges"].value("range", json::array())) {
        last = std::max<uint64_t>(last, range.value("end", 0));
      }
    }
  }
  if (last + kPortsPerAgent > 65535) return Status::failedPrecondition("no free port range left");
  return json::array({last + 1, last + kPortsPerAgent});
}

Result<json> addBody(const std::string& url, const AgentArgs& agent) {
  json body = json::object();
  if (!agent.id.empty()) body["id"] = agent.id;
  if (!agent.hostname.empty()) body["hostname"] = agent.hostname;
  if (!agent.zone.empty()) body["zone"] = agent.zone;
  if (agent.cpus > 0) body["cpus"] = agent.cpus;
  if (agent.memMb > 0) body["mem"] = agent.memMb;
  if (agent.diskMb > 0) body["disk"] = agent.diskMb;
  for (const std::string& kv : agent.attributes) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::invalidArgument("--attribute expects key=value, found '" + kv + "'");
    }
    body["attributes"][kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  KEEL_ASSIGN_OR_RETURN(body["ports"], nextPortRange(url));
  return body;
}

Result<std::string> agentCall(const std::string& url, const AgentArgs& agent) {
  if (agent.action == "add") {
    KEEL_ASSIGN_OR_RETURN(json body, addBody(url, agent));
    KEEL_ASSIGN_OR_RETURN(std::string answer, clusterRequest(url, "POST", "/agents", body.dump()));
    json id = json::parse(answer, nullptr, false);
    return "agent " + (id.is_object() ? id.value("id", "?") : answer) + " added";
  }
  if (agent.id.empty()) return Status::invalidArgument("which agent? give its id");
  if (agent.action == "remove") {
    KEEL_RETURN_IF_ERROR(clusterRequest(url, "DELETE", "/agents/" + agent.id).status());
    return "agent " + agent.id + " removed";
  }
  KEEL_RETURN_IF_ERROR(
      clusterRequest(url, "POST", "/agents/" + agent.id + "/" + agent.action, "{}").status());
  return "agent " + agent.id + (agent.action == "down" ? " is down" : " is up");
}

}  // namespace

int runClusterAgent(const ClusterArgs& args, const AgentArgs& agent, std::ostream& out,
                    std::ostream& err) {
  Result<ClusterTarget> target = runningCluster(args);
  if (!target) {
    err << "keel cluster agent " << agent.action << ": " << target.error().message() << "\n";
    return kExitInvalid;
  }
  Result<std::string> done = agentCall(target->cluster.url, agent);
  if (!done) {
    err << "keel cluster agent " << agent.action << ": " << done.error().message() << "\n";
    return done.error().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitInvalid;
  }
  out << *done << "\n";
  return kExitOk;
}

void addAgentCommands(CLI::App& cluster, ClusterArgs& args, AgentArgs& agent, int& status) {
  CLI::App* cmd = cluster.add_subcommand("agent", "add an agent, or take one down, up or away");
  cmd->require_subcommand(1);
  auto run = [&](const std::string& action) {
    agent.action = action;
    status = runClusterAgent(args, agent, std::cout, std::cerr);
  };
  CLI::App* add = cmd->add_subcommand("add", "add an agent (next free port range)");
  addStateDirOption(*add, args);
  add->add_option("--id", agent.id, "its id (default: assigned)");
  add->add_option("--hostname", agent.hostname,
                  "its hostname (default: the first loopback address 127.0.0.N no agent has)");
  add->add_option("--zone", agent.zone, "its fault-domain zone");
  add->add_option("--cpus", agent.cpus, "cpus (default 2)");
  add->add_option("--mem", agent.memMb, "memory in MB (default 2048)");
  add->add_option("--disk", agent.diskMb, "disk in MB (default 20000)");
  add->add_option("--attribute", agent.attributes, "a TEXT attribute key=value (repeatable)");
  add->callback([run] { run("add"); });
  for (const char* action : {"down", "up", "remove"}) {
    std::string help = std::string(action) == "down" ? "the agent fails: its tasks are lost"
                       : std::string(action) == "up" ? "the agent returns with its volumes"
                                                     : "remove the agent for good";
    CLI::App* sub = cmd->add_subcommand(action, help);
    addStateDirOption(*sub, args);
    sub->add_option("id", agent.id, "the agent's id (see `keel cluster status`)")->required();
    sub->callback([run, a = std::string(action)] { run(a); });
  }
}

}  // namespace keel::cli
