// `keel cluster`: keel's local cluster from the command line.
//   keel cluster run    [--state-dir D] [--agents N] [--port P]   foreground
//   keel cluster start  [--state-dir D] [--agents N] [--port P]   daemon
//   keel cluster stop   [--state-dir D]
//   keel cluster status [--state-dir D] [--json]
//   keel cluster agent add [--cpus C --mem M --disk D --hostname H --zone Z
//                           --attribute k=v ...] | down ID | up ID | remove ID
// The state directory defaults to defaultStateDir() ($KEEL_CLUSTER_DIR, else
// $KEEL_HOME/cluster, else $HOME/.keel/cluster). Exit status as in commands.h.
//
// Thread-safety: run from main() only (`run` installs its signal mask).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace keel::cli {

// Registers `cluster` and its subcommands on `app`; the one that runs sets
// `status`.
void addClusterCommand(CLI::App& app, int& status);

struct ClusterArgs {
  std::string stateDir;  // empty: defaultStateDir()
  int agents = 0;        // 0: kDefaultAgentCount
  int port = 0;          // 0: any free port
  std::string executor;  // keel-executor; empty: the default
  bool json = false;
};

// Runs the cluster in this process until SIGTERM or SIGINT.
int runClusterRun(const ClusterArgs& args, std::ostream& out, std::ostream& err);
int runClusterStart(const ClusterArgs& args, std::ostream& out, std::ostream& err);
int runClusterStop(const ClusterArgs& args, std::ostream& out, std::ostream& err);
int runClusterStatus(const ClusterArgs& args, std::ostream& out, std::ostream& err);

struct AgentArgs {
  std::string action;  // add, down, up, remove
  std::string id;      // down, up, remove (add: optional)
  std::string hostname, zone;
  double cpus = 0, memMb = 0, diskMb = 0;  // 0: the cluster's default
  std::vector<std::string> attributes;     // k=v
};
int runClusterAgent(const ClusterArgs& args, const AgentArgs& agent, std::ostream& out,
                    std::ostream& err);

// Adds --state-dir to a `keel cluster` subcommand.
void addStateDirOption(CLI::App& cmd, ClusterArgs& args);

// Registers `agent add|down|up|remove` under `cluster` (cluster_agent_command.cc).
void addAgentCommands(CLI::App& cluster, ClusterArgs& args, AgentArgs& agent, int& status);

}  // namespace keel::cli
