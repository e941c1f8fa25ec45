// FakeSchedulerApi: a SchedulerApi over real plans and canned data, for the
// route tests and the HTTP benchmark. Every call is recorded so tests can
// check what the routes asked for (and in which order: persistence before
// the live plan changes).
//
// Thread-safety: like the real scheduler's, owner thread only but for
// stateVersion() (and bumpVersion(), an atomic increment). Tests set it up
// before the server starts or through callOn() on the owner.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keel/http/scheduler_api.h"
#include "keel/plan.h"
#include "keel/result.h"
#include "keel/spec.h"

namespace keel::http {

class FakeSchedulerApi final : public SchedulerApi {
 public:
  explicit FakeSchedulerApi(std::string service) : service_(std::move(service)) {}

  // Setup.
  plan::Plan& addPlan(plan::Plan plan);
  // nullptr when absent.
  plan::Plan* findPlan(const std::string& name);
  // One task per (step, task) of the plan: "<pod>-<i>-<task>", RUNNING, with
  // `ports` as its reserved ports.
  void addTasksFromPlan(const plan::Plan& plan, const std::vector<TaskPortRange>& ports);
  void bumpVersion() { ++version_; }

  // What persistOverrides received, with the live plan's override records at
  // that moment (to show that persistence came before the change).
  struct PersistCall {
    std::string plan;
    std::vector<plan::OverrideChange> changes;
    std::map<std::string, std::string> liveRecordsBefore;
  };
  std::vector<PersistCall> persisted;
  Status persistResult;  // returned by persistOverrides (OK by default)

  std::vector<TaskView> taskViews;
  Status tasksResult;                                      // an error makes tasks() fail
  std::vector<std::pair<std::string, bool>> podRestarts;   // (pod, replace)
  std::vector<std::pair<std::string, bool>> taskRestarts;  // (task, replace)
  std::vector<AdvertisedPort> ports;
  std::map<std::string, std::string> custom;
  std::map<std::string, std::string> configurations;  // id -> spec JSON
  std::optional<std::string> target;
  std::optional<std::string> framework;
  std::map<std::string, std::string> properties;  // key -> JSON value
  std::string offers = R"({"acceptedCount":0,"rejectedCount":0,"failureReasons":{},)"
                       R"("rejectedAgents":{},"offers":[]})";
  std::optional<OfferFilter> lastOfferFilter;
  std::map<std::pair<std::string, size_t>, std::string> rendered;  // (task id, index)
  std::vector<std::string> rollbackReasons;
  Result<std::string> rollbackResult = std::string("rolling back from configuration b to a");
  int recoveryResets = 0;
  Result<std::string> recoveryResetResult =
      std::string("circuit breaker reset: automatic replacement resumes (one per 10m)");

  // SchedulerApi.
  std::string serviceName() const override { return service_; }
  uint64_t stateVersion() const override { return version_; }
  std::vector<plan::Plan*> plans() override;
  Status persistOverrides(const std::string& plan,
                          const std::vector<plan::OverrideChange>& changes) override;
  Result<std::vector<TaskView>> tasks() override;
  Result<std::vector<std::string>> restartPod(const std::string& podInstance,
                                              bool replace) override;
  Status restartTask(const std::string& task, bool replace) override;
  Result<std::vector<AdvertisedPort>> advertisedPorts() override { return ports; }
  std::map<std::string, std::string> customEndpoints() override { return custom; }
  Result<std::vector<std::string>> configurationIds() override;
  Result<std::optional<std::string>> targetConfigurationId() override { return target; }
  Result<std::string> configurationJson(const std::string& id) override;
  Result<std::optional<std::string>> frameworkId() override { return framework; }
  Result<std::vector<std::string>> propertyKeys() override;
  Result<std::string> propertyJson(const std::string& key) override;
  std::string offerOutcomesJson(const OfferFilter& filter) override;
  Result<std::string> renderedConfig(const std::string& taskId, size_t index) override;
  Result<std::string> rollBack(const std::string& reason) override {
    rollbackReasons.push_back(reason);
    return rollbackResult;
  }
  Result<std::string> resetRecovery() override {
    ++recoveryResets;
    return recoveryResetResult;
  }

 private:
  std::string service_;
  std::atomic<uint64_t> version_{1};
  std::vector<std::unique_ptr<plan::Plan>> plans_;
};

// The data-store example's spec (examples/data-store/svc.yml rendered with
// data-store.env, then `overrides`), loaded by keel/spec_loader.h.
Result<spec::ServiceSpec> loadDataStoreSpec(const std::string& sourceDir,
                                            const std::map<std::string, std::string>& overrides);

// A recovery plan with nothing to recover: one empty phase "recovery",
// COMPLETE (the tutorial's GET /v1/plans/recovery).
plan::Plan emptyRecoveryPlan(const plan::IdGenerator& ids);

}  // namespace keel::http
