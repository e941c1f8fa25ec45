#include "scheduler/sim_invariants.h"

#include <sstream>

#include "keel/check.h"
#include "keel/mesos/resources.h"
#include "keel/mesos/values.h"
#include "keel/offer/task_labels.h"
#include "keel/offer/unexpected_resources.h"
#include "keel/plan_override.h"
#include "keel/state/plan_override_store.h"
#include "keel/state/properties_store.h"
#include "keel/state/task_store.h"
#include "scheduler/decommission.h"
#include "scheduler/pod_instances.h"
#include "scheduler/step_progress.h"
#include "scheduler/task_book.h"
#include "scheduler/uninstall.h"

namespace keel::scheduler::testing {
namespace {

std::optional<std::string> resourceId(const mesos::Resource& r) {
  return mesos::labelValue(mesos::reservationLabels(r), offer::kLabelResourceId);
}

std::vector<mesos::Resource> resourcesOf(const mesos::OfferOperation& op) {
  if (op.reserve) return op.reserve->resources;
  if (op.unreserve) return op.unreserve->resources;
  if (op.create) return op.create->volumes;
  if (op.destroy) return op.destroy->volumes;
  return {};
}

std::string property(state::Persister& p, const std::string& key) {
  Result<std::optional<std::string>> v = state::PropertiesStore(p).get(key);
  return v && *v ? **v : std::string();
}

bool mentions(const std::string& text, const std::string& instance) {
  return text.find("\"" + instance + "\"") != std::string::npos;
}

// The stored tasks as the scheduler reads them.
TaskBook loadBook(state::TaskStore& store) {
  TaskBook book(store);
  Status s = book.load();
  KEEL_CHECK_MSG(s.isOk(), "SimInvariants: the task store cannot be read");
  return book;
}

}  // namespace

SimInvariants::SimInvariants(SchedulerSim& sim, InvariantOptions options)
    : sim_(sim), options_(options) {}

void SimInvariants::note(std::string event) { events_.push_back(std::move(event)); }

std::string SimInvariants::history() const {
  std::ostringstream out;
  size_t from = events_.size() > options_.historyLines ? events_.size() - options_.historyLines : 0;
  out << "events " << from << ".." << events_.size() << " of " << events_.size() << ":";
  for (size_t i = from; i < events_.size(); ++i) out << "\n  " << i << ": " << events_[i];
  return out.str();
}

std::string SimInvariants::describeState() const {
  std::ostringstream out;
  if (sim_.scheduler == nullptr) {
    out << "no scheduler";
  } else {
    for (plan::Plan* p : sim_.scheduler->plans()) {
      out << "plan " << p->name() << " " << plan::statusName(p->status())
          << (p->interrupted() ? " (interrupted)" : "") << "\n";
      for (const plan::Phase& phase : p->phases()) {
        for (const plan::Step& step : phase.steps()) {
          if (step.isComplete()) continue;
          out << "  " << phase.name() << "/" << step.name() << " "
              << plan::statusName(step.status()) << ": " << step.message() << "\n";
        }
      }
    }
  }
  for (const auto& [key, task] : sim_.cluster.master().tasks()) {
    if (mesos::isTerminal(task.latest.state)) continue;
    out << "live " << task.info.taskId.value << " " << mesos::enumName(task.latest.state) << " on "
        << task.agentId << "\n";
  }
  return out.str();
}

void SimInvariants::fail(std::vector<std::string>& out, const std::string& what) const {
  out.push_back(what + "\n" + history());
}

std::vector<std::string> SimInvariants::check() {
  std::vector<std::string> out;
  observeStore();
  checkIdentity(out);
  checkOperations(out);
  if (!sim_.dead()) {
    for (std::string& v : checkPolicy(sim_.scheduler->automaticRecovery())) {
      out.push_back(std::move(v));
    }
  }
  return out;
}

std::vector<std::string> SimInvariants::checkPolicy(const AutomaticRecoveryView& view) {
  std::vector<std::string> out;
  std::vector<std::pair<TimePoint, std::string>> fresh;
  for (const AutomaticReplacement& r : view.replacements) {
    if (policyReplacements_.emplace(r.at, r.instance).second) fresh.emplace_back(r.at, r.instance);
  }
  if (const std::optional<TimePoint>& last = view.state.lastReplacement) {
    auto at = policyReplacements_.lower_bound({*last, std::string()});
    if (at == policyReplacements_.end() || at->first != *last) {
      policyReplacements_.emplace(*last, "(the stored last replacement)");
      fresh.emplace_back(*last, "(the stored last replacement)");
    }
  }
  std::optional<Duration> interval = options_.minReplacementInterval;
  if (!interval && view.options.enabled) interval = view.options.minReplaceDelay;
  auto ms = [](auto d) {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
  };
  for (const auto& r : fresh) {
    auto it = policyReplacements_.find(r);
    if (interval && it != policyReplacements_.begin() &&
        r.first - std::prev(it)->first < *interval) {
      fail(out, "throttle: " + r.second + " replaced automatically " +
                    ms(r.first - std::prev(it)->first) + " ms after " + std::prev(it)->second +
                    " (at least " + ms(*interval) + " ms apart)");
    }
    if (interval && std::next(it) != policyReplacements_.end() &&
        std::next(it)->first - r.first < *interval) {
      fail(out, "throttle: " + std::next(it)->second + " replaced automatically " +
                    ms(std::next(it)->first - r.first) + " ms after " + r.second);
    }
    if (view.state.breaker && r.first >= view.state.breaker->at &&
        r.second != "(the stored last replacement)") {
      fail(out, "breaker: " + r.second + " replaced automatically while the circuit breaker " +
                    "tripped " + ms(r.first - view.state.breaker->at) +
                    " ms before is open: " + view.state.breaker->reason);
    }
  }
  return out;
}

// What the store holds now joins the history: who referenced which
// resource, incarnations, decommissions, the uninstall, automatic
// replacements (throttle).
void SimInvariants::observeStore() {
  state::Persister& p = sim_.persister;
  state::TaskStore store(p);
  TaskBook book = loadBook(store);
  for (const auto& [name, rec] : book.all()) {
    Owner owner{rec.podInstance(), offer::incarnationLabel(rec.info.labels)};
    for (const std::string& id : offer::knownResourcesOf({&rec.info, 1}).resourceIds) {
      owners_[id].insert(owner);
    }
  }
  PodInstances pods(p);
  KEEL_CHECK_MSG(pods.load().isOk(), "SimInvariants: pod instance records cannot be read");
  std::string decommissioning = property(p, kDecommissioningProperty);
  everUninstalling_ = everUninstalling_ || !property(p, kUninstallingProperty).empty();
  std::set<std::string> instances;
  for (const auto& [id, owners] : owners_) {
    for (const Owner& o : owners) instances.insert(o.instance);
  }
  for (const std::string& instance : instances) {
    if (mentions(decommissioning, instance)) everDecommissioning_.insert(instance);
    int64_t now = pods.incarnation(instance);
    int64_t& seen = incarnations_[instance];
    if (now <= seen) continue;
    const PermanentFailure* f = pods.failure(instance);
    bool byOperator = f != nullptr && f->reason.find("by the operator") != std::string::npos;
    seen = now;
    if (byOperator) continue;
    automatic_.emplace_back(instance, f != nullptr ? f->markedAt : sim_.clock.now());
  }
}

void SimInvariants::checkIdentity(std::vector<std::string>& out) {
  const local::MasterState& m = sim_.cluster.master();
  struct Live {
    std::string id;
    int64_t incarnation;
    bool reachable;
  };
  std::map<std::string, std::vector<Live>> byName;
  std::map<std::string, std::set<int64_t>> byInstance;
  for (const auto& [key, task] : m.tasks()) {
    // Every framework's: a scheduler that registered anew leaves the old
    // framework's tasks running.
    if (mesos::isTerminal(task.latest.state)) continue;
    auto agent = m.agents().find(task.agentId);
    bool reachable = agent != m.agents().end() && agent->second.health == local::AgentHealth::kUp;
    TaskRecord rec;
    rec.info = task.info;
    int64_t inc = offer::incarnationLabel(task.info.labels);
    byName[offer::taskNameFromTaskId(task.info.taskId.value).value_or(task.info.taskId.value)]
        .push_back({task.info.taskId.value, inc, reachable});
    if (reachable && !rec.podInstance().empty()) byInstance[rec.podInstance()].insert(inc);
  }
  for (const auto& [name, live] : byName) {
    int reachable = 0;
    int64_t newest = 0;
    for (const Live& l : live) {
      reachable += l.reachable;
      newest = std::max(newest, l.incarnation);
    }
    std::string ids;
    for (const Live& l : live) ids += " " + l.id + (l.reachable ? "" : " (unreachable)");
    if (reachable > 1) fail(out, "identity: " + name + " has two live tasks:" + ids);
    for (const Live& l : live) {
      if (live.size() > 1 && l.incarnation == newest && !l.reachable && reachable > 0) {
        fail(out, "identity: " + name + " has live tasks of one incarnation:" + ids);
      }
    }
  }
  for (const auto& [instance, incs] : byInstance) {
    if (incs.size() > 1) fail(out, "identity: " + instance + " runs two incarnations at once");
  }
}

void SimInvariants::checkOperations(std::vector<std::string>& out) {
  const auto& ops = sim_.cluster.acceptedOperations;
  for (; operationsSeen_ < ops.size(); ++operationsSeen_) {
    const auto& a = ops[operationsSeen_];
    bool releases = a.operation.destroy || a.operation.unreserve;
    bool creates = a.operation.reserve || a.operation.create;
    for (const mesos::Resource& r : resourcesOf(a.operation)) {
      std::optional<std::string> id = resourceId(r);
      if (!id) continue;
      if (creates && owners_.count(*id) == 0) {
        fail(out, "persist: " + std::string(a.operation.reserve ? "RESERVE" : "CREATE") + " of " +
                      *id + " on " + a.agentId + " but no stored TaskInfo references it");
      }
      if (!releases) continue;
      if (std::optional<std::string> why = unjustified(*id)) {
        fail(out, "cause: " + std::string(a.operation.destroy ? "DESTROY" : "UNRESERVE") + " of " +
                      *id + " on " + a.agentId + " without cause: " + *why);
      }
    }
  }
}

// Why releasing the resource has no cause; nullopt when it has one.
std::optional<std::string> SimInvariants::unjustified(const std::string& resourceId) const {
  if (everUninstalling_) return std::nullopt;
  auto it = owners_.find(resourceId);
  if (it == owners_.end()) return std::nullopt;  // never anyone's: garbage
  for (const Owner& o : it->second) {
    if (o.instance.empty() || everDecommissioning_.count(o.instance) != 0) continue;
    auto inc = incarnations_.find(o.instance);
    int64_t now = inc == incarnations_.end() ? 0 : inc->second;
    if (now > o.incarnation) continue;  // a recorded permanent failure
    return "it belongs to " + o.instance + " incarnation " + std::to_string(o.incarnation) +
           ", which is neither replaced, decommissioned nor uninstalled";
  }
  return std::nullopt;
}

std::vector<std::string> SimInvariants::checkSettled() {
  std::vector<std::string> out = check();
  std::map<std::string, std::string> held;  // resource id -> agent
  for (const auto& [agentId, agent] : sim_.cluster.master().agents()) {
    if (agent.health != local::AgentHealth::kUp) continue;  // removed for good
    for (const mesos::Resource& r : agent.total) {
      if (std::optional<std::string> id = resourceId(r)) held[*id] = agentId;
    }
  }
  state::TaskStore store(sim_.persister);
  TaskBook book = loadBook(store);
  PodInstances pods(sim_.persister);
  KEEL_CHECK(pods.load().isOk());
  std::set<std::string> referenced;
  for (const auto& [name, rec] : book.all()) {
    bool live = pods.failure(rec.podInstance()) == nullptr &&
                everDecommissioning_.count(rec.podInstance()) == 0 && !everUninstalling_;
    for (const std::string& id : offer::knownResourcesOf({&rec.info, 1}).resourceIds) {
      referenced.insert(id);
      if (live && held.count(id) == 0) {
        fail(out, "lost: " + id + " of " + name + " (stored TaskInfo) is gone from the cluster");
      }
    }
  }
  for (const auto& [id, agent] : pods.cleanupReservations()) referenced.insert(id);
  for (const auto& [id, agent] : held) {
    if (referenced.count(id) == 0) {
      std::string was = " (never in a stored TaskInfo)";
      if (auto it = owners_.find(id); it != owners_.end()) {
        was = " (was";
        for (const Owner& o : it->second) {
          was += " " + o.instance + " incarnation " + std::to_string(o.incarnation);
        }
        was += ")";
      }
      fail(out, "leak: the cluster still holds " + id + " on " + agent + was +
                    ", which no stored TaskInfo references and no cleanup awaits");
    }
  }
  return out;
}

std::map<std::pair<std::string, int64_t>, int> SimInvariants::launchCounts() const {
  std::map<std::pair<std::string, int64_t>, int> counts;
  for (const auto& a : sim_.cluster.acceptedOperations) {
    if (!a.operation.launchGroup) continue;
    for (const mesos::TaskInfo& t : a.operation.launchGroup->taskGroup.tasks) {
      ++counts[{offer::taskNameFromTaskId(t.taskId.value).value_or(t.name),
                offer::incarnationLabel(t.labels)}];
    }
  }
  return counts;
}

PlanSnapshot SimInvariants::snapshot(Scheduler* scheduler, bool withRecovery) {
  if (scheduler == nullptr) scheduler = sim_.scheduler.get();
  PlanSnapshot s;
  state::TaskStore store(sim_.persister);
  TaskBook book = loadBook(store);
  PodInstances pods(sim_.persister);
  KEEL_CHECK(pods.load().isOk());
  std::vector<std::string> failed = pods.failed();
  s.pendingReplacements = {failed.begin(), failed.end()};
  if (scheduler == nullptr) return s;
  for (plan::Plan* p : scheduler->plans()) {
    if (p->name() == "recovery") {
      if (!withRecovery) continue;  // rebuilt from the store's tasks and marks
      for (const plan::Step& step : p->phases()[0].steps()) {
        std::string text = step.message();
        s.recovery["recovery/" + step.name()] =
            std::string(plan::statusName(step.status())) +
            (text.find("PERMANENT") != std::string::npos ? " PERMANENT" : " TRANSIENT");
      }
      continue;
    }
    s.interrupted[p->name()] = p->interrupted();
    Result<std::map<std::string, std::string>> records =
        state::PlanOverrideStore(sim_.persister).list(p->name());
    if (records) s.overrides[p->name()] = *records;
    for (const plan::Phase& phase : p->phases()) {
      std::string at = p->name() + "/" + phase.name();
      s.interrupted[at] = phase.interrupted();
      for (const plan::Step& step : phase.steps()) {
        s.interrupted[at + "/" + step.name()] = step.interrupted();
        bool stable = true;
        for (const std::string& t : step.tasks()) {
          const TaskRecord* rec = book.find(step.podInstance() + "-" + t);
          if (rec != nullptr && !taskDone(rec->info, rec->currentStatus())) stable = false;
        }
        std::string key = at + "/" + step.name();
        s.complete[key] = step.isComplete();
        if (stable && s.pendingReplacements.count(step.podInstance()) == 0) s.stable.insert(key);
      }
    }
  }
  return s;
}

std::vector<std::string> SimInvariants::compareAfterRestart(const PlanSnapshot& before) {
  std::vector<std::string> out;
  PlanSnapshot after = snapshot();
  for (const auto& [at, done] : before.complete) {
    auto it = after.complete.find(at);
    if (it == after.complete.end() || before.stable.count(at) == 0 || after.stable.count(at) == 0) {
      continue;
    }
    if (it->second != done) {
      fail(out, "restart: step " + at + (done ? " was COMPLETE and is not" : " became COMPLETE") +
                    " after the restart");
    }
  }
  for (const auto& [at, flag] : before.interrupted) {
    auto it = after.interrupted.find(at);
    if (it != after.interrupted.end() && it->second != flag) {
      fail(out, "restart: " + at + (flag ? " was interrupted and is not" : " became interrupted"));
    }
  }
  for (const auto& [plan, records] : before.overrides) {
    auto it = after.overrides.find(plan);
    if (it == after.overrides.end() || it->second != records) {
      fail(out, "restart: the stored overrides of plan " + plan + " changed");
    }
  }
  plan::Plan* recovery = sim_.scheduler != nullptr ? sim_.scheduler->findPlan("recovery") : nullptr;
  for (const std::string& instance : before.pendingReplacements) {
    const plan::Step* step = recovery != nullptr && !recovery->phases().empty()
                                 ? recovery->phases()[0].findStep(instance)
                                 : nullptr;
    if (step == nullptr && after.pendingReplacements.count(instance) != 0) {
      fail(out, "restart: the pending replacement of " + instance + " has no recovery step");
    }
  }
  return out;
}

std::vector<std::string> SimInvariants::compareSnapshots(const PlanSnapshot& a,
                                                         const PlanSnapshot& b,
                                                         const std::string& what) {
  std::vector<std::string> out;
  auto differ = [&](const auto& x, const auto& y, const std::string& part) {
    if (x == y) return;
    std::string keys;
    for (const auto& [k, v] : x) {
      auto it = y.find(k);
      if (it == y.end() || !(it->second == v)) keys += " " + k;
    }
    for (const auto& [k, v] : y) {
      if (x.find(k) == x.end()) keys += " " + k;
    }
    fail(out, what + ": " + part + " differ at" + keys);
  };
  differ(a.complete, b.complete, "step completions");
  differ(a.interrupted, b.interrupted, "interrupted flags");
  differ(a.overrides, b.overrides, "stored overrides");
  differ(a.recovery, b.recovery, "recovery steps");
  if (a.pendingReplacements != b.pendingReplacements) {
    fail(out, what + ": pending replacements differ");
  }
  return out;
}

}  // namespace keel::scheduler::testing
