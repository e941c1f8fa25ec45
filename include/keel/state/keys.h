// Paths and names in the state tree: validation and escaping.
//
// Stores put caller-chosen names (task names, plan names, property keys,
// config ids) into one path segment each with encodeSegment(). The encoding
// keeps [A-Za-z0-9-_.:] as is (so "data-0-node" reads as itself) and writes
// every other byte as %XX (uppercase hex); a name made only of dots has its
// dots encoded too. So an encoded name is always exactly one valid segment:
// no input ("..", "a/b", "%2F", bytes >= 0x80, NUL) can address anything
// outside the subtree the store puts it in. Decoding inverts it exactly.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "keel/result.h"
#include "keel/status.h"

namespace keel::state {

// Longest name (before encoding) that encodeSegment() accepts.
inline constexpr size_t kMaxNameBytes = 255;

// OK when `path` is a valid node path (see persister.h), "/" included;
// InvalidArgument naming the path and the reason otherwise.
Status validatePath(std::string_view path);

// "/a/b" -> "/a"; "/a" -> "/". `path` must be valid and not "/".
std::string parentPath(std::string_view path);

// "/a/b" -> "b". `path` must be valid and not "/".
std::string_view lastSegment(std::string_view path);

// `parent` + "/" + `segment`, with no doubled '/' when parent is "/".
std::string childPath(std::string_view parent, std::string_view segment);

// The escaped single-segment form of `name`; InvalidArgument when `name` is
// empty or longer than kMaxNameBytes.
Result<std::string> encodeSegment(std::string_view name);

// Inverse of encodeSegment(); Corruption when `segment` is not an encoding
// (a stray '%', bad hex), since segments come from stored data.
Result<std::string> decodeSegment(std::string_view segment);

}  // namespace keel::state
