#include "keel/log.h"

#include <gtest/gtest.h>

namespace keel {
namespace {

TEST(Log, ParsesLevelNames) {
  LogLevel level = LogLevel::kInfo;
  EXPECT_TRUE(parseLogLevel("debug", &level));
  EXPECT_EQ(level, LogLevel::kDebug);
  EXPECT_FALSE(parseLogLevel("loud", &level));
  EXPECT_EQ(level, LogLevel::kDebug);
}

TEST(Log, LinesBelowTheLevelAreNotWritten) {
  setLogLevel(LogLevel::kWarn);
  EXPECT_FALSE(logEnabled(LogLevel::kInfo));
  EXPECT_TRUE(logEnabled(LogLevel::kError));
  ::testing::internal::CaptureStderr();
  KEEL_LOG(Info, "test") << "hidden";
  KEEL_LOG(Warn, "test") << "shown";
  std::string out = ::testing::internal::GetCapturedStderr();
  setLogLevel(LogLevel::kInfo);
  EXPECT_EQ(out.find("hidden"), std::string::npos);
  EXPECT_NE(out.find("WARN"), std::string::npos);
  EXPECT_NE(out.find("[test] shown"), std::string::npos);
}

TEST(Log, FieldsAreQuotedWhenTheyHoldSpaces) {
  ::testing::internal::CaptureStderr();
  KEEL_LOG(Error, "offer")
      .field("step", "data-0")
      .field("reason", "no \"disk\" left")
      .field("n", 3);
  std::string out = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(out.find("step=data-0 reason=\"no \\\"disk\\\" left\" n=3"), std::string::npos) << out;
}

}  // namespace
}  // namespace keel
