// The JSON of the local master's checkpoint records (MasterCheckpoint's node
// values): each record as one JSON object, its Mesos messages as JSON strings
// holding their wire JSON (keel/mesos/json.h). Stored text is the compact
// dump() of these objects (keys sorted), so a record's node text is
// `xJson(record).dump()`; NodeTextCache builds the same text cheaper and
// must stay byte-for-byte equal to it.
//
// Thread-safety: pure functions. Failure behaviour: the *From functions fail
// with Corruption (or throw nlohmann::json::exception, which the caller turns
// into Corruption) for a value that does not decode; dump() throws
// nlohmann::json::type_error for a string that is not UTF-8.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "cluster/local/master_types.h"
#include "keel/clock.h"
#include "keel/result.h"

namespace keel::local::checkpoint {

using nlohmann::json;

// An array of the resources' wire JSON strings.
json resourcesJson(const Resources& resources);
Result<Resources> resourcesFrom(const json& j);

int64_t millis(TimePoint t);

json agentJson(const AgentRecord& a);
Result<AgentRecord> agentFrom(const json& j);

json frameworkJson(const FrameworkRecord& f);
Result<FrameworkRecord> frameworkFrom(const json& j);

json taskJson(const TaskRecord& t);
Result<TaskRecord> taskFrom(const json& j);

json executorJson(const ExecutorRecord& e);
Result<ExecutorRecord> executorFrom(const json& j);

json operationsJson(const std::vector<PendingOperationUpdate>& updates);
Result<std::vector<PendingOperationUpdate>> operationsFrom(const json& j);

}  // namespace keel::local::checkpoint
