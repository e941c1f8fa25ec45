#include "keel/env_file.h"

#include <cctype>
#include <fstream>
#include <sstream>

extern char** environ;  // NOLINT: POSIX

namespace keel {
namespace {

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string unescapeNewlines(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size() && v[i + 1] == 'n') {
      out += '\n';
      ++i;
    } else {
      out += v[i];
    }
  }
  return out;
}

}  // namespace

Result<std::map<std::string, std::string>> parseEnvText(std::string_view text,
                                                        const std::string& fileName) {
  std::map<std::string, std::string> env;
  int lineNo = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? text.size() - pos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++lineNo;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string trimmed = trim(line);
    if (trimmed.empty() || trimmed[0] == '#') continue;
    size_t eq = line.find('=');
    std::string key = eq == std::string_view::npos ? "" : trim(line.substr(0, eq));
    if (key.empty()) {
      return Status::invalidArgument(fileName + ":" + std::to_string(lineNo) +
                                     ": expected KEY=VALUE, found '" + trimmed + "'");
    }
    env[key] = unescapeNewlines(line.substr(eq + 1));
  }
  return env;
}

Result<std::map<std::string, std::string>> readEnvFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::notFound("cannot open env file " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return Status::ioError("cannot read env file " + path);
  return parseEnvText(buf.str(), path);
}

std::map<std::string, std::string> processEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

}  // namespace keel
