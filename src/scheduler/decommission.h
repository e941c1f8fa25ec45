// The scheduler's decommission plan (decommission.cc): scale down and pod
// removal, as dcos-commons' DecommissionPlanFactory.
//
// At startup, every pod instance the store has tasks for but the target
// configuration has not (an index at or above its pod's count, or a pod type
// no longer there; config validation let that through only with
// allow-decommission) is decommissioned. The set of such instances, each with
// its reason ("data-4: decommissioned (count 5 -> 3)"), is stored in the
// "decommissioning" property BEFORE anything is killed, and stays there until
// the instance's task state is erased: a scheduler restarted mid-way resumes
// from it.
//
// The plan "decommission" (present only when some instance is being
// decommissioned) has one phase per instance, named after it: pods in
// reverse spec order (removed pod types first), highest index first; serial
// phases, serial steps:
//   kill-<task>             KILL (repeated) until terminal
//   unreserve-<resource id> each reservation of the instance's TaskInfos and
//                           executor: its volume DESTROYed and the
//                           reservation UNRESERVEd when an offer no
//                           candidate step used carries it; the ids are
//                           stored in "decommission-released" before the
//                           ACCEPT
//   erase-<task>            the task's state deleted from the store
// Every step works on its pod instance, so the plan coordinator gives an
// instance to one step across plans, after deploy and recovery. Recovery
// never relaunches an instance being decommissioned.
//
// Thread-safety: the scheduler's owner thread.
#pragma once

#include <map>
#include <set>
#include <string>

#include "keel/plan.h"

namespace keel::scheduler {

inline constexpr const char* kDecommissionPlan = "decommission";
inline constexpr const char* kDecommissioningProperty = "decommissioning";
inline constexpr const char* kDecommissionReleasedProperty = "decommission-released";

struct DecommissionState {
  plan::Plan* plan = nullptr;                  // owned by the scheduler's plans_
  std::map<std::string, std::string> reasons;  // pod instance -> why, as stored
  std::set<std::string> released;              // resource ids, as stored
  std::map<std::string, std::string> agentOf;  // resource id -> agent id
};

}  // namespace keel::scheduler
