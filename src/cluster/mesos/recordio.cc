#include "keel/mesos/recordio.h"

#include <algorithm>

namespace keel::mesos {
namespace {

constexpr size_t kMaxLengthDigits = 19;  // fits an unsigned long long

}  // namespace

std::string encodeRecordIo(std::string_view record) {
  std::string out = std::to_string(record.size());
  out += '\n';
  out.append(record);
  return out;
}

RecordIoDecoder::RecordIoDecoder(size_t maxRecordBytes) : maxRecordBytes_(maxRecordBytes) {}

bool RecordIoDecoder::atRecordBoundary() const {
  return error_.isOk() && length_.empty() && expected_ == 0;
}

Result<std::vector<std::string>> RecordIoDecoder::feed(std::string_view bytes) {
  if (!error_.isOk()) return error_;
  std::vector<std::string> records;
  size_t i = 0;
  while (i < bytes.size()) {
    if (expected_ > 0) {
      size_t take = std::min(expected_ - record_.size(), bytes.size() - i);
      record_.append(bytes.substr(i, take));
      i += take;
      if (record_.size() == expected_) {
        records.push_back(std::move(record_));
        record_.clear();
        expected_ = 0;
      }
      continue;
    }
    error_ = consumePrefixByte(bytes[i++]);
    if (!error_.isOk()) return error_;
  }
  return records;
}

// One byte of a length prefix.
Status RecordIoDecoder::consumePrefixByte(char c) {
  if ((c == '\n' || c == '\r') && length_.empty()) return Status::ok();
  if (c >= '0' && c <= '9') {
    if (length_.size() == kMaxLengthDigits) {
      return Status::corruption("RecordIO length prefix longer than 19 digits");
    }
    length_ += c;
    return Status::ok();
  }
  if (c != '\n') {
    return Status::corruption("RecordIO length prefix has a non-digit byte " +
                              std::to_string(static_cast<unsigned char>(c)) + " after '" + length_ +
                              "'");
  }
  unsigned long long length = std::stoull(length_);
  if (length == 0) return Status::corruption("RecordIO record of length 0");
  if (length > maxRecordBytes_) {
    return Status::corruption("RecordIO record of " + length_ + " bytes exceeds the limit of " +
                              std::to_string(maxRecordBytes_));
  }
  expected_ = static_cast<size_t>(length);
  record_.reserve(expected_);
  length_.clear();
  return Status::ok();
}

}  // namespace keel::mesos
