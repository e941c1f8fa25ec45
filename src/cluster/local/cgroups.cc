#include "cluster/local/cgroups.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "cluster/local/process_util.h"

namespace keel::local {
namespace {

namespace fs = std::filesystem;

// The calling process's path in the hierarchy `controller` ("" for v2).
std::string ownPath(const std::string& controller) {
  auto text = readFile("/proc/self/cgroup");
  if (!text) return "";
  std::istringstream lines(*text);
  std::string line;
  while (std::getline(lines, line)) {
    size_t a = line.find(':');
    size_t b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    std::string controllers = line.substr(a + 1, b - a - 1);
    std::istringstream names(controllers);
    std::string name;
    bool match = controller.empty() && controllers.empty();
    while (!match && std::getline(names, name, ',')) match = name == controller;
    if (match) {
      std::string path = line.substr(b + 1);
      return path == "/" ? "" : path;
    }
  }
  return "";
}

Status makeDir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::unavailable(dir + ": " + ec.message());
  return Status::ok();
}

// A new, empty task group: one mkdir(2) in the common case; a leftover of an
// earlier task with this name is destroyed first, missing parents created.
Status makeTaskDir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) == 0) return Status::ok();
  if (errno == EEXIST) {
    TaskCgroups leftover;
    leftover.dirs.push_back(dir);
    destroyCgroups(leftover);
  }
  return makeDir(dir);
}

Status writeValue(const std::string& file, const std::string& value) {
  return appendFile(file, value);
}

bool hasControllers(const std::string& dir, std::initializer_list<const char*> wanted) {
  auto text = readFile(dir + "/cgroup.controllers");
  if (!text) return false;
  std::istringstream names(*text);
  std::vector<std::string> have;
  for (std::string n; names >> n;) have.push_back(n);
  return std::all_of(wanted.begin(), wanted.end(), [&](const char* w) {
    return std::find(have.begin(), have.end(), w) != have.end();
  });
}

std::string number(double v) { return std::to_string(static_cast<long long>(std::llround(v))); }

// The kernel's bounds: cpu.shares 2..262144 (v1), cpu.weight 1..10000 (v2).
constexpr double kMaxShares = 262144, kMaxWeight = 10000;

void setCpuWeights(const std::string& keel, const std::string& agent, bool v1, double agentCpus) {
  const char* file = v1 ? "/cpu.shares" : "/cpu.weight";
  double max = v1 ? kMaxShares : kMaxWeight;
  (void)writeValue(keel + file, number(max));
  if (agentCpus <= 0) return;
  double weight = std::clamp(agentCpus * (v1 ? 1024 : 100), v1 ? 2.0 : 1.0, max);
  (void)writeValue(agent + file, number(weight));
}

CgroupPlan tryV2(const std::string& fsRoot, const std::string& agentId, double agentCpus,
                 std::string* why) {
  CgroupPlan plan;
  std::string unified = fs::exists(fsRoot + "/cgroup.controllers") ? fsRoot : fsRoot + "/unified";
  std::string base = unified + ownPath("");
  if (!hasControllers(base, {"memory", "cpu"})) {
    *why = "v2 at " + unified + " has no memory+cpu controllers";
    return plan;
  }
  std::string keel = base + "/keel";
  std::string agent = keel + "/" + agentId;
  Status s = makeDir(agent);
  if (s.isOk()) s = writeValue(keel + "/cgroup.subtree_control", "+memory +cpu");
  if (s.isOk()) s = writeValue(agent + "/cgroup.subtree_control", "+memory +cpu");
  if (!s.isOk()) {
    *why = "v2: " + s.message();
    return plan;
  }
  setCpuWeights(keel, agent, false, agentCpus);
  plan.mode = CgroupPlan::Mode::kV2;
  plan.memoryRoot = agent;
  plan.description = "v2 at " + agent;
  return plan;
}

CgroupPlan tryV1(const std::string& fsRoot, const std::string& agentId, double agentCpus,
                 std::string* why) {
  CgroupPlan plan;
  std::string memory = fsRoot + "/memory" + ownPath("memory") + "/keel/" + agentId;
  std::string cpuKeel = fsRoot + "/cpu" + ownPath("cpu") + "/keel";
  std::string cpu = cpuKeel + "/" + agentId;
  for (const std::string& dir : {memory, cpu}) {
    if (Status s = makeDir(dir); !s.isOk()) {
      *why = "v1: " + s.message();
      return plan;
    }
    if (::access((dir + "/cgroup.procs").c_str(), W_OK) != 0) {
      *why = "v1: " + dir + " is not a writable cgroup";
      return plan;
    }
  }
  setCpuWeights(cpuKeel, cpu, true, agentCpus);
  plan.mode = CgroupPlan::Mode::kV1;
  plan.memoryRoot = memory;
  plan.cpuRoot = cpu;
  plan.description = "v1 memory=" + memory + " cpu=" + cpu;
  return plan;
}

CgroupPlan disabled(std::string why) {
  CgroupPlan plan;
  plan.description = "disabled: " + why;
  return plan;
}

}  // namespace

CgroupPlan detectCgroups(const std::string& agentId, bool enabled, double agentCpus,
                         const std::string& fsRoot) {
  if (!enabled) return disabled("turned off in the agent options");
  std::string whyV2, whyV1;
  CgroupPlan v2 = tryV2(fsRoot, agentId, agentCpus, &whyV2);
  if (v2.mode != CgroupPlan::Mode::kNone) return v2;
  CgroupPlan v1 = tryV1(fsRoot, agentId, agentCpus, &whyV1);
  if (v1.mode != CgroupPlan::Mode::kNone) return v1;
  return disabled(whyV2 + "; " + whyV1);
}

void removeAgentCgroups(const CgroupPlan& plan) {
  for (const std::string& dir : {plan.memoryRoot, plan.cpuRoot}) {
    if (dir.empty()) continue;
    // Task groups whose processes are gone (an executor killed while the
    // cluster was down) go too; a busy one's rmdir fails and it stays.
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      if (entry.is_directory(ec)) ::rmdir(entry.path().c_str());
    }
    ::rmdir(dir.c_str());
  }
}

TaskCgroups taskCgroupsFor(const CgroupPlan& plan, const std::string& name) {
  TaskCgroups groups;
  groups.mode = plan.mode;
  if (plan.mode == CgroupPlan::Mode::kNone) return groups;
  groups.memoryDir = plan.memoryRoot + "/" + name;
  groups.dirs.push_back(groups.memoryDir);
  if (plan.mode == CgroupPlan::Mode::kV1) groups.dirs.push_back(plan.cpuRoot + "/" + name);
  return groups;
}

Result<TaskCgroups> createTaskCgroups(const CgroupPlan& plan, const std::string& name, double cpus,
                                      double memMb) {
  TaskCgroups groups = taskCgroupsFor(plan, name);
  if (plan.mode == CgroupPlan::Mode::kNone) return groups;
  for (const auto& dir : groups.dirs) KEEL_RETURN_IF_ERROR(makeTaskDir(dir));
  const std::string& cpuDir = groups.dirs.back();
  bool v1 = plan.mode == CgroupPlan::Mode::kV1;
  if (memMb > 0) {
    KEEL_RETURN_IF_ERROR(
        writeValue(groups.memoryDir + (v1 ? "/memory.limit_in_bytes" : "/memory.max"),
                   number(memMb * 1024 * 1024)));
  }
  if (cpus > 0) {
    double quota = std::max(1000.0, cpus * 100000);
    if (v1) {
      KEEL_RETURN_IF_ERROR(writeValue(cpuDir + "/cpu.shares", number(std::max(2.0, cpus * 1024))));
      // cpu.cfs_period_us is 100000 (100 ms) in a new group: each write of
      // a bandwidth file walks every CPU group of the machine
      // (tg_set_bandwidth), so only the quota is written.
      KEEL_RETURN_IF_ERROR(writeValue(cpuDir + "/cpu.cfs_quota_us", number(quota)));
    } else {
      KEEL_RETURN_IF_ERROR(writeValue(cpuDir + "/cpu.max", number(quota) + " 100000"));
    }
  }
  return groups;
}

Status joinCgroups(const TaskCgroups& groups) {
  for (const auto& file : cgroupProcsFiles(groups)) KEEL_RETURN_IF_ERROR(writeValue(file, "0"));
  return Status::ok();
}

std::vector<std::string> cgroupProcsFiles(const TaskCgroups& groups) {
  std::vector<std::string> files;
  for (const auto& dir : groups.dirs) files.push_back(dir + "/cgroup.procs");
  return files;
}

bool memoryLimitHit(const TaskCgroups& groups) {
  if (groups.mode == CgroupPlan::Mode::kNone) return false;
  bool v1 = groups.mode == CgroupPlan::Mode::kV1;
  auto text = readFile(groups.memoryDir + (v1 ? "/memory.oom_control" : "/memory.events"));
  if (!text) return false;
  std::istringstream in(*text);
  std::string key;
  long long value = 0;
  while (in >> key >> value) {
    if (key == "oom_kill" && value > 0) return true;
  }
  return false;
}

void destroyCgroups(const TaskCgroups& groups) {
  for (const auto& dir : groups.dirs) {
    std::error_code ec;
    if (!fs::exists(dir, ec)) continue;
    // Killed processes leave the group asynchronously; rmdir fails until then.
    for (int attempt = 0; attempt < 1000 && ::rmdir(dir.c_str()) != 0; ++attempt) {
      auto procs = readFile(dir + "/cgroup.procs");
      std::istringstream in(procs.value_or(""));
      for (pid_t pid; in >> pid;) ::kill(pid, SIGKILL);
      ::usleep(2000);
    }
  }
}

}  // namespace keel::local
