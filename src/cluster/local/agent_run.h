// The checkpointed state of one executor run, read back from its run
// directory (layout in agent_runtime.h):
//   executor.json  ExecutorConfig        pid        "<pid> <start time>"
//   tasks.jsonl    launch messages       updates.jsonl / acks.jsonl
//   exit.json      the executor exited   completed  nothing left to deliver
// Thread-compatible; file system only.
#pragma once

#include <sys/types.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "cluster/local/agent_protocol.h"
#include "keel/result.h"

namespace keel::local {

struct TaskRecord {
  std::string state;  // last state of an update, "" before the first
  pid_t pid = 0;
  uint64_t startTime = 0;
};

struct RunFiles {
  ExecutorConfig config;
  pid_t pid = 0;
  uint64_t startTime = 0;
  std::vector<std::string> launchLines;     // tasks.jsonl, one task group each
  std::vector<std::string> taskIds;         // in launch order
  std::map<std::string, TaskRecord> tasks;  // by task id, from updates.jsonl
  std::vector<TaskEvent> unacked;           // updates without an ack, in order
  bool exited = false;                      // exit.json present
  bool completed = false;
};

// Lists the run directories under <workDir>/executors/*/runs/*.
std::vector<std::string> listRunDirs(const std::string& workDir);

// Reads a run directory. kCorruption when executor.json is unreadable.
Result<RunFiles> loadRun(const std::string& runDir);

// Creates the pid file of a new run (written once; a torn or missing one
// reads as pid 0: not known to be alive).
Status writePidFile(const std::string& runDir, pid_t pid, uint64_t startTime);
Status markCompleted(const std::string& runDir);

}  // namespace keel::local
