// One stage of the offer evaluation pipeline (keel/offer/pipeline.h) and the
// per-(requirement, offer) context the stages share.
//
// A stage is built for one requirement; evaluate() is called once per offer
// and decides whether the offer has what the stage needs, taking it from the
// context's pools so that later stages see what is left. The decision it
// made for the last evaluated offer stays in the stage: when the whole
// pipeline passes, apply() turns it into resources and operations.
//
// Cost contract: with ctx.explain false, evaluate() formats no text and
// allocates nothing (reasons stay empty); with ctx.explain true it writes the
// reason on PASS and on FAIL, saying what was needed and what the offer had.
//
// Thread-safety: none; a stage belongs to one pipeline on one thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "keel/offer/offer_summary.h"

namespace keel::offer {

class LaunchBuilder;

struct StageOutcome {
  enum class Result { kPass, kFail };

  Result result = Result::kPass;
  std::string_view stage;  // the stage's name: static storage
  std::string reason;      // empty unless explained

  bool passed() const { return result == Result::kPass; }
  // "PASS(PlacementStage): reason" / "FAIL(ResourceStage): reason".
  std::string text() const;

  static StageOutcome pass(std::string_view stage, std::string reason = {}) {
    return {Result::kPass, stage, std::move(reason)};
  }
  static StageOutcome fail(std::string_view stage, std::string reason = {}) {
    return {Result::kFail, stage, std::move(reason)};
  }
};

// What is left of one offer while the stages of one pipeline run on it.
// Reused across offers: reset() keeps the vectors' capacity.
struct EvaluationContext {
  const OfferSummary* offer = nullptr;
  bool explain = false;
  std::string_view role;  // for reasons
  // Unreserved amounts left, in thousandths.
  int64_t cpus = 0;
  int64_t mem = 0;
  int64_t gpus = 0;
  int64_t disk = 0;
  std::vector<uint64_t> takenPorts;  // unreserved ports taken by earlier stages
  std::vector<uint8_t> takenMounts;  // per offer->mounts entry

  void reset(const OfferSummary& summary, bool explainReasons);
  // In the offer's unreserved ranges and not taken yet.
  bool portFree(uint64_t port) const;
};

class Stage {
 public:
  virtual ~Stage() = default;
  // "PlacementStage", "ExecutorStage", "ResourceStage", "PortStage",
  // "VolumeStage", "LaunchStage".
  virtual std::string_view name() const = 0;
  virtual StageOutcome evaluate(EvaluationContext& ctx) = 0;
  // Contributes the last passing evaluate()'s decisions to the launch.
  virtual void apply(LaunchBuilder& builder) const = 0;
};

}  // namespace keel::offer
