// CheckpointWriter: the thread that writes the master's checkpoint, so that
// encoding and committing a save (tens to hundreds of milliseconds while a
// thousand tasks start) never holds up the master loop: the loop captures
// what changed (MasterCheckpoint::capture, a copy of the changed records),
// submits it and goes on with the next call or update.
//
// Submitted deltas are numbered 1, 2, 3, ... (generations). While the
// thread writes one, newer submissions are merged into one pending delta
// and written together, so a busy master pays one encoding per record per
// write, not one per change. durable() is the newest generation written:
// every generation up to it is in the store. `onDurable` runs (on the
// writer thread, without locks held) each time durable() advances.
//
// A failed write is logged and retried, merged with whatever was submitted
// since, after `retryDelay` (durable() does not advance meanwhile: the
// master keeps holding what waits for it).
//
// Thread-safety: submit() from one thread (the master's); durable() from
// any; flush() and stop() from the owner.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "cluster/local/master_checkpoint.h"
#include "keel/clock.h"

namespace keel::local {

class CheckpointWriter {
 public:
  CheckpointWriter(std::shared_ptr<MasterCheckpoint> checkpoint, std::function<void()> onDurable,
                   Duration retryDelay = std::chrono::seconds(1));
  ~CheckpointWriter() { stop(); }
  CheckpointWriter(const CheckpointWriter&) = delete;
  CheckpointWriter& operator=(const CheckpointWriter&) = delete;

  // Queues `delta`; returns its generation.
  uint64_t submit(CheckpointDelta delta);
  // The newest generation in the store (0: none yet).
  uint64_t durable() const { return durable_.load(); }
  // The newest generation submitted.
  uint64_t submitted() const;
  // Waits until everything submitted so far is written; after a failure,
  // tries once more on the caller's behalf and returns that write's status.
  Status flush();
  // Writes what is pending (one attempt), then ends the thread. Idempotent.
  void stop();

 private:
  void loop();
  // Writes the pending delta once (the lock held on entry and exit, not
  // during the write); false when the write failed.
  bool writePending(std::unique_lock<std::mutex>& lock);

  const std::shared_ptr<MasterCheckpoint> checkpoint_;
  const std::function<void()> onDurable_;
  const Duration retryDelay_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::optional<CheckpointDelta> pending_;
  uint64_t submitted_ = 0;
  bool writing_ = false;
  bool failed_ = false;  // the last write failed
  Status lastError_;
  bool stopping_ = false;
  std::atomic<uint64_t> durable_{0};
  std::thread thread_;
};

}  // namespace keel::local
