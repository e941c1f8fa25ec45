// AccessLog: the API server's line per request, written off the request
// threads. record() queues a finished line (a short lock, no I/O); one
// writer thread hands the queued lines to keel/log.h in order (component
// "http", level info). So a request never waits for stderr: a log file on a
// busy disk, or a stalled pipe, slows the log, not the API. When the writer
// is `capacity` lines behind, further lines are dropped and counted, and the
// writer reports how many (level warn) once it catches up.
//
// The writer wakes for the first line after a quiet spell, then gathers
// lines for up to 20 ms (or 256 lines) and writes them together, so a busy
// server pays one wake-up per batch, not per request. A line's timestamp is
// when the writer writes it: at most about 20 ms after the request.
//
// Thread-safety: record() from any thread; stop() from one thread (the
// owner's). stop() writes every line recorded before it and joins the
// writer; lines recorded after it are dropped.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace keel::http {

class AccessLog {
 public:
  explicit AccessLog(size_t capacity = 10000);
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void record(std::string line);
  // Idempotent.
  void stop();

 private:
  void run();

  const size_t capacity_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::vector<std::string> queue_;
  size_t dropped_ = 0;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace keel::http
