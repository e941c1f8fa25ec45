// End-to-end launch harness for the local cluster (not a Google Benchmark:
// one measured run per configuration). It starts `keel cluster run` as its
// own process, gives it agents large enough for N tasks, subscribes with
// MesosClient, and times ACCEPT (LAUNCH_GROUP, G tasks per executor) until
// every task is TASK_RUNNING; in the same run it spawns the same N
// processes directly with posix_spawn: `sleep 1000` (a command task, shell
// false), or with `shell` the shell task `sh -c "exec sleep 1000"` and as
// many `/bin/sh -c "exec sleep 1000"`. Reported: both times and
// their ratio, the CPU both used (the cluster process, its executors and
// tasks; the harness and its children), the cluster process' RSS growth per
// running task, the status updates delivered (and acknowledged) per second,
// and when the executors stamped their updates.
//
// Usage: bench_cluster_launch [tasks=1000] [tasks-per-executor=1] [agents=6] [shell]
// ($KEEL_BINARY: another `keel` to run the cluster, for A/B comparisons).
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <httplib.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cluster/local/cluster_process.h"
#include "cluster/local/e2e_ops.h"
#include "cluster/local/test_framework.h"
#include "testing/temp_dir.h"

extern char** environ;

namespace {

using namespace keel;
using namespace keel::local;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* kRole = "bench";
// Each task's process, and each directly spawned one: `sleep 1000`, or with
// `shell`, `/bin/sh -c "exec sleep 1000"` (a shell that execs sleep).
constexpr const char* kArgv[] = {"sleep", "1000"};
constexpr const char* kShellCommand = "exec sleep 1000";

double secondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

long rssKb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

// Per thread of `pid`: seconds it waited, runnable, for a CPU
// (/proc/<pid>/task/<tid>/schedstat, second field), by "<name>/<tid>".
std::map<std::string, double> runDelays(pid_t pid) {
  std::map<std::string, double> out;
  std::error_code ec;
  std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& entry : std::filesystem::directory_iterator(tasks, ec)) {
    std::ifstream in(entry.path() / "schedstat");
    std::ifstream comm(entry.path() / "comm");
    std::string name;
    std::getline(comm, name);
    double running = 0, waiting = 0;
    if (in >> running >> waiting)
      out[name + "/" + entry.path().filename().string()] = waiting / 1e9;
  }
  return out;
}

// How long the cluster process' threads waited for a CPU between two
// runDelays(): the sum and the longest single thread.
void printRunDelay(const std::map<std::string, double>& before,
                   const std::map<std::string, double>& after) {
  double total = 0, longest = 0, master = 0;
  std::string longestName;
  for (const auto& [thread, delay] : after) {
    auto it = before.find(thread);
    double d = delay - (it == before.end() ? 0 : it->second);
    total += d;
    if (d > longest) {
      longest = d;
      longestName = thread;
    }
    if (thread.rfind("keel-master/", 0) == 0) master = d;
  }
  std::printf(
      "cluster threads waiting for a CPU: %.2f s in all, %.2f s the longest thread (%s), %.2f s "
      "the master loop\n",
      total, longest, longestName.c_str(), master);
}

// Seconds on a CPU so far of every thread of `pid` (/proc/<pid>/task/*/
// schedstat, first field, in nanoseconds). /proc/<pid>/stat counts whole
// clock ticks, which a process that starts and execs in a millisecond
// never reaches.
double threadsCpuSeconds(const std::filesystem::path& proc) {
  double total = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(proc / "task", ec)) {
    std::ifstream in(entry.path() / "schedstat");
    double running = 0;
    if (in >> running) total += running / 1e9;
  }
  return total;
}

// CPU seconds (user + system) used so far by `root` and every live process
// under it (reaped children of those in whole clock ticks): a measure of
// the work a launch costs that depends less on how busy the machine is.
double treeCpuSeconds(pid_t root) {
  std::map<pid_t, pid_t> parentOf;
  std::map<pid_t, double> cpuOf;
  double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t close = text.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(text.substr(close + 2));
    std::vector<std::string> f{std::istream_iterator<std::string>(rest), {}};
    if (f.size() < 15) continue;  // f[0] is field 3 (state), f[1] the parent
    pid_t pid = std::stoi(name);
    parentOf[pid] = std::stoi(f[1]);
    cpuOf[pid] = threadsCpuSeconds(entry.path()) + (std::stod(f[13]) + std::stod(f[14])) / tick;
  }
  double total = 0;
  for (const auto& [pid, cpu] : cpuOf) {
    for (pid_t p = pid; p > 1; p = parentOf.count(p) ? parentOf[p] : 0) {
      if (p == root) {
        total += cpu;
        break;
      }
    }
  }
  return total;
}

// Busy CPU seconds of the whole machine so far (/proc/stat: all but idle
// and iowait): the launch with everything it takes, the harness included,
// on a machine where nothing else runs.
double machineBusySeconds() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  return (user + nice + system + irq + softirq) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double cpuSeconds(int who) {
  rusage r{};
  ::getrusage(who, &r);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(r.ru_utime) + seconds(r.ru_stime);
}

double spawnDirect(int n, bool shell, double& cpu) {
  std::string program = shell ? "/bin/sh" : kArgv[0];
  std::vector<std::string> args = shell ? std::vector<std::string>{"sh", "-c", kShellCommand}
                                        : std::vector<std::string>{kArgv[0], kArgv[1]};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<pid_t> pids;
  cpu = cpuSeconds(RUSAGE_SELF) + cpuSeconds(RUSAGE_CHILDREN);
  auto t0 = Clock::now();
  for (int i = 0; i < n; ++i) {
    pid_t pid = 0;
    if (posix_spawnp(&pid, program.c_str(), nullptr, nullptr, argv.data(), environ) == 0)
      pids.push_back(pid);
  }
  double seconds = secondsSince(t0);
  for (pid_t pid : pids) ::kill(pid, SIGKILL);
  for (pid_t pid : pids) ::waitpid(pid, nullptr, 0);
  cpu = cpuSeconds(RUSAGE_SELF) + cpuSeconds(RUSAGE_CHILDREN) - cpu;
  return seconds;
}

pid_t startCluster(const std::string& stateDir, std::string& url) {
  pid_t pid = ::fork();
  if (pid == 0) {
    const char* keel = std::getenv("KEEL_BINARY") ? std::getenv("KEEL_BINARY") : KEEL_BINARY;
    ::execl(keel, keel, "cluster", "run", "--agents", "1", "--state-dir", stateDir.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  for (auto until = Clock::now() + 30s; Clock::now() < until;) {
    auto running = findRunningCluster(stateDir);
    if (running && *running && !(*running)->url.empty()) {
      url = (*running)->url;
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  return pid;
}

// Replaces the default agent with `agents` agents of room for `tasks` tasks.
bool sizeAgents(const std::string& url, int agents, int tasks) {
  httplib::Client http(url);
  auto state = http.Get("/state");
  if (!state) return false;
  std::string first = nlohmann::json::parse(state->body)["agents"][0]["id"];
  double perAgent = tasks / agents + 10;
  for (int i = 0; i < agents; ++i) {
    nlohmann::json body = {{"hostname", "127.0.1." + std::to_string(i + 1)},
                           {"cpus", perAgent * 0.11},
                           {"mem", perAgent * 70},
                           {"disk", perAgent * 2},
                           {"ports", {40000 + i * 100, 40099 + i * 100}}};
    auto r = http.Post("/agents", body.dump(), "application/json");
    if (!r || r->status != 200) return false;
  }
  auto removed = http.Delete("/agents/" + first);
  return removed && removed->status == 200;
}

// One ACCEPT per offer, LAUNCH_GROUPs of `perExecutor` tasks, sent one after
// the other (each once the previous one was answered), as a scheduler does.
void launchAll(TestFramework& fw, const std::vector<mesos::Offer>& offers, int tasks,
               int perExecutor, bool shell) {
  int next = 0;
  for (size_t o = 0; o < offers.size(); ++o) {
    int share = (tasks - next) / static_cast<int>(offers.size() - o);
    std::vector<mesos::OfferOperation> ops;
    for (int end = next + share; next < end;) {
      mesos::ExecutorInfo executor =
          e2e::defaultExecutor("e" + std::to_string(next), fw.frameworkId(), kRole);
      mesos::TaskGroupInfo group;
      for (int j = 0; j < perExecutor && next < end; ++j, ++next) {
        group.tasks.push_back(
            e2e::shellTask("t" + std::to_string(next), offers[o].agentId.value,
                           {mesos::allocatedTo(mesos::scalarResource("cpus", 0.01), kRole),
                            mesos::allocatedTo(mesos::scalarResource("mem", 1), kRole)},
                           kShellCommand));
        if (!shell) {
          mesos::CommandInfo& command = *group.tasks.back().command;
          command.shell = false;
          command.value = kArgv[0];
          command.arguments = {kArgv[0], kArgv[1]};
        }
      }
      ops.push_back(mesos::makeLaunchGroup(executor, group));
    }
    Status s = fw.client().accept({offers[o].id}, ops, mesos::refuseFor(60));
    if (!s.isOk()) std::cerr << "accept: " << s.message() << "\n";
  }
}

double monotonicSeconds() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

double epochSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// When the executors stamped their updates of `state`, relative to `t0`
// (epoch seconds): the 10th, 50th, 90th percentile and the last. Where the
// time goes: executors starting vs updates travelling to the framework.
void printStampQuantiles(const std::vector<mesos::TaskStatus>& statuses, mesos::TaskState state,
                         const char* name, double t0) {
  std::vector<double> stamps;
  for (const mesos::TaskStatus& s : statuses) {
    if (s.state == state && s.timestamp) stamps.push_back(*s.timestamp - t0);
  }
  if (stamps.empty()) return;
  std::sort(stamps.begin(), stamps.end());
  auto at = [&](double q) { return stamps[static_cast<size_t>(q * (stamps.size() - 1))]; };
  std::printf(
      "executor stamps of %s after ACCEPT: p10 %.2f s, p50 %.2f s, p90 %.2f s, last %.2f s\n", name,
      at(0.1), at(0.5), at(0.9), stamps.back());
}

int run(int tasks, int perExecutor, int agents, bool shell) {
  keel::testing::TempDir dir;
  std::string stateDir = dir.file("cluster"), url;
  pid_t cluster = startCluster(stateDir, url);
  if (url.empty() || !sizeAgents(url, agents, tasks)) {
    std::cerr << "the cluster did not start (" << stateDir << ")\n";
    return 1;
  }
  TestFramework fw(url, kRole);
  if (!fw.start().isOk()) return 1;
  std::vector<mesos::Offer> offers;
  while (static_cast<int>(offers.size()) < agents) {
    auto offer = fw.takeOffer([](const mesos::Offer&) { return true; }, 10s);
    if (!offer) return 1;
    offers.push_back(*offer);
  }
  long rssBefore = rssKb(cluster);
  double cpuBefore = treeCpuSeconds(cluster);
  double busyBefore = machineBusySeconds();
  std::map<std::string, double> delayBefore = runDelays(cluster);
  auto running = [](const mesos::TaskStatus& s) {
    return s.state == mesos::TaskState::kTaskRunning;
  };
  auto t0 = Clock::now();
  double epoch0 = epochSeconds();
  launchAll(fw, offers, tasks, perExecutor, shell);
  double accepted = secondsSince(t0);
  size_t up = fw.waitCount(running, tasks, 600s);
  double clusterSeconds = secondsSince(t0);
  double monotonicEnd = monotonicSeconds();
  size_t updates = fw.statuses().size();
  long rssAfter = rssKb(cluster);
  double clusterCpu = treeCpuSeconds(cluster) - cpuBefore;
  double busy = machineBusySeconds() - busyBefore;
  std::map<std::string, double> delayAfter = runDelays(cluster);
  double directCpu = 0;
  double direct = spawnDirect(tasks, shell, directCpu);

  std::printf("tasks=%d per_executor=%d agents=%d shell=%d running=%zu\n", tasks, perExecutor,
              agents, shell ? 1 : 0, up);
  std::printf(
      "launch window (CLOCK_MONOTONIC, for `perf record -k CLOCK_MONOTONIC`, "
      "`perf report --time`): %.6f,%.6f\n",
      monotonicEnd - clusterSeconds, monotonicEnd);
  std::printf("cluster ACCEPT->all TASK_RUNNING: %.3f s; direct posix_spawn: %.3f s; ratio %.1fx\n",
              clusterSeconds, direct, clusterSeconds / direct);
  std::printf(
      "CPU (user+sys) of the launch: cluster, executors and tasks %.2f s; direct %.2f s; "
      "ratio %.1fx\n",
      clusterCpu, directCpu, clusterCpu / directCpu);
  std::printf("machine CPU busy during the launch: %.2f s of %.2f s (%ld CPUs; harness included)\n",
              busy, clusterSeconds * static_cast<double>(::sysconf(_SC_NPROCESSORS_ONLN)),
              ::sysconf(_SC_NPROCESSORS_ONLN));
  printRunDelay(delayBefore, delayAfter);
  std::printf("all %d ACCEPTs answered after %.3f s\n", agents, accepted);
  std::printf("cluster RSS growth: %.1f KiB per running task (%ld -> %ld KiB)\n",
              static_cast<double>(rssAfter - rssBefore) / tasks, rssBefore, rssAfter);
  std::printf("status updates delivered and acknowledged: %zu in %.3f s = %.0f/s\n", updates,
              clusterSeconds, updates / clusterSeconds);
  std::vector<mesos::TaskStatus> statuses = fw.statuses();
  printStampQuantiles(statuses, mesos::TaskState::kTaskStarting, "TASK_STARTING", epoch0);
  printStampQuantiles(statuses, mesos::TaskState::kTaskRunning, "TASK_RUNNING", epoch0);
  (void)fw.client().teardown();
  fw.stop();
  httplib::Client http(url);
  for (auto until = Clock::now() + 120s; Clock::now() < until;) {
    auto state = http.Get("/state");
    if (state && nlohmann::json::parse(state->body)["tasks"].empty()) break;
    std::this_thread::sleep_for(100ms);
  }
  ::kill(cluster, SIGTERM);
  ::waitpid(cluster, nullptr, 0);
  return up == static_cast<size_t>(tasks) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  int tasks = argc > 1 ? std::atoi(argv[1]) : 1000;
  int perExecutor = argc > 2 ? std::atoi(argv[2]) : 1;
  int agents = argc > 3 ? std::atoi(argv[3]) : 6;
  bool shell = argc > 4 && std::string(argv[4]) == "shell";
  return run(tasks, perExecutor, agents, shell);
}
