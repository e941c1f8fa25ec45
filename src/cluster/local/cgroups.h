// Memory and CPU limits for tasks through Linux control groups, where the
// machine lets keel use them: cgroup v2 (a unified hierarchy with the memory
// and cpu controllers delegated) or the v1 memory and cpu controllers. Task
// groups are created below the calling process's own cgroup, in
// keel/<agent-id>/<task-id>.
//
// Never fatal: when no hierarchy is usable the plan says why and tasks run
// without limits. Functions are thread-safe (they only touch the file system).
#pragma once

#include <string>
#include <vector>

#include "keel/result.h"
#include "keel/status.h"

namespace keel::local {

struct CgroupPlan {
  enum class Mode { kNone, kV1, kV2 };
  Mode mode = Mode::kNone;
  std::string memoryRoot;   // v1: the memory controller's agent dir; v2: the agent dir
  std::string cpuRoot;      // v1 only
  std::string description;  // "v1 memory=... cpu=...", "v2 ...", "disabled: <reason>"
};

// Finds a usable hierarchy below `fsRoot` (normally /sys/fs/cgroup) for the
// agent and creates its directories. `enabled` false yields kNone.
//
// CPU weights: the agent's group weighs what the agent offers (`agentCpus`
// busy processes: cpu.shares 1024 per cpu, cpu.weight 100 per cpu; nothing
// written for 0), and the keel group above the agents the most the kernel
// allows. Each task's CFS quota still caps what it uses; the weights only
// decide who runs first on a contended machine. With the default weight
// all tasks of all agents together weighed as much as one process: a task
// exec'ing under a contended machine waited for the CPU for hundreds of
// milliseconds, holding the kernel's lock on libc's mappings that every
// other process start needs (measured in docs/benchmarks.md). A weight
// that cannot be written is left as it is.
CgroupPlan detectCgroups(const std::string& agentId, bool enabled, double agentCpus = 0,
                         const std::string& fsRoot = "/sys/fs/cgroup");

struct TaskCgroups {
  CgroupPlan::Mode mode = CgroupPlan::Mode::kNone;
  std::vector<std::string> dirs;  // every directory the task joins
  std::string memoryDir;
};

// Removes the agent's task groups that no process uses any more (left by
// executors killed while nobody watched), then the agent's own directories
// when no task group is left in them (rmdir(2) fails otherwise, and they
// stay for the tasks that still run).
// Every CPU group costs each later quota write machine-wide: an agent's
// runtime calls this when it stops.
void removeAgentCgroups(const CgroupPlan& plan);

// The directories a task named `name` uses under the plan (nothing is created).
TaskCgroups taskCgroupsFor(const CgroupPlan& plan, const std::string& name);

// Creates the task's groups with its limits (cpus: shares and CFS quota;
// memMb: hard limit; a zero value sets no limit). kNone plans yield an empty
// TaskCgroups.
Result<TaskCgroups> createTaskCgroups(const CgroupPlan& plan, const std::string& name, double cpus,
                                      double memMb);

// Moves the calling process into the groups (call in the task's child before exec).
Status joinCgroups(const TaskCgroups& groups);

// The files joinCgroups writes "0" to, for a child that must not allocate.
std::vector<std::string> cgroupProcsFiles(const TaskCgroups& groups);

// True when the kernel OOM-killed a process of the group.
bool memoryLimitHit(const TaskCgroups& groups);

// SIGKILLs what is left in the groups and removes them.
void destroyCgroups(const TaskCgroups& groups);

}  // namespace keel::local
