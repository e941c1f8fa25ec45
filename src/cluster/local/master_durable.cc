// Master: saving on the checkpoint writer and holding back what must wait
// for it (see "Durability" in master.h).
#include "cluster/local/master.h"

#include "keel/log.h"

namespace keel::local {

void Master::checkpoint() {
  if (!writer_) {
    (void)state_.takeChanges();
  } else {
    TimePoint now = clock_->now();
    bool lazyDue = lazyDirty_ && now - lastSave_ >= options_.lazySaveInterval;
    if (dirty_ || lazyDue) {
      generation_ = writer_->submit(MasterCheckpoint::capture(state_));
      lastSave_ = now;
      dirty_ = false;
      lazyDirty_ = false;
    }
  }
  if (pendingAcks_.empty() && held_.empty()) return;
  whenDurable([this, acks = std::move(pendingAcks_), held = std::move(held_)] {
    for (const PendingAck& ack : acks) {
      auto it = runtimes_.find(ack.agentId);
      if (it != runtimes_.end()) it->second->acknowledge(ack.taskId, ack.uuid);
    }
    for (const OutgoingEvent& e : held) pushToStream(e);
  });
  pendingAcks_.clear();
  held_.clear();
}

void Master::whenDurable(std::function<void()> fn, bool answer) {
  {
    std::lock_guard lock(deferredMu_);
    bool wait = writer_ && !finished_ && (!deferred_.empty() || writer_->durable() < generation_);
    if (wait) {
      deferred_.push_back({generation_, answer, std::move(fn)});
      return;
    }
  }
  fn();
}

void Master::releaseDurable() {
  if (!writer_) return;
  uint64_t durable = writer_->durable();
  while (true) {
    std::function<void()> fn;
    {
      std::lock_guard lock(deferredMu_);
      if (deferred_.empty() || deferred_.front().generation > durable) return;
      fn = std::move(deferred_.front().fn);
      deferred_.pop_front();
    }
    fn();
  }
}

void Master::finishDurable() {
  if (!writer_) return;
  Status saved = writer_->flush();
  writer_->stop();
  if (!saved.isOk()) {
    KEEL_LOG(Error, "master") << "stopping without saving the last changes: " << saved.message();
  }
  std::deque<Deferred> left;
  {
    std::lock_guard lock(deferredMu_);
    finished_ = true;
    left.swap(deferred_);
  }
  uint64_t durable = writer_->durable();
  for (Deferred& d : left) {
    if (d.generation <= durable || d.answer) d.fn();
  }
}

}  // namespace keel::local
