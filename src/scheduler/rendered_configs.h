// Config templates at launch: each task's `configs` rendered against the
// environment of its TaskInfo (the spec's env, TASKCFG values, ports, keel's
// variables), stored with the TaskInfo before the ACCEPT, and served to the
// fetcher (keel/offer/task_labels.h renderedConfigUrl) which writes them to
// their dest in the sandbox before the command starts.
//
// Stored form (the task's RenderedConfigs leaf): {"taskId": "...", "files":
// [{"name", "dest", "text"}, ...]} in the spec's order, so a file's index is
// its position in the task's configs.
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "keel/config/config_template.h"
#include "keel/mesos/task.h"
#include "keel/result.h"
#include "keel/spec.h"

namespace keel::scheduler {

// Task name -> stored form, for the tasks of `infos` that have configs.
// InvalidArgument naming the task and the config when a template does not
// render (a variable the task's environment lacks, a malformed template):
// then nothing of the launch may be sent.
Result<std::map<std::string, std::string>> renderLaunchConfigs(
    const spec::PodSpec& pod, const std::string& podInstance,
    const std::vector<mesos::TaskInfo>& infos);

// The `index`th file's text in a stored form, if it belongs to `taskId`.
Result<std::string> renderedFile(const std::string& stored, const std::string& taskId,
                                 size_t index);

}  // namespace keel::scheduler
