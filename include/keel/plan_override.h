// Durable operator overrides. Every operator action on a plan (interrupt,
// continue, force-complete, restart, decision points, start parameters)
// changes the override state of the elements it touches (ElementOverrides
// in keel/plan.h). Those states are persisted as records, one per element,
// and re-applied to the freshly generated plan after a scheduler restart.
//
// Records are keyed by element *names*, not ids: ids are UUIDs regenerated
// with every plan, while names come from the spec ("data", "data-0:[node]")
// and are the same each time the same spec is generated. A record whose
// element no longer exists (the spec changed) is reported, not applied.
//
// A record is a *state*, not a log entry: the latest record of an element
// replaces the earlier one, so the store holds at most one record per
// element and the order records are applied in does not matter. Status
// overrides are stored per step (a phase force-complete writes one record
// per step), so a later restart of one step simply replaces that step's
// record.
//
// Storage fits keel/state's PlanOverrideStore: put(plan, key(), encode()),
// erase(plan, key), list(plan) -> the map applyOverrides() takes. Keys use
// only [A-Za-z0-9_.%-]: "plan", "phase.<name>", "step.<phase>.<step>", with
// every other byte of a name %XX-escaped (so '.' and '/' never appear
// unescaped inside a name). Values are JSON objects with a "version": 1.
//
// Ordering with the scheduler: generate the plan, set step statuses from the
// tasks the scheduler knows, then applyOverrides(): a forced completion sets
// COMPLETE and a pending restart sets PENDING over what the tasks suggested.
//
// Pure functions; thread-safety as for the Plan they take.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/plan.h"
#include "keel/result.h"

namespace keel::plan {

enum class ElementLevel { kPlan, kPhase, kStep };

struct PlanOverride {
  ElementLevel level = ElementLevel::kPlan;
  std::string phase;  // phase name; empty for the plan
  std::string step;   // step name; empty unless level is kStep
  ElementOverrides overrides;

  std::string key() const;
  std::string encode() const;
  // Corruption when the text is not a record this version wrote.
  static Result<PlanOverride> decode(std::string_view value);
  bool operator==(const PlanOverride&) const = default;
};

// The record key of an element.
std::string overrideKey(ElementLevel level, std::string_view phase, std::string_view step);

// One change to persist: put `value` under `key`, or erase `key` when
// `value` is nullopt (the element is back to its generated state).
struct OverrideChange {
  std::string key;
  std::optional<std::string> value;
  bool operator==(const OverrideChange&) const = default;
};

// Every non-empty override of the plan, plan first, then phases and steps
// in plan order.
std::vector<PlanOverride> collectOverrides(const Plan& plan);
// The same as a key -> encoded record map: what the store should hold.
std::map<std::string, std::string> overrideRecords(const Plan& plan);

// The records of the elements whose overrides changed since the last call
// (operator actions, or scheduler transitions that end a forced completion
// or a restart), and marks them persisted. O(elements).
std::vector<OverrideChange> takeOverrideChanges(Plan& plan);

struct ApplyReport {
  size_t applied = 0;
  std::vector<std::string> unmatched;  // keys whose element does not exist
};

// Re-applies stored records to a freshly generated plan. Corruption (naming
// the key) when a record does not decode or does not match its key; nothing
// is applied then. Applied records are not reported by takeOverrideChanges.
Result<ApplyReport> applyOverrides(Plan& plan, const std::map<std::string, std::string>& records);

}  // namespace keel::plan
