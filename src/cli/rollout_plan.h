// The plan a configuration update would run, for `keel update preview`: the
// new configuration's update plan (its deploy plan when it declares none),
// with the steps of pod instances the change leaves alone COMPLETE
// ("unchanged") and the others PENDING with what will happen to them
// (relaunched with the new task config, or launched as new instances).
// Decommissioned instances are not in it: they get the decommission plan.
//
// Thread-safety: a pure function.
#pragma once

#include "keel/config/config_diff.h"
#include "keel/plan.h"
#include "keel/result.h"
#include "keel/spec.h"

namespace keel::cli {

// Fails (InvalidArgument) only when `to`'s plan cannot be generated.
Result<plan::Plan> rolloutPlan(const spec::ServiceSpec& to, const config::ConfigDiff& diff);

// The plan as text, one line per phase and step with its status and what
// happens to it:
//   deploy plan (serial strategy), as the update would run it:
//     phase data (serial strategy)
//       data-0:[node]  PENDING  relaunch with the new task config
std::string rolloutText(const plan::Plan& plan);

}  // namespace keel::cli
