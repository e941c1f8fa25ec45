// MasterEndpoint: where the scheduler API of a Mesos master (or of keel's
// local cluster) is served, parsed from a user-given URL or from the Location
// of a 307 redirect.
//
// Pure value functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "keel/result.h"

namespace keel::mesos {

inline constexpr std::string_view kSchedulerApiPath = "/api/v1/scheduler";
inline constexpr int kDefaultMasterPort = 5050;

struct MasterEndpoint {
  std::string scheme = "http";  // "http" or "https"
  std::string host;             // name or address; IPv6 without brackets
  int port = kDefaultMasterPort;
  std::string path = std::string(kSchedulerApiPath);

  // "http://host:port" (IPv6 hosts in brackets), without the path: the form
  // an HTTP client is constructed from.
  std::string origin() const;
  // origin() + path.
  std::string url() const;

  friend bool operator==(const MasterEndpoint&, const MasterEndpoint&) = default;
};

// Accepts "http://host:port", "https://host:port", "host:port", "host", each
// optionally followed by a path (kept; "/" or none means kSchedulerApiPath).
// Port defaults to 5050. Fails with kInvalidArgument, naming the problem, on
// an empty host, a bad port or another scheme.
Result<MasterEndpoint> parseMasterUrl(std::string_view url);

// Resolves a 307 `Location` against the endpoint that answered it. Mesos sends
// a protocol-relative "//leader-host:port/api/v1/scheduler" (the scheme of
// `current` is kept); absolute URLs and the documented bare "host:port" form
// are accepted too. An empty or malformed location is kInvalidArgument.
Result<MasterEndpoint> resolveRedirect(const MasterEndpoint& current, std::string_view location);

}  // namespace keel::mesos
