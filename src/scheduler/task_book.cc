#include "scheduler/task_book.h"

#include "common/parallel.h"
#include "keel/check.h"
#include "keel/mesos/json.h"
#include "keel/offer/task_labels.h"

namespace keel::scheduler {

bool taskEnded(mesos::TaskState state) {
  return mesos::isTerminal(state) || state == mesos::TaskState::kTaskUnknown;
}

const mesos::TaskStatus* TaskRecord::currentStatus() const {
  if (!status || status->taskId != info.taskId) return nullptr;
  return &*status;
}

bool TaskRecord::active() const {
  const mesos::TaskStatus* s = currentStatus();
  return s == nullptr || !taskEnded(s->state);
}

bool TaskRecord::needsRecovery() const {
  const mesos::TaskStatus* s = currentStatus();
  return s != nullptr &&
         (mesos::isTerminal(s->state) || s->state == mesos::TaskState::kTaskUnreachable);
}

std::string TaskRecord::podType() const {
  if (!info.labels) return {};
  return std::string(offer::labelValue(*info.labels, offer::kLabelTaskType).value_or(""));
}

int64_t TaskRecord::podIndex() const {
  if (!info.labels) return -1;
  std::optional<std::string_view> v = offer::labelValue(*info.labels, offer::kLabelIndex);
  if (!v || v->empty()) return -1;
  try {
    return std::stoll(std::string(*v));
  } catch (...) {
    return -1;
  }
}

std::string TaskRecord::podInstance() const {
  std::string type = podType();
  int64_t index = podIndex();
  if (type.empty() || index < 0) return {};
  return type + "-" + std::to_string(index);
}

namespace {

// One stored task as read, before decoding.
struct StoredTask {
  std::string name;
  std::string info;
  std::optional<std::string> status;
};

// Decodes one stored task; thread-safe (touches only its arguments).
Status decodeRecord(StoredTask& stored, TaskRecord& rec) {
  rec.name = stored.name;
  Result<mesos::TaskInfo> decoded = mesos::decodeJson<mesos::TaskInfo>(stored.info);
  if (!decoded) {
    return Status::corruption("stored TaskInfo of " + stored.name + ": " +
                              decoded.error().message());
  }
  rec.info = std::move(*decoded);
  rec.infoJson = std::move(stored.info);
  if (stored.status) {
    Result<mesos::TaskStatus> s = mesos::decodeJson<mesos::TaskStatus>(*stored.status);
    if (!s) {
      return Status::corruption("stored TaskStatus of " + stored.name + ": " + s.error().message());
    }
    rec.status = std::move(*s);
    rec.statusJson = std::move(*stored.status);
  }
  return Status::ok();
}

}  // namespace

// Reads sequentially (the store is not meant for concurrent readers), then
// decodes on several threads: decoding the JSON is most of a restart's time
// with thousands of tasks.
Status TaskBook::load() {
  KEEL_ASSIGN_OR_RETURN(std::vector<std::string> names, store_.names());
  std::vector<StoredTask> stored;
  stored.reserve(names.size());
  for (const std::string& name : names) {
    KEEL_ASSIGN_OR_RETURN(std::optional<std::string> info, store_.info(name));
    if (!info) continue;
    KEEL_ASSIGN_OR_RETURN(std::optional<std::string> status, store_.status(name));
    stored.push_back({name, std::move(*info), std::move(status)});
  }
  std::vector<TaskRecord> records(stored.size());
  std::vector<Status> errors(stored.size(), Status::ok());
  parallelFor(stored.size(), [&](size_t i) { errors[i] = decodeRecord(stored[i], records[i]); });
  for (const Status& e : errors) KEEL_RETURN_IF_ERROR(e);
  tasks_.clear();
  byInstance_.clear();
  for (TaskRecord& rec : records) {
    indexInstance(rec.name, rec.podInstance());
    std::string name = rec.name;
    tasks_.emplace_hint(tasks_.end(), std::move(name), std::move(rec));
  }
  return Status::ok();
}

void TaskBook::indexInstance(const std::string& name, const std::string& podInstance) {
  if (!podInstance.empty()) byInstance_[podInstance].insert(name);
}

const TaskRecord* TaskBook::find(const std::string& name) const {
  auto it = tasks_.find(name);
  return it == tasks_.end() ? nullptr : &it->second;
}

std::vector<mesos::TaskInfo> TaskBook::infos() const {
  std::vector<mesos::TaskInfo> out;
  out.reserve(tasks_.size());
  for (const auto& [name, rec] : tasks_) out.push_back(rec.info);
  return out;
}

std::vector<mesos::TaskInfo> TaskBook::instanceInfos(const std::string& podInstance) const {
  std::vector<mesos::TaskInfo> out;
  for (const TaskRecord* rec : instanceTasks(podInstance)) out.push_back(rec->info);
  return out;
}

std::vector<const TaskRecord*> TaskBook::instanceTasks(const std::string& podInstance) const {
  std::vector<const TaskRecord*> out;
  if (podInstance.empty()) return out;
  auto it = byInstance_.find(podInstance);
  if (it == byInstance_.end()) return out;
  for (const std::string& name : it->second) out.push_back(&tasks_.at(name));
  return out;
}

Status TaskBook::writeInfos(const std::vector<mesos::TaskInfo>& infos,
                            const std::map<std::string, std::string>& renderedConfigs) {
  std::vector<state::TaskWrite> writes;
  for (const mesos::TaskInfo& info : infos) {
    auto configs = renderedConfigs.find(info.name);
    KEEL_ASSIGN_OR_RETURN(std::string previous, previousOf(info));
    writes.push_back(
        {info.name, mesos::encodeJson(info), std::nullopt,
         configs == renderedConfigs.end() ? std::nullopt : std::optional(configs->second),
         std::move(previous)});
  }
  KEEL_RETURN_IF_ERROR(store_.write(writes));
  for (size_t i = 0; i < infos.size(); ++i) setInfo(infos[i], std::move(*writes[i].info));
  return Status::ok();
}

Result<std::string> TaskBook::previousOf(const mesos::TaskInfo& info) {
  const TaskRecord* rec = find(info.name);
  if (rec == nullptr) return std::string();
  if (rec->currentStatus() != nullptr) return rec->infoJson;
  KEEL_ASSIGN_OR_RETURN(std::optional<std::string> kept, store_.previousInfo(info.name));
  return kept.value_or("");
}

void TaskBook::setInfo(const mesos::TaskInfo& info, std::string json) {
  TaskRecord& rec = tasks_[info.name];
  std::string before = rec.podInstance();
  rec.name = info.name;
  rec.info = info;
  std::string after = rec.podInstance();
  if (before != after && !before.empty()) {
    auto it = byInstance_.find(before);
    it->second.erase(rec.name);
    if (it->second.empty()) byInstance_.erase(it);
  }
  indexInstance(rec.name, after);
  rec.infoJson = std::move(json);
}

Result<std::optional<mesos::TaskInfo>> TaskBook::previousInfo(const std::string& name) {
  KEEL_ASSIGN_OR_RETURN(std::optional<std::string> kept, store_.previousInfo(name));
  if (!kept || kept->empty()) return std::optional<mesos::TaskInfo>();
  Result<mesos::TaskInfo> decoded = mesos::decodeJson<mesos::TaskInfo>(*kept);
  if (!decoded) {
    return Status::corruption("stored previous TaskInfo of " + name + ": " +
                              decoded.error().message());
  }
  return std::optional<mesos::TaskInfo>(std::move(*decoded));
}

Status TaskBook::revertLaunch(const std::string& name) {
  if (find(name) == nullptr) return Status::ok();
  KEEL_ASSIGN_OR_RETURN(std::optional<mesos::TaskInfo> previous, previousInfo(name));
  if (!previous) return erase(name);
  std::string json = mesos::encodeJson(*previous);
  KEEL_RETURN_IF_ERROR(store_.write({{name, json, std::nullopt, std::nullopt, std::string()}}));
  setInfo(*previous, std::move(json));
  return Status::ok();
}

Status TaskBook::writeStatus(const std::string& name, const mesos::TaskStatus& status) {
  auto it = tasks_.find(name);
  KEEL_CHECK_MSG(it != tasks_.end(), "TaskBook::writeStatus for a task not in the book");
  std::string json = mesos::encodeJson(status);
  KEEL_RETURN_IF_ERROR(store_.putStatus(name, json));
  it->second.status = status;
  it->second.statusJson = std::move(json);
  return Status::ok();
}

Status TaskBook::erase(const std::string& name) {
  Status s = store_.erase(name);
  if (!s.isOk() && s.code() != StatusCode::kNotFound) return s;
  auto it = tasks_.find(name);
  if (it == tasks_.end()) return Status::ok();
  auto instance = byInstance_.find(it->second.podInstance());
  if (instance != byInstance_.end()) {
    instance->second.erase(name);
    if (instance->second.empty()) byInstance_.erase(instance);
  }
  tasks_.erase(it);
  return Status::ok();
}

}  // namespace keel::scheduler
