#include "yaml_reader.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace keel::spec::internal {
namespace {

// The location of `path`, or of its nearest located ancestor.
std::pair<int, int> locate(const KeyLocations& locations, std::string path) {
  while (!path.empty()) {
    auto it = locations.find(path);
    if (it != locations.end()) return it->second;
    size_t cut = path.find_last_of(".[");
    if (cut == std::string::npos) break;
    path.resize(cut);
  }
  return {0, 0};
}

}  // namespace

Diagnostic DiagnosticSink::make(Diagnostic::Severity s, const std::string& path,
                                std::string message) const {
  auto [line, column] = locate(*locations_, path);
  return Diagnostic{s, file_, line, column, path, std::move(message)};
}

void DiagnosticSink::error(const std::string& path, std::string message) {
  errors_.push_back(make(Diagnostic::Severity::kError, path, std::move(message)));
}

void DiagnosticSink::warning(const std::string& path, std::string message) {
  warnings_.push_back(make(Diagnostic::Severity::kWarning, path, std::move(message)));
}

void DiagnosticSink::errorAt(int line, int column, const std::string& path, std::string message) {
  errors_.push_back(
      Diagnostic{Diagnostic::Severity::kError, file_, line, column, path, std::move(message)});
}

void DiagnosticSink::record(const std::string& path, const YAML::Mark& mark) {
  if (mark.line < 0 || writable_ == nullptr) return;
  writable_->emplace(path, std::make_pair(mark.line + 1, mark.column + 1));
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return "'" + node.Scalar() + "'";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    default:
      return "nothing";
  }
}

std::string childPath(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

MapReader::MapReader(const Field& f, DiagnosticSink& sink, const char* expected)
    : sink_(sink), path_(f.path) {
  if (!f.node || f.node.IsNull()) {
    isMap_ = true;
    return;
  }
  if (!f.node.IsMap()) {
    sink_.error(path_, std::string("expected ") + expected + ", found " + describe(f.node));
    return;
  }
  isMap_ = true;
  for (auto it = f.node.begin(); it != f.node.end(); ++it) {
    std::string key = it->first.IsScalar() ? it->first.Scalar() : describe(it->first);
    std::string path = childPath(path_, key);
    YAML::Mark mark = it->first.Mark();
    bool duplicate = false;
    for (const auto& [k, v] : entries_) duplicate = duplicate || k == key;
    if (duplicate) {
      auto first = sink_.locations().find(path);
      std::string where =
          first == sink_.locations().end()
              ? ""
              : " (first defined at line " + std::to_string(first->second.first) + ")";
      sink_.errorAt(mark.line + 1, mark.column + 1, path,
                    "duplicate key '" + key + "'" + where + ": each key may appear once in a map");
      continue;
    }
    sink_.record(path, mark);
    entries_.emplace_back(key, Field{it->second, path});
  }
}

std::optional<Field> MapReader::take(const std::string& key) {
  for (const auto& [k, v] : entries_) {
    if (k == key) {
      taken_.insert(key);
      return v;
    }
  }
  return std::nullopt;
}

bool MapReader::has(const std::string& key) const {
  for (const auto& [k, v] : entries_) {
    if (k == key) return true;
  }
  return false;
}

std::vector<std::pair<std::string, Field>> MapReader::takeAll() {
  for (const auto& [k, v] : entries_) taken_.insert(k);
  return entries_;
}

void MapReader::warnUnknown(const std::vector<std::string>& allowed) {
  for (const auto& [k, v] : entries_) {
    if (taken_.count(k) != 0) continue;
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    sink_.warning(v.path, "unknown key '" + k + "' is ignored; known keys here: " + list);
  }
}

std::optional<int64_t> parseInt(const std::string& s) {
  if (s.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno == 0 && end != nullptr && *end == '\0') return static_cast<int64_t>(v);
  auto d = parseNumber(s);
  if (d && std::isfinite(*d) && std::floor(*d) == *d && std::fabs(*d) < 9.0e18)
    return static_cast<int64_t>(*d);
  return std::nullopt;
}

std::optional<double> parseNumber(const std::string& s) {
  if (s.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (errno != 0 || end == nullptr || *end != '\0' || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<std::string> readString(const Field& f, DiagnosticSink& sink) {
  if (!f.node || f.node.IsNull()) return std::nullopt;
  if (!f.node.IsScalar()) {
    sink.error(f.path, "expected a string, found " + describe(f.node));
    return std::nullopt;
  }
  return f.node.Scalar();
}

std::optional<int64_t> readInt(const Field& f, DiagnosticSink& sink, const char* expected) {
  if (!f.node || f.node.IsNull()) return std::nullopt;
  std::optional<int64_t> v = f.node.IsScalar() ? parseInt(f.node.Scalar()) : std::nullopt;
  if (!v) sink.error(f.path, std::string("expected ") + expected + ", found " + describe(f.node));
  return v;
}

std::optional<double> readNumber(const Field& f, DiagnosticSink& sink, const char* expected) {
  if (!f.node || f.node.IsNull()) return std::nullopt;
  std::optional<double> v = f.node.IsScalar() ? parseNumber(f.node.Scalar()) : std::nullopt;
  if (!v) sink.error(f.path, std::string("expected ") + expected + ", found " + describe(f.node));
  return v;
}

std::optional<bool> readBool(const Field& f, DiagnosticSink& sink) {
  if (!f.node || f.node.IsNull()) return std::nullopt;
  bool value = false;
  if (f.node.IsScalar() && YAML::convert<bool>::decode(f.node, value)) return value;
  sink.error(f.path, "expected true or false, found " + describe(f.node));
  return std::nullopt;
}

std::vector<Field> readList(const Field& f, DiagnosticSink& sink, const char* expected) {
  std::vector<Field> out;
  if (!f.node || f.node.IsNull()) return out;
  if (!f.node.IsSequence()) {
    sink.error(f.path, std::string("expected ") + expected + ", found " + describe(f.node));
    return out;
  }
  for (size_t i = 0; i < f.node.size(); ++i) {
    Field item{f.node[i], f.path + "[" + std::to_string(i) + "]"};
    sink.record(item.path, item.node.Mark());
    out.push_back(std::move(item));
  }
  return out;
}

std::optional<std::vector<std::string>> readStringList(const Field& f, DiagnosticSink& sink) {
  std::vector<std::string> out;
  size_t before = sink.errors().size();
  for (const Field& item : readList(f, sink, "a list of strings")) {
    if (auto s = readString(item, sink)) out.push_back(*s);
  }
  if (sink.errors().size() != before) return std::nullopt;
  return out;
}

std::optional<std::vector<int64_t>> readIntList(const Field& f, DiagnosticSink& sink) {
  std::vector<int64_t> out;
  size_t before = sink.errors().size();
  for (const Field& item : readList(f, sink, "a list of integers")) {
    if (auto v = readInt(item, sink)) out.push_back(*v);
  }
  if (sink.errors().size() != before) return std::nullopt;
  return out;
}

}  // namespace keel::spec::internal
