#include "cluster/local/master_checkpoint.h"

#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>

#include "cluster/local/checkpoint_json.h"
#include "keel/state/keys.h"
#include "keel/state/sqlite_persister.h"

namespace keel::local {
namespace {

using nlohmann::json;
namespace st = keel::state;
using checkpoint::agentFrom;
using checkpoint::executorFrom;
using checkpoint::frameworkFrom;
using checkpoint::frameworkJson;
using checkpoint::operationsFrom;
using checkpoint::operationsJson;
using checkpoint::taskFrom;

constexpr const char* kMasterNode = "/master";
constexpr const char* kOperationsNode = "/operation_updates";

// -------------------------------------------------------------------- paths

Result<std::string> path1(const char* dir, const std::string& a) {
  KEEL_ASSIGN_OR_RETURN(std::string sa, st::encodeSegment(a));
  return std::string(dir) + "/" + sa;
}

Result<std::string> path2(const char* dir, const std::string& a, const std::string& b) {
  KEEL_ASSIGN_OR_RETURN(std::string first, path1(dir, a));
  KEEL_ASSIGN_OR_RETURN(std::string sb, st::encodeSegment(b));
  return first + "/" + sb;
}

// The values of every node under `dir` at `depth` levels (1 or 2).
Result<std::vector<std::pair<std::string, std::string>>> leaves(st::Persister& p,
                                                                const std::string& dir, int depth) {
  std::vector<std::pair<std::string, std::string>> out;
  Result<std::vector<std::string>> names = p.children(dir);
  if (!names) {
    if (names.error().code() == StatusCode::kNotFound) return out;
    return names.error();
  }
  for (const std::string& name : *names) {
    std::string path = st::childPath(dir, name);
    if (depth > 1) {
      KEEL_ASSIGN_OR_RETURN(auto below, leaves(p, path, depth - 1));
      out.insert(out.end(), below.begin(), below.end());
      continue;
    }
    KEEL_ASSIGN_OR_RETURN(st::Node node, p.get(path));
    out.emplace_back(path, node.value);
  }
  return out;
}

// Decodes every node of `dir` with `from` into `into`.
template <typename T, typename From>
Status loadAll(st::Persister& p, const std::string& dir, int depth, From from, std::vector<T>& into,
               std::map<std::string, std::string>& written) {
  KEEL_ASSIGN_OR_RETURN(auto nodes, leaves(p, dir, depth));
  for (const auto& [path, value] : nodes) {
    json j = json::parse(value, nullptr, false);
    Result<T> record = Status::corruption("not JSON");
    if (!j.is_discarded()) {
      try {
        record = from(j);
      } catch (const json::exception& e) {
        record = Status::corruption(e.what());
      }
    }
    if (!record) {
      return Status::corruption("checkpoint node " + path +
                                " does not decode: " + std::string(record.error().message()));
    }
    into.push_back(std::move(*record));
    written[path] = value;
  }
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<MasterCheckpoint>> MasterCheckpoint::open(const std::string& stateDir) {
  std::string path = (std::filesystem::path(stateDir) / st::kStateDbFileName).string();
  st::SqliteOptions options;
  options.maxTransactionBytes = std::numeric_limits<size_t>::max();  // one save, one transaction
  KEEL_ASSIGN_OR_RETURN(std::unique_ptr<st::SqlitePersister> db,
                        st::SqlitePersister::open(path, options));
  return std::make_unique<MasterCheckpoint>(std::move(db));
}

MasterCheckpoint::MasterCheckpoint(std::unique_ptr<state::Persister> persister)
    : persister_(std::move(persister)) {}

Result<std::optional<MasterSnapshot>> MasterCheckpoint::load() {
  Result<st::Node> master = persister_->get(kMasterNode);
  if (!master && master.error().code() == StatusCode::kNotFound) {
    return std::optional<MasterSnapshot>();
  }
  if (!master) return master.error();
  written_.clear();
  texts_.clear();
  MasterSnapshot s;
  json m = json::parse(master->value, nullptr, false);
  if (m.is_discarded() || !m.contains("master_id")) {
    return Status::corruption("checkpoint node /master does not decode");
  }
  s.masterId = m["master_id"];
  s.counters = {m.value("next_agent", uint64_t{0}), m.value("next_framework", uint64_t{0}),
                m.value("next_offer", uint64_t{0})};
  s.removedFrameworks = m.value("removed_frameworks", std::set<std::string>());
  written_[kMasterNode] = master->value;
  KEEL_RETURN_IF_ERROR(loadAll(*persister_, "/agents", 1, agentFrom, s.agents, written_));
  KEEL_RETURN_IF_ERROR(
      loadAll(*persister_, "/frameworks", 1, frameworkFrom, s.frameworks, written_));
  KEEL_RETURN_IF_ERROR(loadAll(*persister_, "/tasks", 2, taskFrom, s.tasks, written_));
  KEEL_RETURN_IF_ERROR(loadAll(*persister_, "/executors", 2, executorFrom, s.executors, written_));
  if (auto ops = persister_->get(kOperationsNode)) {
    json j = json::parse(ops->value, nullptr, false);
    KEEL_ASSIGN_OR_RETURN(s.operationUpdates, operationsFrom(j.is_array() ? j : json::array()));
    written_[kOperationsNode] = ops->value;
  }
  return std::optional<MasterSnapshot>(std::move(s));
}

// ------------------------------------------------------------ capture

void CheckpointDelta::merge(CheckpointDelta&& newer) {
  if (newer.all) {
    *this = std::move(newer);
    return;
  }
  masterId = std::move(newer.masterId);
  counters = newer.counters;
  removedFrameworks = std::move(newer.removedFrameworks);
  frameworks = std::move(newer.frameworks);
  operationUpdates = std::move(newer.operationUpdates);
  for (auto& [id, a] : newer.agents) agents.insert_or_assign(id, std::move(a));
  for (auto& [key, t] : newer.tasks) tasks.insert_or_assign(key, std::move(t));
  for (auto& [key, e] : newer.executors) executors.insert_or_assign(key, std::move(e));
}

namespace {

template <typename Record, typename Key>
std::optional<Record> copyOf(const std::map<std::string, Record>& records, const Key& key) {
  auto it = records.find(key);
  return it == records.end() ? std::nullopt : std::optional<Record>(it->second);
}

void captureAll(const MasterState& state, CheckpointDelta& d) {
  for (const auto& [id, a] : state.agents()) d.agents.emplace(id, a);
  for (const auto& [key, t] : state.tasks()) {
    d.tasks.emplace(CheckpointDelta::Key{t.frameworkId, t.info.taskId.value}, t);
  }
  for (const auto& [key, e] : state.executors()) {
    d.executors.emplace(CheckpointDelta::Key{e.frameworkId, e.info.executorId.value}, e);
  }
}

}  // namespace

CheckpointDelta MasterCheckpoint::capture(MasterState& state) {
  MasterState::Changes changes = state.takeChanges();
  CheckpointDelta d;
  d.all = changes.all;
  d.masterId = state.options().masterId;
  d.counters = state.counters();
  d.removedFrameworks = state.removedFrameworks();
  d.frameworks = state.frameworks();
  d.operationUpdates = state.operationUpdates();
  if (d.all) {
    captureAll(state, d);
    return d;
  }
  for (const std::string& id : changes.agents) d.agents.emplace(id, copyOf(state.agents(), id));
  for (const auto& key : changes.tasks) {
    d.tasks.emplace(key, copyOf(state.tasks(), key.first + "/" + key.second));
  }
  for (const auto& key : changes.executors) {
    d.executors.emplace(key, copyOf(state.executors(), key.first + "/" + key.second));
  }
  return d;
}

// ------------------------------------------------------------- write

namespace {

// The nodes every save compares whole: /master, frameworks, operation updates.
Result<std::map<std::string, std::string>> untrackedNodes(const CheckpointDelta& d) {
  std::map<std::string, std::string> nodes;
  const MasterState::Counters& c = d.counters;
  nodes[kMasterNode] = json{{"master_id", d.masterId},
                            {"next_agent", c.nextAgent},
                            {"next_framework", c.nextFramework},
                            {"next_offer", c.nextOffer},
                            {"removed_frameworks", d.removedFrameworks}}
                           .dump();
  for (const auto& [id, f] : d.frameworks) {
    KEEL_ASSIGN_OR_RETURN(std::string path, path1("/frameworks", id));
    nodes[path] = frameworkJson(f).dump();
  }
  nodes[kOperationsNode] = operationsJson(d.operationUpdates).dump();
  return nodes;
}

// Adds the node text of each record (`encode(path, record)`), or its path to
// `gone` (and drops its cached text).
template <typename Map, typename PathOf, typename Encode>
Status encodeRecords(const Map& records, PathOf pathOf, Encode encode, NodeTextCache& cache,
                     std::map<std::string, std::string>& nodes, std::vector<std::string>& gone) {
  for (const auto& [key, record] : records) {
    KEEL_ASSIGN_OR_RETURN(std::string path, pathOf(key));
    if (record) {
      nodes[path] = encode(path, *record);
    } else {
      cache.forget(path);
      gone.push_back(path);
    }
  }
  return Status::ok();
}

}  // namespace

Result<MasterCheckpoint::Nodes> MasterCheckpoint::encode(const CheckpointDelta& d,
                                                         std::vector<std::string>& gone) {
  KEEL_ASSIGN_OR_RETURN(Nodes nodes, untrackedNodes(d));
  const std::string frameworks = "/frameworks/";  // those torn down: only that range of written_
  for (auto it = written_.lower_bound(frameworks);
       it != written_.end() && it->first.compare(0, frameworks.size(), frameworks) == 0; ++it) {
    if (!nodes.count(it->first)) gone.push_back(it->first);
  }
  auto agentPath = [](const std::string& id) { return path1("/agents", id); };
  auto taskPath = [](const CheckpointDelta::Key& k) { return path2("/tasks", k.first, k.second); };
  auto executorPath = [](const CheckpointDelta::Key& k) {
    return path2("/executors", k.first, k.second);
  };
  auto agentText = [](const std::string&, const AgentRecord& a) {
    return checkpoint::agentJson(a).dump();
  };
  auto taskText = [this](const std::string& path, const TaskRecord& t) {
    return texts_.task(path, t);
  };
  auto executorText = [](const std::string&, const ExecutorRecord& e) {
    return checkpoint::executorJson(e).dump();
  };
  KEEL_RETURN_IF_ERROR(encodeRecords(d.agents, agentPath, agentText, texts_, nodes, gone));
  KEEL_RETURN_IF_ERROR(encodeRecords(d.tasks, taskPath, taskText, texts_, nodes, gone));
  KEEL_RETURN_IF_ERROR(encodeRecords(d.executors, executorPath, executorText, texts_, nodes, gone));
  if (d.all) texts_.keepOnly(nodes);
  return nodes;
}

Status MasterCheckpoint::write(const CheckpointDelta& delta) {
  std::vector<std::string> gone;
  KEEL_ASSIGN_OR_RETURN(Nodes now, encode(delta, gone));
  return commitChanges(now, gone, delta.all);
}

Status MasterCheckpoint::save(MasterState& state) {
  CheckpointDelta captured = capture(state);
  if (unsaved_) {
    unsaved_->merge(std::move(captured));
  } else {
    unsaved_ = std::move(captured);
  }
  KEEL_RETURN_IF_ERROR(write(*unsaved_));
  unsaved_.reset();
  return Status::ok();
}

Status MasterCheckpoint::commitChanges(const Nodes& now, const std::vector<std::string>& gone,
                                       bool whole) {
  std::vector<st::Op> ops;
  for (const auto& [path, value] : now) {
    auto it = written_.find(path);
    if (it == written_.end() || it->second != value) ops.push_back(st::Op::set(path, value));
  }
  if (whole) {
    for (const auto& [path, value] : written_) {
      if (!now.count(path)) ops.push_back(st::Op::erase(path));
    }
  } else {
    for (const std::string& path : gone) {
      if (written_.count(path)) ops.push_back(st::Op::erase(path));
    }
  }
  if (ops.empty()) return Status::ok();
  KEEL_RETURN_IF_ERROR(persister_->commit(ops).status());
  for (st::Op& op : ops) {
    if (op.kind == st::Op::Kind::kSet) {
      written_[op.path] = std::move(op.value);
    } else {
      written_.erase(op.path);
    }
  }
  return Status::ok();
}

}  // namespace keel::local
