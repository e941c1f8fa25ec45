#include "testing/paths.h"

#include <filesystem>
#include <fstream>

#include "keel/check.h"

namespace keel::testing {
namespace {

namespace fs = std::filesystem;

struct Paths {
  std::string binary;
  std::string source;
  std::string shared;
};

fs::path findBuildDir() {
  std::error_code ec;
  fs::path dir = fs::read_symlink("/proc/self/exe", ec).parent_path();
  KEEL_CHECK_MSG(!ec, "cannot read /proc/self/exe");
  for (; !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
    if (fs::exists(dir / "CMakeCache.txt")) return dir;
  }
  KEEL_CHECK_MSG(false, "no CMakeCache.txt above the running binary: run it from its build tree");
  return {};
}

// The value of `key:TYPE=value` in a CMakeCache.txt, or "" when absent.
std::string cacheValue(const fs::path& cache, const std::string& key) {
  std::ifstream in(cache);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) != 0) continue;
    auto eq = line.find('=');
    if (eq != std::string::npos) return line.substr(eq + 1);
  }
  return "";
}

const Paths& paths() {
  static const Paths resolved = [] {
    fs::path build = findBuildDir();
    Paths p{build.string(), cacheValue(build / "CMakeCache.txt", "CMAKE_HOME_DIRECTORY"),
            cacheValue(build / "CMakeCache.txt", "KEEL_SHARED_DIR")};
    KEEL_CHECK_MSG(!p.source.empty(), "CMakeCache.txt names no CMAKE_HOME_DIRECTORY");
    KEEL_CHECK_MSG(!p.shared.empty(), "CMakeCache.txt names no KEEL_SHARED_DIR");
    return p;
  }();
  return resolved;
}

}  // namespace

const std::string& binaryDir() { return paths().binary; }
const std::string& sourceDir() { return paths().source; }
const std::string& sharedDir() { return paths().shared; }

}  // namespace keel::testing
