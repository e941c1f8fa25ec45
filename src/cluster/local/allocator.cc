// MasterState: offers (allocation, filters, rescinds) and their wire form.
#include <algorithm>

#include "cluster/local/master_state.h"
#include "cluster/local/resource_ops.h"

namespace keel::local {
namespace {

constexpr double kDefaultRefuseSeconds = 5.0;
constexpr double kMaxRefuseSeconds = 365.0 * 24 * 3600;

// Mesos' default --min_allocatable_resources: cpus:0.01|mem:32.
bool allocatable(const Resources& rs) {
  return scalarSum(rs, "cpus") >= 0.01 || scalarSum(rs, "mem") >= 32.0;
}

}  // namespace

void MasterState::removeOffer(const std::string& offerId) { offers_.erase(offerId); }

void MasterState::rescindOffersOn(const std::string& agentId, Outbox& out) {
  for (auto it = offers_.begin(); it != offers_.end();) {
    if (it->second.agentId != agentId) {
      ++it;
      continue;
    }
    mesos::Event e;
    e.type = mesos::Event::Type::kRescind;
    e.rescind = mesos::Event::Rescind{mesos::OfferID{it->first}};
    out.send(it->second.frameworkId, e);
    it = offers_.erase(it);
  }
  allocationPending_ = true;
}

bool MasterState::rescindOffer(const std::string& offerId, Outbox& out) {
  auto it = offers_.find(offerId);
  if (it == offers_.end()) return false;
  mesos::Event e;
  e.type = mesos::Event::Type::kRescind;
  e.rescind = mesos::Event::Rescind{mesos::OfferID{offerId}};
  out.send(it->second.frameworkId, e);
  offers_.erase(it);
  allocationPending_ = true;
  out.dirty = true;
  return true;
}

void MasterState::recoverOffersOf(const std::string& frameworkId) {
  for (auto it = offers_.begin(); it != offers_.end();) {
    it = it->second.frameworkId == frameworkId ? offers_.erase(it) : std::next(it);
  }
  allocationPending_ = true;
}

void MasterState::addFilter(const std::string& fw, const std::string& role,
                            const std::string& agentId, const Resources& unused,
                            std::optional<double> refuseSeconds, TimePoint now) {
  double seconds = refuseSeconds.value_or(kDefaultRefuseSeconds);
  if (seconds < 0) seconds = kDefaultRefuseSeconds;
  seconds = std::min(seconds, kMaxRefuseSeconds);
  if (seconds <= 0 || isEmpty(unused)) return;
  OfferFilter filter{
      fw, role, agentId, withoutAllocation(unused),
      now + std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds))};
  filters_.push_back(std::move(filter));
}

bool MasterState::filtered(const std::string& fw, const std::string& role,
                           const std::string& agentId, const Resources& candidate,
                           TimePoint now) const {
  Resources plain = withoutAllocation(candidate);
  return std::any_of(filters_.begin(), filters_.end(), [&](const OfferFilter& f) {
    return f.frameworkId == fw && f.role == role && f.agentId == agentId && f.expires > now &&
           containsAll(f.resources, plain);
  });
}

void MasterState::decline(FrameworkRecord& fw, const mesos::Call::Decline& d, TimePoint now,
                          Outbox&) {
  for (const mesos::OfferID& id : d.offerIds) {
    auto it = offers_.find(id.value);
    if (it == offers_.end() || it->second.frameworkId != fw.info.id->value) continue;
    OfferRecord offer = std::move(it->second);
    offers_.erase(it);
    addFilter(offer.frameworkId, offer.role, offer.agentId, offer.resources,
              d.filters ? d.filters->refuseSeconds : std::nullopt, now);
  }
  allocationPending_ = true;
}

void MasterState::allocate(TimePoint now, Outbox& out) {
  allocationPending_ = false;
  // Frameworks with the least allocated cpus first (a coarse DRF).
  std::vector<std::pair<double, std::string>> order;
  for (const auto& [id, fw] : frameworks_) {
    if (!fw.connected) continue;
    double cpus = 0;
    for (const auto& [key, task] : tasks_) {
      if (task.frameworkId == id && !task.resourcesReleased)
        cpus += scalarSum(task.resources, "cpus");
    }
    order.emplace_back(cpus, id);
  }
  std::sort(order.begin(), order.end());
  std::map<std::string, std::vector<mesos::Offer>> batches;
  for (const auto& [agentId, agent] : agents_) {
    if (agent.health != AgentHealth::kUp) continue;
    for (const auto& [share, fwId] : order) {
      const FrameworkRecord& fw = frameworks_.at(fwId);
      for (const std::string& role : fw.roles()) {
        if (fw.suppressedRoles.count(role)) continue;
        Resources candidate = allocatableTo(availableOn(agentId), role);
        if (isEmpty(candidate) || !allocatable(candidate)) continue;
        if (filtered(fwId, role, agentId, candidate, now)) continue;
        OfferRecord offer{options_.masterId + "-O" + std::to_string(counters_.nextOffer++), fwId,
                          agentId, role, withAllocationRole(candidate, role)};
        batches[fwId].push_back(toWire(offer));
        offers_.emplace(offer.id, std::move(offer));
      }
    }
  }
  for (auto& [fwId, offers] : batches) {
    mesos::Event e;
    e.type = mesos::Event::Type::kOffers;
    e.offers = mesos::Event::Offers{std::move(offers)};
    out.send(fwId, std::move(e));
  }
}

mesos::Offer MasterState::toWire(const OfferRecord& offer) const {
  const AgentRecord& agent = agents_.at(offer.agentId);
  const FrameworkRecord& fw = frameworks_.at(offer.frameworkId);
  mesos::Offer wire;
  wire.id = mesos::OfferID{offer.id};
  wire.frameworkId = mesos::FrameworkID{offer.frameworkId};
  wire.agentId = mesos::AgentID{offer.agentId};
  wire.hostname = agent.config.hostname;
  mesos::URL url;
  url.scheme = "http";
  url.address = mesos::Address{agent.config.hostname, options_.ip, 5051, {}};
  url.path = "/slave(1)";
  wire.url = url;
  if (!agent.config.zone.empty()) {
    mesos::DomainInfo domain;
    domain.faultDomain = mesos::DomainInfo::FaultDomain{{agent.config.region}, {agent.config.zone}};
    wire.domain = domain;
  }
  wire.resources = fw.refinement() ? offer.resources : legacyFormat(offer.resources);
  if (fw.multiRole()) {
    wire.resources = withAllocationRole(std::move(wire.resources), offer.role);
    wire.allocationInfo = mesos::Resource::AllocationInfo{offer.role};
  } else {
    wire.resources = withoutAllocation(std::move(wire.resources));
  }
  for (const auto& [name, value] : agent.config.attributes) {
    mesos::Attribute a;
    a.name = name;
    a.type = mesos::Value::Type::kText;
    a.text = mesos::Value::Text{value};
    wire.attributes.push_back(a);
  }
  for (const auto& [key, exec] : executors_) {
    if (exec.frameworkId == offer.frameworkId && exec.agentId == offer.agentId) {
      wire.executorIds.push_back(exec.info.executorId);
    }
  }
  return wire;
}

}  // namespace keel::local
