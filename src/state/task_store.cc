#include "keel/state/task_store.h"

#include "keel/state/keys.h"
#include "keel/state/layout.h"
#include "state/store_util.h"

namespace keel::state {
namespace {

Result<std::string> taskPath(const std::string& name) {
  Result<std::string> segment = encodeSegment(name);
  if (!segment.has_value()) return segment.error().withContext("task name");
  return childPath(layout::kTasks, *segment);
}

Status appendWrite(const TaskWrite& write, std::vector<Op>* ops) {
  if (!write.info.has_value() && !write.status.has_value() && !write.configs.has_value() &&
      !write.previousInfo.has_value()) {
    return Status::invalidArgument("task write for \"" + write.name + "\" sets nothing");
  }
  KEEL_ASSIGN_OR_RETURN(std::string base, taskPath(write.name));
  if (write.info.has_value()) ops->push_back(Op::set(base + "/" + layout::kTaskInfo, *write.info));
  if (write.status.has_value()) {
    ops->push_back(Op::set(base + "/" + layout::kTaskStatus, *write.status));
  }
  if (write.configs.has_value()) {
    ops->push_back(Op::set(base + "/" + layout::kTaskConfigs, *write.configs));
  }
  if (write.previousInfo.has_value()) {
    ops->push_back(Op::set(base + "/" + layout::kTaskPreviousInfo, *write.previousInfo));
  }
  return Status::ok();
}

}  // namespace

Status TaskStore::putInfo(const std::string& name, const std::string& info) {
  return write({TaskWrite{name, info, std::nullopt, std::nullopt}});
}

Status TaskStore::putStatus(const std::string& name, const std::string& status) {
  return write({TaskWrite{name, std::nullopt, status, std::nullopt}});
}

Status TaskStore::putInfoAndStatus(const std::string& name, const std::string& info,
                                   const std::string& status) {
  return write({TaskWrite{name, info, status, std::nullopt}});
}

Status TaskStore::write(const std::vector<TaskWrite>& writes) {
  std::vector<Op> ops;
  ops.reserve(writes.size() * 3);
  for (const TaskWrite& w : writes) KEEL_RETURN_IF_ERROR(appendWrite(w, &ops));
  Status committed = persister_.commit(ops).status();
  if (committed.isOk() || writes.size() != 1) return committed.withContext("storing tasks");
  return committed.withContext("storing task \"" + writes.front().name + "\"");
}

Result<std::optional<std::string>> TaskStore::info(const std::string& name) {
  return field(name, layout::kTaskInfo);
}

Result<std::optional<std::string>> TaskStore::previousInfo(const std::string& name) {
  return field(name, layout::kTaskPreviousInfo);
}

Result<std::optional<std::string>> TaskStore::status(const std::string& name) {
  return field(name, layout::kTaskStatus);
}

Result<std::optional<std::string>> TaskStore::configs(const std::string& name) {
  return field(name, layout::kTaskConfigs);
}

Result<std::optional<std::string>> TaskStore::field(const std::string& name, const char* leaf) {
  KEEL_ASSIGN_OR_RETURN(std::string base, taskPath(name));
  Result<std::optional<std::string>> value = detail::getOptional(persister_, base + "/" + leaf);
  if (value.has_value()) return value;
  return value.error().withContext("reading task \"" + name + "\"");
}

Result<std::vector<std::string>> TaskStore::names() {
  Result<std::vector<std::string>> names = detail::listNames(persister_, layout::kTasks);
  if (names.has_value()) return names;
  return names.error().withContext("listing tasks");
}

Status TaskStore::erase(const std::string& name) {
  KEEL_ASSIGN_OR_RETURN(std::string base, taskPath(name));
  return persister_.eraseTree(base).withContext("erasing task \"" + name + "\"");
}

}  // namespace keel::state
