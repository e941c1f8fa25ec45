// `keel plan list|status|interrupt|continue|force-complete|restart|start|stop`
// against /v1/plans.
#include <nlohmann/json.hpp>

#include "cli/api_format.h"
#include "cli/commands.h"
#include "cli/operator_commands.h"

namespace keel::cli {
namespace {

std::string planPath(const std::string& plan) { return "/v1/plans/" + urlEncode(plan); }

const char* commandPath(PlanCommand command) {
  switch (command) {
    case PlanCommand::kInterrupt:
      return "interrupt";
    case PlanCommand::kContinue:
      return "continue";
    case PlanCommand::kForceComplete:
      return "forceComplete";
    case PlanCommand::kRestart:
      return "restart";
  }
  return "";
}

// "  deploy     COMPLETE" for each plan; a status that cannot be read is
// shown as the reason.
void listPlans(const ApiClient& client, const ordered_json& names, std::ostream& out) {
  size_t width = 0;
  for (const ordered_json& n : names) width = std::max(width, n.get<std::string>().size());
  for (const ordered_json& n : names) {
    std::string name = n.get<std::string>();
    Result<ApiReply> plan = client.get(planPath(name));
    std::string status = !plan ? plan.error().message()
                         : plan->contentType == "application/json"
                             ? textOf(ordered_json::parse(plan->body, nullptr, false), "status")
                             : "";
    if (plan && status.empty()) status = replyMessage(*plan);
    out << name << std::string(width + 2 - name.size(), ' ') << status << "\n";
  }
}

bool allStrings(const ordered_json& list) {
  if (!list.is_array()) return false;
  for (const ordered_json& v : list) {
    if (!v.is_string()) return false;
  }
  return true;
}

}  // namespace

int runPlanList(const RemoteOptions& options, std::ostream& out, std::ostream& err) {
  Result<ApiClient> client = connectScheduler(options);
  if (!client) return reportReply(options, client.error(), nullptr, out, err);
  Formatter format = [&](const ordered_json& names, std::ostream& o) {
    if (!allStrings(names) || names.empty()) return formatLines(names, o);
    listPlans(*client, names, o);
  };
  return reportReply(options, client->get("/v1/plans"), format, out, err);
}

int runPlanStatus(const RemoteOptions& options, const std::string& plan, std::ostream& out,
                  std::ostream& err) {
  Formatter format = [&](const ordered_json& body, std::ostream& o) {
    formatPlanTree(plan, body, o);
  };
  return callApi(options, {"GET", planPath(plan), ""}, format, out, err);
}

int runPlanCommand(const RemoteOptions& options, PlanCommand command, const PlanTarget& target,
                   std::ostream& out, std::ostream& err) {
  bool element = command == PlanCommand::kForceComplete || command == PlanCommand::kRestart;
  if (element && (target.phase.empty() || target.step.empty())) {
    err << "keel: force-complete and restart need --phase and --step\n";
    return kExitUsage;
  }
  std::string path = planPath(target.plan) + "/" + commandPath(command);
  path = withQuery(withQuery(path, "phase", target.phase), "step", target.step);
  return callApi(options, {"POST", path, ""}, formatMessage, out, err);
}

int runPlanStart(const RemoteOptions& options, const std::string& plan,
                 const std::vector<std::string>& parameters, std::ostream& out, std::ostream& err) {
  nlohmann::ordered_json body = nlohmann::ordered_json::object();
  for (const std::string& p : parameters) {
    size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      err << "keel: parameter '" << p << "' is not KEY=VALUE\n";
      return kExitUsage;
    }
    body[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return callApi(options, {"POST", planPath(plan) + "/start", body.dump()}, formatMessage, out,
                 err);
}

int runPlanStop(const RemoteOptions& options, const std::string& plan, std::ostream& out,
                std::ostream& err) {
  return callApi(options, {"POST", planPath(plan) + "/stop", ""}, formatMessage, out, err);
}

}  // namespace keel::cli
