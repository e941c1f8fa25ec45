// Service discovery names: how clients reach a service's tasks.
//
// Every task gets the DNS name `<task>.<service>.<domain>` (dcos-commons'
// autoip names, with keel's domain in place of autoip.dcos.thisdcos.directory,
// and the tutorial's Mesos-DNS `<task>.<framework>.mesos`). The domain is
// configurable; the default, "keel.local", is a name of keel's local cluster
// (it resolves nowhere else). Name parts follow dcos-commons' EndpointUtils:
// dots in task and service names become dashes, slashes in a service name
// (folders, "/group/svc") are removed, and a VIP is
// `<prefix>.<service>.<vipDomain>:<port>`.
//
// Values; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace keel::http {

inline constexpr std::string_view kDefaultDomain = "keel.local";

struct DiscoveryNames {
  std::string service;
  std::string domain = std::string(kDefaultDomain);
  // Where VIPs live; empty: "l4lb." + domain.
  std::string vipDomain;

  // "data-0-node" -> "data-0-node.data-store.keel.local".
  std::string taskHost(std::string_view task) const;
  // "data-0-node", 4388 -> "data-0-node.data-store.keel.local:4388".
  std::string taskEndpoint(std::string_view task, uint32_t port) const;
  // "db", 5432 -> "db.data-store.l4lb.keel.local:5432".
  std::string vipEndpoint(std::string_view prefix, uint32_t port) const;
};

}  // namespace keel::http
