#include "keel/offer/launch_builder.h"
#include "offer/resource_util.h"
#include "offer/stages.h"
#include "offer/task_info_builder.h"

namespace keel::offer::detail {

StageOutcome LaunchStage::evaluate(EvaluationContext& ctx) {
  if (!ctx.explain) return StageOutcome::pass(name());
  return StageOutcome::pass(name(), strCat("launches ", taskNames_, " on agent ",
                                           ctx.offer->agentId, " (", ctx.offer->hostname, ')'));
}

void LaunchStage::apply(LaunchBuilder& builder) const {
  mesos::ExecutorInfo executor = reuseExecutor_ && footprint_.executorInfo
                                     ? *footprint_.executorInfo
                                     : newExecutorInfo(builder, builder.executorResources());
  std::vector<mesos::TaskInfo> tasks;
  for (const auto& name : builder.requirement().tasksToLaunch) {
    const spec::TaskSpec* task = builder.requirement().pod.task(name);
    if (task != nullptr) tasks.push_back(buildTaskInfo(builder, *task, executor));
  }
  builder.launch(std::move(executor), std::move(tasks));
}

}  // namespace keel::offer::detail
