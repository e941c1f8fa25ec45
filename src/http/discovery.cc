#include "keel/http/discovery.h"

namespace keel::http {
namespace {

std::string dotsToDashes(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c == '.') c = '-';
  }
  return out;
}

std::string withoutSlashes(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (c != '/') out.push_back(c);
  }
  return out;
}

}  // namespace

std::string DiscoveryNames::taskHost(std::string_view task) const {
  return dotsToDashes(task) + "." + withoutSlashes(dotsToDashes(service)) + "." + domain;
}

std::string DiscoveryNames::taskEndpoint(std::string_view task, uint32_t port) const {
  return taskHost(task) + ":" + std::to_string(port);
}

std::string DiscoveryNames::vipEndpoint(std::string_view prefix, uint32_t port) const {
  std::string vd = vipDomain.empty() ? "l4lb." + domain : vipDomain;
  return withoutSlashes(prefix) + "." + withoutSlashes(service) + "." + vd + ":" +
         std::to_string(port);
}

}  // namespace keel::http
