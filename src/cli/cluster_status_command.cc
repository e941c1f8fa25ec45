// `keel cluster status` and `keel cluster agent ...`: HTTP to the running
// cluster's /state and fault-injection routes.
#include <httplib.h>

#include <CLI/CLI.hpp>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cluster_command.h"
#include "cli/cluster_http.h"
#include "cli/commands.h"
#include "cluster/local/cluster_config.h"
#include "cluster/local/cluster_process.h"

namespace keel::cli {

using nlohmann::json;

Result<ClusterTarget> runningCluster(const ClusterArgs& args) {
  ClusterTarget t;
  t.stateDir = args.stateDir.empty() ? local::defaultStateDir() : args.stateDir;
  KEEL_ASSIGN_OR_RETURN(auto running, local::findRunningCluster(t.stateDir));
  if (!running) {
    return Status::notFound("no keel cluster is running on " + t.stateDir +
                            "; start one with `keel cluster start --state-dir " + t.stateDir + "`");
  }
  if (running->url.empty()) {
    return Status::unavailable("the keel cluster (pid " + std::to_string(running->pid) + ") on " +
                               t.stateDir + " is still starting; try again");
  }
  t.cluster = *running;
  return t;
}

Result<std::string> clusterRequest(const std::string& url, const std::string& method,
                                   const std::string& path, const std::string& body) {
  httplib::Client client(url);
  client.set_connection_timeout(5);
  client.set_read_timeout(30);
  httplib::Result r = method == "GET"      ? client.Get(path)
                      : method == "DELETE" ? client.Delete(path)
                                           : client.Post(path, body, "application/json");
  if (!r) {
    return Status::unavailable(method + " " + url + path +
                               " failed: " + httplib::to_string(r.error()));
  }
  if (r->status / 100 != 2) {
    return Status::failedPrecondition(method + " " + url + path + " answered " +
                                      std::to_string(r->status) + ": " + r->body);
  }
  return r->body;
}

namespace {

double scalar(const json& resources, const std::string& name) {
  double sum = 0;
  for (const json& r : resources) {
    if (r.value("name", "") == name && r.contains("scalar")) sum += r["scalar"].value("value", 0.0);
  }
  return sum;
}

std::string portRanges(const json& resources) {
  std::string out;
  for (const json& r : resources) {
    if (r.value("name", "") != "ports" || !r.contains("ranges")) continue;
    for (const json& range : r["ranges"].value("range", json::array())) {
      if (!out.empty()) out += ",";
      out += std::to_string(range.value("begin", 0)) + "-" + std::to_string(range.value("end", 0));
    }
  }
  return out.empty() ? "-" : out;
}

void printAgents(const json& state, std::ostream& out) {
  out << "agents (" << state["agents"].size() << "):\n";
  out << "  " << std::left << std::setw(44) << "ID" << std::setw(12) << "HOSTNAME" << std::setw(9)
      << "HEALTH" << std::setw(12) << "CPUS used" << std::setw(16) << "MEM MB used" << std::setw(18)
      << "DISK MB used"
      << "PORTS\n";
  for (const json& a : state["agents"]) {
    const json& total = a["total"];
    const json& used = a["allocated"];
    auto pair = [](double u, double t) {
      std::ostringstream s;
      s << u << "/" << t;
      return s.str();
    };
    out << "  " << std::left << std::setw(44) << a.value("id", "") << std::setw(12)
        << a.value("hostname", "") << std::setw(9) << a.value("health", "") << std::setw(12)
        << pair(scalar(used, "cpus"), scalar(total, "cpus")) << std::setw(16)
        << pair(scalar(used, "mem"), scalar(total, "mem")) << std::setw(18)
        << pair(scalar(used, "disk"), scalar(total, "disk")) << portRanges(total) << "\n";
  }
}

void printSummary(const ClusterTarget& t, const json& state, std::ostream& out) {
  out << "keel cluster: running at " << t.cluster.url << " (pid " << t.cluster.pid << ", state dir "
      << t.stateDir << ")\n";
  printAgents(state, out);
  std::map<std::string, int> byState;
  for (const json& task : state["tasks"]) ++byState[task.value("state", "")];
  out << "frameworks: " << state["frameworks"].size()
      << "; reservations: " << state["reservations"].size()
      << "; volumes: " << state["volumes"].size() << "; tasks: " << state["tasks"].size();
  for (const auto& [name, n] : byState) out << " " << name << "=" << n;
  out << "\n";
}

}  // namespace

int runClusterStatus(const ClusterArgs& args, std::ostream& out, std::ostream& err) {
  Result<ClusterTarget> target = runningCluster(args);
  if (!target) {
    (target.error().code() == StatusCode::kNotFound ? out : err)
        << "keel cluster: " << target.error().message() << "\n";
    return kExitInvalid;
  }
  Result<std::string> body = clusterRequest(target->cluster.url, "GET", "/state");
  json state = body ? json::parse(*body, nullptr, false) : json();
  if (!body || state.is_discarded()) {
    err << "keel cluster status: "
        << (body ? "the cluster's /state is not JSON" : std::string(body.error().message()))
        << "\n";
    return kExitInvalid;
  }
  if (args.json) {
    out << state.dump(2) << "\n";
  } else {
    printSummary(*target, state, out);
  }
  return kExitOk;
}

}  // namespace keel::cli
