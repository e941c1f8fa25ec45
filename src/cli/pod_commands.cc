// `keel pod list|status|info|restart|replace` against /v1/pod.
#include "cli/api_format.h"
#include "cli/operator_commands.h"

namespace keel::cli {
namespace {

std::string podPath(const std::string& pod) { return "/v1/pod/" + urlEncode(pod); }

}  // namespace

int runPodList(const RemoteOptions& options, std::ostream& out, std::ostream& err) {
  return callApi(options, {"GET", "/v1/pod", ""}, formatLines, out, err);
}

int runPodStatus(const RemoteOptions& options, const std::optional<std::string>& pod,
                 std::ostream& out, std::ostream& err) {
  if (!pod) return callApi(options, {"GET", "/v1/pod/status", ""}, formatPodStatuses, out, err);
  return callApi(options, {"GET", podPath(*pod) + "/status", ""}, formatPodStatus, out, err);
}

int runPodInfo(const RemoteOptions& options, const std::string& pod, std::ostream& out,
               std::ostream& err) {
  return callApi(options, {"GET", podPath(pod) + "/info", ""}, formatPodInfo, out, err);
}

int runPodRestart(const RemoteOptions& options, const std::string& pod, bool replace,
                  std::ostream& out, std::ostream& err) {
  Formatter format = [replace](const ordered_json& body, std::ostream& o) {
    formatPodRestart(body, replace, o);
  };
  std::string path = podPath(pod) + (replace ? "/replace" : "/restart");
  return callApi(options, {"POST", path, ""}, format, out, err);
}

int runRecoveryReset(const RemoteOptions& options, std::ostream& out, std::ostream& err) {
  return callApi(options, {"POST", "/v1/recovery/reset", ""}, formatMessage, out, err);
}

}  // namespace keel::cli
