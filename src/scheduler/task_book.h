// TaskBook: the scheduler's write-through view of the TaskStore. Every stored
// task's TaskInfo and last TaskStatus, decoded once; every change is written
// to the store first and enters the book only when the write succeeded, so
// the book never shows what is not durable.
//
// Thread-safety: none; the scheduler's owner thread. Failure behaviour: store
// errors and undecodable records are returned as Status (Corruption names
// the task); a failed write leaves the book unchanged.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "keel/mesos/task.h"
#include "keel/mesos/task_status.h"
#include "keel/result.h"
#include "keel/state/task_store.h"

namespace keel::scheduler {

// Whether a task in `state` has ended for the scheduler: a terminal state,
// or TASK_UNKNOWN (the master has no record of the task: its launch was
// persisted but never sent, by a scheduler that died in between, or its
// agent is gone from the master). A task that ended is relaunched, never
// waited for; one that shows up again is an older launch and killed.
bool taskEnded(mesos::TaskState state);

struct TaskRecord {
  std::string name;  // "data-0-node"
  mesos::TaskInfo info;
  std::string infoJson;
  // The last status received for any launch of this task name.
  std::optional<mesos::TaskStatus> status;
  std::string statusJson;

  // The status of the current launch (info's task id); nullopt before its
  // first update (an older launch's status does not count).
  const mesos::TaskStatus* currentStatus() const;
  // Launched and not known to have ended: no status for the current launch
  // yet, or a non-terminal one.
  bool active() const;
  // The current launch ended, or its agent is unreachable (TASK_UNREACHABLE
  // is not terminal, yet the task does not run for the service): a
  // RUNNING-goal task in this state needs recovery, as in dcos-commons.
  bool needsRecovery() const;
  std::string podType() const;      // the task_type label; empty when absent
  int64_t podIndex() const;         // the index label; -1 when absent
  std::string podInstance() const;  // "<type>-<index>"; empty when unlabelled
};

class TaskBook {
 public:
  explicit TaskBook(state::TaskStore& store) : store_(store) {}

  // Reads every stored task. A task with a status but no TaskInfo is skipped
  // (nothing was launched under that name by this scheduler).
  Status load();

  const TaskRecord* find(const std::string& name) const;
  const std::map<std::string, TaskRecord>& all() const { return tasks_; }
  std::vector<mesos::TaskInfo> infos() const;
  // The TaskInfos of one pod instance ("data-0"), by task name.
  std::vector<mesos::TaskInfo> instanceInfos(const std::string& podInstance) const;
  // The records of one pod instance, by task name (an index kept with the
  // book: no scan of every task per pod instance).
  std::vector<const TaskRecord*> instanceTasks(const std::string& podInstance) const;

  // Persists the TaskInfos with their rendered config files (task name ->
  // stored form, scheduler/rendered_configs.h) in one transaction, then
  // records the infos. The TaskInfo each replaces is kept in the store as
  // the task's previous launch when the master had confirmed it (some
  // status for it); over an unconfirmed launch, the one kept before stays.
  Status writeInfos(const std::vector<mesos::TaskInfo>& infos,
                    const std::map<std::string, std::string>& renderedConfigs = {});
  // The stored rendered config files of task `name` (nullopt: none).
  Result<std::optional<std::string>> renderedConfigs(const std::string& name) {
    return store_.configs(name);
  }
  // The current launch of task `name` never reached the master (TASK_UNKNOWN
  // before any other status for it): the record goes back to the previous
  // launch kept by writeInfos, or is erased when there was none, so that a
  // relaunch expects only reservations that exist. OK when `name` is not in
  // the book.
  Status revertLaunch(const std::string& name);
  // The previous launch writeInfos kept for task `name`; nullopt when none.
  Result<std::optional<mesos::TaskInfo>> previousInfo(const std::string& name);
  // Persists the status of task `name` (which must be in the book).
  Status writeStatus(const std::string& name, const mesos::TaskStatus& status);
  // Deletes task `name` (TaskInfo, status, rendered configs) from the store,
  // then from the book; OK when it is in neither.
  Status erase(const std::string& name);

 private:
  void indexInstance(const std::string& name, const std::string& podInstance);
  // Records `info` (stored as `json`) as the task's current launch.
  void setInfo(const mesos::TaskInfo& info, std::string json);
  // What writeInfos keeps as the previous launch of `info`'s task.
  Result<std::string> previousOf(const mesos::TaskInfo& info);

  state::TaskStore& store_;
  std::map<std::string, TaskRecord> tasks_;
  // Pod instance -> task names (from the labels of each TaskInfo).
  std::map<std::string, std::set<std::string>> byInstance_;
};

}  // namespace keel::scheduler
