#include "cluster/local/agent_run.h"

#include <filesystem>
#include <sstream>

#include "cluster/local/process_util.h"

namespace keel::local {

namespace fs = std::filesystem;

std::vector<std::string> listRunDirs(const std::string& workDir) {
  std::vector<std::string> out;
  std::error_code ec;
  fs::path executors = fs::path(workDir) / "executors";
  for (const auto& executor : fs::directory_iterator(executors, ec)) {
    std::error_code ec2;
    for (const auto& run : fs::directory_iterator(executor.path() / "runs", ec2)) {
      if (run.is_directory()) out.push_back(run.path().string());
    }
  }
  return out;
}

namespace {

std::vector<std::string> readLines(const std::string& path) {
  std::vector<std::string> lines;
  auto text = readFile(path);
  if (!text) return lines;
  std::istringstream in(*text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

}  // namespace

Result<RunFiles> loadRun(const std::string& runDir) {
  RunFiles run;
  KEEL_ASSIGN_OR_RETURN(std::string configText, readFile(runDir + "/executor.json"));
  KEEL_ASSIGN_OR_RETURN(run.config, decodeExecutorConfig(configText));
  if (auto pid = readFile(runDir + "/pid")) {
    std::istringstream in(*pid);
    in >> run.pid >> run.startTime;
  }
  for (const auto& line : readLines(runDir + "/tasks.jsonl")) {
    auto m = decodeMessage(line);
    if (!m) continue;  // a torn last line
    run.launchLines.push_back(line + "\n");
    for (const auto& t : m->tasks) {
      if (run.tasks.emplace(t.taskId, TaskRecord{}).second) run.taskIds.push_back(t.taskId);
    }
  }
  std::set<std::string> acked;
  for (const auto& line : readLines(runDir + "/acks.jsonl")) {
    if (auto m = decodeMessage(line)) acked.insert(m->uuid);
  }
  for (const auto& line : readLines(runDir + "/updates.jsonl")) {
    auto m = decodeMessage(line);
    if (!m) continue;
    TaskRecord& record = run.tasks[m->update.taskId];
    record.state = m->update.state;
    if (m->taskPid > 0) {
      record.pid = m->taskPid;
      record.startTime = m->taskStartTime;
    }
    if (acked.count(m->update.uuid) == 0) run.unacked.push_back(m->update);
  }
  std::error_code ec;
  run.exited = fs::exists(runDir + "/exit.json", ec);
  run.completed = fs::exists(runDir + "/completed", ec);
  return run;
}

Status writePidFile(const std::string& runDir, pid_t pid, uint64_t startTime) {
  return writeNewFile(runDir + "/pid",
                      std::to_string(pid) + " " + std::to_string(startTime) + "\n");
}

Status markCompleted(const std::string& runDir) {
  return writeFileAtomic(runDir + "/completed", "");
}

}  // namespace keel::local
