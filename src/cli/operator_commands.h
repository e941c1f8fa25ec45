// The operator's commands against a running scheduler (`keel plan status`,
// `keel pod restart`, `keel endpoints`, ...), as functions of their parsed
// arguments writing to the given streams and returning the exit status
// (cli/commands.h). How the scheduler is found, how answers map to exit
// statuses and what --json does: cli/api_command.h.
#pragma once

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/api_command.h"

namespace keel::cli {

// ---- plans (/v1/plans) ----

// A plan, and optionally one of its phases and one of that phase's steps
// (names or ids).
struct PlanTarget {
  std::string plan = "deploy";
  std::string phase;
  std::string step;
};

enum class PlanCommand { kInterrupt, kContinue, kForceComplete, kRestart };

// `keel plan list`: every plan with its status.
int runPlanList(const RemoteOptions& options, std::ostream& out, std::ostream& err);
// `keel plan status [plan]`: the plan as a tree with step messages and
// errors. A plan with errors (HTTP 417) is shown, and exits 1.
int runPlanStatus(const RemoteOptions& options, const std::string& plan, std::ostream& out,
                  std::ostream& err);
// `keel plan interrupt|continue [plan] [--phase P] [--step S]` and
// `keel plan force-complete|restart [plan] --phase P --step S` (a usage
// error, 2, without both).
int runPlanCommand(const RemoteOptions& options, PlanCommand command, const PlanTarget& target,
                   std::ostream& out, std::ostream& err);
// `keel plan start <plan> [-p KEY=VALUE]...`: a parameter without '=' is a
// usage error (2).
int runPlanStart(const RemoteOptions& options, const std::string& plan,
                 const std::vector<std::string>& parameters, std::ostream& out, std::ostream& err);
// `keel plan stop <plan>`.
int runPlanStop(const RemoteOptions& options, const std::string& plan, std::ostream& out,
                std::ostream& err);

// ---- pods (/v1/pod) ----

int runPodList(const RemoteOptions& options, std::ostream& out, std::ostream& err);
// `keel pod status [pod]`: every pod instance, or one ("data-0").
int runPodStatus(const RemoteOptions& options, const std::optional<std::string>& pod,
                 std::ostream& out, std::ostream& err);
int runPodInfo(const RemoteOptions& options, const std::string& pod, std::ostream& out,
               std::ostream& err);
// `keel pod restart <pod>` (in place) or `keel pod replace <pod>` (on new
// resources).
int runPodRestart(const RemoteOptions& options, const std::string& pod, bool replace,
                  std::ostream& out, std::ostream& err);
// `keel recovery reset`: POST /v1/recovery/reset, automatic replacement
// re-enabled after its circuit breaker tripped (keel/scheduler/recovery_policy.h).
int runRecoveryReset(const RemoteOptions& options, std::ostream& out, std::ostream& err);

// ---- endpoints, state, configurations, offers ----

// `keel endpoints [name]`: the endpoint names, or one endpoint's addresses.
int runEndpoints(const RemoteOptions& options, const std::optional<std::string>& name,
                 std::ostream& out, std::ostream& err);
int runStateFrameworkId(const RemoteOptions& options, std::ostream& out, std::ostream& err);
// `keel state properties [key]`: the keys, or one property's value.
int runStateProperties(const RemoteOptions& options, const std::optional<std::string>& key,
                       std::ostream& out, std::ostream& err);
// `keel config list`: configuration ids, the target marked.
int runConfigList(const RemoteOptions& options, std::ostream& out, std::ostream& err);
// `keel config show <id>` / `keel config target`: the ServiceSpec JSON,
// indented.
int runConfigShow(const RemoteOptions& options, const std::string& id, std::ostream& out,
                  std::ostream& err);
int runConfigTarget(const RemoteOptions& options, std::ostream& out, std::ostream& err);
// `keel config rollback`: POST /v1/configurations/rollback, the previous
// target configuration becomes the target again (an update aborted).
int runConfigRollback(const RemoteOptions& options, const std::string& reason, std::ostream& out,
                      std::ostream& err);

// /v2/debug/offers' filters; empty fields do not filter.
struct OfferQuery {
  std::string plan;
  std::string phase;
  std::string step;
};
// `keel debug offers`: what recent offer evaluations decided, and why.
int runDebugOffers(const RemoteOptions& options, const OfferQuery& query, std::ostream& out,
                   std::ostream& err);

// ---- uninstall (POST /v1/uninstall) ----

struct UninstallOptions {
  bool wait = true;  // follow the uninstall plan until the scheduler exits
  std::chrono::seconds timeout{300};
};
// `keel uninstall`: asks the scheduler to uninstall its service (kill the
// tasks, destroy the volumes, release the reservations, tear the framework
// down, delete its state, exit). Waits, printing the uninstall plan's
// progress, until the scheduler stops answering: 0. 1 when the API refused
// or no scheduler answered at first, or after `timeout`.
int runUninstall(const RemoteOptions& options, const UninstallOptions& how, std::ostream& out,
                 std::ostream& err);

}  // namespace keel::cli
