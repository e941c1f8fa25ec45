#include "cluster/local/local_cluster.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "cluster/local/http_server.h"
#include "cluster/local/process_util.h"
#include "keel/ids.h"
#include "keel/log.h"
#include "keel/state/state_dir_lock.h"

namespace keel::local {
namespace {

namespace fs = std::filesystem;

bool executable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

MasterLoopOptions loopOptions(const ClusterConfig& config) {
  MasterLoopOptions o;
  o.master.stateDir = config.stateDir;
  o.master.heartbeatInterval = config.heartbeatInterval;
  o.master.updateRetryInitial = config.updateRetryInitial;
  o.master.updateRetryMax = config.updateRetryMax;
  o.master.ip = config.host;
  o.agents = config.agents;
  o.allocationInterval = config.allocationInterval;
  std::string executor = config.executorBinary;
  bool cgroups = config.useCgroups;
  o.makeRuntime = [executor, cgroups](const AgentConfig& agent, std::function<void()> onEvents) {
    AgentRuntimeOptions r;
    r.agentId = agent.id;
    r.workDir = agent.workDir;
    r.executorBinary = executor;
    r.useCgroups = cgroups;
    r.cpus = agent.cpus;
    r.onEvents = std::move(onEvents);
    return makeAgentRuntime(std::move(r));
  };
  return o;
}

}  // namespace

std::string defaultExecutorBinary() {
  if (const char* env = std::getenv("KEEL_EXECUTOR"); env != nullptr && *env != '\0') return env;
  std::string beside = (fs::path(currentExecutablePath()).parent_path() / "keel-executor").string();
  if (executable(beside)) return beside;
  return KEEL_EXECUTOR_BUILD_PATH;
}

class LocalCluster::Impl {
 public:
  Status start(ClusterConfig config) {
    config_ = std::move(config);
    if (config_.stateDir.empty()) config_.stateDir = defaultStateDir();
    if (config_.executorBinary.empty()) config_.executorBinary = defaultExecutorBinary();
    if (!executable(config_.executorBinary)) {
      return Status::failedPrecondition(
          "keel-executor not found at " + config_.executorBinary +
          ": build it (cmake --build build --target keel-executor) or set $KEEL_EXECUTOR");
    }
    KEEL_ASSIGN_OR_RETURN(lock_, state::StateDirLock::acquire(config_.stateDir, "keel cluster"));
    if (config_.agents.empty()) {
      KEEL_ASSIGN_OR_RETURN(config_.agents, defaultAgents(kDefaultAgentCount));
    }
    MasterLoopOptions options = loopOptions(config_);
    KEEL_ASSIGN_OR_RETURN(options.checkpoint, MasterCheckpoint::open(config_.stateDir));
    KEEL_ASSIGN_OR_RETURN(master_, Master::start(std::move(options)));
    HttpServerOptions http;
    http.host = config_.host;
    http.port = config_.port;
    KEEL_ASSIGN_OR_RETURN(server_, HttpServer::start(*master_, http));
    config_.port = server_->port();
    master_->setPort(config_.port);
    KEEL_LOG(Info, "cluster").field("url", url()).field("state_dir", config_.stateDir)
        << " local cluster serving";
    return Status::ok();
  }

  void stop() {
    if (server_) server_->stop();
    if (master_) master_->stop();
    lock_.reset();
  }

  std::string url() const { return "http://" + config_.host + ":" + std::to_string(config_.port); }

  ClusterConfig config_;
  std::optional<state::StateDirLock> lock_;
  std::unique_ptr<Master> master_;
  std::unique_ptr<HttpServer> server_;
};

Result<std::unique_ptr<LocalCluster>> LocalCluster::start(ClusterConfig config) {
  auto impl = std::make_unique<Impl>();
  Status status = impl->start(std::move(config));
  if (!status.isOk()) {
    impl->stop();
    return status;
  }
  return std::unique_ptr<LocalCluster>(new LocalCluster(std::move(impl)));
}

LocalCluster::LocalCluster(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

LocalCluster::~LocalCluster() { stop(); }

std::string LocalCluster::url() const { return impl_->url(); }

int LocalCluster::port() const { return impl_->config_.port; }

Master& LocalCluster::master() { return *impl_->master_; }

const ClusterConfig& LocalCluster::config() const { return impl_->config_; }

void LocalCluster::stop() { impl_->stop(); }

}  // namespace keel::local
