#include "keel/offer/pipeline.h"

#include <algorithm>

#include "keel/offer/task_labels.h"
#include "offer/footprint.h"
#include "offer/resource_util.h"
#include "offer/stages.h"

namespace keel::offer {

using detail::ExecutorStage;

Pipeline::Pipeline() = default;
Pipeline::Pipeline(Pipeline&&) noexcept = default;
Pipeline& Pipeline::operator=(Pipeline&&) noexcept = default;
Pipeline::~Pipeline() = default;

Pipeline::Verdict Pipeline::evaluate(const OfferSummary& offer, EvaluationContext& scratch,
                                     std::vector<StageOutcome>* explained) {
  scratch.reset(offer, explained != nullptr);
  scratch.role = service_->role;
  for (size_t i = 0; i < stages_.size(); ++i) {
    StageOutcome outcome = stages_[i]->evaluate(scratch);
    bool passed = outcome.passed();
    if (explained) explained->push_back(std::move(outcome));
    if (!passed) return Verdict{false, i};
  }
  return Verdict{true, 0};
}

LaunchPlan Pipeline::build(const OfferSummary& offer, const UuidSource& uuids) {
  LaunchBuilder builder(*requirement_, *service_, offer, uuids);
  for (const auto& stage : stages_) stage->apply(builder);
  return std::move(builder).finish();
}

namespace {

Status checkTasks(const PodInstanceRequirement& req) {
  if (req.tasksToLaunch.empty()) {
    return Status::invalidArgument(req.podInstanceName() + ": no task to launch");
  }
  for (const auto& name : req.tasksToLaunch) {
    const spec::TaskSpec* task = req.pod.task(name);
    if (task == nullptr) {
      return Status::invalidArgument(req.podInstanceName() + ": pod '" + req.pod.type +
                                     "' has no task '" + name + "'");
    }
    if (req.pod.resourceSet(task->resourceSet) == nullptr) {
      return Status::invalidArgument(req.podInstanceName() + ": task '" + name +
                                     "' names unknown resource set '" + task->resourceSet + "'");
    }
  }
  return Status::ok();
}

std::unique_ptr<Stage> placementStage(const PodInstanceRequirement& req,
                                      const PlacementContext& placement) {
  auto parsed = spec::parsePlacement(req.pod.placement);
  if (!parsed.has_value()) {
    return std::make_unique<detail::PlacementStage>(
        CompiledPlacement(), "invalid placement rule: " + parsed.error().message());
  }
  if (!parsed.value()) return std::make_unique<detail::PlacementStage>(CompiledPlacement(), "");
  return std::make_unique<detail::PlacementStage>(
      CompiledPlacement(**parsed, req.pod.type, req.podInstanceName(), placement), "");
}

ExecutorStage::Mode executorMode(const PodInstanceRequirement& req,
                                 const detail::PodFootprint& footprint, bool useReserved) {
  if (useReserved && req.executorRunning && footprint.executorInfo) {
    return ExecutorStage::Mode::kRunning;
  }
  if (useReserved && footprint.executor.reserved) return ExecutorStage::Mode::kExisting;
  return ExecutorStage::Mode::kNew;
}

// ResourceStage, PortStage and VolumeStage for each resource set of the
// tasks to launch, once per set. Returns the task names, for the LaunchStage.
std::string addResourceSetStages(const PodInstanceRequirement& req,
                                 const detail::PodFootprint& footprint, bool useReserved,
                                 std::vector<std::unique_ptr<Stage>>& stages) {
  std::string instance = req.podInstanceName();
  std::vector<std::string> seen;
  std::string names;
  for (const auto& name : req.tasksToLaunch) {
    names += (names.empty() ? "" : ", ") + taskName(req.pod.type, req.index, name);
    const std::string& setId = req.pod.task(name)->resourceSet;
    if (std::find(seen.begin(), seen.end(), setId) != seen.end()) continue;
    seen.push_back(setId);
    const spec::ResourceSetSpec& set = *req.pod.resourceSet(setId);
    const detail::SetFootprint* previous = footprint.set(setId);
    const detail::SetFootprint* reserved =
        useReserved && previous && previous->reserved ? previous : nullptr;
    stages.push_back(std::make_unique<detail::ResourceStage>(set, reserved, instance));
    stages.push_back(std::make_unique<detail::PortStage>(set, previous, reserved != nullptr));
    stages.push_back(std::make_unique<detail::VolumeStage>(setId, set.volumes, reserved, instance));
  }
  return names;
}

}  // namespace

Result<Pipeline> buildPipeline(const PodInstanceRequirement& req, const ServiceContext& service,
                               const PlacementContext& placement) {
  KEEL_RETURN_IF_ERROR(checkTasks(req));
  Pipeline p;
  p.requirement_ = &req;
  p.service_ = &service;
  p.footprint_ = std::make_unique<detail::PodFootprint>(detail::extractFootprint(req));
  const detail::PodFootprint& footprint = *p.footprint_;
  bool useReserved = req.recovery != RecoveryType::kPermanent;
  p.newFootprint_ = !useReserved || !footprint.reserved();
  std::string instance = req.podInstanceName();
  auto& stages = p.stages_;

  if (p.newFootprint_) stages.push_back(placementStage(req, placement));
  ExecutorStage::Mode mode = executorMode(req, footprint, useReserved);
  stages.push_back(std::make_unique<ExecutorStage>(mode, footprint, instance));
  if (!req.pod.volumes.empty() && mode != ExecutorStage::Mode::kRunning) {
    stages.push_back(std::make_unique<detail::VolumeStage>(
        "", req.pod.volumes, useReserved ? &footprint.executor : nullptr, instance));
  }
  std::string names = addResourceSetStages(req, footprint, useReserved, stages);
  stages.push_back(std::make_unique<detail::LaunchStage>(
      footprint, mode == ExecutorStage::Mode::kRunning, names));
  return p;
}

}  // namespace keel::offer
