// The workload of the crash-safety test, shared by the writer process and the
// test that checks what it left behind.
//
// Transaction number `seq` sets /crash/k0 .. /crash/k<keys-1> all to
// crashValue(seq, k) (the sequence number, a ':' and filler of varying size),
// creates /crash/log/<seq> and erases /crash/log/<seq - kCrashLogKeep>. So
// after any crash the k-nodes agree on one seq, and /crash/log holds exactly
// the last kCrashLogKeep sequence numbers up to it.
#pragma once

#include <cstdint>
#include <string>

namespace keel::state {

inline constexpr int64_t kCrashLogKeep = 5;

inline std::string crashKeyPath(int k) { return "/crash/k" + std::to_string(k); }
inline std::string crashLogPath(int64_t seq) { return "/crash/log/" + std::to_string(seq); }

inline std::string crashValue(int64_t seq, int k) {
  size_t filler = static_cast<size_t>((seq * 37 + k * 11) % 700);
  return std::to_string(seq) + ":" + std::string(filler, static_cast<char>('a' + seq % 26));
}

// The seq of a crashValue(), or -1 when `value` is not one.
inline int64_t crashSeq(const std::string& value) {
  size_t colon = value.find(':');
  if (colon == 0 || colon == std::string::npos) return -1;
  try {
    return std::stoll(value.substr(0, colon));
  } catch (...) {
    return -1;
  }
}

}  // namespace keel::state
