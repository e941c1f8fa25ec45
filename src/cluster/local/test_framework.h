// TestFramework: a minimal scheduler over MesosClient for end-to-end tests
// and benchmarks against a LocalCluster (or any master). It subscribes,
// keeps the outstanding offers (rescinds applied), records every status
// update and acknowledges it, and lets a test wait for an offer or a status
// with a deadline (polling a condition variable, never sleeping blind).
//
// Acknowledgements are sent by kAckSenders threads of their own, not from
// the event callback: an ACKNOWLEDGE is one blocking HTTP call, and sending
// it from the client's thread would hold every later event behind that
// round trip (the master sends a task's next update only once the previous
// one is acknowledged, so the acknowledgements of different tasks may go
// out concurrently). A lost acknowledgement is re-sent by the master's
// update retry, as with any framework.
//
// Thread-safety: all methods may be called from any thread; events arrive
// on the client's thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "keel/mesos/client.h"

namespace keel::local {

class TestFramework {
 public:
  static constexpr const char* kPrincipal = "keel-test";
  static constexpr int kAckSenders = 4;
  using OfferPredicate = std::function<bool(const mesos::Offer&)>;
  using StatusPredicate = std::function<bool(const mesos::TaskStatus&)>;

  TestFramework(std::string masterUrl, std::string role,
                std::optional<mesos::FrameworkID> id = std::nullopt)
      : url_(std::move(masterUrl)), role_(std::move(role)), id_(std::move(id)) {}
  ~TestFramework() { stop(); }

  // Subscribes and waits up to `deadline` for SUBSCRIBED.
  Status start(Duration deadline = std::chrono::seconds(10)) {
    mesos::MesosClientConfig config;
    config.masterUrl = url_;
    config.framework =
        mesos::defaultFrameworkInfo("keel-test", "nobody", {role_}, std::string(kPrincipal));
    config.framework.id = id_;
    mesos::MesosClientListener listener;
    listener.onEvent = [this](const mesos::Event& e) { onEvent(e); };
    listener.onDisconnected = [this](const Status&) { clearOffers(); };
    KEEL_ASSIGN_OR_RETURN(client_, mesos::MesosClient::create(config, listener));
    client_->start();
    stopping_ = false;
    startAckSenders();
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, deadline, [&] { return subscribed_; })) {
      return Status::deadlineExceeded("not subscribed to " + url_ + ": " +
                                      std::string(client_->lastError().message()));
    }
    return Status::ok();
  }
  void stop() {
    if (client_) client_->stop();
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    ackCv_.notify_all();
    for (std::thread& t : ackSenders_) t.join();
    ackSenders_.clear();
  }

  mesos::MesosClient& client() { return *client_; }
  const std::string& role() const { return role_; }
  mesos::FrameworkID frameworkId() const { return *client_->frameworkId(); }

  // The first outstanding offer matching `pred` (taken: a later call will
  // not return it), or nullopt at the deadline.
  std::optional<mesos::Offer> takeOffer(const OfferPredicate& pred, Duration deadline) {
    std::unique_lock lock(mu_);
    std::optional<mesos::Offer> found;
    cv_.wait_for(lock, deadline, [&] {
      for (auto it = offers_.begin(); it != offers_.end(); ++it) {
        if (!pred(it->second)) continue;
        found = it->second;
        offers_.erase(it);
        return true;
      }
      return false;
    });
    return found;
  }

  // Declines every outstanding offer (refused for `refuseSeconds`).
  void declineAll(double refuseSeconds = 0.001) {
    std::vector<mesos::OfferID> ids;
    {
      std::lock_guard lock(mu_);
      for (const auto& [id, offer] : offers_) ids.push_back(offer.id);
      offers_.clear();
    }
    if (!ids.empty()) (void)client_->decline(ids, refuseSeconds);
  }

  // The first status update (in arrival order, from index `from`) matching
  // `pred`, or nullopt at the deadline.
  std::optional<mesos::TaskStatus> waitStatus(const StatusPredicate& pred, Duration deadline,
                                              size_t from = 0) {
    std::unique_lock lock(mu_);
    std::optional<mesos::TaskStatus> found;
    cv_.wait_for(lock, deadline, [&] {
      for (size_t i = from; i < statuses_.size(); ++i) {
        if (pred(statuses_[i])) {
          found = statuses_[i];
          return true;
        }
      }
      return false;
    });
    return found;
  }
  std::optional<mesos::TaskStatus> waitState(const std::string& taskId, mesos::TaskState state,
                                             Duration deadline) {
    return waitStatus(
        [&](const mesos::TaskStatus& s) { return s.taskId.value == taskId && s.state == state; },
        deadline);
  }
  // Waits until `n` statuses match `pred`; returns how many did.
  size_t waitCount(const StatusPredicate& pred, size_t n, Duration deadline) {
    std::unique_lock lock(mu_);
    size_t count = 0;
    cv_.wait_for(lock, deadline, [&] {
      count = 0;
      for (const mesos::TaskStatus& s : statuses_) count += pred(s) ? 1 : 0;
      return count >= n;
    });
    return count;
  }
  std::vector<mesos::TaskStatus> statuses() {
    std::lock_guard lock(mu_);
    return statuses_;
  }
  std::vector<mesos::Event> failures() {
    std::lock_guard lock(mu_);
    return failures_;
  }

 private:
  void onEvent(const mesos::Event& e) {
    using Type = mesos::Event::Type;
    std::optional<mesos::TaskStatus> ack;
    {
      std::lock_guard lock(mu_);
      if (e.type == Type::kSubscribed) subscribed_ = true;
      if (e.type == Type::kOffers && e.offers) {
        for (const mesos::Offer& o : e.offers->offers) offers_[o.id.value] = o;
      }
      if (e.type == Type::kRescind && e.rescind) offers_.erase(e.rescind->offerId.value);
      if (e.type == Type::kUpdate && e.update) {
        statuses_.push_back(e.update->status);
        ack = e.update->status;
      }
      if (e.type == Type::kFailure) failures_.push_back(e);
    }
    cv_.notify_all();
    if (ack) {
      {
        std::lock_guard lock(mu_);
        acks_.push_back(std::move(*ack));
      }
      ackCv_.notify_one();
    }
  }
  void startAckSenders() {
    for (int i = 0; i < kAckSenders; ++i) {
      ackSenders_.emplace_back([this] {
        std::unique_lock lock(mu_);
        while (true) {
          ackCv_.wait(lock, [&] { return stopping_ || !acks_.empty(); });
          if (stopping_) return;
          mesos::TaskStatus status = std::move(acks_.front());
          acks_.pop_front();
          lock.unlock();
          (void)client_->acknowledge(status);
          lock.lock();
        }
      });
    }
  }
  void clearOffers() {
    std::lock_guard lock(mu_);
    offers_.clear();
  }

  std::string url_, role_;
  std::optional<mesos::FrameworkID> id_;
  std::unique_ptr<mesos::MesosClient> client_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool subscribed_ = false;
  std::map<std::string, mesos::Offer> offers_;
  std::vector<mesos::TaskStatus> statuses_;
  std::vector<mesos::Event> failures_;
  std::condition_variable ackCv_;
  std::deque<mesos::TaskStatus> acks_;  // received, not acknowledged yet
  bool stopping_ = false;
  std::vector<std::thread> ackSenders_;
};

}  // namespace keel::local
