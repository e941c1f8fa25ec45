#include "cluster/local/checkpoint_writer.h"

#include <pthread.h>

#include "keel/log.h"

namespace keel::local {

CheckpointWriter::CheckpointWriter(std::shared_ptr<MasterCheckpoint> checkpoint,
                                   std::function<void()> onDurable, Duration retryDelay)
    : checkpoint_(std::move(checkpoint)),
      onDurable_(std::move(onDurable)),
      retryDelay_(retryDelay),
      thread_([this] { loop(); }) {}

uint64_t CheckpointWriter::submit(CheckpointDelta delta) {
  uint64_t generation;
  {
    std::lock_guard lock(mu_);
    if (pending_) {
      pending_->merge(std::move(delta));
    } else {
      pending_ = std::move(delta);
    }
    generation = ++submitted_;
  }
  cv_.notify_all();
  return generation;
}

uint64_t CheckpointWriter::submitted() const {
  std::lock_guard lock(mu_);
  return submitted_;
}

bool CheckpointWriter::writePending(std::unique_lock<std::mutex>& lock) {
  CheckpointDelta delta = std::move(*pending_);
  pending_.reset();
  uint64_t generation = submitted_;
  writing_ = true;
  lock.unlock();
  Status written = checkpoint_->write(delta);
  if (written.isOk()) {
    durable_.store(generation);
    if (onDurable_) onDurable_();
  }
  lock.lock();
  writing_ = false;
  failed_ = !written.isOk();
  if (failed_) {
    KEEL_LOG(Error, "master") << "cannot save the checkpoint (retrying): " << written.message();
    lastError_ = written;
    if (pending_) delta.merge(std::move(*pending_));
    pending_ = std::move(delta);
  }
  cv_.notify_all();
  return !failed_;
}

void CheckpointWriter::loop() {
  ::pthread_setname_np(::pthread_self(), "keel-checkpoint");
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stopping_ || (pending_.has_value() && !writing_); });
    if (!pending_ || writing_) return;  // stopping; stop() writes what is left
    if (!writePending(lock)) {
      cv_.wait_for(lock, retryDelay_, [&] { return stopping_; });
      if (stopping_) return;  // stop() makes the last attempt
    }
  }
}

Status CheckpointWriter::flush() {
  std::unique_lock lock(mu_);
  cv_.wait(lock,
           [&] { return stopping_ || (!writing_ && (failed_ || durable_.load() == submitted_)); });
  if (durable_.load() == submitted_) return Status::ok();
  if (writing_ || !pending_) return lastError_;
  return writePending(lock) ? Status::ok() : lastError_;
}

void CheckpointWriter::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::unique_lock lock(mu_);
  if (pending_) (void)writePending(lock);
}

}  // namespace keel::local
