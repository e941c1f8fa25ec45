// TaskStore: per task name ("data-0-node"), the TaskInfo the scheduler
// launched, the last TaskStatus it received and the config files rendered for
// its launch, all opaque serialized text (the scheduler stores JSON), and
// the TaskInfo of an earlier launch the scheduler keeps while a newer one
// is unconfirmed. Under
// /Tasks/<name>/{TaskInfo,TaskStatus,RenderedConfigs,PreviousTaskInfo}.
//
// Names are any non-empty byte strings up to kMaxNameBytes; they are encoded
// (keys.h) so no name can reach outside its own subtree.
//
// Thread-safety: as the Persister. Failure behaviour: InvalidArgument for a
// bad name; otherwise the Persister's errors with the task name as context.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/state/persister.h"

namespace keel::state {

// One task's part of an atomic write(): the fields that are set are written.
struct TaskWrite {
  std::string name;
  std::optional<std::string> info;
  std::optional<std::string> status;
  std::optional<std::string> configs;
  std::optional<std::string> previousInfo = std::nullopt;
};

class TaskStore {
 public:
  explicit TaskStore(Persister& persister) : persister_(persister) {}

  Status putInfo(const std::string& name, const std::string& info);
  Status putStatus(const std::string& name, const std::string& status);
  // Both, in one transaction.
  Status putInfoAndStatus(const std::string& name, const std::string& info,
                          const std::string& status);
  // Every write of `writes`, all or nothing, in one transaction (e.g. a batch
  // of status updates, or the TaskInfos of a launch). A write that sets no
  // field is InvalidArgument.
  Status write(const std::vector<TaskWrite>& writes);

  // nullopt when the task or that field is not stored.
  Result<std::optional<std::string>> info(const std::string& name);
  Result<std::optional<std::string>> status(const std::string& name);
  Result<std::optional<std::string>> configs(const std::string& name);
  Result<std::optional<std::string>> previousInfo(const std::string& name);

  // Names of all stored tasks, sorted bytewise.
  Result<std::vector<std::string>> names();

  // Deletes the task and everything under it; NotFound when it is not stored.
  Status erase(const std::string& name);

 private:
  Result<std::optional<std::string>> field(const std::string& name, const char* leaf);
  Persister& persister_;
};

}  // namespace keel::state
