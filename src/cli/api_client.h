// ApiClient: requests to a scheduler's HTTP API (keel/http/api_server.h)
// for the operator commands. One short-lived connection per request.
//
// Thread-safety: const methods may be called from any thread.
// Failure behaviour: any HTTP answer, 4xx and 5xx included, is an ApiReply;
// only a failure to get an answer is an error: Unavailable "no scheduler at
// URL: is `keel run` running?" when nothing listens, DeadlineExceeded when
// the scheduler does not answer within the timeout, IoError otherwise.
#pragma once

#include <chrono>
#include <string>

#include "keel/clock.h"
#include "keel/result.h"

namespace keel::cli {

struct ApiReply {
  int status = 0;
  std::string body;
  std::string contentType;  // without parameters ("application/json")
};

class ApiClient {
 public:
  // `baseUrl`: "http://host:port" (see cli/scheduler_url.h).
  explicit ApiClient(std::string baseUrl, Duration timeout = std::chrono::seconds(30));

  const std::string& url() const { return url_; }

  // `target`: path and query, e.g. "/v1/plans/deploy/interrupt?phase=data".
  Result<ApiReply> get(const std::string& target) const;
  // POSTs `body` as application/json.
  Result<ApiReply> post(const std::string& target, const std::string& body = "") const;

 private:
  Result<ApiReply> send(const std::string& method, const std::string& target,
                        const std::string& body) const;

  std::string url_;
  Duration timeout_;
};

// `value` percent-encoded for a query parameter or a path segment.
std::string urlEncode(const std::string& value);
// `target` with "key=value" added to its query (encoded); unchanged when
// `value` is empty.
std::string withQuery(const std::string& target, const std::string& key, const std::string& value);

}  // namespace keel::cli
