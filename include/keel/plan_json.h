// Renderings of a plan for the HTTP API and the CLI. Pure functions of the
// plan's current state; thread-safety as for the Plan. The JSON renderings
// are the bytes nlohmann::json's dump() writes for the same values, except
// that text which is not valid UTF-8 (a step message from a task) has each
// bad byte replaced by U+FFFD instead of failing.
#pragma once

#include <string>

#include "keel/plan.h"

namespace keel::plan {

// GET /v1/plans/<plan> (dcos-commons' PlanInfo):
// {"phases":[{"id","name","steps":[{"id","name","status","message"}],
//   "status","strategy"}],"errors":[...],"status","strategy"}
// Statuses are display statuses (WAITING for an interrupted PENDING step).
// A step's message: its errors when ERROR, "Waiting for continue (decision
// point|interrupted)" when interrupted and PENDING/PREPARED, "Delayed until
// <time>" when DELAYED, else the message the scheduler set.
// `indent` < 0: compact; else pretty-printed with that indent.
std::string planToJson(const Plan& plan, int indent = -1);

// GET /v1/plan, the seed-era shape (the data-store tutorial): phases of
// "blocks" {"id","status","name","message","has_decision_point"}, no
// strategies. Seed-era statuses were ERROR, WAITING, PENDING, IN_PROGRESS,
// COMPLETE: PREPARED/STARTING/STARTED map to IN_PROGRESS, DELAYED to
// PENDING. A block's name is the step's name; an empty message becomes
// "Block: <name>".
std::string planToSeedJson(const Plan& plan, int indent = -1);

// The CLI's `plan status` tree:
//   deploy (serial strategy) (IN_PROGRESS)
//   ├─ meta-data (serial strategy) (COMPLETE)
//   │  ├─ meta-data-0:[node] (COMPLETE)
//   │  └─ meta-data-1:[node] (COMPLETE)
//   └─ data (serial strategy) (IN_PROGRESS)
//      └─ ...
// followed by "\nErrors:\n- <error>" lines when the plan has errors. No
// trailing newline.
std::string planTree(const Plan& plan);

// The HTTP status of GET /v1/plans/<plan>: 417 with errors, 200 COMPLETE,
// 202 otherwise.
int planHttpStatus(const Plan& plan);

}  // namespace keel::plan
