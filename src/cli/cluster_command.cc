#include "cli/cluster_command.h"

#include <signal.h>
#include <unistd.h>

#include <cstring>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cluster/local/cluster_process.h"
#include "cluster/local/local_cluster.h"
#include "cluster/local/process_util.h"

namespace keel::cli {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr Duration kStartDeadline = 60s;
constexpr Duration kStopDeadline = 60s;

std::string stateDirOf(const ClusterArgs& args) {
  return args.stateDir.empty() ? local::defaultStateDir() : args.stateDir;
}

Status writeRunFiles(const std::string& stateDir, const local::LocalCluster& cluster) {
  fs::path dir(stateDir);
  KEEL_RETURN_IF_ERROR(local::writeFileAtomically((dir / local::kPortFileName).string(),
                                                  std::to_string(cluster.port()) + "\n"));
  KEEL_RETURN_IF_ERROR(
      local::writeFileAtomically((dir / local::kUrlFileName).string(), cluster.url() + "\n"));
  // Last: findRunningCluster trusts cluster.url only once cluster.pid names
  // the lock holder, so a URL left by a killed cluster is never read as ours.
  return local::writeFileAtomically((dir / local::kPidFileName).string(),
                                    std::to_string(::getpid()) + "\n");
}

void removeRunFiles(const std::string& stateDir) {
  std::error_code ec;
  for (const char* name : {local::kUrlFileName, local::kPidFileName, local::kPortFileName}) {
    fs::remove(fs::path(stateDir) / name, ec);
  }
}

Result<local::ClusterConfig> configOf(const ClusterArgs& args) {
  local::ClusterConfig config;
  config.stateDir = stateDirOf(args);
  config.port = args.port;
  config.executorBinary = args.executor;
  if (args.agents != 0) {
    KEEL_ASSIGN_OR_RETURN(config.agents, local::defaultAgents(args.agents));
  }
  return config;
}

// Starts the cluster on the port it served last (master-port) when `reuse`
// and that port is known, else, or when it is taken, on config.port.
Result<std::unique_ptr<local::LocalCluster>> startOnKnownPort(local::ClusterConfig config,
                                                              bool reuse, std::ostream& err) {
  fs::path portFile = fs::path(config.stateDir) / local::kMasterPortFileName;
  int port = 0;
  if (Result<std::string> last = local::readFile(portFile.string()); reuse && last) {
    port = std::atoi(last->c_str());
  }
  if (port > 0) {
    local::ClusterConfig known = config;
    known.port = port;
    auto cluster = local::LocalCluster::start(std::move(known));
    if (cluster) return cluster;
    err << "keel cluster run: port " << port << " served last is not available ("
        << cluster.error().message() << "); serving another port\n";
  }
  auto cluster = local::LocalCluster::start(std::move(config));
  if (cluster) {
    Status saved =
        local::writeFileAtomically(portFile.string(), std::to_string((*cluster)->port()) + "\n");
    if (!saved.isOk()) err << "keel cluster run: " << saved.message() << "\n";
  }
  return cluster;
}

// Blocks SIGTERM and SIGINT in this thread (and the threads it starts) so
// that sigwait() receives them.
sigset_t blockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

}  // namespace

int runClusterRun(const ClusterArgs& args, std::ostream& out, std::ostream& err) {
  sigset_t stopSignals = blockStopSignals();
  Result<local::ClusterConfig> config = configOf(args);
  if (!config) {
    err << "keel cluster run: " << config.error().message() << "\n";
    return kExitUsage;
  }
  auto cluster = startOnKnownPort(std::move(*config), args.port == 0, err);
  if (!cluster) {
    err << "keel cluster run: " << cluster.error().message() << "\n";
    return kExitInvalid;
  }
  const std::string& stateDir = (*cluster)->config().stateDir;
  if (Status s = writeRunFiles(stateDir, **cluster); !s.isOk()) {
    err << "keel cluster run: " << s.message() << "\n";
    return kExitInvalid;
  }
  out << "keel cluster: serving " << (*cluster)->url() << " (state dir " << stateDir << ", pid "
      << ::getpid() << "); stop with SIGTERM, Ctrl-C or `keel cluster stop`" << std::endl;
  int signal = 0;
  sigwait(&stopSignals, &signal);
  out << "keel cluster: " << strsignal(signal) << ", stopping" << std::endl;
  removeRunFiles(stateDir);
  (*cluster)->stop();
  out << "keel cluster: stopped" << std::endl;
  return kExitOk;
}

int runClusterStart(const ClusterArgs& args, std::ostream& out, std::ostream& err) {
  std::string stateDir = fs::absolute(stateDirOf(args)).string();
  std::vector<std::string> argv{local::currentExecutablePath(), "cluster", "run", "--state-dir",
                                stateDir};
  if (args.agents != 0) argv.insert(argv.end(), {"--agents", std::to_string(args.agents)});
  if (args.port != 0) argv.insert(argv.end(), {"--port", std::to_string(args.port)});
  if (!args.executor.empty()) argv.insert(argv.end(), {"--executor", args.executor});
  auto running = local::startClusterDaemon(stateDir, argv, kStartDeadline);
  if (!running) {
    err << "keel cluster start: " << running.error().message() << "\n";
    return kExitInvalid;
  }
  out << "keel cluster started: " << running->url << " (pid " << running->pid << ", state dir "
      << stateDir << ", log " << (fs::path(stateDir) / local::kLogFileName).string() << ")\n";
  return kExitOk;
}

int runClusterStop(const ClusterArgs& args, std::ostream& out, std::ostream& err) {
  std::string stateDir = stateDirOf(args);
  Status s = local::stopCluster(stateDir, kStopDeadline);
  if (s.code() == StatusCode::kNotFound) {
    out << "no keel cluster is running on " << stateDir << " (nothing to stop)\n";
    return kExitOk;
  }
  if (!s.isOk()) {
    err << "keel cluster stop: " << s.message() << "\n";
    return kExitInvalid;
  }
  out << "keel cluster stopped (state dir " << stateDir << ")\n";
  return kExitOk;
}

void addStateDirOption(CLI::App& cmd, ClusterArgs& args) {
  cmd.add_option("--state-dir", args.stateDir,
                 "where the cluster keeps its state (default $KEEL_CLUSTER_DIR, else "
                 "$KEEL_HOME/cluster, else $HOME/.keel/cluster)");
}

void addClusterCommand(CLI::App& app, int& status) {
  static ClusterArgs args;
  static AgentArgs agent;
  CLI::App* cluster = app.add_subcommand("cluster", "keel's local cluster on this machine");
  cluster->require_subcommand(1);
  auto addShape = [&](CLI::App* cmd) {
    addStateDirOption(*cmd, args);
    cmd->add_option("--agents", args.agents, "number of agents of a new cluster (default 6)")
        ->check(CLI::Range(1, 250));
    cmd->add_option("--port", args.port, "port of the master (default: any free port)")
        ->check(CLI::Range(0, 65535));
    cmd->add_option("--executor", args.executor, "the keel-executor binary to run tasks with");
  };
  CLI::App* run = cluster->add_subcommand("run", "run the cluster in the foreground");
  addShape(run);
  run->callback([&] { status = runClusterRun(args, std::cout, std::cerr); });
  CLI::App* start = cluster->add_subcommand("start", "start the cluster in the background");
  addShape(start);
  start->callback([&] { status = runClusterStart(args, std::cout, std::cerr); });
  CLI::App* stop = cluster->add_subcommand("stop", "stop the running cluster");
  addStateDirOption(*stop, args);
  stop->callback([&] { status = runClusterStop(args, std::cout, std::cerr); });
  CLI::App* show = cluster->add_subcommand("status", "the running cluster and its agents");
  addStateDirOption(*show, args);
  show->add_flag("--json", args.json, "print the cluster's /state document");
  show->callback([&] { status = runClusterStatus(args, std::cout, std::cerr); });
  addAgentCommands(*cluster, args, agent, status);
}

}  // namespace keel::cli
