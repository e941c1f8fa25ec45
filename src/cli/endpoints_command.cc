// `keel endpoints [name]` against /v1/endpoints.
#include "cli/api_format.h"
#include "cli/operator_commands.h"

namespace keel::cli {

int runEndpoints(const RemoteOptions& options, const std::optional<std::string>& name,
                 std::ostream& out, std::ostream& err) {
  if (!name) return callApi(options, {"GET", "/v1/endpoints", ""}, formatLines, out, err);
  return callApi(options, {"GET", "/v1/endpoints/" + urlEncode(*name), ""}, formatEndpoint, out,
                 err);
}

}  // namespace keel::cli
