// /v1/plans/... (dcos-commons' PlansResource and PlansQueries) and the
// tutorial-era /v1/plan/... on the deploy plan.
//
// Every change goes through applyOperation(): the operation runs first on a
// copy of the plan, which validates it and yields the override records; the
// records are persisted through SchedulerApi::persistOverrides; only then is
// the operation applied to the live plan. A failed persist leaves the live
// plan as it was. An operation that changes nothing answers 208.
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "http/json_util.h"
#include "http/response.h"
#include "http/routes.h"
#include "keel/check.h"
#include "keel/log.h"
#include "keel/plan_operations.h"

namespace keel::http {
namespace {

using plan::ElementPath;
using plan::OperationResult;
using Operation = std::function<Result<OperationResult>(plan::Plan&)>;

constexpr const char* kDeploy = "deploy";

Response applyOperation(RouteContext& ctx, plan::Plan& live, const Operation& op,
                        const std::string& command) {
  plan::Plan trial = live;
  Result<OperationResult> tried = op(trial);
  if (!tried) return errorResponse(tried.error());
  if (!tried->changed) return alreadyReported();
  if (!tried->changes.empty()) {
    Status persisted = ctx.api.persistOverrides(live.name(), tried->changes);
    if (!persisted.isOk()) {
      (LogMessage(LogLevel::kError, "http") << "override not persisted; plan unchanged")
          .field("plan", live.name())
          .field("error", persisted.toString());
      return messageResponse(
          500, "Could not persist the change to plan " + live.name() + ": " + persisted.message());
    }
  }
  Result<OperationResult> applied = op(live);
  KEEL_CHECK_MSG(applied.has_value() && applied->changes == tried->changes,
                 "a plan operation did not repeat on the live plan what it did on its copy");
  ctx.planCache.invalidate();
  if (logEnabled(LogLevel::kInfo)) {
    (LogMessage(LogLevel::kInfo, "http") << "operator command applied")
        .field("plan", live.name())
        .field("cmd", command)
        .field("records", tried->changes.size());
  }
  return commandResponse(command);
}

// Java's String.valueOf for an absent query parameter, as dcos-commons
// formats its command results.
std::string orNull(const std::string& s) { return s.empty() ? "null" : s; }

std::string elementCommandText(const std::string& cmd, const std::string& plan,
                               const ElementPath& path) {
  return cmd + " for Plan: " + plan + ", Phase: " + orNull(path.phase) +
         ", Step: " + orNull(path.step);
}

Response planGet(RouteContext& ctx, const std::string& name, PlanJsonCache::Shape shape) {
  plan::Plan* p = ctx.findPlan(name);
  if (p == nullptr) return notFound("Plan " + name);
  PlanJsonCache::Entry e = ctx.planCache.get(*p, shape, ctx.api.stateVersion());
  return Response{e.status, e.body, "application/json"};
}

// The HTTP-thread side of planGet: the published rendering, if current.
Peek planPeek(RouteContext& ctx, PlanJsonCache::Shape shape) {
  return [&ctx, shape](const Request& req) -> std::optional<Response> {
    std::string name = shape == PlanJsonCache::Shape::kSeed ? kDeploy : req.params[0];
    std::optional<PlanJsonCache::Entry> e = ctx.planCache.peek(name, shape, ctx.api.stateVersion());
    if (!e) return std::nullopt;
    return Response{e->status, e->body, "application/json"};
  };
}

// Parameters of POST /v1/plans/<plan>/start: a JSON object of strings;
// an empty body means none. The error text follows dcos-commons'
// "Couldn't parse parameters: ...".
Result<std::map<std::string, std::string>> parseParameters(const std::string& body) {
  std::map<std::string, std::string> out;
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return out;
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::invalidArgument("Couldn't parse parameters: the body is not a JSON object");
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!it.value().is_string()) {
      return Status::invalidArgument("Couldn't parse parameters: the value of " + it.key() +
                                     " is not a string");
    }
    Status valid = plan::validateParameterName(it.key());
    if (!valid.isOk())
      return Status::invalidArgument("Couldn't parse parameters: " + valid.message());
    out[it.key()] = it.value().get<std::string>();
  }
  return out;
}

// Java's Map.toString: "{A=1, B=2}".
std::string formatParameters(const std::map<std::string, std::string>& params) {
  std::string out = "{";
  for (const auto& [k, v] : params) out += (out.size() > 1 ? ", " : "") + k + "=" + v;
  return out + "}";
}

ElementPath pathOf(const Request& req, const char* stepKey) {
  return ElementPath{req.arg("phase"), req.arg(stepKey)};
}

using ElementOp = Result<OperationResult> (*)(plan::Plan&, const ElementPath&);

// POST <prefix>/{interrupt,continue}: the plan, or the phase (or step) named
// by the query. Answered as "Received cmd: <cmd>".
Handler parentCommand(RouteContext& ctx, bool seed, const char* cmd, ElementOp op) {
  return [&ctx, seed, cmd, op](const Request& req) {
    std::string name = seed ? kDeploy : req.params[0];
    plan::Plan* p = ctx.findPlan(name);
    if (p == nullptr) return notFound("Plan " + name);
    ElementPath path = seed ? ElementPath{} : pathOf(req, "step");
    return applyOperation(
        ctx, *p, [&](plan::Plan& plan) { return op(plan, path); }, cmd);
  };
}

// POST <prefix>/{forceComplete,restart}?phase=&step= (the seed era said
// block= for step=; both are accepted there).
Handler elementCommand(RouteContext& ctx, bool seed, const char* cmd, ElementOp op) {
  return [&ctx, seed, cmd, op](const Request& req) {
    std::string name = seed ? kDeploy : req.params[0];
    plan::Plan* p = ctx.findPlan(name);
    if (p == nullptr) return notFound("Plan " + name);
    ElementPath path = pathOf(req, "step");
    if (seed && path.step.empty()) path.step = req.arg("block");
    return applyOperation(
        ctx, *p, [&](plan::Plan& plan) { return op(plan, path); },
        elementCommandText(cmd, name, path));
  };
}

Response startPlan(RouteContext& ctx, const Request& req) {
  Result<std::map<std::string, std::string>> params = parseParameters(req.body);
  if (!params) return errorResponse(params.error());
  const std::string& name = req.params[0];
  plan::Plan* p = ctx.findPlan(name);
  if (p == nullptr) return notFound("Plan " + name);
  return applyOperation(
      ctx, *p, [&](plan::Plan& plan) { return plan::startPlan(plan, *params); },
      "start " + name + " with parameters: " + formatParameters(*params));
}

Response stopPlan(RouteContext& ctx, const Request& req) {
  const std::string& name = req.params[0];
  plan::Plan* p = ctx.findPlan(name);
  if (p == nullptr) return notFound("Plan " + name);
  return applyOperation(
      ctx, *p, [](plan::Plan& plan) { return plan::stopPlan(plan); }, "stop");
}

// GET /v1/plan/status, the seed era's "currently active" view: the first
// phase that is not COMPLETE and its first block that is not, beside the
// plan's summary. Absent parts are omitted, as Jackson's NON_NULL did.
Response seedStatus(RouteContext& ctx) {
  plan::Plan* p = ctx.findPlan(kDeploy);
  if (p == nullptr) return notFound(std::string("Plan ") + kDeploy);
  PlanJsonCache::Entry entry =
      ctx.planCache.get(*p, PlanJsonCache::Shape::kSeed, ctx.api.stateVersion());
  nlohmann::ordered_json seed = nlohmann::ordered_json::parse(*entry.body);
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& phase : seed["phases"]) {
    if (phase["status"] == "COMPLETE") continue;
    for (const auto& block : phase["blocks"]) {
      if (block["status"] == "COMPLETE") continue;
      out["block"] = block;
      break;
    }
    out["phase"] = {{"id", phase["id"]},
                    {"name", phase["name"]},
                    {"block_count", phase["blocks"].size()},
                    {"status", phase["status"]}};
    break;
  }
  out["plan"] = {{"phase_count", seed["phases"].size()},
                 {"errors", seed["errors"]},
                 {"status", seed["status"]}};
  return jsonResponse(200, dumpJson(out));
}

}  // namespace

void addPlanRoutes(Router& router, RouteContext& ctx) {
  router.add("GET", "/v1/plans", [&ctx](const Request&) {
    std::vector<std::string> names;
    for (plan::Plan* p : ctx.api.plans()) names.push_back(p->name());
    return stringArrayResponse(names);
  });
  router.add(
      "GET", "/v1/plans/{plan}",
      [&ctx](const Request& req) {
        return planGet(ctx, req.params[0], PlanJsonCache::Shape::kCurrent);
      },
      planPeek(ctx, PlanJsonCache::Shape::kCurrent));
  router.add("POST", "/v1/plans/{plan}/start",
             [&ctx](const Request& req) { return startPlan(ctx, req); });
  router.add("POST", "/v1/plans/{plan}/stop",
             [&ctx](const Request& req) { return stopPlan(ctx, req); });
  router.add("POST", "/v1/plans/{plan}/interrupt",
             parentCommand(ctx, false, "interrupt", plan::interruptElement));
  router.add("POST", "/v1/plans/{plan}/continue",
             parentCommand(ctx, false, "continue", plan::continueElement));
  router.add("POST", "/v1/plans/{plan}/forceComplete",
             elementCommand(ctx, false, "forceComplete", plan::forceCompleteElement));
  router.add("POST", "/v1/plans/{plan}/restart",
             elementCommand(ctx, false, "restart", plan::restartElement));
}

void addSeedPlanRoutes(Router& router, RouteContext& ctx) {
  router.add(
      "GET", "/v1/plan",
      [&ctx](const Request&) { return planGet(ctx, kDeploy, PlanJsonCache::Shape::kSeed); },
      planPeek(ctx, PlanJsonCache::Shape::kSeed));
  router.add("GET", "/v1/plan/status", [&ctx](const Request&) { return seedStatus(ctx); });
  router.add("POST", "/v1/plan/interrupt",
             parentCommand(ctx, true, "interrupt", plan::interruptElement));
  router.add("POST", "/v1/plan/continue",
             parentCommand(ctx, true, "continue", plan::continueElement));
  router.add("POST", "/v1/plan/forceComplete",
             elementCommand(ctx, true, "forceComplete", plan::forceCompleteElement));
  router.add("POST", "/v1/plan/restart",
             elementCommand(ctx, true, "restart", plan::restartElement));
}

}  // namespace keel::http
