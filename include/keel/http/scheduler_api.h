// SchedulerApi: everything the HTTP API needs from the scheduler, and
// nothing else. The scheduler implements it; route tests use a fake
// (src/http/fake_scheduler_api.h).
//
// Thread-safety: every method but stateVersion() is called on the
// scheduler's owner thread only (the API server posts each request to its
// Executor), so implementations read and change their state without locks.
// Nothing here blocks on the network; store reads may fail, which the routes
// turn into 500s.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/plan.h"
#include "keel/plan_override.h"
#include "keel/result.h"
#include "keel/status.h"

namespace keel::http {

// A range of ports a task reserved; begin == end for a single port.
struct TaskPortRange {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool operator==(const TaskPortRange&) const = default;
};

// One task the scheduler knows: its stored TaskInfo and latest TaskStatus.
struct TaskView {
  std::string name;     // "data-0-node" (<pod>-<index>-<task>)
  std::string podType;  // "data"; empty when the task carries no pod labels
  int64_t podIndex = 0;
  std::string taskId;  // Mesos task id; empty for a task never launched
  // What /v1/pod/status shows: the Mesos state without "TASK_" ("RUNNING"),
  // or a goal-override state ("PAUSING"); nullopt before any TaskStatus.
  std::optional<std::string> state;
  std::string infoJson;                   // TaskInfo, a JSON object
  std::optional<std::string> statusJson;  // latest TaskStatus, a JSON object
  std::vector<TaskPortRange> ports;       // reserved "ports" ranges, in order
};

// A port a task advertises (spec `advertise: true`, or one with a VIP),
// listed under its port name by /v1/endpoints.
struct AdvertisedPort {
  std::string portName;  // the endpoint name
  std::string dnsName;   // first DNS label: the task name or discovery prefix
  std::string address;   // the task's IP, else its agent's hostname
  uint32_t port = 0;
  std::string vipPrefix;  // empty: no VIP
  uint32_t vipPort = 0;
};

// /v2/debug/offers' filters; empty fields do not filter.
struct OfferFilter {
  std::string plan;
  std::string phase;
  std::string step;
};

class SchedulerApi {
 public:
  virtual ~SchedulerApi() = default;

  // The service name ("data-store"): the middle of discovery names.
  virtual std::string serviceName() const = 0;

  // Changes whenever anything the API shows may have changed: the scheduler
  // bumps it (on the owner thread) after each event it applies (status
  // update, offer cycle, tick). Rendered plan JSON is cached per version and
  // served from the HTTP threads while the version holds, so a missed bump
  // shows stale plans. Changes made through the routes below invalidate the
  // cache themselves.
  // Called from any thread: an atomic load.
  virtual uint64_t stateVersion() const = 0;

  // Every plan, in PlanCoordinator priority order (deploy/update, recovery,
  // decommission, custom). The pointers stay valid until the call returns.
  // Routes change plans only through keel/plan_operations.h.
  virtual std::vector<plan::Plan*> plans() = 0;

  // Makes an operator's override records durable (PlanOverrideStore put or
  // erase per change). Called *before* the routes apply the operation to
  // the live plan; an error leaves the live plan unchanged and the request
  // fails with 500.
  virtual Status persistOverrides(const std::string& plan,
                                  const std::vector<plan::OverrideChange>& changes) = 0;

  // Every task in the state store.
  virtual Result<std::vector<TaskView>> tasks() = 0;

  // Kills every task of a pod instance ("data-0") so that recovery relaunches
  // it: in place, or, with `replace`, after marking it permanently failed
  // (durably, before the kill). Returns the names of the tasks killed;
  // NotFound for an unknown pod instance.
  virtual Result<std::vector<std::string>> restartPod(const std::string& podInstance,
                                                      bool replace) = 0;

  // The tutorial's per-task form of restartPod. NotFound for an unknown task.
  virtual Status restartTask(const std::string& task, bool replace) = 0;

  virtual Result<std::vector<AdvertisedPort>> advertisedPorts() = 0;
  // Endpoints a service author added in code (name -> any text), served as
  // text/plain as dcos-commons' EndpointProducer values are.
  virtual std::map<std::string, std::string> customEndpoints() = 0;

  virtual Result<std::vector<std::string>> configurationIds() = 0;
  virtual Result<std::optional<std::string>> targetConfigurationId() = 0;
  // The ServiceSpec JSON of a stored configuration; NotFound when absent.
  virtual Result<std::string> configurationJson(const std::string& id) = 0;

  virtual Result<std::optional<std::string>> frameworkId() = 0;
  virtual Result<std::vector<std::string>> propertyKeys() = 0;
  // A property as a JSON value (a string value as a JSON string); NotFound.
  virtual Result<std::string> propertyJson(const std::string& key) = 0;

  // Recent offer outcomes as a JSON object, dcos-commons'
  // OfferOutcomeTrackerV2 shape: {"acceptedCount","rejectedCount",
  // "failureReasons","rejectedAgents","offers":[...]}. Passed through as is.
  virtual std::string offerOutcomesJson(const OfferFilter& filter) = 0;

  // The `index`th config file of the launch `taskId`, as rendered for it
  // (keel/offer/task_labels.h renderedConfigUrl). NotFound when no launch of
  // that id is known or it has no such file.
  virtual Result<std::string> renderedConfig(const std::string& taskId, size_t index) = 0;

  // POST /v1/uninstall (keel's own): switches the scheduler into uninstall
  // mode for good (durably, before anything is destroyed): its tasks are
  // killed, its volumes destroyed and reservations released as they are
  // offered back, then the framework is torn down, its state deleted and
  // the scheduler exits. The "uninstall" plan shows the progress. Returns a
  // one-line summary; a repeated call answers that it is under way.
  virtual Result<std::string> uninstall() {
    return Status::unsupported("this scheduler cannot uninstall its service");
  }

  // POST /v1/configurations/rollback (keel's own): the previous target
  // configuration becomes the target again and the pods running the current
  // one relaunch with it (keel/scheduler: rollback.h). FailedPrecondition
  // when the target was not reached by an update. Returns a one-line summary.
  virtual Result<std::string> rollBack(const std::string& reason) {
    (void)reason;
    return Status::unsupported("this scheduler cannot roll its configuration back");
  }

  // POST /v1/recovery/reset (keel's own): the operator re-enables automatic
  // replacement after its circuit breaker tripped (stored before it takes
  // effect; keel/scheduler/recovery_policy.h). Returns a one-line summary.
  virtual Result<std::string> resetRecovery() {
    return Status::unsupported("this scheduler has no automatic recovery to reset");
  }
};

}  // namespace keel::http
