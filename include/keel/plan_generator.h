// Plan generation from a ServiceSpec (pure): the default deploy plan and the
// plans a spec declares (svc.yml `plans:`), as dcos-commons' PlanGenerator
// and DeployPlanFactory build them.
//
// Default deploy plan: named "deploy", serial, one phase per pod type in
// declared order (phase name = pod type), serial steps, one per pod instance
// launching all of its tasks. Step names are "<pod>-<index>:[t1, t2]"; a
// step's pod instance (its asset) is "<pod>-<index>".
//
// Declared plans: plan strategy serial | parallel; phase strategy serial,
// parallel, serial-canary (alias canary), parallel-canary. A phase without
// `steps` gets the default steps. With `steps`, each pod index takes the
// entry for its index, else the "default" entry; each inner list is one step
// launching those tasks; an empty list (`default: []`) means no step for
// that index. Custom steps in a parallel phase get a dependency strategy
// (steps of one pod instance in order, pod instances in parallel), wrapped
// in a canary for parallel-canary. Entries for indices >= count are unused.
//
// Kinds: "deploy" replaces the default deploy plan; "update" is used instead
// of deploy for config changes; any other plan is custom and starts
// interrupted (an operator starts it).
//
// Errors (InvalidArgument, naming the plan and phase and what exists): a
// phase naming a pod the spec lacks, a step naming a task its pod lacks, an
// unknown strategy, a pod index with no entry and no "default", an index
// that is neither a number nor "default", an empty task list inside a step
// list, duplicate phase names, or two steps with the same name in a phase.
//
// Only plain fields of keel/spec.h are read. Thread-safe (pure).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "keel/plan.h"
#include "keel/result.h"
#include "keel/spec.h"

namespace keel::plan {

enum class PlanKind { kDeploy, kUpdate, kCustom };
PlanKind planKind(std::string_view planName);

// "<pod>-<index>:[t1, t2]".
std::string stepName(std::string_view podType, int64_t index,
                     const std::vector<std::string>& tasks);

// The default deploy plan, ignoring any declared plans.
Result<Plan> generateDefaultDeployPlan(const spec::ServiceSpec& spec,
                                       const IdGenerator& ids = randomIds());

// The declared "deploy" plan if there is one, else the default.
Result<Plan> generateDeployPlan(const spec::ServiceSpec& spec,
                                const IdGenerator& ids = randomIds());

// One declared plan; custom plans come back interrupted.
Result<Plan> generatePlan(const spec::ServiceSpec& spec, const spec::PlanSpec& planSpec,
                          const IdGenerator& ids = randomIds());

// The deploy plan first, then every other declared plan in declared order.
// The "update" plan is never one of them: once the service has completed a
// deployment (`deploymentCompleted`) and the spec declares "update", its
// phases and strategy become the plan named "deploy", so a configuration
// change rolls out as the service author asked (e.g. canary, parallel);
// before that, the deploy plan is used and "update" is left out, as
// dcos-commons does.
Result<std::vector<Plan>> generatePlans(const spec::ServiceSpec& spec,
                                        const IdGenerator& ids = randomIds(),
                                        bool deploymentCompleted = false);

}  // namespace keel::plan
