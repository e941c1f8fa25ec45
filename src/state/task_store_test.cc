#include "keel/state/task_store.h"

#include <gtest/gtest.h>

#include "keel/state/framework_store.h"
#include "keel/state/memory_persister.h"

namespace keel::state {
namespace {

TEST(TaskStore, StoresInfoAndStatusPerTaskUnderTheDcosCommonsLayout) {
  MemoryPersister p;
  TaskStore tasks(p);
  ASSERT_TRUE(tasks.putInfo("data-0-node", R"({"name":"data-0-node"})").isOk());
  ASSERT_TRUE(tasks.putStatus("data-0-node", R"({"state":"TASK_RUNNING"})").isOk());
  EXPECT_EQ(**tasks.info("data-0-node"), R"({"name":"data-0-node"})");
  EXPECT_EQ(**tasks.status("data-0-node"), R"({"state":"TASK_RUNNING"})");
  EXPECT_EQ(p.get("/Tasks/data-0-node/TaskInfo")->value, R"({"name":"data-0-node"})");
  EXPECT_EQ(p.get("/Tasks/data-0-node/TaskStatus")->value, R"({"state":"TASK_RUNNING"})");
}

TEST(TaskStore, AbsentTasksAndFieldsReadAsNullopt) {
  MemoryPersister p;
  TaskStore tasks(p);
  ASSERT_TRUE(tasks.putInfo("a", "info").isOk());
  EXPECT_FALSE(tasks.status("a")->has_value());
  EXPECT_FALSE(tasks.info("b")->has_value());
  EXPECT_TRUE(tasks.names()->size() == 1);
}

TEST(TaskStore, ListsTaskNamesSorted) {
  MemoryPersister p;
  TaskStore tasks(p);
  EXPECT_TRUE(tasks.names()->empty());
  for (const char* name : {"name-1-node", "data-0-node", "data/0"}) {
    ASSERT_TRUE(tasks.putInfo(name, "i").isOk());
  }
  EXPECT_EQ(*tasks.names(), (std::vector<std::string>{"data-0-node", "data/0", "name-1-node"}));
}

TEST(TaskStore, WritesABatchAllOrNothing) {
  MemoryPersister p;
  TaskStore tasks(p);
  ASSERT_TRUE(
      tasks.write({{"a", "ia", "sa", std::nullopt}, {"b", std::nullopt, "sb", std::nullopt}})
          .isOk());
  EXPECT_EQ(**tasks.info("a"), "ia");
  EXPECT_EQ(**tasks.status("b"), "sb");
  Status bad =
      tasks.write({{"c", "ic", std::nullopt, std::nullopt}, {"", "x", std::nullopt, std::nullopt}});
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  Status empty = tasks.write(
      {{"c", "ic", std::nullopt, std::nullopt}, {"d", std::nullopt, std::nullopt, std::nullopt}});
  EXPECT_EQ(empty.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*tasks.names(), (std::vector<std::string>{"a", "b"}));
}

TEST(TaskStore, StoresInfoAndStatusTogether) {
  MemoryPersister p;
  TaskStore tasks(p);
  ASSERT_TRUE(tasks.putInfoAndStatus("a", "info", "staging").isOk());
  EXPECT_EQ(**tasks.info("a"), "info");
  EXPECT_EQ(**tasks.status("a"), "staging");
}

TEST(TaskStore, KeepsThePreviousLaunchInTheSameTransactionAsTheNewOne) {
  MemoryPersister p;
  TaskStore tasks(p);
  ASSERT_TRUE(tasks.putInfoAndStatus("a", "launch-1", "running-1").isOk());
  EXPECT_FALSE(tasks.previousInfo("a")->has_value());
  ASSERT_TRUE(
      tasks.write({TaskWrite{"a", "launch-2", std::nullopt, std::nullopt, "launch-1"}}).isOk());
  EXPECT_EQ(**tasks.info("a"), "launch-2");
  EXPECT_EQ(**tasks.previousInfo("a"), "launch-1");
  EXPECT_EQ(**tasks.status("a"), "running-1");
  ASSERT_TRUE(tasks.write({TaskWrite{"a", std::nullopt, std::nullopt, std::nullopt, ""}}).isOk())
      << "a write of only the previous launch is a write";
  EXPECT_EQ(**tasks.previousInfo("a"), "");
  ASSERT_TRUE(tasks.erase("a").isOk());
  EXPECT_FALSE(tasks.previousInfo("a")->has_value());
}

TEST(TaskStore, KeepsALaunchsRenderedConfigsBesideItsInfoUntilErased) {
  MemoryPersister p;
  TaskStore tasks(p);
  ASSERT_TRUE(tasks.write({TaskWrite{"a", "info", std::nullopt, "{\"conf\": \"x=1\"}"}}).isOk());
  EXPECT_EQ(**tasks.info("a"), "info");
  EXPECT_EQ(**tasks.configs("a"), "{\"conf\": \"x=1\"}");
  EXPECT_FALSE(tasks.configs("b")->has_value());
  ASSERT_TRUE(tasks.putStatus("a", "running").isOk());
  EXPECT_EQ(**tasks.configs("a"), "{\"conf\": \"x=1\"}") << "a status leaves them alone";
  EXPECT_EQ(*p.children("/Tasks/a"),
            (std::vector<std::string>{"RenderedConfigs", "TaskInfo", "TaskStatus"}));
  ASSERT_TRUE(tasks.erase("a").isOk());
  EXPECT_FALSE(tasks.configs("a")->has_value());
}

TEST(TaskStore, EraseRemovesOnlyThatTask) {
  MemoryPersister p;
  TaskStore tasks(p);
  ASSERT_TRUE(tasks.putInfoAndStatus("a", "i", "s").isOk());
  ASSERT_TRUE(tasks.putInfoAndStatus("ab", "i", "s").isOk());
  ASSERT_TRUE(tasks.erase("a").isOk());
  EXPECT_EQ(*tasks.names(), std::vector<std::string>{"ab"});
  EXPECT_EQ(tasks.erase("a").code(), StatusCode::kNotFound);
}

TEST(TaskStore, HostileNamesStayInsideTheirOwnSubtree) {
  MemoryPersister p;
  FrameworkStore framework(p);
  ASSERT_TRUE(framework.set("fw").isOk());
  TaskStore tasks(p);
  const std::vector<std::string> names = {"../../FrameworkID", "..",     ".",
                                          "a/TaskInfo",        "%2E%2E", std::string("\0x", 2)};
  for (const std::string& name : names) {
    ASSERT_TRUE(tasks.putInfoAndStatus(name, "i:" + name, "s:" + name).isOk()) << name;
  }
  for (const std::string& name : names) {
    EXPECT_EQ(**tasks.info(name), "i:" + name);
    EXPECT_EQ(**tasks.status(name), "s:" + name);
  }
  EXPECT_EQ(tasks.names()->size(), names.size());
  EXPECT_EQ(**framework.get(), "fw");
  EXPECT_EQ(*p.children("/"), (std::vector<std::string>{"FrameworkID", "Tasks"}));
  for (const std::string& name : names) ASSERT_TRUE(tasks.erase(name).isOk()) << name;
  EXPECT_TRUE(tasks.names()->empty());
  EXPECT_EQ(**framework.get(), "fw");
}

TEST(TaskStore, RejectsEmptyAndOverlongNames) {
  MemoryPersister p;
  TaskStore tasks(p);
  EXPECT_EQ(tasks.putInfo("", "i").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(tasks.putInfo(std::string(300, 'a'), "i").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(tasks.info("").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace keel::state
