// MasterCheckpoint: the local master's durable state in <stateDir>/state.db
// (SqlitePersister), so that a cluster restarted on the same state dir (after
// `keel cluster stop`, a crash or SIGKILL) offers the same reservations and
// volumes, knows its frameworks (and their failover timeouts), agents, tasks,
// executors and unacknowledged updates.
//
// Layout (one JSON document per node; wire messages as their Mesos JSON):
//   /master                       master id, id counters, removed frameworks
//   /agents/<agent>               config, health, total resources
//   /frameworks/<framework>       FrameworkInfo, suppressed roles
//   /tasks/<framework>/<task>     TaskInfo, latest status, unacknowledged updates
//   /executors/<framework>/<exec> ExecutorInfo, resources, task ids
//   /operation_updates            unacknowledged operation status updates
// Offers and offer filters are not kept: they are made again after a restart.
//
// save() writes what changed since the last save or load in one transaction
// (atomic whatever its size: open() lifts SQLite's transaction size limit;
// over another persister a save past its limit fails and is retried whole).
// It encodes only the records MasterState::takeChanges() names (plus the
// small /master, frameworks and operation-update nodes), compares them with
// what it last wrote and writes those that differ; after a change it does
// not track (`all`) it encodes everything, as at the first save.
//
// Thread-safety: none; the master thread owns it. Failure behaviour: open()
// fails as SqlitePersister::open does (Corruption for a foreign file);
// load() fails with Corruption naming the node that does not decode.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cluster/local/master_state.h"
#include "keel/result.h"
#include "keel/state/persister.h"

namespace keel::local {

struct MasterSnapshot {
  std::string masterId;
  MasterState::Counters counters;
  std::vector<AgentRecord> agents;
  std::vector<FrameworkRecord> frameworks;
  std::set<std::string> removedFrameworks;
  std::vector<TaskRecord> tasks;
  std::vector<ExecutorRecord> executors;
  std::vector<PendingOperationUpdate> operationUpdates;
};

class MasterCheckpoint {
 public:
  // Opens (creating) <stateDir>/state.db.
  static Result<std::unique_ptr<MasterCheckpoint>> open(const std::string& stateDir);
  // Over any persister (tests).
  explicit MasterCheckpoint(std::unique_ptr<state::Persister> persister);

  // What was saved last; nullopt for a new state dir.
  Result<std::optional<MasterSnapshot>> load();
  // Writes the records of `state` that changed (taking its changes). On
  // failure nothing is written and the changes are kept for the next save.
  Status save(MasterState& state);

 private:
  using Nodes = std::map<std::string, std::string>;  // path -> value
  // Every node of `state`.
  Result<Nodes> serialize(const MasterState& state) const;
  // The untracked nodes and those of the changed records; `gone` gets the
  // paths of changed records that no longer exist.
  Result<Nodes> serializeChanged(const MasterState& state, const MasterState::Changes& changes,
                                 std::vector<std::string>& gone) const;
  // One transaction: every node of `now` that differs from written_, and
  // the erasure of `gone` (or, when `whole`, of everything not in `now`).
  Status commitChanges(const Nodes& now, const std::vector<std::string>& gone, bool whole);

  std::unique_ptr<state::Persister> persister_;
  Nodes written_;
  MasterState::Changes pending_;  // taken from the state, not saved yet
};

}  // namespace keel::local
