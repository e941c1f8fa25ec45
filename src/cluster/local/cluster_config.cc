#include "cluster/local/cluster_config.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace keel::local {

std::string defaultStateDir() {
  if (const char* dir = std::getenv("KEEL_CLUSTER_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  if (const char* keel = std::getenv("KEEL_HOME"); keel != nullptr && *keel != '\0') {
    return (std::filesystem::path(keel) / "cluster").string();
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return (std::filesystem::path(home) / ".keel" / "cluster").string();
  }
  return "/tmp/keel-cluster-" + std::to_string(::getuid());
}

Result<std::vector<AgentConfig>> defaultAgents(int count) {
  if (count < 1) return Status::invalidArgument("a cluster needs at least one agent");
  constexpr uint64_t kFirstPort = 31000;
  constexpr uint64_t kPortsPerAgent = 100;
  if (kFirstPort + static_cast<uint64_t>(count) * kPortsPerAgent - 1 > 65535 || count > 250) {
    return Status::invalidArgument("too many agents for distinct port ranges: " +
                                   std::to_string(count));
  }
  static const char* const kZones[] = {"zone-a", "zone-b", "zone-c"};
  std::vector<AgentConfig> agents;
  for (int i = 0; i < count; ++i) {
    AgentConfig agent;
    agent.hostname = "127.0.0." + std::to_string(i + 1);
    uint64_t begin = kFirstPort + static_cast<uint64_t>(i) * kPortsPerAgent;
    agent.ports = {begin, begin + kPortsPerAgent - 1};
    agent.zone = kZones[i % 3];
    agent.attributes = {{"zone", agent.zone}, {"rack", "r" + std::to_string(i + 1)}};
    agents.push_back(std::move(agent));
  }
  return agents;
}

std::string agentWorkDir(const std::string& stateDir, const AgentConfig& agent) {
  if (!agent.workDir.empty()) return agent.workDir;
  return (std::filesystem::path(stateDir) / "agents" / agent.id).string();
}

}  // namespace keel::local
