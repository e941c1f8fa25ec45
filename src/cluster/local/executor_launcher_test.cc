#include "cluster/local/executor_launcher.h"

#include <dirent.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "cluster/local/process_util.h"
#include "testing/paths.h"
#include "testing/temp_dir.h"

namespace keel::local {
namespace {

std::string fdTarget(int fd) {
  char buf[512];
  ssize_t n = ::readlink(("/proc/self/fd/" + std::to_string(fd)).c_str(), buf, sizeof buf);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "closed";
}

// The "executor" of these tests: writes what it was given to <runDir>/report
// (descriptors 0-3 and how many are open, its session, its blocked
// signals) and exits with 7.
int reportingMain(const std::string& runDir, int controlFd) {
  int open = 0;
  DIR* dir = ::opendir("/proc/self/fd");
  for (dirent* e; (e = ::readdir(dir)) != nullptr;) open += e->d_name[0] != '.';
  ::closedir(dir);
  sigset_t blocked;
  ::sigprocmask(SIG_BLOCK, nullptr, &blocked);
  std::ofstream out(runDir + "/report");
  out << "control=" << controlFd << "\n0=" << fdTarget(0) << "\n1=" << fdTarget(1)
      << "\n2=" << fdTarget(2) << "\n3=" << fdTarget(3).substr(0, 7) << "\nopen=" << open - 1
      << "\nsession=" << (::getsid(0) == ::getpid()) << "\nblocked=" << !sigisemptyset(&blocked)
      << "\n";
  return 7;
}

// serveExecutorLauncher in a forked child of the test process, as
// `keel-executor --launcher` would run it, adopted by an ExecutorLauncher.
std::unique_ptr<ExecutorLauncher> inProcessLauncher(int* rawFd = nullptr) {
  int pair[2];
  EXPECT_EQ(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(pair[0]);
    sigset_t all;
    ::sigfillset(&all);
    ::sigprocmask(SIG_BLOCK, &all, nullptr);  // the executor must not inherit this
    ::_exit(serveExecutorLauncher(pair[1], reportingMain));
  }
  ::close(pair[1]);
  if (rawFd != nullptr) *rawFd = pair[0];
  return ExecutorLauncher::adopt(pid, pair[0]);
}

TEST(ExecutorLauncherTest, TheForkedExecutorIsTheCallersChildWithTheDescriptorsOfASpawn) {
  keel::testing::TempDir dir;
  auto launcher = inProcessLauncher();
  int control[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, control), 0);
  auto pid = launcher->launch(dir.path().string(), control[1]);
  ASSERT_TRUE(pid) << pid.error();
  int status = 0;
  ASSERT_EQ(::waitpid(*pid, &status, 0), *pid);  // ours, not the launcher's
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 7) << status;
  EXPECT_EQ(readFile(dir.file("report")).value_or(""),
            "control=3\n0=/dev/null\n1=" + dir.file("executor.log") +
                "\n2=" + dir.file("executor.log") + "\n3=socket:\nopen=4\nsession=1\nblocked=0\n");
  ::close(control[0]);
  ::close(control[1]);
}

TEST(ExecutorLauncherTest, ARequestWithoutAControlSocketIsRefusedAndTheLauncherGoesOn) {
  keel::testing::TempDir dir;
  int fd = -1;
  auto launcher = inProcessLauncher(&fd);
  std::string runDir = dir.path().string();
  ASSERT_GE(::send(fd, runDir.data(), runDir.size(), 0), 0);  // no descriptor attached
  int32_t reply = 0;
  ASSERT_EQ(::recv(fd, &reply, sizeof reply, 0), static_cast<ssize_t>(sizeof reply));
  EXPECT_EQ(reply, -EINVAL);
  int control[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, control), 0);
  auto pid = launcher->launch(runDir, control[1]);
  ASSERT_TRUE(pid) << pid.error();
  EXPECT_EQ(::waitpid(*pid, nullptr, 0), *pid);
  ::close(control[0]);
  ::close(control[1]);
}

// The real `keel-executor --launcher`: once it is dead, launch() says so
// and that nothing was started (the agent runtime then starts another).
TEST(ExecutorLauncherTest, ALauncherThatIsGoneFailsTheLaunchNamingIt) {
  keel::testing::TempDir dir;
  auto launcher =
      ExecutorLauncher::start(keel::testing::binaryDir() + "/src/cluster/local/keel-executor");
  ASSERT_TRUE(launcher) << launcher.error();
  ASSERT_EQ(::kill((*launcher)->pid(), SIGKILL), 0);
  ASSERT_EQ(::waitpid((*launcher)->pid(), nullptr, 0), (*launcher)->pid());  // dead for sure
  int control[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, control), 0);
  auto pid = (*launcher)->launch(dir.path().string(), control[1]);
  ASSERT_FALSE(pid);
  EXPECT_EQ(pid.error().code(), StatusCode::kUnavailable);
  EXPECT_NE(pid.error().message().find("executor launcher (pid " +
                                       std::to_string((*launcher)->pid()) + ") is gone"),
            std::string::npos)
      << pid.error();
  EXPECT_NE(pid.error().message().find("nothing was started"), std::string::npos);
  ::close(control[0]);
  ::close(control[1]);
}

// A launcher that took the request and died without answering may have
// forked an executor: the launch fails, not to be started a second time.
TEST(ExecutorLauncherTest, ALauncherThatDiesAfterTheRequestFailsTheLaunch) {
  keel::testing::TempDir dir;
  int pair[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair), 0);
  pid_t child = ::fork();
  if (child == 0) {
    char buf[256];
    ::_exit(::recv(pair[1], buf, sizeof buf, 0) > 0 ? 0 : 1);  // reads, answers nothing
  }
  ::close(pair[1]);
  auto launcher = ExecutorLauncher::adopt(child, pair[0]);
  int control[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, control), 0);
  auto pid = launcher->launch(dir.path().string(), control[1]);
  ASSERT_FALSE(pid);
  EXPECT_EQ(pid.error().code(), StatusCode::kIoError);
  EXPECT_NE(pid.error().message().find("an executor may have started"), std::string::npos)
      << pid.error();
  ::close(control[0]);
  ::close(control[1]);
}

TEST(ExecutorLauncherTest, AMissingBinaryIsAnErrorAtStart) {
  auto launcher = ExecutorLauncher::start("/nonexistent/keel-executor");
  ASSERT_FALSE(launcher);
  EXPECT_NE(launcher.error().message().find("/nonexistent/keel-executor"), std::string::npos);
}

}  // namespace
}  // namespace keel::local
