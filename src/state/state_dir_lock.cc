#include "keel/state/state_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

namespace keel::state {
namespace {

std::string errnoText(int err) { return std::strerror(err); }

// The pid the holder wrote, or "unknown" while it has not written one yet.
std::string readHolderPid(int fd) {
  char buffer[32] = {};
  ssize_t n = ::pread(fd, buffer, sizeof(buffer) - 1, 0);
  if (n <= 0) return "unknown";
  std::string text(buffer, static_cast<size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return "unknown";
  return text;
}

Status writeOwnPid(int fd, const std::string& path) {
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 ||
      ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    return Status::ioError("cannot write pid into " + path + ": " + errnoText(errno));
  }
  return Status::ok();
}

}  // namespace

Result<StateDirLock> StateDirLock::acquire(const std::string& stateDir,
                                           std::string_view holderKind) {
  std::error_code ec;
  std::filesystem::create_directories(stateDir, ec);
  if (ec) return Status::ioError("cannot create state directory " + stateDir + ": " + ec.message());
  std::string path = (std::filesystem::path(stateDir) / kLockFileName).string();
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::ioError("cannot open lock file " + path + ": " + errnoText(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    std::string holder = readHolderPid(fd);
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return Status::failedPrecondition("another " + std::string(holderKind) + " (pid " + holder +
                                        ") holds " + path);
    }
    return Status::ioError("cannot lock " + path + ": " + errnoText(err));
  }
  StateDirLock lock(fd, path);
  KEEL_RETURN_IF_ERROR(writeOwnPid(fd, path));
  return lock;
}

StateDirLock::StateDirLock(StateDirLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

StateDirLock& StateDirLock::operator=(StateDirLock&& other) noexcept {
  if (this != &other) {
    release();
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

StateDirLock::~StateDirLock() { release(); }

void StateDirLock::release() {
  if (fd_ < 0) return;
  ::close(fd_);  // closing the only descriptor drops the flock
  fd_ = -1;
}

}  // namespace keel::state
