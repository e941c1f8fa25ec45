// RecordIO, the framing of the Mesos event stream (reference section 3):
// records = *(decimal-byte-length LF bytes). Chunk boundaries of the HTTP
// body are unrelated to record boundaries; decode chunked transfer first.
//
// Thread-safety: RecordIoDecoder is a value owned by one thread; the encoder
// is a pure function.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "keel/result.h"

namespace keel::mesos {

// "<size>\n<record>".
std::string encodeRecordIo(std::string_view record);

// An incremental decoder: feed it the stream's bytes in chunks of any size
// and it returns each record once complete. Empty lines before a length
// prefix are skipped (CR too), as the reference pseudo-code does.
class RecordIoDecoder {
 public:
  static constexpr size_t kDefaultMaxRecordBytes = 64 * 1024 * 1024;

  explicit RecordIoDecoder(size_t maxRecordBytes = kDefaultMaxRecordBytes);

  // The records completed by `bytes` (possibly none), in stream order.
  // Corruption when a length prefix has a non-digit, is 0, has more than 19
  // digits, or announces more than maxRecordBytes. After an error the
  // decoder stays failed: every later call returns the same error.
  Result<std::vector<std::string>> feed(std::string_view bytes);

  // True when no partial length or record is buffered: the stream may end
  // here cleanly.
  bool atRecordBoundary() const;

 private:
  Status consumePrefixByte(char c);

  size_t maxRecordBytes_;
  std::string length_;   // digits of the length prefix read so far
  std::string record_;   // bytes of the current record read so far
  size_t expected_ = 0;  // length of the current record; 0 = reading a prefix
  Status error_;
};

}  // namespace keel::mesos
