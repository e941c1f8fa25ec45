#include "http/routes.h"

#include "http/page.h"
#include "keel/plan_json.h"

namespace keel::http {

PlanJsonCache::Entry PlanJsonCache::get(const plan::Plan& plan, Shape shape, uint64_t version) {
  std::pair<std::string, Shape> key{plan.name(), shape};
  std::shared_ptr<const Board> board = board_.load();
  auto it = board->entries.find(key);
  if (it != board->entries.end() && it->second.version == version) return it->second;
  Entry e{version, 0, nullptr};
  if (shape == Shape::kCurrent) {
    e.status = plan::planHttpStatus(plan);
    e.body = std::make_shared<const std::string>(plan::planToJson(plan));
  } else {
    // The seed era answered 503 until the plan was complete.
    e.status = plan.isComplete() ? 200 : 503;
    e.body = std::make_shared<const std::string>(plan::planToSeedJson(plan));
  }
  auto next = std::make_shared<Board>(*board);
  next->entries[key] = e;
  board_.store(std::move(next));
  return e;
}

std::optional<PlanJsonCache::Entry> PlanJsonCache::peek(const std::string& plan, Shape shape,
                                                        uint64_t version) const {
  std::shared_ptr<const Board> board = board_.load();
  auto it = board->entries.find({plan, shape});
  if (it == board->entries.end() || it->second.version != version) return std::nullopt;
  return it->second;
}

void PlanJsonCache::invalidate() { board_.store(std::make_shared<const Board>()); }

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
  addUninstallRoutes(router_, ctx_);
  addRecoveryRoutes(router_, ctx_);
  addPageRoutes(router_);
}

}  // namespace keel::http
