#include "http/access_log.h"

#include <chrono>
#include <utility>

#include "keel/log.h"

namespace keel::http {
namespace {

constexpr size_t kBatch = 256;
constexpr std::chrono::milliseconds kGather{20};

}  // namespace

AccessLog::AccessLog(size_t capacity) : capacity_(capacity), writer_([this] { run(); }) {}

AccessLog::~AccessLog() { stop(); }

void AccessLog::record(std::string line) {
  bool notify = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || queue_.size() >= capacity_) {
      ++dropped_;
      return;
    }
    queue_.push_back(std::move(line));
    // Wake the writer when it sleeps on an empty queue, or a batch is full.
    notify = queue_.size() == 1 || queue_.size() == kBatch;
  }
  if (notify) wake_.notify_one();
}

void AccessLog::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_one();
  if (writer_.joinable()) writer_.join();
}

void AccessLog::run() {
  std::vector<std::string> batch;
  for (;;) {
    size_t dropped = 0;
    bool stopping = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty() || dropped_ > 0; });
      // Gather a batch: one wake-up per kBatch lines or per kGather, not per
      // request.
      wake_.wait_for(lock, kGather, [this] { return stopping_ || queue_.size() >= kBatch; });
      batch.swap(queue_);
      dropped = std::exchange(dropped_, 0);
      stopping = stopping_;
    }
    for (const std::string& line : batch) logLine(LogLevel::kInfo, "http", line);
    batch.clear();
    if (dropped > 0 && logEnabled(LogLevel::kWarn)) {
      (LogMessage(LogLevel::kWarn, "http") << "access log behind: request lines dropped")
          .field("lines", dropped);
    }
    if (stopping) return;
  }
}

}  // namespace keel::http
