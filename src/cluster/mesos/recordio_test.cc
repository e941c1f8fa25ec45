#include "keel/mesos/recordio.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cluster/mesos/json_test_util.h"
#include "keel/mesos/json.h"

namespace keel::mesos {
namespace {

using Records = std::vector<std::string>;

// Feeds `stream` in chunks of `chunk` bytes (0 = all at once).
Result<Records> feedInChunks(RecordIoDecoder& decoder, const std::string& stream, size_t chunk) {
  Records all;
  size_t step = chunk == 0 ? stream.size() : chunk;
  for (size_t i = 0; i < stream.size(); i += step) {
    KEEL_ASSIGN_OR_RETURN(Records some, decoder.feed(std::string_view(stream).substr(i, step)));
    all.insert(all.end(), some.begin(), some.end());
  }
  return all;
}

TEST(RecordIo, EncodesTheByteLengthThenANewlineThenTheRecord) {
  EXPECT_EQ(encodeRecordIo(R"({"type":"HEARTBEAT"})"), "20\n{\"type\":\"HEARTBEAT\"}");
  EXPECT_EQ(encodeRecordIo("h\xc3\xa9"), "3\nh\xc3\xa9");  // bytes, not characters
}

TEST(RecordIo, DecodesTheSameRecordsWhateverTheChunkSize) {
  const Records records = {R"({"type":"SUBSCRIBED"})", "x", std::string(1000, 'y'),
                           R"({"type":"HEARTBEAT"})"};
  std::string stream;
  for (const std::string& r : records) stream += encodeRecordIo(r);
  for (size_t chunk : {0, 1, 2, 3, 7, 64, 999}) {
    SCOPED_TRACE("chunk " + std::to_string(chunk));
    RecordIoDecoder decoder;
    Result<Records> decoded = feedInChunks(decoder, stream, chunk);
    ASSERT_TRUE(decoded.has_value()) << decoded.error();
    EXPECT_EQ(*decoded, records);
    EXPECT_TRUE(decoder.atRecordBoundary());
  }
}

TEST(RecordIo, ReturnsARecordOnlyOnceItIsComplete) {
  RecordIoDecoder decoder;
  Result<Records> first = decoder.feed("5\nab");
  ASSERT_TRUE(first.has_value());
  EXPECT_TRUE(first->empty());
  EXPECT_FALSE(decoder.atRecordBoundary());
  Result<Records> second = decoder.feed("cde3");
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(*second, Records{"abcde"});
  EXPECT_FALSE(decoder.atRecordBoundary());  // a length prefix has begun
}

TEST(RecordIo, SkipsEmptyLinesBeforeALength) {
  RecordIoDecoder decoder;
  Result<Records> decoded = decoder.feed("\n\r\n2\nab\n\n1\nc");
  ASSERT_TRUE(decoded.has_value()) << decoded.error();
  EXPECT_EQ(*decoded, (Records{"ab", "c"}));
}

TEST(RecordIo, KeepsNewlinesInsideARecord) {
  RecordIoDecoder decoder;
  Result<Records> decoded = decoder.feed("3\na\nb");
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, Records{"a\nb"});
}

TEST(RecordIo, RejectsBadLengthPrefixes) {
  struct Case {
    std::string name;
    std::string stream;
    std::string message;
  };
  const Case cases[] = {
      {"a letter in the length", "1x\nabc", "non-digit byte 120 after '1'"},
      {"a record where a length belongs", "{\"type\":1}", "non-digit byte 123 after ''"},
      {"a zero length", "0\n", "length 0"},
      {"twenty digits", "12345678901234567890\n", "longer than 19 digits"},
      {"a record over the limit", "1025\n", "1025 bytes exceeds the limit of 1024"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    RecordIoDecoder decoder(1024);
    Result<Records> decoded = feedInChunks(decoder, c.stream, 1);
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error().code(), StatusCode::kCorruption);
    EXPECT_NE(decoded.error().message().find(c.message), std::string::npos)
        << decoded.error().message();
  }
}

TEST(RecordIo, StaysFailedAfterAnError) {
  RecordIoDecoder decoder;
  ASSERT_FALSE(decoder.feed("x").has_value());
  Result<Records> later = decoder.feed("2\nok");
  ASSERT_FALSE(later.has_value());
  EXPECT_NE(later.error().message().find("non-digit"), std::string::npos);
  EXPECT_FALSE(decoder.atRecordBoundary());
}

TEST(RecordIo, DecodesTheRecordedStreamHeadByteAtATime) {
  std::string stream = testing::readFixture("subscribe-stream-head.recordio");
  ASSERT_FALSE(stream.empty());
  RecordIoDecoder decoder;
  Result<Records> records = feedInChunks(decoder, stream, 1);
  ASSERT_TRUE(records.has_value()) << records.error();
  ASSERT_EQ(records->size(), 3u);
  EXPECT_TRUE(decoder.atRecordBoundary());
  EXPECT_EQ((*records)[0], testing::readFixture("event-subscribed.json"));
  EXPECT_EQ((*records)[1], testing::readFixture("event-heartbeat.json"));
  EXPECT_EQ((*records)[2], testing::readFixture("event-offers.json"));
  const Event::Type types[] = {Event::Type::kSubscribed, Event::Type::kHeartbeat,
                               Event::Type::kOffers};
  for (size_t i = 0; i < 3; ++i) {
    Result<Event> event = eventFromJson((*records)[i]);
    ASSERT_TRUE(event.has_value()) << event.error();
    EXPECT_EQ(event->type, types[i]);
  }
}

TEST(RecordIo, ReencodingTheRecordedRecordsGivesTheRecordedStream) {
  std::string stream = testing::readFixture("subscribe-stream-head.recordio");
  RecordIoDecoder decoder;
  Result<Records> records = decoder.feed(stream);
  ASSERT_TRUE(records.has_value());
  std::string again;
  for (const std::string& r : *records) again += encodeRecordIo(r);
  EXPECT_EQ(again, stream);
}

}  // namespace
}  // namespace keel::mesos
