// Internal: reading a yaml-cpp node tree with key paths, locations and
// diagnostics. Used by the svc.yml loader only.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "keel/spec_validate.h"

namespace keel::spec::internal {

// Collects diagnostics and key locations for one file.
class DiagnosticSink {
 public:
  DiagnosticSink(std::string file, KeyLocations* locations)
      : file_(std::move(file)), locations_(locations), writable_(locations) {}
  // Looks locations up but never records any; `locations` may be null.
  DiagnosticSink(std::string file, const KeyLocations* locations)
      : file_(std::move(file)), locations_(locations ? locations : &empty_) {}

  DiagnosticSink(const DiagnosticSink&) = delete;
  DiagnosticSink& operator=(const DiagnosticSink&) = delete;

  void error(const std::string& path, std::string message);
  void warning(const std::string& path, std::string message);
  void errorAt(int line, int column, const std::string& path, std::string message);
  void record(const std::string& path, const YAML::Mark& mark);

  const std::string& file() const { return file_; }
  const KeyLocations& locations() const { return *locations_; }
  std::vector<Diagnostic>& errors() { return errors_; }
  std::vector<Diagnostic>& warnings() { return warnings_; }

 private:
  Diagnostic make(Diagnostic::Severity s, const std::string& path, std::string message) const;

  std::string file_;
  KeyLocations empty_;
  const KeyLocations* locations_;
  KeyLocations* writable_ = nullptr;
  std::vector<Diagnostic> errors_;
  std::vector<Diagnostic> warnings_;
};

// A node and its key path.
struct Field {
  YAML::Node node;
  std::string path;
};

// "'abc'", "a map", "a list", "nothing".
std::string describe(const YAML::Node& node);

// The entries of a map node, in order. Duplicate keys are errors (the first
// occurrence wins); every key's location is recorded.
class MapReader {
 public:
  // `expected` describes the map for the error when `f` is not a map, e.g.
  // "a map of pod names to pods". A null node reads as an empty map.
  MapReader(const Field& f, DiagnosticSink& sink, const char* expected);

  bool isMap() const { return isMap_; }
  // The value under `key`, marking the key as known.
  std::optional<Field> take(const std::string& key);
  bool has(const std::string& key) const;
  // Every entry (for maps whose keys are names), marking all as known.
  std::vector<std::pair<std::string, Field>> takeAll();
  // Warns about every key never taken, naming the allowed keys.
  void warnUnknown(const std::vector<std::string>& allowed);

 private:
  DiagnosticSink& sink_;
  std::string path_;
  bool isMap_ = false;
  std::vector<std::pair<std::string, Field>> entries_;
  std::set<std::string> taken_;
};

std::string childPath(const std::string& parent, const std::string& key);

// Scalar conversions. A null node gives nullopt without a diagnostic; a node
// of the wrong kind gives nullopt and an error naming what was expected.
std::optional<std::string> readString(const Field& f, DiagnosticSink& sink);
std::optional<int64_t> readInt(const Field& f, DiagnosticSink& sink,
                               const char* expected = "an integer");
std::optional<double> readNumber(const Field& f, DiagnosticSink& sink,
                                 const char* expected = "a number");
std::optional<bool> readBool(const Field& f, DiagnosticSink& sink);
std::optional<std::vector<std::string>> readStringList(const Field& f, DiagnosticSink& sink);
std::optional<std::vector<int64_t>> readIntList(const Field& f, DiagnosticSink& sink);
// Elements of a list node with paths "<path>[i]" (locations recorded); an
// error and an empty vector when `f` is not a list.
std::vector<Field> readList(const Field& f, DiagnosticSink& sink, const char* expected);

// Parses an integer / a number from text; nullopt when it is not one.
std::optional<int64_t> parseInt(const std::string& s);
std::optional<double> parseNumber(const std::string& s);

}  // namespace keel::spec::internal
