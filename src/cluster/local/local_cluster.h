// LocalCluster: keel's local cluster in the calling process. From a
// ClusterConfig it takes the state directory's lock, opens the checkpoint
// (<stateDir>/state.db), starts the Master with one real AgentRuntime per
// agent (keel-executor processes, see agent_runtime.h) and serves the Mesos
// v1 scheduler API and the fault-injection routes over HTTP on loopback
// (see http_server.h). This is what `keel cluster run` runs, and what
// end-to-end tests start to give a MesosClient or a scheduler a real master.
//
// Contract (stable; other modules' tests rely on it):
//   - start() returns once the master thread runs and the HTTP server
//     listens: url() answers immediately. The agents' executors left by an
//     earlier cluster on the same state dir are re-adopted first.
//   - An empty config.stateDir means defaultStateDir(); empty config.agents
//     means defaultAgents(kDefaultAgentCount) on a fresh state dir, and the
//     checkpointed agents when the state dir holds a checkpoint (the
//     configured list is then ignored).
//   - config.executorBinary empty: defaultExecutorBinary().
//   - stop() (and the destructor) closes the streams, stops HTTP and the
//     master, writes a last checkpoint and releases the lock. Executors and
//     their tasks keep running (a new LocalCluster on the same state dir
//     re-adopts them); agentDown / removeAgent kill them.
//
// Failure behaviour: start() fails with FailedPrecondition when another
// cluster holds the state dir, IoError when the port cannot be bound or the
// state dir cannot be written, Corruption when state.db is not a checkpoint,
// and the agent runtime's error when keel-executor is missing.
//
// Thread-safety: url()/port()/master() from any thread; start/stop from one.
#pragma once

#include <memory>
#include <string>

#include "cluster/local/cluster_config.h"
#include "cluster/local/master.h"
#include "keel/result.h"

namespace keel::local {

// The keel-executor to run: $KEEL_EXECUTOR when set, else the one beside the
// running binary (/proc/self/exe), else the one this build produced.
std::string defaultExecutorBinary();

class LocalCluster {
 public:
  static Result<std::unique_ptr<LocalCluster>> start(ClusterConfig config);
  ~LocalCluster();
  LocalCluster(const LocalCluster&) = delete;
  LocalCluster& operator=(const LocalCluster&) = delete;

  // "http://127.0.0.1:<port>": the master URL to give a MesosClient.
  std::string url() const;
  int port() const;
  Master& master();
  // The configuration in effect (state dir and executor binary resolved).
  const ClusterConfig& config() const;
  // Idempotent; see the contract above.
  void stop();

  class Impl;

 private:
  explicit LocalCluster(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace keel::local
