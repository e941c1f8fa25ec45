#include "keel/offer/launch_builder.h"
#include "keel/offer/pipeline.h"
#include "offer/resource_util.h"
#include "offer/stages.h"

namespace keel::offer::detail {

namespace {

const int64_t kCpus = scalarToMillis(kExecutorCpus);
const int64_t kMem = scalarToMillis(kExecutorMemMb);
const int64_t kDisk = scalarToMillis(kExecutorDiskMb);

}  // namespace

ExecutorStage::ExecutorStage(Mode mode, const PodFootprint& footprint, std::string podInstance)
    : mode_(mode), footprint_(footprint), podInstance_(std::move(podInstance)) {
  found_.reserve(footprint.executor.scalars.size());
}

StageOutcome ExecutorStage::evaluate(EvaluationContext& ctx) {
  const OfferSummary& offer = *ctx.offer;
  if (mode_ == Mode::kRunning) {
    if (offer.agentId == footprint_.agentId) {
      return StageOutcome::pass(
          name(), ctx.explain ? strCat("reuses the running executor of ", podInstance_) : "");
    }
    return StageOutcome::fail(
        name(), ctx.explain ? strCat("the executor of ", podInstance_, " runs on agent ",
                                     footprint_.agentId, ", offer is from agent ", offer.agentId)
                            : "");
  }
  if (mode_ == Mode::kNew) return evaluateNew(ctx);
  found_.clear();
  for (const auto& scalar : footprint_.executor.scalars) {
    const mesos::Resource* r = offer.reservedById(scalar.resourceId);
    if (r == nullptr) {
      return StageOutcome::fail(
          name(), ctx.explain ? strCat("needs the executor's reserved ", scalar.name,
                                       " (resource_id ", scalar.resourceId, ") of ", podInstance_,
                                       ", offer from agent ", offer.agentId, " has none")
                              : "");
    }
    found_.push_back(r);
  }
  return StageOutcome::pass(
      name(), ctx.explain ? strCat("found the executor's ", found_.size(), " reservations") : "");
}

StageOutcome ExecutorStage::evaluateNew(EvaluationContext& ctx) {
  if (ctx.cpus >= kCpus && ctx.mem >= kMem && ctx.disk >= kDisk) {
    ctx.cpus -= kCpus;
    ctx.mem -= kMem;
    ctx.disk -= kDisk;
    return StageOutcome::pass(
        name(), ctx.explain
                    ? strCat("reserves ", formatAmount(kCpus), " cpus, ", formatAmount(kMem),
                             " MB mem, ", formatAmount(kDisk), " MB disk for the executor")
                    : "");
  }
  if (!ctx.explain) return StageOutcome::fail(name());
  return StageOutcome::fail(
      name(), strCat("executor needs ", formatAmount(kCpus), " cpus, ", formatAmount(kMem),
                     " MB mem, ", formatAmount(kDisk), " MB disk; offer has ",
                     formatAmount(ctx.cpus), " cpus, ", formatAmount(ctx.mem), " MB mem, ",
                     formatAmount(ctx.disk), " MB disk unreserved for role ", ctx.role));
}

void ExecutorStage::apply(LaunchBuilder& builder) const {
  switch (mode_) {
    case Mode::kRunning:
      return;
    case Mode::kExisting:
      for (const mesos::Resource* r : found_) builder.executorResources().push_back(*r);
      return;
    case Mode::kNew:
      builder.executorResources().push_back(builder.reserveScalar("cpus", kCpus));
      builder.executorResources().push_back(builder.reserveScalar("mem", kMem));
      builder.executorResources().push_back(builder.reserveScalar("disk", kDisk));
      return;
  }
}

}  // namespace keel::offer::detail
