// Internal: the stages buildPipeline assembles (keel/offer/pipeline.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "keel/offer/placement_rules.h"
#include "keel/offer/requirement.h"
#include "keel/offer/stage.h"
#include "offer/footprint.h"

namespace keel::offer::detail {

class PlacementStage final : public Stage {
 public:
  // `error` non-empty: the rule did not parse; every offer fails with it.
  PlacementStage(CompiledPlacement placement, std::string error)
      : placement_(std::move(placement)), error_(std::move(error)) {}
  std::string_view name() const override { return "PlacementStage"; }
  StageOutcome evaluate(EvaluationContext& ctx) override;
  void apply(LaunchBuilder&) const override {}

 private:
  CompiledPlacement placement_;
  std::string error_;
};

// The DEFAULT executor: reused when running, its reservations found when
// reserved before, else 0.1 cpus / 32 MB / 256 MB reserved.
class ExecutorStage final : public Stage {
 public:
  enum class Mode { kRunning, kExisting, kNew };
  ExecutorStage(Mode mode, const PodFootprint& footprint, std::string podInstance);
  std::string_view name() const override { return "ExecutorStage"; }
  StageOutcome evaluate(EvaluationContext& ctx) override;
  void apply(LaunchBuilder& builder) const override;

 private:
  StageOutcome evaluateNew(EvaluationContext& ctx);
  Mode mode_;
  const PodFootprint& footprint_;
  std::string podInstance_;
  std::vector<const mesos::Resource*> found_;  // kExisting: offered reservations
};

// cpus, mem, gpus of one resource set.
class ResourceStage final : public Stage {
 public:
  // `previous` null: a new reservation.
  ResourceStage(const spec::ResourceSetSpec& set, const SetFootprint* previous,
                std::string podInstance);
  std::string_view name() const override { return "ResourceStage"; }
  StageOutcome evaluate(EvaluationContext& ctx) override;
  void apply(LaunchBuilder& builder) const override;

 private:
  struct Need {
    const char* name;
    int64_t want;
    int64_t EvaluationContext::*pool;
    const ScalarFootprint* previous;
    const mesos::Resource* offered;  // decision: the reservation found
  };
  StageOutcome explainPass(const EvaluationContext& ctx) const;
  const spec::ResourceSetSpec& set_;
  std::string podInstance_;
  std::vector<Need> needs_;
};

// Static and dynamic ports of one resource set.
class PortStage final : public Stage {
 public:
  // `previous`: the last launch's ports (values reused); `reserved`: whether
  // its reservations are to be found in the offer (EXISTING footprint).
  PortStage(const spec::ResourceSetSpec& set, const SetFootprint* previous, bool reserved);
  std::string_view name() const override { return "PortStage"; }
  StageOutcome evaluate(EvaluationContext& ctx) override;
  void apply(LaunchBuilder& builder) const override;

 private:
  struct Choice {
    uint64_t port = 0;
    const mesos::Resource* offered = nullptr;   // reused reservation
    const mesos::Resource* obsolete = nullptr;  // reservation to release
  };
  bool choose(const spec::PortSpec& spec, const PortFootprint* previous, EvaluationContext& ctx,
              Choice& choice);
  StageOutcome fail(const EvaluationContext& ctx, const spec::PortSpec& spec) const;
  const spec::ResourceSetSpec& set_;
  const SetFootprint* previous_;
  bool reserved_;
  std::vector<Choice> choices_;
};

// Volumes of one resource set, or the pod's volumes (owned by the executor).
class VolumeStage final : public Stage {
 public:
  // `resourceSet` empty: pod volumes. `previous` null: new volumes.
  VolumeStage(std::string resourceSet, const std::vector<spec::VolumeSpec>& volumes,
              const SetFootprint* previous, std::string podInstance);
  std::string_view name() const override { return "VolumeStage"; }
  StageOutcome evaluate(EvaluationContext& ctx) override;
  void apply(LaunchBuilder& builder) const override;

 private:
  struct Choice {
    const mesos::Resource* offered = nullptr;  // existing volume
    int mount = -1;                            // new MOUNT: index in offer->mounts
  };
  StageOutcome evaluateOne(const spec::VolumeSpec& volume, EvaluationContext& ctx, Choice& choice);
  std::string resourceSet_;
  const std::vector<spec::VolumeSpec>& volumes_;
  const SetFootprint* previous_;
  std::string podInstance_;
  std::vector<Choice> choices_;
};

// Builds the TaskInfos and the LAUNCH_GROUP; never fails.
class LaunchStage final : public Stage {
 public:
  LaunchStage(const PodFootprint& footprint, bool reuseExecutor, std::string taskNames)
      : footprint_(footprint), reuseExecutor_(reuseExecutor), taskNames_(std::move(taskNames)) {}
  std::string_view name() const override { return "LaunchStage"; }
  StageOutcome evaluate(EvaluationContext& ctx) override;
  void apply(LaunchBuilder& builder) const override;

 private:
  const PodFootprint& footprint_;
  bool reuseExecutor_;
  std::string taskNames_;  // "data-0-node, data-0-sidecar"
};

}  // namespace keel::offer::detail
