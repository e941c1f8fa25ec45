// validateCall: the master's validation::scheduler::call checks that come
// after JSON decoding and before any framework lookup (missing type, missing
// per-type message, framework id rules, acknowledgement uuid size), answered
// 400 "Failed to validate scheduler::Call: ..." as the real master does.
//
// Thread-safety: pure function.
#pragma once

#include <optional>

#include "cluster/local/http_reply.h"
#include "keel/mesos/scheduler.h"

namespace keel::local {

// nullopt when `call` may be handed to MasterState (subscribe or handleCall).
std::optional<HttpReply> validateCall(const mesos::Call& call);

}  // namespace keel::local
