// Rollback of a configuration update: the stored records (rollback.h) and the
// Scheduler's side of it (startup checks, the operator's rollback).
#include "scheduler/rollback.h"

#include <nlohmann/json.hpp>

#include "keel/log.h"
#include "keel/scheduler/scheduler.h"
#include "keel/spec_json.h"
#include "keel/state/config_store.h"
#include "keel/state/properties_store.h"

namespace keel::scheduler {
namespace {

constexpr const char* kLog = "config";

}  // namespace

Result<std::map<std::string, RolledBack>> parseRolledBack(const std::optional<std::string>& text) {
  std::map<std::string, RolledBack> out;
  if (!text) return out;
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  auto bad = [] {
    return Status::corruption(std::string("property ") + kRolledBackProperty +
                              " is not {\"<id>\": {\"to\", \"reason\", \"at\"}}");
  };
  if (!j.is_object()) return bad();
  for (const auto& [id, r] : j.items()) {
    if (!r.is_object() || !r.contains("to") || !r["to"].is_string()) return bad();
    out[id] = RolledBack{r["to"].get<std::string>(), r.value("reason", ""), r.value("at", 0LL)};
  }
  return out;
}

std::string encodeRolledBack(const std::map<std::string, RolledBack>& records) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [id, r] : records) {
    j[id] = {{"to", r.to}, {"reason", r.reason}, {"at", r.atMillis}};
  }
  return j.dump();
}

// At startup, before the target is decided: a rollback that stored its
// record but not the target is finished; a candidate equal to a rolled-back
// configuration is refused (running the stored target), with the reason.
// Returns true when the candidate was refused that way.
Result<bool> Scheduler::applyRollbacks(std::optional<std::string>& target) {
  state::PropertiesStore props(persister_);
  state::ConfigStore configs(persister_);
  KEEL_ASSIGN_OR_RETURN(std::optional<std::string> text, props.get(kRolledBackProperty));
  KEEL_ASSIGN_OR_RETURN(auto records, parseRolledBack(text));
  if (target && records.count(*target)) {
    KEEL_RETURN_IF_ERROR(configs.setTarget(records[*target].to));
    KEEL_LOG(Warn, kLog) << "finished rolling configuration " << *target << " back to "
                         << records[*target].to;
    target = records[*target].to;
  }
  if (!target) return false;
  std::string candidate = spec::toJson(spec_, spec::JsonStyle::kCompact);
  for (const auto& [id, r] : records) {
    KEEL_ASSIGN_OR_RETURN(std::string stored, configs.get(id));
    if (stored != candidate) continue;
    configErrors_.push_back("this configuration is " + id + ", which was rolled back to " + r.to +
                            " (" + r.reason +
                            "); it stays refused until the configuration changes");
    return true;
  }
  return false;
}

Result<std::string> Scheduler::rollBack(const std::string& reason) {
  state::PropertiesStore props(persister_);
  state::ConfigStore configs(persister_);
  KEEL_ASSIGN_OR_RETURN(std::optional<std::string> previous, props.get(kPreviousTargetProperty));
  const std::string current = context_.targetConfigId;
  if (!previous || *previous == current) {
    return Status::failedPrecondition("no earlier configuration to roll back to: the target " +
                                      current +
                                      " was not reached by an update (or was rolled back)");
  }
  KEEL_ASSIGN_OR_RETURN(std::string json, configs.get(*previous));
  KEEL_ASSIGN_OR_RETURN(spec::ServiceSpec old, spec::serviceSpecFromJson(json));
  KEEL_ASSIGN_OR_RETURN(std::optional<std::string> text, props.get(kRolledBackProperty));
  KEEL_ASSIGN_OR_RETURN(auto records, parseRolledBack(text));
  std::string why = reason.empty() ? "rolled back by the operator" : reason;
  records[current] = RolledBack{*previous, why, toEpochMillis(clock_.now())};
  KEEL_RETURN_IF_ERROR(props.put(kRolledBackProperty, encodeRolledBack(records)));
  KEEL_RETURN_IF_ERROR(configs.setTarget(*previous));
  KEEL_RETURN_IF_ERROR(props.erase(kPreviousTargetProperty));
  KEEL_LOG(Warn, kLog) << "configuration " << current << " rolled back to " << *previous << ": "
                       << why;
  spec_ = std::move(old);
  context_.targetConfigId = *previous;
  configErrors_ = {"configuration " + current + " was rolled back to " + *previous + " (" + why +
                   "); it stays refused until the configuration changes"};
  KEEL_RETURN_IF_ERROR(buildPlans());
  releaseHaltedUpdate(current);
  resetEvaluator();
  finishEvent();
  return "rolling back from configuration " + current + " to " + *previous;
}

}  // namespace keel::scheduler
