// NodeTextCache: the checkpoint node text of task records, built from
// pieces encoded once per record instead of a json tree dumped whole at
// every save. A task's TaskInfo, framework, agent, executor, role and
// resources do not change after launch, yet each status update and
// acknowledgement rewrites its node: the cache keeps those fields' encoded
// text per node path and encodes per save only what changes (latest status,
// unacknowledged updates, released). Statuses are encoded once too: a status
// equal to one the node held at its previous encoding reuses that text.
// (Executor records are not cached: their nodes are written when their task
// ids change, not at every status update; see MasterState::touchTaskOnly.)
//
// The text is byte-for-byte checkpoint::taskJson(t).dump() — the keys in
// the order nlohmann's default json dumps them (sorted). An entry is keyed
// by node path and reused only for a record with the same fixedSerial (see
// stampFixedFields): a record replaced at the same path (a relaunch under
// the same task id) carries a new serial and is re-encoded, never given
// stale text; an unstamped one is encoded whole every time. No copy of the
// fields is kept (a TaskInfo with its resources is several KiB per task).
// forget()/keepOnly() drop the entries of records that are gone, so memory
// follows the live records.
//
// Thread-safety: none; one owner (MasterCheckpoint, used by one writer at a
// time). Failure behaviour: throws nlohmann::json::type_error for a string
// that is not UTF-8, as dump() does; the entry is then left unchanged.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "cluster/local/master_types.h"

namespace keel::local {

// Gives `t` a new fixedSerial: call whenever a record's info, ids, role or
// resources are set (a launch, a restore). Thread-safe.
void stampFixedFields(TaskRecord& t);

class NodeTextCache {
 public:
  // checkpoint::taskJson(t).dump(), for the node at `path`.
  std::string task(const std::string& path, const TaskRecord& t);
  // Drops the entry of `path` (its record was removed).
  void forget(const std::string& path);
  // Drops every entry whose path is not a key of `nodes` (a whole save).
  void keepOnly(const std::map<std::string, std::string>& nodes);
  void clear();

  size_t size() const { return tasks_.size(); }
  // How many times the fixed fields of a record were encoded (tests: a hit
  // does not count).
  size_t fixedEncodings() const { return fixedEncodings_; }

 private:
  // The pieces of a task's text, for the record stamped `serial`.
  struct TaskEntry {
    uint64_t serial = 0;
    std::string head;    // {"agent_id":..,"executor_id":..,"framework_id":..,"info":..,
    std::string middle;  // "resources":[..],"role":..,
    std::vector<std::pair<mesos::TaskStatus, std::string>> statuses;  // quoted texts
  };

  TaskEntry& taskEntry(const std::string& path, const TaskRecord& t);

  std::map<std::string, TaskEntry> tasks_;
  size_t fixedEncodings_ = 0;
};

}  // namespace keel::local
