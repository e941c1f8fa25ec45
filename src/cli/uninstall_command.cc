// `keel uninstall`: POST /v1/uninstall, then (unless --no-wait) follow the
// uninstall plan until the scheduler has torn the framework down and exited.
#include <thread>

#include "cli/api_format.h"
#include "cli/commands.h"
#include "cli/operator_commands.h"

namespace keel::cli {
namespace {

constexpr std::chrono::milliseconds kPollInterval{250};

// "IN_PROGRESS: 7 of 12 steps complete", from GET /v1/plans/uninstall.
std::string progressLine(const nlohmann::ordered_json& plan) {
  int done = 0, total = 0;
  for (const auto& phase : plan.value("phases", nlohmann::ordered_json::array())) {
    for (const auto& step : phase.value("steps", nlohmann::ordered_json::array())) {
      ++total;
      done += step.value("status", "") == "COMPLETE";
    }
  }
  return plan.value("status", "?") + ": " + std::to_string(done) + " of " + std::to_string(total) +
         " steps complete";
}

}  // namespace

int runUninstall(const RemoteOptions& options, const UninstallOptions& how, std::ostream& out,
                 std::ostream& err) {
  Result<ApiClient> client = connectScheduler(options);
  if (!client) {
    err << "keel: " << client.error().message() << "\n";
    return kExitInvalid;
  }
  int started = reportReply(options, client->post("/v1/uninstall"), formatMessage, out, err);
  if (started != kExitOk || !how.wait) return started;
  auto deadline = std::chrono::steady_clock::now() + how.timeout;
  std::string last;
  while (std::chrono::steady_clock::now() < deadline) {
    Result<ApiReply> reply = client->get("/v1/plans/uninstall");
    // The scheduler exits once the framework is torn down and its state deleted.
    if (!reply && reply.error().code() == StatusCode::kUnavailable) {
      if (!options.json) out << "uninstalled: the scheduler tore the framework down and exited\n";
      return kExitOk;
    }
    if (reply && reply->status / 100 == 2) {
      auto plan = nlohmann::ordered_json::parse(reply->body, nullptr, false);
      std::string line = plan.is_discarded() ? "" : progressLine(plan);
      if (!line.empty() && line != last && !options.json) out << line << "\n" << std::flush;
      last = line;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  err << "keel: still uninstalling after " << how.timeout.count()
      << " s; `keel plan status uninstall` shows what it waits for (a reservation on an agent "
         "that is gone: `keel plan force-complete uninstall --phase unreserve-resources --step "
         "<step>`)\n";
  return kExitInvalid;
}

}  // namespace keel::cli
