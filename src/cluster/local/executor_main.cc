// keel-executor: the executor process of keel's local cluster (see executor.h).
//   keel-executor --run-dir <dir> [--control-fd <fd>]
// Reads <dir>/executor.json, written by the AgentRuntime that started it.
//   keel-executor --launcher
// Forks executors on request from the socket on descriptor 3 (see
// executor_launcher.h).
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "cluster/local/executor.h"
#include "cluster/local/executor_launcher.h"
#include "cluster/local/process_util.h"

namespace {

// Descriptors leaked by the process that started us are not ours. One
// close_range(2) per gap instead of a close(2) per possible descriptor.
void closeInheritedFds(int keep) {
  auto closeFrom = [](unsigned first, unsigned last) {
    if (first > last) return;
    if (::syscall(SYS_close_range, first, last, 0) == 0) return;
    for (unsigned fd = first; fd <= last && fd < 1024; ++fd) ::close(static_cast<int>(fd));
  };
  if (keep < 3) {
    closeFrom(3, ~0U);
    return;
  }
  closeFrom(3, static_cast<unsigned>(keep) - 1);
  closeFrom(static_cast<unsigned>(keep) + 1, ~0U);
}

int runExecutor(const std::string& runDir, int controlFd) {
  closeInheritedFds(controlFd);
  auto text = keel::local::readFile(runDir + "/executor.json");
  if (!text) {
    std::fprintf(stderr, "keel-executor: %s\n", text.error().toString().c_str());
    return 2;
  }
  auto config = keel::local::decodeExecutorConfig(*text);
  if (!config) {
    std::fprintf(stderr, "keel-executor: %s\n", config.error().toString().c_str());
    return 2;
  }
  keel::local::Executor executor(*config, controlFd);
  return executor.run();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--launcher") == 0) {
    closeInheritedFds(3);
    return keel::local::serveExecutorLauncher(3, runExecutor);
  }
  std::string runDir;
  int controlFd = -1;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--run-dir") == 0) runDir = argv[i + 1];
    if (std::strcmp(argv[i], "--control-fd") == 0) controlFd = std::atoi(argv[i + 1]);
  }
  if (runDir.empty()) {
    std::fprintf(stderr, "usage: keel-executor --run-dir <dir> [--control-fd <fd>] | --launcher\n");
    return 2;
  }
  return runExecutor(runDir, controlFd);
}
