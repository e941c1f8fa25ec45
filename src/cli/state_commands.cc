// `keel state framework-id|properties` (/v1/state) and `keel config
// list|show|target` (/v1/configurations): what the scheduler has stored.
#include "cli/api_format.h"
#include "cli/operator_commands.h"

namespace keel::cli {
namespace {

void formatIndented(const ordered_json& body, std::ostream& out) { out << body.dump(2) << "\n"; }

// The target configuration's id, or "" when there is none (or it cannot be
// read: the listing is still worth showing).
std::string targetId(const ApiClient& client) {
  Result<ApiReply> reply = client.get("/v1/configurations/targetId");
  if (!reply || reply->status != 200) return "";
  ordered_json ids = ordered_json::parse(reply->body, nullptr, false);
  return ids.is_array() && !ids.empty() && ids[0].is_string() ? ids[0].get<std::string>() : "";
}

}  // namespace

int runStateFrameworkId(const RemoteOptions& options, std::ostream& out, std::ostream& err) {
  return callApi(options, {"GET", "/v1/state/frameworkId", ""}, formatLines, out, err);
}

int runStateProperties(const RemoteOptions& options, const std::optional<std::string>& key,
                       std::ostream& out, std::ostream& err) {
  if (!key) return callApi(options, {"GET", "/v1/state/properties", ""}, formatLines, out, err);
  Formatter value = [](const ordered_json& body, std::ostream& o) {
    o << (body.is_string() ? body.get<std::string>() : body.dump(2)) << "\n";
  };
  return callApi(options, {"GET", "/v1/state/properties/" + urlEncode(*key), ""}, value, out, err);
}

int runConfigList(const RemoteOptions& options, std::ostream& out, std::ostream& err) {
  Result<ApiClient> client = connectScheduler(options);
  if (!client) return reportReply(options, client.error(), nullptr, out, err);
  Formatter format = [&](const ordered_json& ids, std::ostream& o) {
    std::string target = targetId(*client);
    if (ids.empty()) o << "(no configurations stored)\n";
    for (const ordered_json& id : ids) {
      std::string text = id.is_string() ? id.get<std::string>() : id.dump();
      o << text << (text == target ? "  (target)" : "") << "\n";
    }
  };
  return reportReply(options, client->get("/v1/configurations"), format, out, err);
}

int runConfigShow(const RemoteOptions& options, const std::string& id, std::ostream& out,
                  std::ostream& err) {
  return callApi(options, {"GET", "/v1/configurations/" + urlEncode(id), ""}, formatIndented, out,
                 err);
}

int runConfigRollback(const RemoteOptions& options, const std::string& reason, std::ostream& out,
                      std::ostream& err) {
  std::string path = "/v1/configurations/rollback";
  if (!reason.empty()) path = withQuery(path, "reason", reason);
  return callApi(options, {"POST", path, ""}, formatMessage, out, err);
}

int runConfigTarget(const RemoteOptions& options, std::ostream& out, std::ostream& err) {
  return callApi(options, {"GET", "/v1/configurations/target", ""}, formatIndented, out, err);
}

}  // namespace keel::cli
