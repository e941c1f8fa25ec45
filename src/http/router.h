// The API's routing table, independent of the HTTP library: requests and
// responses as plain values, patterns of literal and {parameter} segments.
//
// Thread-safety: add() during setup only; match() is const and may run on
// any thread once setup is done. Handlers run on the scheduler's owner
// thread (ApiServer posts them).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keel::http {

struct Request {
  std::string method;                        // "GET", "POST", ...
  std::string path;                          // decoded, without the query
  std::map<std::string, std::string> query;  // first value of each key
  std::string body;
  std::vector<std::string> params;  // the {parameter} segments, in order

  // The query value, or "" when absent.
  const std::string& arg(const std::string& key) const;
  bool hasArg(const std::string& key) const { return query.count(key) > 0; }
};

struct Response {
  int status = 200;
  std::shared_ptr<const std::string> body;
  std::string contentType = "application/json";
};

// Runs on the owner thread.
using Handler = std::function<Response(const Request&)>;
// Runs on the HTTP thread: an answer from state the owner published (see
// PlanJsonCache), or nullopt to hand the request to the owner. Must not
// touch scheduler state.
using Peek = std::function<std::optional<Response>(const Request&)>;

class Router {
 public:
  // `pattern`: "/v1/plans/{plan}/start". Earlier routes win, so literal
  // routes go before parameter routes that overlap them.
  void add(std::string method, std::string_view pattern, Handler handler, Peek peek = nullptr);

  struct Match {
    const Handler* handler = nullptr;  // null: see status
    const Peek* peek = nullptr;        // null: none
    std::vector<std::string> params;
    int status = 200;  // 404: no such path; 405: path known, method not
  };
  Match match(std::string_view method, std::string_view path) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{...}" marks a parameter
    Handler handler;
    Peek peek;
  };
  std::vector<Route> routes_;
};

// Splits "/v1/plans/deploy" into {"v1", "plans", "deploy"}; a trailing
// slash adds nothing.
std::vector<std::string_view> splitPath(std::string_view path);

}  // namespace keel::http
