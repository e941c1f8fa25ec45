#include <algorithm>

#include "keel/offer/launch_builder.h"
#include "offer/resource_util.h"
#include "offer/stages.h"

namespace keel::offer::detail {

namespace {

bool allowed(const spec::PortSpec& spec, uint64_t port) {
  if (spec.ranges.empty()) return true;
  for (const auto& r : spec.ranges) {
    bool above = !r.begin || static_cast<int64_t>(port) >= *r.begin;
    bool below = !r.end || static_cast<int64_t>(port) <= *r.end;
    if (above && below) return true;
  }
  return false;
}

// The lowest free port of the offer within [lo, hi].
std::optional<uint64_t> lowestFree(const EvaluationContext& ctx, uint64_t lo, uint64_t hi) {
  for (const auto& range : ctx.offer->ports) {
    uint64_t from = std::max(lo, range.begin);
    uint64_t to = std::min(hi, range.end);
    for (uint64_t p = from; p <= to && p >= from; ++p) {
      if (std::find(ctx.takenPorts.begin(), ctx.takenPorts.end(), p) == ctx.takenPorts.end()) {
        return p;
      }
    }
  }
  return std::nullopt;
}

std::optional<uint64_t> pickDynamic(const spec::PortSpec& spec, const EvaluationContext& ctx) {
  if (spec.ranges.empty()) return lowestFree(ctx, 1, UINT64_MAX);
  for (const auto& r : spec.ranges) {
    uint64_t lo = r.begin ? static_cast<uint64_t>(std::max<int64_t>(*r.begin, 0)) : 1;
    uint64_t hi = r.end ? static_cast<uint64_t>(std::max<int64_t>(*r.end, 0)) : UINT64_MAX;
    if (auto p = lowestFree(ctx, lo, hi)) return p;
  }
  return std::nullopt;
}

std::string specRanges(const spec::PortSpec& spec) {
  std::string out = "[";
  for (size_t i = 0; i < spec.ranges.size(); ++i) {
    const auto& r = spec.ranges[i];
    out += strCat(i ? "," : "", r.begin ? std::to_string(*r.begin) : "", '-',
                  r.end ? std::to_string(*r.end) : "");
  }
  return out + "]";
}

}  // namespace

PortStage::PortStage(const spec::ResourceSetSpec& set, const SetFootprint* previous, bool reserved)
    : set_(set), previous_(previous), reserved_(reserved), choices_(set.ports.size()) {}

bool PortStage::choose(const spec::PortSpec& spec, const PortFootprint* previous,
                       EvaluationContext& ctx, Choice& choice) {
  choice = Choice{};
  if (reserved_ && previous && !previous->resourceId.empty()) {
    const mesos::Resource* offered = ctx.offer->reservedById(previous->resourceId);
    if (offered == nullptr) return false;
    bool stillFits = spec.port == 0 ? allowed(spec, previous->port)
                                    : static_cast<uint64_t>(spec.port) == previous->port;
    if (stillFits) {
      choice.port = previous->port;
      choice.offered = offered;
      return true;
    }
    choice.obsolete = offered;
  }
  std::optional<uint64_t> port;
  if (spec.port > 0) {
    if (ctx.portFree(static_cast<uint64_t>(spec.port))) port = static_cast<uint64_t>(spec.port);
  } else if (previous && allowed(spec, previous->port) && ctx.portFree(previous->port)) {
    port = previous->port;
  } else {
    port = pickDynamic(spec, ctx);
  }
  if (!port) return false;
  choice.port = *port;
  ctx.takenPorts.push_back(*port);
  return true;
}

StageOutcome PortStage::evaluate(EvaluationContext& ctx) {
  for (size_t i = 0; i < set_.ports.size(); ++i) {
    const spec::PortSpec& spec = set_.ports[i];
    const PortFootprint* previous = previous_ ? previous_->port(spec.name) : nullptr;
    if (!choose(spec, previous, ctx, choices_[i])) {
      return ctx.explain ? fail(ctx, spec) : StageOutcome::fail(name());
    }
  }
  if (!ctx.explain) return StageOutcome::pass(name());
  std::string text = strCat(set_.id, ':');
  for (size_t i = 0; i < set_.ports.size(); ++i) {
    text += strCat(' ', set_.ports[i].name, '=', choices_[i].port,
                   choices_[i].offered ? " (reserved)" : "");
  }
  if (set_.ports.empty()) text += " no ports";
  return StageOutcome::pass(name(), std::move(text));
}

StageOutcome PortStage::fail(const EvaluationContext& ctx, const spec::PortSpec& spec) const {
  const PortFootprint* previous = previous_ ? previous_->port(spec.name) : nullptr;
  std::string offered = formatRanges(ctx.offer->ports);
  if (reserved_ && previous && !previous->resourceId.empty() &&
      ctx.offer->reservedById(previous->resourceId) == nullptr) {
    return StageOutcome::fail(
        name(),
        strCat("needs the reserved port ", previous->port, " ('", spec.name, "', resource_id ",
               previous->resourceId, "), offer from agent ", ctx.offer->agentId, " has none"));
  }
  if (spec.port > 0) {
    return StageOutcome::fail(name(), strCat("needs port ", spec.port, " for '", spec.name,
                                             "', offer has unreserved ports ", offered,
                                             ctx.takenPorts.empty() ? "" : " (some taken)"));
  }
  std::string within = spec.ranges.empty() ? "" : strCat(" in ", specRanges(spec));
  return StageOutcome::fail(name(), strCat("needs a dynamic port", within, " for '", spec.name,
                                           "', offer has unreserved ports ", offered,
                                           ctx.takenPorts.empty() ? "" : " (some taken)"));
}

void PortStage::apply(LaunchBuilder& builder) const {
  auto& resources = builder.taskResources(set_.id);
  for (size_t i = 0; i < set_.ports.size(); ++i) {
    const Choice& c = choices_[i];
    if (c.obsolete) builder.unreserve(*c.obsolete);
    resources.push_back(c.offered ? *c.offered : builder.reservePort(c.port));
    builder.setPort(set_.id, set_.ports[i].name, c.port);
  }
}

}  // namespace keel::offer::detail
