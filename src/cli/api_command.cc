#include "cli/api_command.h"

#include "cli/commands.h"

namespace keel::cli {
namespace {

using nlohmann::ordered_json;

bool isJson(const ApiReply& reply) { return reply.contentType == "application/json"; }

ordered_json parseBody(const ApiReply& reply) {
  if (!isJson(reply)) return ordered_json(nlohmann::json::value_t::discarded);
  return ordered_json::parse(reply.body, nullptr, false);
}

// --json: the API's JSON indented by two spaces, keys in the API's order
// (what scripts grep, e.g. '^  "status": "COMPLETE"'); a body that is not
// JSON, as it came.
void printBody(const ApiReply& reply, const Formatter& format, bool json, std::ostream& out) {
  ordered_json body = parseBody(reply);
  if (body.is_discarded()) {
    out << reply.body;
    if (!reply.body.empty() && reply.body.back() != '\n') out << "\n";
  } else if (json || !format) {
    out << body.dump(2) << "\n";
  } else {
    format(body, out);
  }
}

int reportFailure(const ApiReply& reply, const Formatter& format, bool json, std::ostream& out,
                  std::ostream& err) {
  ordered_json body = parseBody(reply);
  bool hasMessage = body.is_object() && body.contains("message");
  if (json || (!hasMessage && !body.is_discarded())) printBody(reply, format, json, out);
  err << "keel: " << replyMessage(reply) << "\n";
  return kExitInvalid;
}

}  // namespace

std::string replyMessage(const ApiReply& reply) {
  ordered_json body = parseBody(reply);
  if (body.is_object() && body.contains("message") && body["message"].is_string()) {
    return body["message"].get<std::string>();
  }
  // Only the plan routes answer 417 (a plan with errors), with the plan.
  if (reply.status == 417) return "the plan has errors (HTTP 417)";
  return "the scheduler answered HTTP " + std::to_string(reply.status);
}

Result<ApiClient> connectScheduler(const RemoteOptions& options) {
  KEEL_ASSIGN_OR_RETURN(std::string url, resolveSchedulerUrl(options.connect, options.env));
  return ApiClient(url);
}

int reportReply(const RemoteOptions& options, const Result<ApiReply>& reply,
                const Formatter& format, std::ostream& out, std::ostream& err) {
  if (!reply) {
    err << "keel: " << reply.error().message() << "\n";
    return kExitInvalid;
  }
  if (reply->status < 200 || reply->status > 299) {
    return reportFailure(*reply, format, options.json, out, err);
  }
  if (reply->status == 208 && !options.json) {
    out << "note: " << replyMessage(*reply) << "; nothing changed\n";
    return kExitOk;
  }
  printBody(*reply, format, options.json, out);
  return kExitOk;
}

int callApi(const RemoteOptions& options, const ApiRequest& request, const Formatter& format,
            std::ostream& out, std::ostream& err) {
  Result<ApiClient> client = connectScheduler(options);
  if (!client) {
    err << "keel: " << client.error().message() << "\n";
    return kExitInvalid;
  }
  Result<ApiReply> reply = request.method == "POST" ? client->post(request.target, request.body)
                                                    : client->get(request.target);
  return reportReply(options, reply, format, out, err);
}

}  // namespace keel::cli
