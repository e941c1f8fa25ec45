#include "keel/offer/launch_builder.h"
#include "offer/resource_util.h"
#include "offer/stages.h"

namespace keel::offer::detail {

namespace {

// "0.5 cpus", "256 MB mem"; with `adjective`: "0.5 unreserved cpus".
std::string amount(std::string_view name, int64_t millis, std::string_view adjective = "") {
  return strCat(formatAmount(millis), name == "mem" ? " MB" : "", adjective.empty() ? "" : " ",
                adjective, ' ', name);
}

int64_t offeredMillis(const mesos::Resource& r) {
  return r.scalar ? scalarToMillis(r.scalar->value) : 0;
}

mesos::Resource withAmount(const mesos::Resource& r, int64_t millis) {
  mesos::Resource copy = r;
  copy.scalar = mesos::Value::Scalar{millisToScalar(millis)};
  return copy;
}

}  // namespace

ResourceStage::ResourceStage(const spec::ResourceSetSpec& set, const SetFootprint* previous,
                             std::string podInstance)
    : set_(set), podInstance_(std::move(podInstance)) {
  auto need = [&](const char* name, double value, int64_t EvaluationContext::*pool) {
    const ScalarFootprint* prev = previous ? previous->scalar(name) : nullptr;
    if (value > 0 || prev) needs_.push_back(Need{name, scalarToMillis(value), pool, prev, nullptr});
  };
  need("cpus", set.cpus, &EvaluationContext::cpus);
  need("mem", set.memoryMb, &EvaluationContext::mem);
  need("gpus", set.gpus, &EvaluationContext::gpus);
}

StageOutcome ResourceStage::evaluate(EvaluationContext& ctx) {
  for (Need& need : needs_) {
    int64_t extra = need.want;
    need.offered = nullptr;
    if (need.previous) {
      need.offered = ctx.offer->reservedById(need.previous->resourceId);
      if (need.offered == nullptr) {
        if (!ctx.explain) return StageOutcome::fail(name());
        return StageOutcome::fail(
            name(), strCat("needs the reserved ", need.name, " of ", podInstance_, " (resource_id ",
                           need.previous->resourceId, "), offer from agent ", ctx.offer->agentId,
                           " has none"));
      }
      extra -= offeredMillis(*need.offered);
    }
    int64_t& pool = ctx.*need.pool;
    if (extra > pool) {
      if (!ctx.explain) return StageOutcome::fail(name());
      std::string what = need.offered ? strCat(amount(need.name, extra, "more"), " to grow ",
                                               set_.id, " to ", amount(need.name, need.want))
                                      : strCat(amount(need.name, need.want), " (", set_.id, ')');
      return StageOutcome::fail(
          name(), strCat("needs ", what, ", offer has ", amount(need.name, pool, "unreserved"),
                         " for role ", ctx.role));
    }
    if (extra > 0) pool -= extra;
  }
  return ctx.explain ? explainPass(ctx) : StageOutcome::pass(name());
}

StageOutcome ResourceStage::explainPass(const EvaluationContext&) const {
  std::string text = strCat(set_.id, ':');
  for (const Need& need : needs_) {
    text += strCat(' ', amount(need.name, need.want));
    if (!need.offered) {
      text += " (new)";
      continue;
    }
    int64_t have = offeredMillis(*need.offered);
    if (need.want == have) text += " (reserved)";
    if (need.want > have) text += strCat(" (reserved ", formatAmount(have), ", grows)");
    if (need.want < have) text += strCat(" (reserved ", formatAmount(have), ", shrinks)");
  }
  return StageOutcome::pass(name(), std::move(text));
}

void ResourceStage::apply(LaunchBuilder& builder) const {
  auto& resources = builder.taskResources(set_.id);
  for (const Need& need : needs_) {
    if (!need.offered) {
      resources.push_back(builder.reserveScalar(need.name, need.want));
      continue;
    }
    int64_t have = offeredMillis(*need.offered);
    if (need.want > have) builder.reserve(withAmount(*need.offered, need.want - have));
    if (need.want < have) builder.unreserve(withAmount(*need.offered, have - need.want));
    if (need.want > 0) resources.push_back(withAmount(*need.offered, need.want));
  }
}

}  // namespace keel::offer::detail
