// Step progress from task statuses: the table of step_progress.h, row by row.
#include "scheduler/step_progress.h"

#include <gtest/gtest.h>

#include "keel/offer/task_labels.h"

namespace keel::scheduler {
namespace {

using mesos::TaskState;

mesos::TaskInfo info(const std::string& goal, bool readiness = false) {
  mesos::TaskInfo t;
  t.name = "data-0-node";
  t.taskId.value = "data-store__data-0-node__1";
  t.labels = mesos::Labels{{{std::string(offer::kLabelGoalState), goal}}};
  if (readiness) t.check = mesos::CheckInfo{};
  return t;
}

mesos::TaskStatus status(TaskState state, std::optional<int> exitCode = std::nullopt) {
  mesos::TaskStatus s;
  s.taskId.value = "data-store__data-0-node__1";
  s.state = state;
  if (exitCode) {
    s.checkStatus.emplace();
    s.checkStatus->command = mesos::CheckStatusInfo::Command{*exitCode};
  }
  return s;
}

TEST(TaskProgress, FollowsTheGoalStateTable) {
  struct Row {
    const char* goal;
    bool readiness;
    std::optional<TaskState> state;
    std::optional<int> exitCode;
    TaskProgress expected;
  } rows[] = {
      {"RUNNING", false, std::nullopt, std::nullopt, TaskProgress::kStarting},
      {"RUNNING", false, TaskState::kTaskStaging, std::nullopt, TaskProgress::kStarting},
      {"RUNNING", false, TaskState::kTaskStarting, std::nullopt, TaskProgress::kStarting},
      {"RUNNING", false, TaskState::kTaskRunning, std::nullopt, TaskProgress::kComplete},
      {"RUNNING", true, TaskState::kTaskRunning, std::nullopt, TaskProgress::kStarted},
      {"RUNNING", true, TaskState::kTaskRunning, 1, TaskProgress::kStarted},
      {"RUNNING", true, TaskState::kTaskRunning, 0, TaskProgress::kComplete},
      {"RUNNING", false, TaskState::kTaskFinished, std::nullopt, TaskProgress::kFailed},
      {"RUNNING", false, TaskState::kTaskFailed, std::nullopt, TaskProgress::kFailed},
      {"RUNNING", false, TaskState::kTaskLost, std::nullopt, TaskProgress::kFailed},
      {"FINISH", false, TaskState::kTaskRunning, std::nullopt, TaskProgress::kStarted},
      {"FINISH", false, TaskState::kTaskFinished, std::nullopt, TaskProgress::kComplete},
      {"ONCE", false, TaskState::kTaskFinished, std::nullopt, TaskProgress::kComplete},
      {"ONCE", false, TaskState::kTaskKilled, std::nullopt, TaskProgress::kFailed},
  };
  for (const Row& r : rows) {
    mesos::TaskInfo i = info(r.goal, r.readiness);
    std::optional<mesos::TaskStatus> s;
    if (r.state) s = status(*r.state, r.exitCode);
    EXPECT_EQ(taskProgress(i, s ? &*s : nullptr), r.expected)
        << r.goal << " " << (r.state ? static_cast<int>(*r.state) : -1);
  }
}

TEST(StepProgress, IsTheLeastAdvancedTaskAndAnyFailureWins) {
  mesos::TaskInfo a = info("RUNNING"), b = info("RUNNING", true);
  mesos::TaskStatus running = status(TaskState::kTaskRunning);
  mesos::TaskStatus failed = status(TaskState::kTaskFailed);
  failed.message = "exit 1";
  EXPECT_EQ(stepProgress({{&a, &running}, {&b, &running}}).progress, TaskProgress::kStarted);
  EXPECT_EQ(stepProgress({{&a, &running}, {&b, nullptr}}).progress, TaskProgress::kStarting);
  StepProgress f = stepProgress({{&a, &running}, {&b, &failed}});
  EXPECT_EQ(f.progress, TaskProgress::kFailed);
  EXPECT_EQ(f.reason, "data-0-node: TASK_FAILED: exit 1");
}

TEST(StepProgress, MovesOnlyStepsInFlight) {
  plan::Step step("id", "data-0:[node]", "data-0", {"node"});
  EXPECT_FALSE(applyStepProgress(step, {TaskProgress::kComplete, ""}));
  EXPECT_EQ(step.status(), plan::ElementStatus::kPending);
  ASSERT_TRUE(step.markPrepared().isOk());
  ASSERT_TRUE(step.markStarting().isOk());
  EXPECT_TRUE(applyStepProgress(step, {TaskProgress::kStarted, ""}));
  EXPECT_EQ(step.status(), plan::ElementStatus::kStarted);
  EXPECT_TRUE(applyStepProgress(step, {TaskProgress::kFailed, "data-0-node: TASK_FAILED"}));
  EXPECT_EQ(step.status(), plan::ElementStatus::kPending);
  EXPECT_EQ(step.message(), "relaunching after data-0-node: TASK_FAILED");
}

TEST(TaskDone, NeedsReadinessForRunningAndFinishedForFinish) {
  mesos::TaskInfo ready = info("RUNNING", true);
  mesos::TaskStatus notYet = status(TaskState::kTaskRunning, 1);
  mesos::TaskStatus passed = status(TaskState::kTaskRunning, 0);
  EXPECT_FALSE(taskDone(ready, &notYet));
  EXPECT_TRUE(taskDone(ready, &passed));
  EXPECT_FALSE(taskDone(ready, nullptr));
  mesos::TaskInfo finish = info("FINISH");
  mesos::TaskStatus finished = status(TaskState::kTaskFinished);
  EXPECT_TRUE(taskDone(finish, &finished));
  EXPECT_FALSE(taskDone(finish, &passed));
}

}  // namespace
}  // namespace keel::scheduler
