#include "keel/config/task_env.h"

#include <cctype>

namespace keel::config {
namespace {

constexpr std::string_view kPrefix = "TASKCFG_";
constexpr std::string_view kAllPrefix = "TASKCFG_ALL_";

// Copies the variables named `prefix` + NAME (NAME non-empty) into `out` as NAME.
void routePrefixed(const std::map<std::string, std::string>& env, const std::string& prefix,
                   std::map<std::string, std::string>& out) {
  for (auto it = env.lower_bound(prefix); it != env.end(); ++it) {
    const std::string& key = it->first;
    if (key.compare(0, prefix.size(), prefix) != 0) break;
    if (key.size() > prefix.size()) out[key.substr(prefix.size())] = it->second;
  }
}

}  // namespace

std::string toEnvName(std::string_view podType) {
  std::string out;
  out.reserve(podType.size());
  for (char c : podType) {
    unsigned char u = static_cast<unsigned char>(c);
    out += std::isalnum(u) && u < 0x80 ? static_cast<char>(std::toupper(u)) : '_';
  }
  return out;
}

std::map<std::string, std::string> routeTaskEnv(
    const std::map<std::string, std::string>& schedulerEnv, const std::string& podType) {
  std::map<std::string, std::string> out;
  routePrefixed(schedulerEnv, std::string(kAllPrefix), out);
  routePrefixed(schedulerEnv, std::string(kPrefix) + toEnvName(podType) + "_", out);
  return out;
}

spec::ServiceSpec withRoutedTaskEnv(spec::ServiceSpec spec,
                                    const std::map<std::string, std::string>& schedulerEnv) {
  for (spec::PodSpec& pod : spec.pods) {
    std::map<std::string, std::string> routed = routeTaskEnv(schedulerEnv, pod.type);
    for (spec::TaskSpec& task : pod.tasks) {
      for (const auto& [name, value] : routed) task.env[name] = value;
    }
  }
  return spec;
}

}  // namespace keel::config
