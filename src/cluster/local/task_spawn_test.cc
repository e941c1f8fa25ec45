#include "cluster/local/task_spawn.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>

#include "cluster/local/process_util.h"
#include "testing/temp_dir.h"

namespace keel::local {
namespace {

struct Outcome {
  pid_t pid = -1;
  int status = -1;
  std::string error;  // what the child wrote to the error pipe
};

Outcome run(TaskSpawn spawn) {
  int fds[2];
  EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  spawn.errorFd = fds[1];
  Outcome out;
  out.pid = spawnTask(spawn);
  ::close(fds[1]);
  char buf[256];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) out.error.append(buf, n);
  ::close(fds[0]);
  if (out.pid > 0) ::waitpid(out.pid, &out.status, 0);
  return out;
}

TaskSpawn shell(const std::string& dir, const std::string& command) {
  TaskSpawn spawn;
  spawn.program = "sh";  // found on PATH
  spawn.argv = {"sh", "-c", command};
  spawn.env = {"PATH=/usr/bin:/bin", "GREETING=hello"};
  spawn.workDir = dir;
  return spawn;
}

TEST(TaskSpawnTest, RunsTheProgramInItsDirectoryGroupAndEnvironment) {
  keel::testing::TempDir dir;
  TaskSpawn spawn = shell(dir.path().string(),
                          "echo $GREETING; pwd; [ $(ps -o pgid= $$) = $$ ] && echo leader; "
                          "echo oops >&2; ulimit -n");
  spawn.rlimits.push_back({"RLMT_NOFILE", RLIMIT_NOFILE, {77, 77}});
  spawn.cgroupProcs = {dir.file("procs")};  // a plain file shows what was written
  ::close(::open(dir.file("procs").c_str(), O_CREAT | O_WRONLY, 0644));
  Outcome out = run(spawn);
  ASSERT_GT(out.pid, 0);
  EXPECT_TRUE(WIFEXITED(out.status) && WEXITSTATUS(out.status) == 0) << out.status;
  EXPECT_EQ(out.error, "");
  EXPECT_EQ(readFile(dir.file("stdout")).value_or(""),
            "hello\n" + dir.path().string() + "\nleader\n77\n");
  EXPECT_EQ(readFile(dir.file("stderr")).value_or(""), "oops\n");
  EXPECT_EQ(readFile(dir.file("procs")).value_or(""), "0");
}

TEST(TaskSpawnTest, AProgramThatCannotBeExecutedIsReportedWithExit127) {
  keel::testing::TempDir dir;
  TaskSpawn spawn;
  spawn.program = "/no/such/program";
  spawn.argv = {"program"};
  spawn.workDir = dir.path().string();
  Outcome out = run(spawn);
  ASSERT_GT(out.pid, 0);
  EXPECT_TRUE(WIFEXITED(out.status) && WEXITSTATUS(out.status) == 127) << out.status;
  EXPECT_EQ(out.error, "exec /no/such/program: No such file or directory");
}

TEST(TaskSpawnTest, AMissingDirectoryAndABadRlimitAreReported) {
  keel::testing::TempDir dir;
  Outcome missing = run(shell(dir.file("gone"), "true"));
  EXPECT_TRUE(WIFEXITED(missing.status) && WEXITSTATUS(missing.status) == 1);
  EXPECT_EQ(missing.error, "chdir " + dir.file("gone"));

  TaskSpawn spawn = shell(dir.path().string(), "true");
  spawn.rlimits.push_back({"RLMT_NOFILE", RLIMIT_NOFILE, {100, 10}});  // soft above hard
  Outcome bad = run(spawn);
  EXPECT_TRUE(WIFEXITED(bad.status) && WEXITSTATUS(bad.status) == 1);
  EXPECT_EQ(bad.error, "setrlimit RLMT_NOFILE: Invalid argument");
}

}  // namespace
}  // namespace keel::local
