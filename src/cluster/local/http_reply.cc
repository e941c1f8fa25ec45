#include "cluster/local/http_reply.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace keel::local {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// One media range of an Accept header: "type/subtype;q=0.5".
bool rangeAllows(std::string_view range, std::string_view mediaType) {
  std::string_view type = range.substr(0, range.find(';'));
  type = trim(type);
  double q = 1.0;
  size_t pos = range.find(';');
  while (pos != std::string_view::npos) {
    std::string_view rest = range.substr(pos + 1);
    size_t next = rest.find(';');
    std::string_view param = trim(rest.substr(0, next));
    if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
      q = std::strtod(std::string(param.substr(2)).c_str(), nullptr);
    }
    pos = next == std::string_view::npos ? next : pos + 1 + next;
  }
  if (q <= 0.0) return false;
  std::string want = lower(mediaType);
  std::string have = lower(type);
  if (have == "*/*" || have == want) return true;
  size_t slash = have.find('/');
  return slash != std::string::npos && have.substr(slash) == "/*" &&
         want.compare(0, slash + 1, have, 0, slash + 1) == 0;
}

}  // namespace

HttpReply HttpReply::accepted() { return HttpReply{202, "", "", {}}; }

HttpReply HttpReply::ok() { return HttpReply{200, "", "", {}}; }

HttpReply HttpReply::error(int status, std::string message) {
  return HttpReply{status, std::move(message), "text/plain; charset=utf-8", {}};
}

HttpReply HttpReply::json(int status, std::string body) {
  return HttpReply{status, std::move(body), "application/json", {}};
}

HttpReply methodNotAllowed(std::string_view method) {
  HttpReply reply =
      HttpReply::error(405, "405 Method Not Allowed. Expecting one of { 'POST' }, but received '" +
                                std::string(method) + "'.");
  reply.headers.emplace_back("Allow", "POST");
  return reply;
}

std::optional<HttpReply> checkContentType(const std::optional<std::string>& contentType) {
  if (!contentType) return HttpReply::badRequest("Expecting 'Content-Type' to be present");
  if (*contentType == kApplicationJson) return std::nullopt;
  return HttpReply::error(
      415, "Expecting 'Content-Type' of application/json or " + std::string(kApplicationProtobuf));
}

bool acceptsMediaType(const std::optional<std::string>& accept, std::string_view mediaType) {
  if (!accept) return true;
  std::string_view rest = *accept;
  while (true) {
    size_t comma = rest.find(',');
    if (rangeAllows(rest.substr(0, comma), mediaType)) return true;
    if (comma == std::string_view::npos) return false;
    rest.remove_prefix(comma + 1);
  }
}

std::optional<HttpReply> checkSubscribeAccept(const std::optional<std::string>& accept) {
  if (acceptsMediaType(accept, kApplicationJson)) return std::nullopt;
  return HttpReply::error(406, "Expecting 'Accept' to allow '" + std::string(kApplicationProtobuf) +
                                   "' or '" + std::string(kApplicationJson) + "'");
}

}  // namespace keel::local
