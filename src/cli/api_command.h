// The plumbing every operator command shares (`keel plan status`, `keel pod
// restart`, ...): find the scheduler, send one request, and turn the answer
// into output and an exit status (cli/commands.h's ExitCode):
//   2xx           0; the body formatted for a person, or with --json the
//                 API's JSON as it came, indented by two spaces.
//   208           0; the API's "already reported or completed" as a note.
//   4xx, 5xx      1; the API's message on `err` ("keel: Plan x not found").
//   no answer     1; "no scheduler at URL: is `keel run` running?".
//   no scheduler  1; how to choose one (cli/scheduler_url.h).
//
// Thread-safety: none needed; functions of their arguments and streams.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "cli/api_client.h"
#include "cli/scheduler_url.h"

namespace keel::cli {

// The options every operator command takes.
struct RemoteOptions {
  ConnectOptions connect;
  bool json = false;             // --json: print the API's JSON (indented)
  EnvLookup env = processEnv();  // where KEEL_URL, KEEL_HOME and HOME come from
};

struct ApiRequest {
  std::string method = "GET";  // GET or POST
  std::string target;          // path and query
  std::string body;            // POST body (JSON)
};

// Writes a 2xx answer's JSON body for a person. Bodies that are not JSON
// (a custom endpoint's text) are printed as they are, without a formatter.
using Formatter = std::function<void(const nlohmann::ordered_json& body, std::ostream& out)>;

// The client for the scheduler `options` select; the error, already
// explained, when none can be chosen.
Result<ApiClient> connectScheduler(const RemoteOptions& options);

// Sends `request` and reports the answer as described above. A non-2xx
// answer whose JSON has no "message" (a plan with errors: 417) is formatted
// to `out` as well, then reported as failed.
int callApi(const RemoteOptions& options, const ApiRequest& request, const Formatter& format,
            std::ostream& out, std::ostream& err);

// Reports an answer already received (for commands that send more than one
// request); same rules as callApi.
int reportReply(const RemoteOptions& options, const Result<ApiReply>& reply,
                const Formatter& format, std::ostream& out, std::ostream& err);

// The "message" of an API answer, else what its status says.
std::string replyMessage(const ApiReply& reply);

}  // namespace keel::cli
