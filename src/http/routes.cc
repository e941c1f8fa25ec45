#include "http/routes.h"

#include "keel/plan_json.h"

namespace keel::http {

const PlanJsonCache::Entry& PlanJsonCache::get(const plan::Plan& plan, Shape shape,
                                               uint64_t version) {
  Entry& entry = entries_[{plan.name(), shape}];
  if (entry.body && entry.version == version) return entry;
  entry.version = version;
  if (shape == Shape::kCurrent) {
    entry.status = plan::planHttpStatus(plan);
    entry.body = std::make_shared<const std::string>(plan::planToJson(plan));
  } else {
    // The seed era answered 503 until the plan was complete.
    entry.status = plan.isComplete() ? 200 : 503;
    entry.body = std::make_shared<const std::string>(plan::planToSeedJson(plan));
  }
  return entry;
}

plan::Plan* RouteContext::findPlan(const std::string& name) const {
  for (plan::Plan* p : api.plans()) {
    if (p->name() == name) return p;
  }
  return nullptr;
}

Routes::Routes(SchedulerApi& api, std::string domain, std::string vipDomain)
    : ctx_{api, std::move(domain), std::move(vipDomain), {}} {
  addSeedPlanRoutes(router_, ctx_);
  addPlanRoutes(router_, ctx_);
  addPodRoutes(router_, ctx_);
  addInfoRoutes(router_, ctx_);
}

}  // namespace keel::http
