// GET /v1/health: one code for the state of the service, computed from its
// plans and whether it has registered, with dcos-commons' HealthResource
// codes, priorities and reasons. The code is also the HTTP status, so a
// Marathon-style MESOS_HTTP check (2xx/3xx healthy) can use it directly.
//
//   318 INITIALIZING          no framework id yet (not registered)
//   200 RUNNING               deploy plan complete
//   500 ERROR_CREATING_SERVICE some plan has errors
//   208 DELAYED               a deploy/recovery step is in backoff
//   204 DEPLOYING_PENDING     deploy steps PENDING or PREPARED
//   202 DEPLOYING_STARTING    deploy steps STARTING or STARTED
//   207 DEPLOYING_WAITING_USER deploy plan or one of its steps interrupted
//   203 RECOVERING_PENDING, 205 RECOVERING_STARTING  the same for recovery
//   320 BACKING_UP, 321 RESTORING  a running plan named *back* / *restor*
//                              (only once deployed)
//   206 DEGRADED, 326 UPGRADE  never reported (as in dcos-commons)
//   503 SERVICE_UNAVAILABLE   none of the above
// Precedence: error, initializing, deploying, waiting for the user,
// recovering, else running; then restoring, backing up. A 204 answer has no
// body (HTTP forbids one), so the code is all a client gets then.
//
// Pure; thread-safety as for the plans.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/plan.h"

namespace keel::http {

struct Health {
  int code = 503;
  // One line per rule, in dcos-commons' order: "Priority 1. Status Code 500
  // is FALSE. No errors found in plans.", ...
  std::vector<std::string> reasons;
};

// `plans` in any order; the deploy plan is the one named "deploy", the
// recovery plan "recovery" (either may be absent).
Health evaluateHealth(const std::vector<plan::Plan*>& plans, bool registered,
                      const std::string& frameworkId);

}  // namespace keel::http
