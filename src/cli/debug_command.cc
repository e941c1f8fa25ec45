// `keel debug offers` against /v2/debug/offers.
#include "cli/api_format.h"
#include "cli/operator_commands.h"

namespace keel::cli {

int runDebugOffers(const RemoteOptions& options, const OfferQuery& query, std::ostream& out,
                   std::ostream& err) {
  std::string path = withQuery("/v2/debug/offers", "plan", query.plan);
  path = withQuery(withQuery(path, "phase", query.phase), "step", query.step);
  return callApi(options, {"GET", path, ""}, formatOfferOutcomes, out, err);
}

}  // namespace keel::cli
