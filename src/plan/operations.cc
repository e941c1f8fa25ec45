#include "keel/plan_operations.h"

#include <cctype>
#include <utility>

namespace keel::plan {
namespace {

// The element an ElementPath names: exactly one of the pointers is the target.
struct Target {
  Phase* phase = nullptr;
  Step* step = nullptr;
};

Result<Target> resolve(Plan& plan, const ElementPath& path) {
  if (path.phase.empty()) {
    if (!path.step.empty()) return Status::invalidArgument("Missing phase");
    return Target{};
  }
  Phase* phase = plan.findPhase(path.phase);
  if (phase == nullptr) return Status::notFound("Phase " + path.phase + " not found");
  if (path.step.empty()) return Target{phase, nullptr};
  Step* step = phase->findStep(path.step);
  if (step == nullptr) return Status::notFound("Step " + path.step + " not found");
  return Target{phase, step};
}

OperationResult finish(Plan& plan, bool changed) {
  return OperationResult{changed, takeOverrideChanges(plan)};
}

ElementStatus statusOf(const Plan& plan, const Target& t) {
  if (t.step) return t.step->displayStatus();
  if (t.phase) return t.phase->status();
  return plan.status();
}

bool interruptedOf(const Plan& plan, const Target& t) {
  if (t.step) return t.step->interrupted();
  if (t.phase) return t.phase->interrupted();
  return plan.interrupted();
}

void setInterruptedOf(Plan& plan, const Target& t, bool on) {
  if (t.step) {
    t.step->setInterrupted(on);
  } else if (t.phase) {
    t.phase->setInterrupted(on);
  } else {
    plan.setInterrupted(on);
  }
}

bool releaseFirstInterruptedChild(Plan& plan, const Target& t) {
  if (t.step) return false;
  if (t.phase) {
    for (Step& s : t.phase->steps()) {
      if (s.interrupted() && !s.isComplete()) {
        s.setInterrupted(false);
        return true;
      }
    }
    return false;
  }
  for (Phase& p : plan.phases()) {
    if (p.interrupted() && !p.isComplete()) {
      p.setInterrupted(false);
      return true;
    }
  }
  return false;
}

}  // namespace

Status validateParameterName(const std::string& name) {
  auto head = [](unsigned char c) { return std::isalpha(c) || c == '_'; };
  bool ok = !name.empty() && head(static_cast<unsigned char>(name[0]));
  for (size_t i = 1; ok && i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    ok = std::isalnum(c) || c == '_';
  }
  if (ok) return Status::ok();
  return Status::invalidArgument(name + " is not a valid environment variable name");
}

Result<OperationResult> interruptElement(Plan& plan, const ElementPath& path) {
  KEEL_ASSIGN_OR_RETURN(Target t, resolve(plan, path));
  if (interruptedOf(plan, t) || statusOf(plan, t) == ElementStatus::kComplete) {
    return finish(plan, false);
  }
  setInterruptedOf(plan, t, true);
  return finish(plan, true);
}

Result<OperationResult> continueElement(Plan& plan, const ElementPath& path) {
  KEEL_ASSIGN_OR_RETURN(Target t, resolve(plan, path));
  if (interruptedOf(plan, t)) {
    setInterruptedOf(plan, t, false);
    return finish(plan, true);
  }
  return finish(plan, releaseFirstInterruptedChild(plan, t));
}

Result<OperationResult> forceCompleteElement(Plan& plan, const ElementPath& path) {
  KEEL_ASSIGN_OR_RETURN(Target t, resolve(plan, path));
  if (statusOf(plan, t) == ElementStatus::kComplete) return finish(plan, false);
  if (t.step) {
    t.step->forceComplete();
  } else if (t.phase) {
    t.phase->forceComplete();
  } else {
    plan.forceComplete();
  }
  return finish(plan, true);
}

Result<OperationResult> restartElement(Plan& plan, const ElementPath& path) {
  KEEL_ASSIGN_OR_RETURN(Target t, resolve(plan, path));
  if (statusOf(plan, t) == ElementStatus::kPending) return finish(plan, false);
  setInterruptedOf(plan, t, false);
  if (t.step) {
    t.step->restart();
  } else if (t.phase) {
    t.phase->restart();
  } else {
    plan.restart();
  }
  return finish(plan, true);
}

Result<OperationResult> startPlan(Plan& plan,
                                  const std::map<std::string, std::string>& parameters) {
  for (const auto& [name, value] : parameters) {
    KEEL_RETURN_IF_ERROR(validateParameterName(name));
  }
  plan.setParameters(parameters);
  if (plan.isComplete()) plan.restart();
  plan.setInterrupted(false);
  return finish(plan, true);
}

Result<OperationResult> stopPlan(Plan& plan) {
  plan.setInterrupted(true);
  plan.restart();
  return finish(plan, true);
}

Result<OperationResult> setDecisionPoint(Plan& plan, const ElementPath& path, bool on) {
  if (path.step.empty()) {
    return Status::invalidArgument("a decision point is set on a step: missing step");
  }
  KEEL_ASSIGN_OR_RETURN(Target t, resolve(plan, path));
  if (t.step->decisionPoint() == on) return finish(plan, false);
  t.step->setDecisionPoint(on);
  return finish(plan, true);
}

}  // namespace keel::plan
