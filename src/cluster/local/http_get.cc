#include "cluster/local/http_get.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <optional>

namespace keel::local {
namespace {

struct Url {
  std::string host, port = "80", target = "/";
  std::string origin() const { return "http://" + host + ":" + port; }
};

Result<Url> parseUrl(const std::string& url) {
  constexpr std::string_view kScheme = "http://";
  if (url.compare(0, kScheme.size(), kScheme) != 0)
    return Status::invalidArgument("not an http:// URL: " + url);
  std::string rest = url.substr(kScheme.size());
  size_t slash = rest.find('/');
  Url u;
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) u.target = rest.substr(slash);
  size_t colon = authority.rfind(':');
  size_t bracket = authority.rfind(']');
  if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
    u.port = authority.substr(colon + 1);
    authority.resize(colon);
  }
  if (authority.size() > 1 && authority.front() == '[' && authority.back() == ']')
    authority = authority.substr(1, authority.size() - 2);
  if (authority.empty() || u.port.empty()) return Status::invalidArgument("bad URL: " + url);
  u.host = authority;
  return u;
}

bool waitFor(int fd, short events, Duration timeout) {
  pollfd p{fd, events, 0};
  int n;
  do {
    n = ::poll(&p, 1, static_cast<int>(timeout.count()));
  } while (n < 0 && errno == EINTR);
  return n == 1;
}

int connectOne(const addrinfo& ai, Duration timeout) {
  int fd = ::socket(ai.ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (::connect(fd, ai.ai_addr, ai.ai_addrlen) == 0) return fd;
  int error = errno;
  if (error == EINPROGRESS && waitFor(fd, POLLOUT, timeout)) {
    socklen_t len = sizeof error;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) == 0 && error == 0) return fd;
  }
  ::close(fd);
  return -1;
}

Result<int> connectTo(const Url& u, Duration timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(u.host.c_str(), u.port.c_str(), &hints, &found); rc != 0)
    return Status::unavailable("resolve " + u.host + ": " + ::gai_strerror(rc));
  int fd = -1;
  for (addrinfo* ai = found; ai != nullptr && fd < 0; ai = ai->ai_next)
    fd = connectOne(*ai, timeout);
  ::freeaddrinfo(found);
  if (fd < 0) return Status::unavailable("connect to " + u.origin() + ": refused or timed out");
  return fd;
}

// One connection: buffered reads with a timeout each.
class Connection {
 public:
  Connection(int fd, Duration timeout) : fd_(fd), timeout_(timeout) {}
  ~Connection() { ::close(fd_); }

  bool sendAll(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EAGAIN && waitFor(fd_, POLLOUT, timeout_)) continue;
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }
  // Reads more into the buffer; false at end of stream, error or timeout.
  bool fill() {
    char chunk[16384];
    while (true) {
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n > 0) {
        buffer.append(chunk, static_cast<size_t>(n));
        return true;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == EAGAIN && waitFor(fd_, POLLIN, timeout_)) continue;
      return false;
    }
  }
  // The next line (without CRLF), or nullopt when the stream ended first.
  std::optional<std::string> line() {
    size_t end;
    while ((end = buffer.find("\r\n")) == std::string::npos) {
      if (!fill()) return std::nullopt;
    }
    std::string out = buffer.substr(0, end);
    buffer.erase(0, end + 2);
    return out;
  }

  std::string buffer;

 private:
  int fd_;
  Duration timeout_;
};

struct Head {
  int status = 0;
  std::optional<size_t> contentLength;
  bool chunked = false;
  std::string location;
};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

Result<Head> readHead(Connection& c) {
  std::optional<std::string> status = c.line();
  Head head;
  if (!status || status->compare(0, 5, "HTTP/") != 0 || status->size() < 12)
    return Status::unavailable("no HTTP answer");
  head.status = std::atoi(status->c_str() + 9);
  while (true) {
    std::optional<std::string> line = c.line();
    if (!line) return Status::unavailable("answer cut short in its headers");
    if (line->empty()) return head;
    size_t colon = line->find(':');
    if (colon == std::string::npos) continue;
    std::string name = lower(line->substr(0, colon));
    size_t start = line->find_first_not_of(" \t", colon + 1);
    std::string value = start == std::string::npos ? "" : line->substr(start);
    if (name == "content-length") head.contentLength = std::strtoull(value.c_str(), nullptr, 10);
    if (name == "transfer-encoding")
      head.chunked = lower(value).find("chunked") != std::string::npos;
    if (name == "location") head.location = value;
  }
}

// Passes `n` bytes (all of the stream when nullopt) from the connection to `body`.
Status copyBody(Connection& c, std::optional<size_t> n, const BodySink& body) {
  while (!n || *n > 0) {
    if (c.buffer.empty() && !c.fill()) {
      if (!n) return Status::ok();
      return Status::unavailable("answer cut short in its body");
    }
    size_t take = n ? std::min(*n, c.buffer.size()) : c.buffer.size();
    if (!body(std::string_view(c.buffer).substr(0, take))) return Status::ioError("body refused");
    c.buffer.erase(0, take);
    if (n) *n -= take;
  }
  return Status::ok();
}

Status readChunked(Connection& c, const BodySink& body) {
  while (true) {
    std::optional<std::string> size = c.line();
    if (!size) return Status::unavailable("answer cut short in a chunk size");
    size_t n = std::strtoull(size->c_str(), nullptr, 16);
    if (n == 0) return Status::ok();  // trailers are not read: the connection closes
    KEEL_RETURN_IF_ERROR(copyBody(c, n, body));
    if (!c.line()) return Status::unavailable("answer cut short after a chunk");
  }
}

std::string redirectTarget(const Url& from, const std::string& location) {
  if (location.rfind("http://", 0) == 0 || location.rfind("https://", 0) == 0) return location;
  return from.origin() + (location.rfind('/', 0) == 0 ? location : "/" + location);
}

}  // namespace

Result<int> httpGet(const std::string& url, const HttpGetOptions& options, const BodySink& body) {
  KEEL_ASSIGN_OR_RETURN(Url u, parseUrl(url));
  KEEL_ASSIGN_OR_RETURN(int fd, connectTo(u, options.connectTimeout));
  Connection c(fd, options.readTimeout);
  std::string request = "GET " + u.target + " HTTP/1.1\r\nHost: " + u.host + ":" + u.port +
                        "\r\nUser-Agent: keel-executor\r\nAccept: */*\r\nConnection: close\r\n\r\n";
  if (!c.sendAll(request)) return Status::unavailable("send to " + u.origin() + " failed");
  KEEL_ASSIGN_OR_RETURN(Head head, readHead(c));
  bool redirect = head.status >= 300 && head.status < 400 && !head.location.empty();
  if (redirect && options.maxRedirects > 0) {
    HttpGetOptions next = options;
    --next.maxRedirects;
    return httpGet(redirectTarget(u, head.location), next, body);
  }
  if (head.status < 200 || head.status >= 300 || !body) return head.status;
  Status read = head.chunked ? readChunked(c, body) : copyBody(c, head.contentLength, body);
  if (!read.isOk()) return read.withContext("GET " + url);
  return head.status;
}

}  // namespace keel::local
