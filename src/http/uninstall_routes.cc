// POST /v1/uninstall: keel's own route (dcos-commons uninstalled through a
// scheduler restarted with SDK_UNINSTALL). Starts the uninstall of the
// service (SchedulerApi::uninstall); GET /v1/plans/uninstall shows it.
#include "http/response.h"
#include "http/routes.h"

namespace keel::http {

void addUninstallRoutes(Router& router, RouteContext& ctx) {
  router.add("POST", "/v1/uninstall", [&ctx](const Request&) {
    Result<std::string> started = ctx.api.uninstall();
    if (!started) return errorResponse(started.error());
    ctx.planCache.invalidate();
    return messageResponse(202, *started);
  });
}

}  // namespace keel::http
