#include "cluster/local/process_util.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

namespace keel::local {

std::optional<uint64_t> processStartTime(pid_t pid) {
  if (pid <= 0) return std::nullopt;
  auto text = readFile("/proc/" + std::to_string(pid) + "/stat");
  if (!text) return std::nullopt;
  // The command name (field 2) may hold spaces and parentheses: parse after the last ')'.
  size_t close = text->rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(text->substr(close + 1));
  std::string field;
  rest >> field;  // field 3: state
  if (field == "Z" || field == "X") return std::nullopt;
  for (int i = 4; i <= 22; ++i) {
    if (!(rest >> field)) return std::nullopt;
  }
  return std::stoull(field);
}

pid_t firstProcessIn(const std::string& dir) {
  std::error_code ec;
  std::filesystem::path want = std::filesystem::canonical(dir, ec);
  if (ec) return -1;
  pid_t first = -1;
  uint64_t firstStart = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (std::filesystem::read_symlink(entry.path() / "cwd", ec) != want) continue;
    pid_t pid = std::stoi(name);
    std::optional<uint64_t> start = processStartTime(pid);
    if (start && (first < 0 || *start < firstStart)) {
      first = pid;
      firstStart = *start;
    }
  }
  return first;
}

bool processAlive(pid_t pid, uint64_t startTime) {
  auto started = processStartTime(pid);
  return started && *started == startTime;
}

int openPidfd(pid_t pid) {
  // Through syscall(2): glibc 2.36's <sys/pidfd.h> lacks extern "C".
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

std::string describeWaitStatus(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const char* name = strsignal(WTERMSIG(status));
    return std::string("terminated with signal ") +
           (name ? name : std::to_string(WTERMSIG(status)));
  }
  return "wait status " + std::to_string(status);
}

std::optional<int> rlimitResource(std::string_view mesosName) {
  static constexpr std::array<std::pair<std::string_view, int>, 16> kNames{{
      {"RLMT_AS", RLIMIT_AS},
      {"RLMT_CORE", RLIMIT_CORE},
      {"RLMT_CPU", RLIMIT_CPU},
      {"RLMT_DATA", RLIMIT_DATA},
      {"RLMT_FSIZE", RLIMIT_FSIZE},
      {"RLMT_LOCKS", RLIMIT_LOCKS},
      {"RLMT_MEMLOCK", RLIMIT_MEMLOCK},
      {"RLMT_MSGQUEUE", RLIMIT_MSGQUEUE},
      {"RLMT_NICE", RLIMIT_NICE},
      {"RLMT_NOFILE", RLIMIT_NOFILE},
      {"RLMT_NPROC", RLIMIT_NPROC},
      {"RLMT_RSS", RLIMIT_RSS},
      {"RLMT_RTPRIO", RLIMIT_RTPRIO},
      {"RLMT_RTTIME", RLIMIT_RTTIME},
      {"RLMT_SIGPENDING", RLIMIT_SIGPENDING},
      {"RLMT_STACK", RLIMIT_STACK},
  }};
  for (const auto& [name, resource] : kNames) {
    if (name == mesosName) return resource;
  }
  return std::nullopt;
}

std::string currentExecutablePath() {
  std::error_code ec;
  auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : path.string();
}

Result<std::string> readFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::notFound(path);
    return Status::ioError(path + ": " + std::strerror(errno));
  }
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status error = Status::ioError(path + ": " + std::strerror(errno));
      ::close(fd);
      return error;
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Status writeFileAtomic(const std::string& path, std::string_view content) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::ioError(tmp + ": " + std::strerror(errno));
  bool ok = writeAll(fd, content);
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::ioError(path + ": " + std::strerror(errno));
  }
  return Status::ok();
}

Status writeNewFile(const std::string& path, std::string_view content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST) return Status::alreadyExists(path);
    return Status::ioError(path + ": " + std::strerror(errno));
  }
  bool ok = writeAll(fd, content);
  Status status = ok ? Status::ok() : Status::ioError(path + ": " + std::strerror(errno));
  ::close(fd);
  return status;
}

Status appendFile(const std::string& path, std::string_view content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Status::ioError(path + ": " + std::strerror(errno));
  bool ok = writeAll(fd, content);
  ::close(fd);
  return ok ? Status::ok() : Status::ioError(path + ": " + std::strerror(errno));
}

bool writeAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void setPlainSignals(posix_spawnattr_t* attr, short flags) {
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGCHLD);
  posix_spawnattr_setsigmask(attr, &none);
  posix_spawnattr_setsigdefault(attr, &defaults);
  posix_spawnattr_setflags(attr, flags | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
}

}  // namespace keel::local
