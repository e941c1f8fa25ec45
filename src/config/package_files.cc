#include "config/package_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace keel::config {
namespace {

namespace fs = std::filesystem;

// The file's text; nullopt when it does not exist.
Result<std::optional<std::string>> readOptionalFile(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::optional<std::string>();
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return Status::ioError(path.string() + ": cannot be opened");
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) return Status::ioError(path.string() + ": cannot be read");
  return std::optional<std::string>(text.str());
}

Result<std::string> readRequiredFile(const fs::path& path, const std::string& role) {
  KEEL_ASSIGN_OR_RETURN(std::optional<std::string> text, readOptionalFile(path));
  if (!text)
    return Status::notFound(path.string() + ": not found (a package needs its " + role + ")");
  return std::move(*text);
}

std::pair<int, int> lineAndColumn(const std::string& text, size_t byteOffset) {
  int line = 1, column = 1;
  for (size_t i = 0; i < byteOffset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

std::string lineText(const std::string& text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t begin = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  begin = begin == std::string::npos || offset == 0 ? 0 : begin + 1;
  size_t end = text.find('\n', offset);
  std::string line = text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  size_t first = line.find_first_not_of(" \t");
  return first == std::string::npos ? "" : line.substr(first);
}

// nlohmann's what() is "[json.exception.parse_error.101] parse error at line 1,
// column 2: <reason>"; keep the reason.
std::string parseReason(const std::string& what) {
  size_t colon = what.find(": ");
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

// package-name / package-version from package.json, when usable.
Result<std::map<std::string, std::string>> packageJsonParams(const fs::path& dir) {
  std::map<std::string, std::string> params;
  KEEL_ASSIGN_OR_RETURN(std::optional<std::string> text, readOptionalFile(dir / "package.json"));
  if (!text) return params;
  KEEL_ASSIGN_OR_RETURN(nlohmann::json pkg, parseJsonText(*text, (dir / "package.json").string()));
  for (const auto& [field, param] :
       {std::pair{"name", "package-name"}, {"version", "package-version"}}) {
    auto it = pkg.find(field);
    if (it == pkg.end() || !it->is_string()) continue;
    std::string value = it->get<std::string>();
    if (value.find("{{") == std::string::npos) params[param] = value;
  }
  return params;
}

}  // namespace

Result<nlohmann::json> parseJsonText(const std::string& text, const std::string& name,
                                     bool quoteLine) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is 1-based: the position just after the offending character.
    const size_t offset = e.byte == 0 ? 0 : e.byte - 1;
    auto [line, column] = lineAndColumn(text, offset);
    std::string message = name + ": line " + std::to_string(line) + ", column " +
                          std::to_string(column) + ": not valid JSON: " + parseReason(e.what());
    if (quoteLine) message += "; the line reads: " + lineText(text, offset);
    return Status::invalidArgument(std::move(message));
  }
}

std::string substituteParams(std::string text, const std::map<std::string, std::string>& params) {
  for (const auto& [key, value] : params) {
    const std::string tag = "{{" + key + "}}";
    for (size_t at = text.find(tag); at != std::string::npos;
         at = text.find(tag, at + value.size())) {
      text.replace(at, tag.size(), value);
    }
  }
  return text;
}

Result<PackageFiles> loadPackage(const std::string& dir, const PackageRenderOptions& options) {
  const fs::path root(dir);
  std::map<std::string, std::string> params;
  if (options.paramsFromPackageJson) {
    KEEL_ASSIGN_OR_RETURN(params, packageJsonParams(root));
  }
  for (const auto& [key, value] : options.buildParams) params[key] = value;

  PackageFiles files;
  KEEL_ASSIGN_OR_RETURN(std::string schemaText,
                        readRequiredFile(root / "config.json", "options schema"));
  KEEL_ASSIGN_OR_RETURN(files.schema, parseJsonText(substituteParams(schemaText, params),
                                                    (root / "config.json").string()));
  if (!files.schema.is_object()) {
    return Status::invalidArgument((root / "config.json").string() + ": must be a JSON object");
  }
  KEEL_ASSIGN_OR_RETURN(std::string tmpl,
                        readRequiredFile(root / "marathon.json.mustache", "Marathon app template"));
  files.marathonTemplate = substituteParams(std::move(tmpl), params);
  KEEL_ASSIGN_OR_RETURN(std::optional<std::string> resource,
                        readOptionalFile(root / "resource.json"));
  if (resource) {
    KEEL_ASSIGN_OR_RETURN(files.resource, parseJsonText(substituteParams(*resource, params),
                                                        (root / "resource.json").string()));
  }
  return files;
}

}  // namespace keel::config
