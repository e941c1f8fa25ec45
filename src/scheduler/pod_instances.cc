#include "scheduler/pod_instances.h"

#include <nlohmann/json.hpp>

#include "keel/log.h"
#include "keel/state/pod_instance_store.h"

namespace keel::scheduler {
namespace {

using nlohmann::json;

std::string encode(const PodInstanceRecord& r) {
  json out = {{"incarnation", r.incarnation}};
  if (r.failure) {
    out["permanent_failure"] = {{"reason", r.failure->reason},
                                {"marked_at_ms", toEpochMillis(r.failure->markedAt)},
                                {"agent_gone", r.failure->agentGone}};
  }
  if (!r.cleanupResourceIds.empty()) {
    out["cleanup"] = {{"agent", r.cleanupAgent},
                      {"resource_ids", r.cleanupResourceIds},
                      {"until_ms", toEpochMillis(r.cleanupUntil)}};
  }
  if (!r.earlierCleanup.empty()) {
    out["earlier_cleanup"] = r.earlierCleanup;
  }
  if (r.failingSince) {
    out["failing"] = {{"since_ms", toEpochMillis(*r.failingSince)}, {"what", r.failingWhat}};
  }
  return out.dump();
}

Result<PodInstanceRecord> decode(const std::string& instance, const std::string& text) {
  json in = json::parse(text, nullptr, false);
  if (!in.is_object() || !in.value("incarnation", json()).is_number_integer()) {
    return Status::corruption("pod instance record of " + instance +
                              ": not a JSON object with an integer \"incarnation\": " + text);
  }
  try {
    PodInstanceRecord r;
    r.incarnation = in.at("incarnation").get<int64_t>();
    if (in.contains("permanent_failure")) {
      const json& f = in.at("permanent_failure");
      r.failure = PermanentFailure{f.at("reason").get<std::string>(),
                                   fromEpochMillis(f.at("marked_at_ms").get<int64_t>()),
                                   f.at("agent_gone").get<bool>()};
    }
    if (in.contains("cleanup")) {
      const json& c = in.at("cleanup");
      r.cleanupAgent = c.at("agent").get<std::string>();
      r.cleanupResourceIds = c.at("resource_ids").get<std::set<std::string>>();
      r.cleanupUntil = fromEpochMillis(c.at("until_ms").get<int64_t>());
    }
    if (in.contains("earlier_cleanup")) {
      r.earlierCleanup = in.at("earlier_cleanup").get<std::map<std::string, std::string>>();
    }
    if (in.contains("failing")) {
      const json& f = in.at("failing");
      r.failingSince = fromEpochMillis(f.at("since_ms").get<int64_t>());
      r.failingWhat = f.at("what").get<std::string>();
    }
    return r;
  } catch (const json::exception& e) {
    return Status::corruption("pod instance record of " + instance + ": " + e.what());
  }
}

}  // namespace

Status PodInstances::load() {
  KEEL_ASSIGN_OR_RETURN(auto stored, state::PodInstanceStore(persister_).list());
  records_.clear();
  for (const auto& [instance, text] : stored) {
    KEEL_ASSIGN_OR_RETURN(PodInstanceRecord record, decode(instance, text));
    records_.emplace(instance, std::move(record));
  }
  return Status::ok();
}

PodInstanceRecord PodInstances::current(const std::string& podInstance) const {
  auto it = records_.find(podInstance);
  return it == records_.end() ? PodInstanceRecord{} : it->second;
}

int64_t PodInstances::incarnation(const std::string& podInstance) const {
  auto it = records_.find(podInstance);
  return it == records_.end() ? 0 : it->second.incarnation;
}

const PermanentFailure* PodInstances::failure(const std::string& podInstance) const {
  auto it = records_.find(podInstance);
  return it == records_.end() || !it->second.failure ? nullptr : &*it->second.failure;
}

std::vector<std::string> PodInstances::failed() const {
  std::vector<std::string> out;
  for (const auto& [instance, record] : records_) {
    if (record.failure) out.push_back(instance);
  }
  return out;
}

std::vector<FailingInstance> PodInstances::failing() const {
  std::vector<FailingInstance> out;
  for (const auto& [instance, record] : records_) {
    if (record.failingSince) out.push_back({instance, *record.failingSince, record.failingWhat});
  }
  return out;
}

Status PodInstances::noteFailing(const std::string& podInstance, TimePoint since,
                                 const std::string& what) {
  PodInstanceRecord record = current(podInstance);
  if (record.failingSince) return Status::ok();
  record.failingSince = since;
  record.failingWhat = what;
  return write(podInstance, record);
}

Status PodInstances::noteRunning(const std::string& podInstance) {
  PodInstanceRecord record = current(podInstance);
  if (!record.failingSince) return Status::ok();
  record.failingSince.reset();
  record.failingWhat.clear();
  return write(podInstance, record);
}

Result<int64_t> PodInstances::markFailed(const std::string& podInstance, PermanentFailure failure) {
  PodInstanceRecord record = current(podInstance);
  record.incarnation += 1;
  record.failingSince.reset();
  record.failingWhat.clear();
  record.failure = std::move(failure);
  KEEL_RETURN_IF_ERROR(write(podInstance, record));
  return record.incarnation;
}

Status PodInstances::replaced(const std::string& podInstance, const std::string& agent,
                              std::set<std::string> resourceIds, TimePoint until) {
  PodInstanceRecord record = current(podInstance);
  record.failure.reset();
  for (const std::string& id : record.cleanupResourceIds) {
    record.earlierCleanup[id] = record.cleanupAgent;
  }
  for (const std::string& id : resourceIds) record.earlierCleanup.erase(id);
  record.cleanupAgent = agent;
  record.cleanupResourceIds = std::move(resourceIds);
  record.cleanupUntil = until;
  return write(podInstance, record);
}

Status PodInstances::unreplaced(const std::string& podInstance, PermanentFailure failure) {
  PodInstanceRecord record = current(podInstance);
  record.failure = std::move(failure);
  return write(podInstance, record);
}

std::vector<CleanedReservation> PodInstances::cleaned(const std::set<std::string>& resourceIds) {
  std::vector<std::pair<std::string, PodInstanceRecord>> changed;
  std::vector<CleanedReservation> done;
  for (const auto& [instance, record] : records_) {
    PodInstanceRecord next = record;
    size_t before = done.size();
    for (const std::string& id : resourceIds) {
      if (next.cleanupResourceIds.erase(id) != 0) done.push_back({instance, id, next.cleanupAgent});
      auto earlier = next.earlierCleanup.find(id);
      if (earlier == next.earlierCleanup.end()) continue;
      done.push_back({instance, id, earlier->second});
      next.earlierCleanup.erase(earlier);
    }
    if (done.size() != before) changed.emplace_back(instance, std::move(next));
  }
  for (const auto& [instance, next] : changed) {
    Status s = write(instance, next);
    if (!s.isOk()) {
      KEEL_LOG(Warn, "scheduler") << "old footprint of " << instance
                                  << " cleaned, record not updated: " << s.toString();
    } else if (next.cleanupResourceIds.empty() && next.earlierCleanup.empty()) {
      KEEL_LOG(Info, "scheduler") << "old footprint of " << instance << " on agent "
                                  << next.cleanupAgent << ": every DESTROY/UNRESERVE sent";
    }
  }
  return done;
}

void PodInstances::uncleaned(const std::vector<CleanedReservation>& reservations) {
  std::map<std::string, PodInstanceRecord> changed;
  for (const CleanedReservation& r : reservations) {
    auto it = changed.find(r.instance);
    if (it == changed.end()) it = changed.emplace(r.instance, current(r.instance)).first;
    if (r.agent == it->second.cleanupAgent) {
      it->second.cleanupResourceIds.insert(r.resourceId);
    } else {
      it->second.earlierCleanup[r.resourceId] = r.agent;
    }
  }
  for (const auto& [instance, next] : changed) {
    Status s = write(instance, next);
    if (!s.isOk()) {
      KEEL_LOG(Warn, "scheduler") << "old footprint of " << instance
                                  << " to clean again, record not updated: " << s.toString();
    }
  }
}

bool PodInstances::cleanupPending(TimePoint now) const {
  for (const auto& [instance, record] : records_) {
    bool watched = !record.cleanupResourceIds.empty() || !record.earlierCleanup.empty();
    if (watched && now < record.cleanupUntil) return true;
  }
  return false;
}

std::map<std::string, std::string> PodInstances::cleanupReservations() const {
  std::map<std::string, std::string> out;
  for (const auto& [instance, record] : records_) {
    for (const std::string& id : record.cleanupResourceIds) out.emplace(id, record.cleanupAgent);
    for (const auto& [id, agent] : record.earlierCleanup) out.emplace(id, agent);
  }
  return out;
}

Status PodInstances::write(const std::string& podInstance, const PodInstanceRecord& record) {
  KEEL_RETURN_IF_ERROR(state::PodInstanceStore(persister_).put(podInstance, encode(record)));
  records_[podInstance] = record;
  return Status::ok();
}

}  // namespace keel::scheduler
