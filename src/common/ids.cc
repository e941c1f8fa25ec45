#include "keel/ids.h"

#include <sys/random.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <random>

namespace keel {
namespace {

std::string formatUuid(uint64_t hi, uint64_t lo) {
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xffff),
                static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

// From the kernel's pool: one system call (std::random_device probes the
// CPU first, which traps to the hypervisor on a VM).
uint64_t freshSeed() {
  uint64_t seed = 0;
  if (::getrandom(&seed, sizeof seed, 0) == static_cast<ssize_t>(sizeof seed)) return seed;
  return std::random_device{}();
}

}  // namespace

// Reseeded in each process: a process forked from one that had drawn ids
// (an executor forked by its launcher) must not repeat its parent's.
std::string randomUuid() {
  static std::mutex mu;
  static std::mt19937_64 rng;
  static pid_t seededIn = 0;
  std::lock_guard<std::mutex> lock(mu);
  if (pid_t pid = ::getpid(); pid != seededIn) {
    rng.seed(freshSeed());
    seededIn = pid;
  }
  uint64_t hi = rng();
  uint64_t lo = rng();
  return formatUuid(hi, lo);
}

std::string seededUuid(uint64_t seed) {
  std::mt19937_64 rng(seed);
  uint64_t hi = rng();
  uint64_t lo = rng();
  return formatUuid(hi, lo);
}

bool isUuid(const std::string& text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace keel
