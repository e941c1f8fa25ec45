// The API's routes (dcos-commons' paths, JSON shapes and status codes) over
// a SchedulerApi. Every handler runs on the scheduler's owner thread; the
// plan GETs also have a Peek that answers from PlanJsonCache on the HTTP
// thread.
//
//   plan_routes.cc      /v1/plans..., and the tutorial-era /v1/plan...
//   pod_routes.cc       /v1/pod..., /v1/tasks/restart, /v1/tasks/connection
//   info_routes.cc      /v1/endpoints, /v1/configurations, /v1/state,
//                       /v1/health, /v2/debug/offers
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "http/router.h"
#include "keel/http/discovery.h"
#include "keel/http/scheduler_api.h"

namespace keel::http {

// Rendered plan JSON per plan and shape, published for the HTTP threads.
// Rendering 10,000 steps costs tens of milliseconds, so polling clients
// (CLIs, the page, load balancers) must not pay it per request; and a
// rendering that is still current is served straight from the HTTP thread,
// without the round trip to the owner.
//
// An entry is current while SchedulerApi::stateVersion() has not moved and
// no route has changed a plan since (invalidate() drops every entry). The
// owner renders and publishes; any thread may peek. Thread-safe.
class PlanJsonCache {
 public:
  enum class Shape { kCurrent, kSeed };
  struct Entry {
    uint64_t version = 0;
    int status = 0;
    std::shared_ptr<const std::string> body;
  };
  // Owner thread: the rendering of `plan` at `version`, rendered and
  // published if the one held is not current.
  Entry get(const plan::Plan& plan, Shape shape, uint64_t version);
  // Any thread: the published rendering of the plan named `plan`, if it is
  // current at `version`.
  std::optional<Entry> peek(const std::string& plan, Shape shape, uint64_t version) const;
  // Owner thread, after a route changed a plan (the version did not move).
  void invalidate();

 private:
  // Copy-on-write: the owner replaces the whole board (a handful of
  // entries); readers load it without a lock.
  struct Board {
    std::map<std::pair<std::string, Shape>, Entry> entries;
  };
  std::atomic<std::shared_ptr<const Board>> board_{std::make_shared<const Board>()};
};

struct RouteContext {
  SchedulerApi& api;
  std::string domain;     // discovery domain (DiscoveryNames::domain)
  std::string vipDomain;  // empty: the default
  PlanJsonCache planCache;

  DiscoveryNames names() const { return {api.serviceName(), domain, vipDomain}; }
  // nullptr when the API has no plan of that name.
  plan::Plan* findPlan(const std::string& name) const;
};

void addPlanRoutes(Router& router, RouteContext& ctx);
void addSeedPlanRoutes(Router& router, RouteContext& ctx);
void addPodRoutes(Router& router, RouteContext& ctx);
void addInfoRoutes(Router& router, RouteContext& ctx);
void addUninstallRoutes(Router& router, RouteContext& ctx);  // uninstall_routes.cc
void addRecoveryRoutes(Router& router, RouteContext& ctx);   // recovery_routes.cc

// The router with every route, and the state its handlers share.
class Routes {
 public:
  Routes(SchedulerApi& api, std::string domain, std::string vipDomain = {});
  Routes(const Routes&) = delete;
  Routes& operator=(const Routes&) = delete;

  const Router& router() const { return router_; }

 private:
  RouteContext ctx_;
  Router router_;
};

}  // namespace keel::http
