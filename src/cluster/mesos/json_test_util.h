// Test helpers for the Mesos wire tests: fixture files, and JSON comparisons
// that tell 2 from 2.0 (Mesos writes doubles with a fraction).
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>
#include "testing/paths.h"

namespace keel::mesos::testing {

inline std::filesystem::path fixtureDir() {
  return std::filesystem::path(keel::testing::sharedDir()) / "fixtures" / "mesos-v1";
}

inline std::string readFixture(const std::string& name) {
  std::ifstream in(fixtureDir() / name, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Fixture file names (sorted) that start with `prefix` and end with `suffix`.
inline std::vector<std::string> fixtureNames(const std::string& prefix, const std::string& suffix) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(fixtureDir())) {
    std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && name.size() >= suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

enum class Compare { kValues, kShape };

// "" when `a` and `b` are equal (kValues: same keys, types and values; kShape:
// same keys recursively and same JSON types, values ignored; arrays are
// compared element-wise in both modes); otherwise where they first differ.
inline std::string jsonDifference(const nlohmann::json& a, const nlohmann::json& b, Compare mode,
                                  const std::string& path = "$") {
  auto kind = [](const nlohmann::json& j) {
    if (j.is_number_float()) return std::string("float");
    if (j.is_number()) return std::string("integer");
    return std::string(j.type_name());
  };
  if (kind(a) != kind(b)) return path + ": " + kind(a) + " vs " + kind(b);
  if (a.is_object()) {
    for (const auto& [key, value] : a.items()) {
      if (!b.contains(key)) return path + "." + key + ": only on the left";
      std::string d = jsonDifference(value, b.at(key), mode, path + "." + key);
      if (!d.empty()) return d;
    }
    for (const auto& [key, value] : b.items()) {
      if (!a.contains(key)) return path + "." + key + ": only on the right";
    }
    return "";
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return path + ": array sizes differ";
    for (size_t i = 0; i < a.size(); ++i) {
      std::string d = jsonDifference(a[i], b[i], mode, path + "[" + std::to_string(i) + "]");
      if (!d.empty()) return d;
    }
    return "";
  }
  if (mode == Compare::kValues && a != b) return path + ": " + a.dump() + " vs " + b.dump();
  return "";
}

}  // namespace keel::mesos::testing
