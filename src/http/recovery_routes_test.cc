#include <string>

#include "http/http_test_fixture.h"

namespace keel::http::testing {
namespace {

class RecoveryRoutes : public HttpRoutesTest {};

TEST_F(RecoveryRoutes, ResetsTheCircuitBreaker) {
  Reply r = post("/v1/recovery/reset");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json["message"],
            "circuit breaker reset: automatic replacement resumes (one per 10m)");
  onOwnerDo([&] {
    EXPECT_EQ(api_.recoveryResets, 1);
    api_.recoveryResetResult = Status::ioError("state.db: disk full");
  });
  Reply failed = post("/v1/recovery/reset");
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(failed.json["message"], "state.db: disk full");
}

}  // namespace
}  // namespace keel::http::testing
