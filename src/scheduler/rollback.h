// Rolling a configuration update back (keel's addition; dcos-commons has no
// abort): the operator's POST /v1/configurations/rollback, `keel update
// abort`, makes the previous target configuration the target again, at once,
// and the pods that run the aborted one relaunch in place with the previous
// one through the deploy plan.
//
// Stored (properties):
//   previous-target     the target an update replaced (set when an update is
//                       adopted, erased by a rollback: one step back only)
//   rolled-back-configs {"<id>": {"to": "<id>", "reason": "...", "at": ms}}
// A rolled-back configuration stays refused: a scheduler restarted with the
// same environment keeps the previous one and says why in the deploy plan's
// errors, until the configuration changes. The record is written before the
// target moves, so a crash in between finishes the rollback at startup.
//
// Thread-safety: pure functions; the Scheduler calls them on its owner thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "keel/result.h"

namespace keel::scheduler {

inline constexpr const char* kPreviousTargetProperty = "previous-target";
inline constexpr const char* kRolledBackProperty = "rolled-back-configs";

struct RolledBack {
  std::string to;  // the configuration it was rolled back to
  std::string reason;
  int64_t atMillis = 0;
};

// Parses the rolled-back-configs property (empty input: none). Corruption
// naming the property when it is not the JSON above.
Result<std::map<std::string, RolledBack>> parseRolledBack(const std::optional<std::string>& text);
std::string encodeRolledBack(const std::map<std::string, RolledBack>& records);

}  // namespace keel::scheduler
