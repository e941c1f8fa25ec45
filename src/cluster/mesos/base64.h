// Standard base64 (RFC 4648 alphabet "+/", with "=" padding), as Mesos writes
// proto `bytes` fields in JSON.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace keel::mesos::detail {

std::string base64Encode(std::string_view bytes);

// nullopt unless `text` is padded standard base64 (length a multiple of 4,
// only alphabet characters, at most two trailing '=').
std::optional<std::string> base64Decode(std::string_view text);

}  // namespace keel::mesos::detail
