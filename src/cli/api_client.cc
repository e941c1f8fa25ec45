#include "cli/api_client.h"

#include <httplib.h>

#include <cctype>
#include <utility>

namespace keel::cli {
namespace {

Status transportError(const std::string& url, httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection:
      return Status::unavailable("no scheduler at " + url + ": is `keel run` running?");
    case httplib::Error::ConnectionTimeout:
    case httplib::Error::Read:
      return Status::deadlineExceeded("the scheduler at " + url + " did not answer (" +
                                      httplib::to_string(error) + ")");
    default:
      return Status::ioError("request to the scheduler at " + url +
                             " failed: " + httplib::to_string(error));
  }
}

std::string mediaType(const std::string& contentType) {
  return contentType.substr(0, contentType.find(';'));
}

}  // namespace

ApiClient::ApiClient(std::string baseUrl, Duration timeout)
    : url_(std::move(baseUrl)), timeout_(timeout) {}

Result<ApiReply> ApiClient::get(const std::string& target) const { return send("GET", target, ""); }

Result<ApiReply> ApiClient::post(const std::string& target, const std::string& body) const {
  return send("POST", target, body);
}

Result<ApiReply> ApiClient::send(const std::string& method, const std::string& target,
                                 const std::string& body) const {
  httplib::Client client(url_);
  if (!client.is_valid()) return Status::invalidArgument("not a scheduler URL: " + url_);
  auto timeout = std::chrono::duration_cast<std::chrono::microseconds>(timeout_);
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  client.set_write_timeout(timeout);
  httplib::Result r =
      method == "GET" ? client.Get(target) : client.Post(target, body, "application/json");
  if (!r) return transportError(url_, r.error());
  return ApiReply{r->status, r->body, mediaType(r->get_header_value("Content-Type"))};
}

std::string urlEncode(const std::string& value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string withQuery(const std::string& target, const std::string& key, const std::string& value) {
  if (value.empty()) return target;
  char separator = target.find('?') == std::string::npos ? '?' : '&';
  return target + separator + urlEncode(key) + "=" + urlEncode(value);
}

}  // namespace keel::cli
