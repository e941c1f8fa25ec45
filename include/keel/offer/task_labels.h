// Names, ids and labels of what keel launches, as dcos-commons writes them.
//
// TaskInfo labels set by offer evaluation (the set the scheduler reads back):
//   target_configuration  config id the task was launched with
//   task_type             pod type ("data")
//   index                 pod instance index ("0")
//   goal_state            RUNNING | FINISH | ONCE
//   offer_hostname        the agent's hostname at launch
//   offer_zone            the agent's fault-domain zone (when known)
//   offer_region          the agent's fault-domain region (when known)
//   offer_attributes      the agent's attributes, "name:value;name:value"
//   ports                 the task's ports, "name:port,name:port" (keel: names
//                         dynamic ports for relaunches and /v1/endpoints)
//   incarnation           keel: the pod instance's incarnation ("0", "1", ...;
//                         grows with each permanent replacement, fences
//                         tasks of older incarnations)
//   then the author's `labels` from the task spec.
// Reservation labels (every RESERVE): resource_id (a new UUID per reserved
// resource), namespace (the service name), framework_id.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "keel/mesos/values.h"

namespace keel::offer {

inline constexpr std::string_view kLabelTargetConfiguration = "target_configuration";
inline constexpr std::string_view kLabelTaskType = "task_type";
inline constexpr std::string_view kLabelIndex = "index";
inline constexpr std::string_view kLabelGoalState = "goal_state";
inline constexpr std::string_view kLabelOfferHostname = "offer_hostname";
inline constexpr std::string_view kLabelOfferZone = "offer_zone";
inline constexpr std::string_view kLabelOfferRegion = "offer_region";
inline constexpr std::string_view kLabelOfferAttributes = "offer_attributes";
inline constexpr std::string_view kLabelPorts = "ports";
inline constexpr std::string_view kLabelIncarnation = "incarnation";

inline constexpr std::string_view kLabelResourceId = "resource_id";
inline constexpr std::string_view kLabelNamespace = "namespace";
inline constexpr std::string_view kLabelFrameworkId = "framework_id";

// "<pod>-<index>-<task>".
std::string taskName(std::string_view pod, int64_t index, std::string_view task);
// The service name as it prefixes ids: leading '/' dropped, '/' -> '.'.
std::string sanitizedServiceName(std::string_view service);
// "<sanitized service>__<task name>__<uuid>".
std::string taskId(std::string_view service, std::string_view taskName, std::string_view uuid);
// The task name inside a task id built by taskId(); nullopt when the id has
// another shape.
std::optional<std::string> taskNameFromTaskId(std::string_view taskId);
// Where the fetcher downloads the `index`th config template of a task, as
// the scheduler rendered it for that launch:
// "<base>/v1/artifacts/rendered/<task id>/<index>".
std::string renderedConfigUrl(std::string_view base, std::string_view taskId, size_t index);

// The value of `key` in `labels`; nullopt when absent (empty when valueless).
std::optional<std::string_view> labelValue(const mesos::Labels& labels, std::string_view key);
// The `incarnation` label of a TaskInfo's labels; 0 when absent (tasks
// launched before keel recorded incarnations) or not a number.
int64_t incarnationLabel(const std::optional<mesos::Labels>& labels);

}  // namespace keel::offer
