// TempDir: a fresh directory under $TMPDIR (or /tmp), removed with its
// contents when the object dies. For tests only.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include "keel/check.h"

namespace keel::testing {

class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base ? base : "/tmp") + "/keel-test-XXXXXX";
    char* made = mkdtemp(pattern.data());
    KEEL_CHECK_MSG(made != nullptr, "mkdtemp failed");
    path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace keel::testing
