// FakeRuntime: an AgentRuntime for the master's tests. It records launches,
// kills and acknowledgements in a Shared block (also readable after the
// runtime is gone) and delivers the events a test emits.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cluster/local/agent_runtime.h"

namespace keel::local {

// Records what the master asked; events are queued by the test.
class FakeRuntime : public AgentRuntime {
 public:
  struct Shared {
    std::mutex mu;
    std::vector<LaunchRequest> launches;
    std::vector<std::string> kills, acks;
    int killAlls = 0;
    Status launchStatus;
  };
  FakeRuntime(std::shared_ptr<Shared> shared, std::function<void()> onEvents)
      : shared_(std::move(shared)), onEvents_(std::move(onEvents)) {}

  Status launch(const LaunchRequest& r) override {
    std::lock_guard lock(shared_->mu);
    shared_->launches.push_back(r);
    return shared_->launchStatus;
  }
  Status kill(const std::string& taskId, std::optional<Duration>) override {
    std::lock_guard lock(shared_->mu);
    shared_->kills.push_back(taskId);
    return Status::ok();
  }
  Status shutdownExecutor(const std::string&) override { return Status::ok(); }
  Status killAll() override {
    std::lock_guard lock(shared_->mu);
    ++shared_->killAlls;
    return Status::ok();
  }
  Result<RecoveryResult> recover(bool) override { return RecoveryResult{}; }
  std::vector<AgentEvent> pollEvents(Duration) override {
    std::lock_guard lock(mu_);
    std::vector<AgentEvent> out = std::move(events_);
    events_.clear();
    return out;
  }
  void acknowledge(const std::string&, const std::string& uuid) override {
    std::lock_guard lock(shared_->mu);
    shared_->acks.push_back(uuid);
  }
  std::string cgroupMode() const override { return "disabled: fake"; }

  void emit(AgentEvent event) {
    {
      std::lock_guard lock(mu_);
      events_.push_back(std::move(event));
    }
    onEvents_();
  }

 private:
  std::shared_ptr<Shared> shared_;
  std::function<void()> onEvents_;
  std::mutex mu_;
  std::vector<AgentEvent> events_;
};

}  // namespace keel::local
