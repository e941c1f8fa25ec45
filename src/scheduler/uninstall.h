// The scheduler's uninstall mode (uninstall.cc), dcos-commons' uninstall
// plan driven from keel's own POST /v1/uninstall.
//
// Once the "uninstalling" property is stored (before anything is destroyed;
// it is never cleared), the scheduler runs only the "uninstall" plan:
//   kill-tasks            kill-task-<task>: KILL (repeated) until terminal
//   unreserve-resources   unreserve-<resource id>: each of the service's
//                         reservations, its volume DESTROYed and the
//                         reservation UNRESERVEd when an offer carries it
//                         (the ids are stored in "uninstall-released" before
//                         the ACCEPT is sent)
//   deregister-service    deregister: TEARDOWN once every other step is
//                         COMPLETE; the runner then stops and deletes the
//                         state directory.
// Nothing is launched. A scheduler restarted mid-uninstall resumes from the
// stored property and released ids; operator overrides of the plan (e.g.
// force-complete of a reservation on an agent that is gone) are stored and
// replayed like any plan's.
//
// Thread-safety: the scheduler's owner thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "keel/plan.h"

namespace keel::scheduler {

inline constexpr const char* kUninstallPlan = "uninstall";
inline constexpr const char* kUninstallingProperty = "uninstalling";
inline constexpr const char* kUninstallReleasedProperty = "uninstall-released";

struct UninstallState {
  std::unique_ptr<plan::Plan> plan;
  std::set<std::string> released;              // resource ids
  std::map<std::string, std::string> agentOf;  // resource id -> agent id
  bool tornDown = false;
};

}  // namespace keel::scheduler
