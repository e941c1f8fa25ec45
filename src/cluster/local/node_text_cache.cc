#include "cluster/local/node_text_cache.h"

#include <atomic>

#include "cluster/local/checkpoint_json.h"
#include "keel/mesos/json.h"

namespace keel::local {
namespace {

using checkpoint::json;

// The dump of an object without its closing brace, ending in "," for the
// keys that follow it.
std::string openObject(const json& object) {
  std::string text = object.dump();
  text.back() = ',';
  return text;
}

std::atomic<uint64_t> lastSerial{0};

using Statuses = std::vector<std::pair<mesos::TaskStatus, std::string>>;

// Appends the quoted wire JSON of `s`: reused from `now` (this encoding) or
// `before` (the previous one), else encoded and added to `now`.
void appendStatus(std::string& out, const mesos::TaskStatus& s, const Statuses& before,
                  Statuses& now) {
  for (const auto& [status, text] : now) {
    if (status == s) {
      out += text;
      return;
    }
  }
  for (const auto& [status, text] : before) {
    if (status == s) {
      now.emplace_back(status, text);
      out += text;
      return;
    }
  }
  now.emplace_back(s, json(mesos::encodeJson(s)).dump());
  out += now.back().second;
}

}  // namespace

void stampFixedFields(TaskRecord& t) { t.fixedSerial = ++lastSerial; }

NodeTextCache::TaskEntry& NodeTextCache::taskEntry(const std::string& path, const TaskRecord& t) {
  auto it = tasks_.find(path);
  if (it != tasks_.end() && t.fixedSerial != 0 && it->second.serial == t.fixedSerial)
    return it->second;
  TaskEntry entry;
  entry.head = openObject({{"agent_id", t.agentId},
                           {"executor_id", t.executorId},
                           {"framework_id", t.frameworkId},
                           {"info", mesos::encodeJson(t.info)}});
  std::string rest = json{
      {"resources", checkpoint::resourcesJson(t.resources)},
      {"role", t.role}}.dump();  // {"resources":[..],"role":..}
  entry.middle = rest.substr(1, rest.size() - 2) + ",";
  entry.serial = t.fixedSerial;
  ++fixedEncodings_;
  return tasks_.insert_or_assign(path, std::move(entry)).first->second;
}

std::string NodeTextCache::task(const std::string& path, const TaskRecord& t) {
  TaskEntry& entry = taskEntry(path, t);
  Statuses now;
  std::string out;
  out.reserve(entry.head.size() + entry.middle.size() + 1024 * (1 + t.unacknowledged.size()));
  out += entry.head;
  out += "\"latest\":";
  appendStatus(out, t.latest, entry.statuses, now);
  out += t.resourcesReleased ? ",\"released\":true," : ",\"released\":false,";
  out += entry.middle;
  out += "\"unacknowledged\":[";
  for (size_t i = 0; i < t.unacknowledged.size(); ++i) {
    if (i > 0) out += ',';
    appendStatus(out, t.unacknowledged[i].status, entry.statuses, now);
  }
  out += "]}";
  entry.statuses = std::move(now);
  return out;
}

void NodeTextCache::forget(const std::string& path) { tasks_.erase(path); }

void NodeTextCache::keepOnly(const std::map<std::string, std::string>& nodes) {
  std::erase_if(tasks_, [&](const auto& kv) { return !nodes.count(kv.first); });
}

void NodeTextCache::clear() { tasks_.clear(); }

}  // namespace keel::local
