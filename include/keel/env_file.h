// Environment files (KEY=VALUE a line) and the process environment: the
// values svc.yml templates are rendered with.
//
// Format: one KEY=VALUE per line, split at the first '='; blank lines and
// lines whose first non-blank character is '#' are skipped; the two
// characters "\n" in a value stand for a newline (as in helloworld's
// defaults.env); a trailing '\r' is dropped. Keys are trimmed and must be
// non-empty; values are kept as written (no quotes removed).
//
// Thread-safety: readEnvFile and parseEnvText are pure apart from reading the
// file; processEnvironment reads `environ` and must not race with setenv.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "keel/result.h"

namespace keel {

// NotFound / IoError when the file cannot be read; InvalidArgument naming
// "<path>:<line>" for a line that is not KEY=VALUE.
Result<std::map<std::string, std::string>> readEnvFile(const std::string& path);
Result<std::map<std::string, std::string>> parseEnvText(std::string_view text,
                                                        const std::string& fileName);

std::map<std::string, std::string> processEnvironment();

}  // namespace keel
