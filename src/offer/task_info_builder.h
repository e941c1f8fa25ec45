// Internal: TaskInfo and ExecutorInfo of a launch, from the spec and what the
// stages reserved (keel/offer/task_labels.h lists the labels).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "keel/offer/launch_builder.h"

namespace keel::offer::detail {

// Mesos' defaults for unset check fields (seconds).
inline constexpr double kHealthDelayS = 15;
inline constexpr double kHealthIntervalS = 10;
inline constexpr double kHealthTimeoutS = 20;
inline constexpr uint32_t kHealthConsecutiveFailures = 3;
inline constexpr double kHealthGracePeriodS = 10;

// A DEFAULT executor for the pod instance with `resources`.
mesos::ExecutorInfo newExecutorInfo(const LaunchBuilder& builder,
                                    std::vector<mesos::Resource> resources);

// The task's environment, sorted by name.
std::map<std::string, std::string> taskEnvironment(LaunchBuilder& builder,
                                                   const spec::TaskSpec& task);

mesos::TaskInfo buildTaskInfo(LaunchBuilder& builder, const spec::TaskSpec& task,
                              const mesos::ExecutorInfo& executor);

}  // namespace keel::offer::detail
