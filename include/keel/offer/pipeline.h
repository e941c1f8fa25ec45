// The offer evaluation pipeline for one pod instance requirement: the stages,
// assembled in one place (buildPipeline), run in order against an offer with
// early exit on the first failing stage.
//
// NEW footprint (first launch, PERMANENT recovery, nothing reserved before):
//   PlacementStage -> ExecutorStage (0.1 cpus, 32 MB mem, 256 MB disk, as
//   dcos-commons) -> pod volumes (VolumeStage) -> per resource set of the
//   tasks to launch, each once: PortStage, ResourceStage (cpus, mem, gpus),
//   VolumeStage -> LaunchStage.
// EXISTING footprint (relaunch on the instance's reservations): the same
//   stages without placement; they find the reserved resources by resource_id
//   and the volumes by persistence id, and resize scalars whose spec changed
//   (RESERVE the extra under the same resource_id, UNRESERVE the surplus).
//   A resource set with no previous reservation is reserved as new.
//
// Lifetime: a Pipeline refers to the requirement, service context and
// placement context it was built from; they must outlive it unchanged.
// Thread-safety: none; one pipeline per thread.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "keel/offer/launch_builder.h"
#include "keel/offer/requirement.h"
#include "keel/offer/stage.h"
#include "keel/result.h"

namespace keel::offer {

namespace detail {
struct PodFootprint;
}

// The executor overhead of a NEW footprint (dcos-commons' EXECUTOR_CPUS,
// EXECUTOR_MEM_MB, EXECUTOR_DISK_MB).
inline constexpr double kExecutorCpus = 0.1;
inline constexpr double kExecutorMemMb = 32;
inline constexpr double kExecutorDiskMb = 256;

class Pipeline {
 public:
  struct Verdict {
    bool passed = false;
    size_t failedStage = 0;  // index into stages() when !passed
  };

  Pipeline(Pipeline&&) noexcept;
  Pipeline& operator=(Pipeline&&) noexcept;
  ~Pipeline();

  // Runs the stages on `offer` until one fails. With `explained` non-null the
  // stages format reasons and every outcome (passes, then the failure) is
  // appended to it. `scratch` is reset here; reuse one across offers.
  Verdict evaluate(const OfferSummary& offer, EvaluationContext& scratch,
                   std::vector<StageOutcome>* explained = nullptr);
  // Applies every stage's decisions for the offer of the last evaluate(),
  // which must have passed; the LaunchStage finishes the plan.
  LaunchPlan build(const OfferSummary& offer, const UuidSource& uuids);

  std::span<const std::unique_ptr<Stage>> stages() const { return stages_; }
  // Whether the pipeline reserves a new footprint (placement is checked).
  bool newFootprint() const { return newFootprint_; }

 private:
  friend Result<Pipeline> buildPipeline(const PodInstanceRequirement&, const ServiceContext&,
                                        const PlacementContext&);
  Pipeline();
  std::unique_ptr<detail::PodFootprint> footprint_;  // the stages refer to it
  std::vector<std::unique_ptr<Stage>> stages_;
  const PodInstanceRequirement* requirement_ = nullptr;
  const ServiceContext* service_ = nullptr;
  bool newFootprint_ = true;
};

// InvalidArgument when a task to launch is not in the pod, a task names an
// unknown resource set, or the placement text does not parse.
Result<Pipeline> buildPipeline(const PodInstanceRequirement& requirement,
                               const ServiceContext& service, const PlacementContext& placement);

}  // namespace keel::offer
