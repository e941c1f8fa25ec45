#include "keel/state/keys.h"

#include "keel/check.h"
#include "keel/state/persister.h"

namespace keel::state {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

bool isPlainNameByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == ':';
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

Status badPath(std::string_view path, std::string_view why) {
  return Status::invalidArgument("invalid state path \"" + std::string(path) +
                                 "\": " + std::string(why));
}

Status validateSegment(std::string_view path, std::string_view segment) {
  if (segment.empty()) return badPath(path, "empty segment");
  if (segment == "." || segment == "..") return badPath(path, "\".\" or \"..\" segment");
  for (char c : segment) {
    if (c < '!' || c > '~') return badPath(path, "byte outside '!'..'~'");
  }
  return Status::ok();
}

}  // namespace

Status validatePath(std::string_view path) {
  if (path.empty() || path.front() != '/') return badPath(path, "must start with '/'");
  if (path.size() > kMaxPathBytes) return badPath(path.substr(0, 64), "longer than the limit");
  if (path == "/") return Status::ok();
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    KEEL_RETURN_IF_ERROR(validateSegment(path, path.substr(start, end - start)));
    start = end + 1;
  }
  return Status::ok();
}

std::string parentPath(std::string_view path) {
  size_t slash = path.rfind('/');
  KEEL_CHECK(slash != std::string_view::npos && path.size() > 1);
  return slash == 0 ? std::string("/") : std::string(path.substr(0, slash));
}

std::string_view lastSegment(std::string_view path) {
  size_t slash = path.rfind('/');
  KEEL_CHECK(slash != std::string_view::npos && path.size() > 1);
  return path.substr(slash + 1);
}

std::string childPath(std::string_view parent, std::string_view segment) {
  std::string out(parent);
  if (out != "/") out += '/';
  out += segment;
  return out;
}

Result<std::string> encodeSegment(std::string_view name) {
  if (name.empty()) return Status::invalidArgument("empty name");
  if (name.size() > kMaxNameBytes) {
    return Status::invalidArgument("name longer than " + std::to_string(kMaxNameBytes) +
                                   " bytes: \"" + std::string(name.substr(0, 32)) + "...\"");
  }
  bool onlyDots = name.find_first_not_of('.') == std::string_view::npos;
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (isPlainNameByte(c) && !(onlyDots && c == '.')) {
      out += c;
      continue;
    }
    auto byte = static_cast<unsigned char>(c);
    out += '%';
    out += kHex[byte >> 4];
    out += kHex[byte & 0xF];
  }
  return out;
}

Result<std::string> decodeSegment(std::string_view segment) {
  std::string out;
  out.reserve(segment.size());
  for (size_t i = 0; i < segment.size(); ++i) {
    if (segment[i] != '%') {
      out += segment[i];
      continue;
    }
    int hi = i + 2 < segment.size() ? hexValue(segment[i + 1]) : -1;
    int lo = hi >= 0 ? hexValue(segment[i + 2]) : -1;
    if (lo < 0) {
      return Status::corruption("malformed encoded name \"" + std::string(segment) + "\"");
    }
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  if (out.empty()) return Status::corruption("empty encoded name");
  return out;
}

}  // namespace keel::state
