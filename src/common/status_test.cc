#include "keel/status.h"

#include <gtest/gtest.h>

#include <memory>

#include "keel/result.h"

namespace keel {
namespace {

Result<int> parsePositive(int v) {
  if (v <= 0) return Status::invalidArgument("not positive: " + std::to_string(v));
  return v;
}

Result<int> doubled(int v) {
  KEEL_ASSIGN_OR_RETURN(int x, parsePositive(v));
  return 2 * x;
}

Status checkBoth(int a, int b) {
  KEEL_RETURN_IF_ERROR(parsePositive(a).status());
  KEEL_RETURN_IF_ERROR(parsePositive(b).status());
  return Status::ok();
}

TEST(Status, DefaultIsOkAndPrintsOk) {
  Status s;
  EXPECT_TRUE(s.isOk());
  EXPECT_EQ(s.toString(), "OK");
}

TEST(Status, ErrorCarriesCodeMessageAndContext) {
  Status s = Status::notFound("plan 'deploy'").withContext("GET /v1/plans/deploy");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.toString(), "NotFound: GET /v1/plans/deploy: plan 'deploy'");
}

TEST(Result, HoldsValueOrError) {
  Result<int> good = parsePositive(3);
  ASSERT_TRUE(good.has_value());
  EXPECT_EQ(*good, 3);
  Result<int> bad = parsePositive(-1);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "not positive: -1");
  EXPECT_EQ(bad.value_or(7), 7);
}

TEST(Result, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*doubled(4), 8);
  EXPECT_EQ(doubled(0).error().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(checkBoth(1, 2).isOk());
  EXPECT_EQ(checkBoth(1, -2).message(), "not positive: -2");
}

TEST(Result, HoldsMoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 5);
}

TEST(ResultDeathTest, ValueOfAnErrorAborts) {
  Result<int> bad = Status::ioError("disk gone");
  EXPECT_DEATH((void)bad.value(), "disk gone");
}

}  // namespace
}  // namespace keel
