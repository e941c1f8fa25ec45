#include "keel/state/keys.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace keel::state {
namespace {

TEST(EncodeSegment, KeepsOrdinaryNamesReadable) {
  for (const char* name : {"data-0-node", "hello_world", "v1.2.3", "pod:task", "A9"}) {
    EXPECT_EQ(*encodeSegment(name), name);
  }
}

TEST(EncodeSegment, EscapesEverythingThatCouldLeaveTheSegment) {
  struct Case {
    std::string name;
    std::string encoded;
  };
  const std::vector<Case> cases = {
      {"a/b", "a%2Fb"},
      {"..", "%2E%2E"},
      {".", "%2E"},
      {"../../FrameworkID", "..%2F..%2FFrameworkID"},
      {"%2F", "%252F"},
      {std::string("a\0b", 3), "a%00b"},
      {"caf\xc3\xa9", "caf%C3%A9"},
      {"a b", "a%20b"},
      {"...x", "...x"},
      {"~", "%7E"},
  };
  for (const Case& c : cases) {
    Result<std::string> encoded = encodeSegment(c.name);
    ASSERT_TRUE(encoded.has_value()) << c.name;
    EXPECT_EQ(*encoded, c.encoded);
    EXPECT_TRUE(validatePath("/x/" + *encoded).isOk()) << *encoded;
    EXPECT_EQ(encoded->find('/'), std::string::npos);
  }
}

TEST(EncodeSegment, RoundTripsEveryByte) {
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  for (size_t start = 0; start < all.size(); start += 85) {
    std::string name = all.substr(start, 85);
    Result<std::string> encoded = encodeSegment(name);
    ASSERT_TRUE(encoded.has_value());
    EXPECT_TRUE(validatePath("/" + *encoded).isOk());
    EXPECT_EQ(*decodeSegment(*encoded), name);
  }
}

TEST(EncodeSegment, RejectsEmptyAndOverlongNames) {
  EXPECT_EQ(encodeSegment("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(encodeSegment(std::string(kMaxNameBytes, 'a')).has_value());
  EXPECT_EQ(encodeSegment(std::string(kMaxNameBytes + 1, 'a')).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(DecodeSegment, ReportsMalformedEncodingsAsCorruption) {
  for (const char* bad : {"%", "%4", "%G1", "a%2", "%zz", ""}) {
    EXPECT_EQ(decodeSegment(bad).status().code(), StatusCode::kCorruption) << bad;
  }
  EXPECT_EQ(*decodeSegment("a%2fb"), "a/b");
}

TEST(ValidatePath, AcceptsAbsoluteSlashSeparatedPrintablePaths) {
  for (const char* path :
       {"/", "/a", "/Tasks/data-0-node/TaskInfo", "/a/%2E%2E", "/a/...", "/~!"}) {
    EXPECT_TRUE(validatePath(path).isOk()) << path;
  }
}

TEST(ValidatePath, RejectsEverythingElseNamingThePath) {
  for (const char* path : {"", "a", "a/b", "/a/", "//", "/a//b", "/.", "/a/..", "/a b", "/\t"}) {
    Status s = validatePath(path);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << path;
  }
  EXPECT_NE(validatePath("/a/../b").message().find("/a/../b"), std::string::npos);
}

TEST(PathHelpers, SplitAndJoinPaths) {
  EXPECT_EQ(parentPath("/a/b/c"), "/a/b");
  EXPECT_EQ(parentPath("/a"), "/");
  EXPECT_EQ(lastSegment("/a/b/c"), "c");
  EXPECT_EQ(childPath("/", "a"), "/a");
  EXPECT_EQ(childPath("/a", "b"), "/a/b");
}

}  // namespace
}  // namespace keel::state
