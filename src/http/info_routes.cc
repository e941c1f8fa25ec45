// Read-only routes: /v1/endpoints (EndpointsQueries), /v1/configurations
// (ConfigQueries), /v1/state (StateQueries), /v1/health (HealthResource) and
// /v2/debug/offers (DebugOffersResource).
#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "http/health.h"
#include "http/json_util.h"
#include "http/response.h"
#include "http/routes.h"
#include "keel/ids.h"

namespace keel::http {
namespace {

using nlohmann::ordered_json;

Response endpointNames(RouteContext& ctx) {
  Result<std::vector<AdvertisedPort>> ports = ctx.api.advertisedPorts();
  if (!ports) return errorResponse(ports.error());
  std::set<std::string> names;
  for (const auto& [name, text] : ctx.api.customEndpoints()) names.insert(name);
  for (const AdvertisedPort& p : *ports) names.insert(p.portName);
  return stringArrayResponse({names.begin(), names.end()});
}

// {"address": ["ip:port", ...], "dns": ["<task>.<svc>.<domain>:port", ...],
//  "vip": "<prefix>.<svc>.<vip domain>:port"} ("vip" only with a VIP). A
// custom endpoint is the author's text, served as text/plain.
Response endpoint(RouteContext& ctx, const std::string& name) {
  std::map<std::string, std::string> custom = ctx.api.customEndpoints();
  if (auto it = custom.find(name); it != custom.end()) return textResponse(200, it->second);
  Result<std::vector<AdvertisedPort>> ports = ctx.api.advertisedPorts();
  if (!ports) return errorResponse(ports.error());
  DiscoveryNames names = ctx.names();
  ordered_json address = ordered_json::array(), dns = ordered_json::array();
  std::string vip;
  for (const AdvertisedPort& p : *ports) {
    if (p.portName != name) continue;
    address.push_back(p.address + ":" + std::to_string(p.port));
    dns.push_back(names.taskEndpoint(p.dnsName, p.port));
    if (!p.vipPrefix.empty()) vip = names.vipEndpoint(p.vipPrefix, p.vipPort);
  }
  if (address.empty()) return notFound("Endpoint " + name);
  ordered_json out = {{"address", std::move(address)}, {"dns", std::move(dns)}};
  if (!vip.empty()) out["vip"] = vip;
  return jsonResponse(200, dumpJson(out));
}

Response configurationIds(RouteContext& ctx) {
  Result<std::vector<std::string>> ids = ctx.api.configurationIds();
  if (!ids) return errorResponse(ids.error());
  return stringArrayResponse(*ids);
}

// An array of one id, "to line up with" the id listing, as dcos-commons.
Response targetId(RouteContext& ctx) {
  Result<std::optional<std::string>> id = ctx.api.targetConfigurationId();
  if (!id) return errorResponse(id.error());
  if (!*id) return notFound("Target configuration");
  return stringArrayResponse({**id});
}

Response configuration(RouteContext& ctx, const std::string& id) {
  if (!isUuid(id)) {
    return messageResponse(400, "Configuration id " + id + " is not a UUID");
  }
  Result<std::string> json = ctx.api.configurationJson(id);
  if (!json && json.error().code() == StatusCode::kNotFound) {
    return notFound("Configuration " + id);
  }
  if (!json) return errorResponse(json.error());
  return jsonResponse(200, std::move(*json));
}

// A target id whose configuration is missing is a broken store: 500, as in
// dcos-commons.
Response target(RouteContext& ctx) {
  Result<std::optional<std::string>> id = ctx.api.targetConfigurationId();
  if (!id) return errorResponse(id.error());
  if (!*id) return notFound("Target configuration");
  Result<std::string> json = ctx.api.configurationJson(**id);
  if (!json) {
    return messageResponse(
        500, "Target configuration " + **id + " cannot be read: " + json.error().message());
  }
  return jsonResponse(200, std::move(*json));
}

Response frameworkId(RouteContext& ctx) {
  Result<std::optional<std::string>> id = ctx.api.frameworkId();
  if (!id) return errorResponse(id.error());
  if (!*id) return notFound("Framework ID");
  return stringArrayResponse({**id});
}

Response propertyKeys(RouteContext& ctx) {
  Result<std::vector<std::string>> keys = ctx.api.propertyKeys();
  if (!keys) return errorResponse(keys.error());
  return stringArrayResponse(*keys);
}

Response property(RouteContext& ctx, const std::string& key) {
  Result<std::string> value = ctx.api.propertyJson(key);
  if (!value && value.error().code() == StatusCode::kNotFound) return notFound("Property " + key);
  if (!value) return errorResponse(value.error());
  return jsonResponse(200, std::move(*value));
}

// {"value": code} (+ "reasons" with ?verbose=true); the HTTP status is the
// code.
Response health(RouteContext& ctx, const Request& req) {
  Result<std::optional<std::string>> id = ctx.api.frameworkId();
  bool registered = id.has_value() && id->has_value();
  Health h = evaluateHealth(ctx.api.plans(), registered, registered ? **id : std::string());
  ordered_json out = ordered_json::object();
  std::string verbose = req.arg("verbose");
  std::transform(verbose.begin(), verbose.end(), verbose.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (verbose == "true") out["reasons"] = h.reasons;
  out["value"] = h.code;
  return jsonResponse(h.code, dumpJson(out));
}

// GET /v1/artifacts/rendered/<task id>/<index>: a config file as rendered
// for that launch, fetched into the task's sandbox before it starts.
Response renderedConfig(RouteContext& ctx, const Request& req) {
  const std::string& index = req.params[1];
  if (index.empty() || index.size() > 6 ||
      !std::all_of(index.begin(), index.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return messageResponse(400, "config index must be a number, not '" + index + "'");
  }
  Result<std::string> text = ctx.api.renderedConfig(req.params[0], std::stoul(index));
  if (!text) return errorResponse(text.error());
  return textResponse(200, std::move(*text));
}

Response debugOffers(RouteContext& ctx, const Request& req) {
  OfferFilter filter{req.arg("plan"), req.arg("phase"), req.arg("step")};
  return jsonResponse(200, ctx.api.offerOutcomesJson(filter));
}

}  // namespace

void addInfoRoutes(Router& router, RouteContext& ctx) {
  router.add("GET", "/v1/endpoints", [&ctx](const Request&) { return endpointNames(ctx); });
  router.add("GET", "/v1/endpoints/{name}",
             [&ctx](const Request& req) { return endpoint(ctx, req.params[0]); });
  router.add("GET", "/v1/configurations", [&ctx](const Request&) { return configurationIds(ctx); });
  router.add("GET", "/v1/configurations/targetId",
             [&ctx](const Request&) { return targetId(ctx); });
  router.add("GET", "/v1/configurations/target", [&ctx](const Request&) { return target(ctx); });
  router.add("GET", "/v1/configurations/{id}",
             [&ctx](const Request& req) { return configuration(ctx, req.params[0]); });
  router.add("GET", "/v1/state/frameworkId", [&ctx](const Request&) { return frameworkId(ctx); });
  router.add("GET", "/v1/state/properties", [&ctx](const Request&) { return propertyKeys(ctx); });
  router.add("GET", "/v1/state/properties/{key}",
             [&ctx](const Request& req) { return property(ctx, req.params[0]); });
  router.add("GET", "/v1/health", [&ctx](const Request& req) { return health(ctx, req); });
  router.add("GET", "/v1/artifacts/rendered/{task}/{index}",
             [&ctx](const Request& req) { return renderedConfig(ctx, req); });
  router.add("GET", "/v2/debug/offers",
             [&ctx](const Request& req) { return debugOffers(ctx, req); });
}

}  // namespace keel::http
