#include "data_store_spec.h"

#include <cstdlib>

#include "keel/spec_builder.h"

namespace datastore {
namespace {

using keel::Result;
using keel::Status;
using Env = std::map<std::string, std::string>;

const char* const kContainerPathSuffix = "-container-path";

Result<std::string> var(const Env& env, const std::string& name) {
  auto it = env.find(name);
  if (it == env.end() || it->second.empty()) {
    return Status::invalidArgument("environment variable " + name + " is not set");
  }
  return it->second;
}

Result<double> number(const Env& env, const std::string& name) {
  KEEL_ASSIGN_OR_RETURN(std::string text, var(env, name));
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0') {
    return Status::invalidArgument(name + "=" + text + " is not a number");
  }
  return value;
}

// An optional true/false variable; false when unset.
Result<bool> flag(const Env& env, const std::string& name) {
  auto it = env.find(name);
  if (it == env.end() || it->second.empty() || it->second == "false") return false;
  if (it->second == "true") return true;
  return Status::invalidArgument(name + "=" + it->second + " is not true or false");
}

// One tier of the service: `name` nodes running `bash <name>` fetched from
// <PREFIX>_URI, each with its own volume and on an agent of its own.
Result<keel::TaskSet> tier(const Env& env, const std::string& prefix, const std::string& name) {
  KEEL_ASSIGN_OR_RETURN(double count, number(env, prefix + "_COUNT"));
  KEEL_ASSIGN_OR_RETURN(double cpus, number(env, prefix + "_CPU"));
  KEEL_ASSIGN_OR_RETURN(double mem, number(env, prefix + "_MEM"));
  KEEL_ASSIGN_OR_RETURN(double disk, number(env, prefix + "_DISK"));
  KEEL_ASSIGN_OR_RETURN(std::string uri, var(env, prefix + "_URI"));
  KEEL_ASSIGN_OR_RETURN(bool allowDecommission, flag(env, prefix + "_ALLOW_DECOMMISSION"));
  const std::string volumePath = name + kContainerPathSuffix;
  keel::TaskSet set(name, static_cast<int64_t>(count));
  set.command(keel::Command("bash " + name).uri(uri))
      .resources(cpus, mem)
      .volume(keel::Volume::root(disk, volumePath))
      .placement(keel::Placement::avoidTaskType(name))
      .allowDecommission(allowDecommission)
      .healthCheck(keel::HealthCheck::command("stat " + volumePath + "/output")
                       .interval(5)
                       .gracePeriod(30)
                       .maxConsecutiveFailures(3)
                       .delay(0)
                       .timeout(10));
  return set;
}

}  // namespace

Result<keel::spec::ServiceSpec> serviceSpec(const Env& env) {
  KEEL_ASSIGN_OR_RETURN(keel::TaskSet metadata, tier(env, "METADATA", "meta-data"));
  KEEL_ASSIGN_OR_RETURN(keel::TaskSet data, tier(env, "DATA", "data"));
  return keel::ServiceBuilder("data-store").add(metadata).add(data).build();
}

}  // namespace datastore
