#include "http/access_log.h"

#include <gtest/gtest.h>

#include <string>

#include "keel/log.h"

namespace keel::http {
namespace {

TEST(AccessLog, WritesEveryLineRecordedBeforeStopInOrder) {
  setLogLevel(LogLevel::kInfo);
  ::testing::internal::CaptureStderr();
  AccessLog log;
  for (int i = 0; i < 100; ++i) log.record("GET /v1/plans/deploy n=" + std::to_string(i));
  log.stop();
  log.record("GET /after/stop");
  std::string out = ::testing::internal::GetCapturedStderr();
  size_t at = 0;
  for (int i = 0; i < 100; ++i) {
    at = out.find("INFO  [http] GET /v1/plans/deploy n=" + std::to_string(i) + "\n", at);
    ASSERT_NE(at, std::string::npos) << "line " << i << " missing or out of order:\n" << out;
  }
  EXPECT_EQ(out.find("/after/stop"), std::string::npos) << out;
}

TEST(AccessLog, CountsWhatItDropsWhenTheWriterIsBehind) {
  setLogLevel(LogLevel::kInfo);
  ::testing::internal::CaptureStderr();
  AccessLog log(/*capacity=*/0);  // always "behind": nothing fits
  log.record("GET /a");
  log.record("GET /b");
  log.record("GET /c");
  log.stop();
  std::string out = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(out.find("GET /a"), std::string::npos) << out;
  EXPECT_NE(out.find("WARN  [http] access log behind: request lines dropped lines=3"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace keel::http
