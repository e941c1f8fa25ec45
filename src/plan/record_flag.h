// Internal to keel_plan: keeping an element's override of a flag in step
// with the flag, relative to its generated value.
#pragma once

#include <optional>

namespace keel::plan::detail {

// Sets `override` to `value` when it differs from the generated `base`, else
// clears it; marks `dirty` when the override changes.
inline void recordFlag(std::optional<bool>& override, bool value, bool base, bool& dirty) {
  std::optional<bool> want = value == base ? std::nullopt : std::optional<bool>(value);
  if (override != want) {
    override = want;
    dirty = true;
  }
}

}  // namespace keel::plan::detail
