// POST /v1/recovery/reset: keel's own route. The operator re-enables
// automatic replacement after its circuit breaker tripped
// (SchedulerApi::resetRecovery; keel/scheduler/recovery_policy.h); GET
// /v1/plans/recovery shows the breaker in its errors.
#include "http/response.h"
#include "http/routes.h"

namespace keel::http {

void addRecoveryRoutes(Router& router, RouteContext& ctx) {
  router.add("POST", "/v1/recovery/reset", [&ctx](const Request&) {
    Result<std::string> done = ctx.api.resetRecovery();
    if (!done) return errorResponse(done.error());
    ctx.planCache.invalidate();
    return messageResponse(200, *done);
  });
}

}  // namespace keel::http
