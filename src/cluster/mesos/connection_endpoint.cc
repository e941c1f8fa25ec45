#include "keel/mesos/connection_endpoint.h"

#include <charconv>

namespace keel::mesos {
namespace {

struct Authority {
  std::string host;
  int port = kDefaultMasterPort;
};

Result<int> parsePort(std::string_view text, std::string_view whole) {
  int port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || port <= 0 ||
      port > 65535) {
    return Status::invalidArgument("bad port '" + std::string(text) + "' in master URL '" +
                                   std::string(whole) + "'");
  }
  return port;
}

Result<Authority> parseAuthority(std::string_view text, std::string_view whole) {
  Authority out;
  std::string_view portText;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) {
      return Status::invalidArgument("unclosed '[' in master URL '" + std::string(whole) + "'");
    }
    out.host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        return Status::invalidArgument("bad address in master URL '" + std::string(whole) + "'");
      }
      portText = rest.substr(1);
      if (portText.empty()) return parsePort(portText, whole).status();
    }
  } else {
    size_t colon = text.rfind(':');
    out.host = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) {
      portText = text.substr(colon + 1);
      if (portText.empty()) return parsePort(portText, whole).status();
    }
  }
  if (out.host.empty()) {
    return Status::invalidArgument("no host in master URL '" + std::string(whole) + "'");
  }
  if (!portText.empty()) {
    KEEL_ASSIGN_OR_RETURN(out.port, parsePort(portText, whole));
  }
  return out;
}

// Splits "authority[/path]" and fills `endpoint` (scheme already set).
Result<MasterEndpoint> parseAfterScheme(MasterEndpoint endpoint, std::string_view rest,
                                        std::string_view whole) {
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  KEEL_ASSIGN_OR_RETURN(Authority parsed, parseAuthority(authority, whole));
  endpoint.host = std::move(parsed.host);
  endpoint.port = parsed.port;
  endpoint.path =
      (path.empty() || path == "/") ? std::string(kSchedulerApiPath) : std::string(path);
  return endpoint;
}

}  // namespace

std::string MasterEndpoint::origin() const {
  bool v6 = host.find(':') != std::string::npos;
  return scheme + "://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string MasterEndpoint::url() const { return origin() + path; }

Result<MasterEndpoint> parseMasterUrl(std::string_view url) {
  MasterEndpoint endpoint;
  std::string_view rest = url;
  size_t sep = url.find("://");
  if (sep != std::string_view::npos) {
    std::string_view scheme = url.substr(0, sep);
    if (scheme != "http" && scheme != "https") {
      return Status::invalidArgument("unsupported scheme '" + std::string(scheme) +
                                     "' in master URL '" + std::string(url) +
                                     "' (expected http or https)");
    }
    endpoint.scheme = std::string(scheme);
    rest = url.substr(sep + 3);
  }
  return parseAfterScheme(std::move(endpoint), rest, url);
}

Result<MasterEndpoint> resolveRedirect(const MasterEndpoint& current, std::string_view location) {
  if (location.empty()) {
    return Status::invalidArgument("redirect without a Location header");
  }
  if (location.starts_with("//")) {
    MasterEndpoint endpoint;
    endpoint.scheme = current.scheme;
    return parseAfterScheme(std::move(endpoint), location.substr(2), location);
  }
  if (location.starts_with("/")) {
    return Status::invalidArgument("redirect to a path without a host: '" + std::string(location) +
                                   "'");
  }
  return parseMasterUrl(location);
}

}  // namespace keel::mesos
