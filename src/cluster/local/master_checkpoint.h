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
// A save has two halves. capture() (on the master thread, which owns the
// MasterState) copies the records MasterState::takeChanges() names, plus
// the small /master, frameworks and operation-update nodes, into a
// CheckpointDelta; after a change the state does not track (`all`) it
// copies everything, as at the first save. write() (on any one thread at a
// time: CheckpointWriter's) encodes a delta, compares it with what it last
// wrote and writes the nodes that differ in one transaction (atomic whatever
// its size: open() lifts SQLite's transaction size limit; over another
// persister a write past its limit fails and is retried whole). save() is
// both, on the caller.
//
// Thread-safety: capture() is static and touches only the state it is
// given; load(), write() and save() must not run concurrently with each
// other. Failure behaviour: open() fails as SqlitePersister::open does
// (Corruption for a foreign file); load() fails with Corruption naming the
// node that does not decode; a failed write() writes nothing.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cluster/local/master_state.h"
#include "cluster/local/node_text_cache.h"
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

// The records one or more saves write, copied off the MasterState. A record
// mapped to nullopt was removed. With `all`, every record is in it and the
// nodes that are not are erased.
struct CheckpointDelta {
  bool all = false;
  std::string masterId;
  MasterState::Counters counters;
  std::set<std::string> removedFrameworks;
  std::map<std::string, FrameworkRecord> frameworks;  // by id
  std::vector<PendingOperationUpdate> operationUpdates;
  using Key = std::pair<std::string, std::string>;  // {framework id, id}
  std::map<std::string, std::optional<AgentRecord>> agents;
  std::map<Key, std::optional<TaskRecord>> tasks;
  std::map<Key, std::optional<ExecutorRecord>> executors;

  // Folds `newer`, captured after this one, into it: writing the result
  // leaves the store as writing both in order would.
  void merge(CheckpointDelta&& newer);
};

class MasterCheckpoint {
 public:
  // Opens (creating) <stateDir>/state.db.
  static Result<std::unique_ptr<MasterCheckpoint>> open(const std::string& stateDir);
  // Over any persister (tests).
  explicit MasterCheckpoint(std::unique_ptr<state::Persister> persister);

  // What was saved last; nullopt for a new state dir.
  Result<std::optional<MasterSnapshot>> load();
  // Takes the changes of `state` and copies the records they name.
  static CheckpointDelta capture(MasterState& state);
  // Writes `delta` (what differs from the last write or load) in one
  // transaction. On failure nothing is written: write the delta again,
  // merged with any newer one.
  Status write(const CheckpointDelta& delta);
  // capture() and write() on the caller. On failure the captured records
  // are kept and written with the next save.
  Status save(MasterState& state);

 private:
  using Nodes = std::map<std::string, std::string>;  // path -> value
  // The nodes of `delta`; `gone` gets the paths of its removed records (and
  // of frameworks written before that it no longer lists).
  // Task and executor texts come from texts_, which it keeps to the records
  // the delta holds (all of them, with `all`).
  Result<Nodes> encode(const CheckpointDelta& delta, std::vector<std::string>& gone);
  // One transaction: every node of `now` that differs from written_, and
  // the erasure of `gone` (or, when `whole`, of everything not in `now`).
  Status commitChanges(const Nodes& now, const std::vector<std::string>& gone, bool whole);

  std::unique_ptr<state::Persister> persister_;
  Nodes written_;
  NodeTextCache texts_;                     // the encoded fixed fields of the records written
  std::optional<CheckpointDelta> unsaved_;  // save(): captured, not written yet
};

}  // namespace keel::local
