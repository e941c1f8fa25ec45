// The state tree's layout, as dcos-commons lays it out in ZooKeeper, plus
// keel's PlanOverrides and PodInstances:
//   /SchemaVersion                      "1"
//   /FrameworkID                        the Mesos framework ID
//   /ConfigTarget                       id of the target configuration
//   /Configurations/<id>                every accepted spec, serialized
//   /Tasks/<task>/TaskInfo              serialized TaskInfo
//   /Tasks/<task>/TaskStatus            serialized last TaskStatus
//   /Tasks/<task>/PreviousTaskInfo      the TaskInfo of the task's last launch the
//                                       master confirmed, while a newer launch is
//                                       not confirmed (empty: none)
//   /Tasks/<task>/RenderedConfigs       the task's config templates as rendered
//                                       for its launch (keel's addition)
//   /Properties/<key>                   free key/value pairs
//   /PlanOverrides/<plan>/<key>         durable plan overrides
//   /PodInstances/<pod-instance>        incarnation and permanent-failure record
// <...> segments are encodeSegment() of the name.
#pragma once

#include "keel/state/persister.h"

namespace keel::state::layout {

inline constexpr const char* kSchemaVersion = "/SchemaVersion";
inline constexpr const char* kFrameworkId = "/FrameworkID";
inline constexpr const char* kConfigTarget = "/ConfigTarget";
inline constexpr const char* kConfigurations = "/Configurations";
inline constexpr const char* kTasks = "/Tasks";
inline constexpr const char* kTaskInfo = "TaskInfo";
inline constexpr const char* kTaskStatus = "TaskStatus";
inline constexpr const char* kTaskConfigs = "RenderedConfigs";
inline constexpr const char* kTaskPreviousInfo = "PreviousTaskInfo";
inline constexpr const char* kProperties = "/Properties";
inline constexpr const char* kPlanOverrides = "/PlanOverrides";
inline constexpr const char* kPodInstances = "/PodInstances";

// The layout version this build reads and writes.
inline constexpr int kLayoutVersion = 1;

// Writes /SchemaVersion when absent (a new store); OK when it equals
// kLayoutVersion; Unsupported when it is newer; Corruption when it is not a
// number. Call once at startup, before using the stores.
Status ensureLayoutVersion(Persister& persister);

}  // namespace keel::state::layout
