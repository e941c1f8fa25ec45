// ClusterConfig: the shape of a local cluster: where it keeps its state, the
// port it serves on, its timings and its simulated agents.
//
// Pure values; thread-safe to copy.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "keel/clock.h"
#include "keel/result.h"

namespace keel::local {

struct PortRange {
  uint64_t begin = 0;
  uint64_t end = 0;
  friend bool operator==(const PortRange&, const PortRange&) = default;
};

// One simulated agent. All agents share this machine, so their port ranges
// must not overlap (two tasks on different agents could otherwise bind the
// same port).
struct AgentConfig {
  std::string id;  // empty: assigned by the master as <master-id>-S<n>
  std::string hostname;
  double cpus = 2.0;
  double memMb = 2048.0;
  double diskMb = 20000.0;
  PortRange ports{31000, 31099};
  // TEXT attributes in offer order, e.g. {"zone","zone-a"}, {"rack","r1"}.
  std::vector<std::pair<std::string, std::string>> attributes;
  std::string region = "local";  // offer domain.fault_domain.region
  std::string zone;              // offer domain.fault_domain.zone; empty: no domain
  std::string workDir;           // empty: <state-dir>/agents/<id>
};

struct ClusterConfig {
  std::string stateDir;  // see defaultStateDir()
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port (the chosen one is written into the state dir)
  std::vector<AgentConfig> agents;
  Duration heartbeatInterval = std::chrono::seconds(15);
  // Allocation batching: offers of freed resources wait at most this long
  // (a REVIVE allocates at once). Mesos' default is 1 s; one machine's
  // allocation pass costs microseconds, and a relaunch in place waits for
  // the executor's resources to be offered again.
  Duration allocationInterval = std::chrono::milliseconds(250);
  // Status updates and operation updates are re-sent at this interval,
  // doubling up to the maximum, until acknowledged (the Mesos agent's status
  // update manager uses 10 s and 10 min).
  Duration updateRetryInitial = std::chrono::seconds(10);
  Duration updateRetryMax = std::chrono::minutes(10);
  std::string executorBinary;  // keel-executor; empty: the agent runtime's default
  bool useCgroups = true;
};

// $KEEL_CLUSTER_DIR, else $KEEL_HOME/cluster (beside the services under
// $KEEL_HOME/services), else $HOME/.keel/cluster, else /tmp/keel-cluster-<uid>.
std::string defaultStateDir();

// The agents of a new cluster unless told otherwise: room for the data-store
// tutorial scaled to 5 data nodes (each on its own agent) plus its 2
// meta-data nodes, with an agent to spare for a replacement.
inline constexpr int kDefaultAgentCount = 6;

// `count` agents of 2 cpus, 2048 MB, 20000 MB disk and 100 ports each
// (31000-31099, 31100-31199, ...), hostnames 127.0.0.1, 127.0.0.2, ... (all
// loopback, distinct for hostname placement rules), zones zone-a/b/c in turn
// and racks r1.. r<count>. Fails for count < 1 or ranges past port 65535.
Result<std::vector<AgentConfig>> defaultAgents(int count);

// The agent's work directory: its own, or <stateDir>/agents/<id>.
std::string agentWorkDir(const std::string& stateDir, const AgentConfig& agent);

}  // namespace keel::local
