#include "cluster/local/health_check.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cluster/local/http_get.h"
#include "cluster/local/process_util.h"

namespace keel::local {

HealthTracker::Outcome HealthTracker::onResult(bool healthy, TimePoint now) {
  Outcome out;
  if (healthy) {
    if (initializing_ || consecutiveFailures_ > 0) out.report = true;
    initializing_ = false;
    consecutiveFailures_ = 0;
    return out;
  }
  if (initializing_ && now - started_ <= spec_.gracePeriod) return out;
  ++consecutiveFailures_;
  out.kill = consecutiveFailures_ >= spec_.consecutiveFailures;
  if (consecutiveFailures_ == 1 || out.kill) out.report = false;
  return out;
}

std::optional<CheckResult> CheckTracker::onResult(const CheckResult& result) {
  if (last_ && *last_ == result) return std::nullopt;
  last_ = result;
  return result;
}

namespace {

bool tcpConnect(uint16_t port, Duration timeout) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  if (!ok && errno == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) == 1) {
      int error = 0;
      socklen_t len = sizeof error;
      ok = ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) == 0 && error == 0;
    }
  }
  ::close(fd);
  return ok;
}

int httpStatus(uint16_t port, const std::string& path, Duration timeout) {
  std::string target = path.empty() || path[0] != '/' ? "/" + path : path;
  HttpGetOptions options;
  options.connectTimeout = timeout;
  options.readTimeout = timeout;
  Result<int> status = httpGet("http://127.0.0.1:" + std::to_string(port) + target, options);
  return status ? *status : 0;
}

}  // namespace

int runProbe(const CheckTarget& target, Duration timeout, int resultFd) {
  std::string text;
  int rc = 1;
  if (target.kind == CheckKind::kTcp) {
    bool ok = tcpConnect(target.port, timeout);
    text.assign(1, ok ? '1' : '0');
    rc = ok ? 0 : 1;
  } else if (target.kind == CheckKind::kHttp) {
    int status = httpStatus(target.port, target.path, timeout);
    text = std::to_string(status);
    rc = status >= 200 && status < 400 ? 0 : 1;
  }
  if (resultFd >= 0) writeAll(resultFd, text);
  return rc;
}

}  // namespace keel::local
