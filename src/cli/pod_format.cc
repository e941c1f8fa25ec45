#include "cli/api_format.h"

namespace keel::cli {
namespace {

const char* branch(bool last) { return last ? "└─ " : "├─ "; }
const char* indent(bool last) { return last ? "   " : "│  "; }

// "<task> (<status>)", or "(no status yet)" before the first TaskStatus.
std::string taskLine(const ordered_json& task) {
  std::string status = textOf(task, "status");
  return textOf(task, "name") + " (" + (status.empty() ? "no status yet" : status) + ")";
}

void formatInstance(const ordered_json& instance, const std::string& prefix, std::ostream& out) {
  const ordered_json& tasks = arrayAt(instance, "tasks");
  for (size_t i = 0; i < tasks.size(); ++i) {
    out << prefix << branch(i + 1 == tasks.size()) << taskLine(tasks[i]) << "\n";
  }
}

std::string valueOf(const ordered_json& j, const char* key) {
  return j.is_object() && j.contains(key) ? textOf(j[key], "value") : "";
}

// A Mesos Resource as "cpus 0.5", "ports 8080,9000-9010", "disk 1024".
std::string resourceText(const ordered_json& r) {
  std::string text = textOf(r, "name");
  if (r.contains("scalar")) return text + " " + textOf(r["scalar"], "value");
  if (!r.contains("ranges")) return text;
  std::string ranges;
  for (const ordered_json& range : arrayAt(r["ranges"], "range")) {
    std::string begin = textOf(range, "begin"), end = textOf(range, "end");
    ranges += (ranges.empty() ? "" : ",") + begin + (begin == end ? "" : "-" + end);
  }
  return text + " " + ranges;
}

std::string resourcesText(const ordered_json& info) {
  std::string out;
  for (const ordered_json& r : arrayAt(info, "resources")) {
    out += (out.empty() ? "" : ", ") + resourceText(r);
  }
  return out;
}

// "TASK_RUNNING (healthy): message".
std::string stateText(const ordered_json& status) {
  std::string state = textOf(status, "state");
  if (state.empty()) return "no status yet";
  std::string healthy = textOf(status, "healthy");
  if (!healthy.empty()) state += healthy == "true" ? " (healthy)" : " (unhealthy)";
  std::string message = textOf(status, "message");
  return message.empty() ? state : state + ": " + message;
}

void field(std::ostream& out, const char* name, const std::string& value) {
  if (!value.empty()) out << "  " << name << value << "\n";
}

}  // namespace

void formatPodStatuses(const ordered_json& body, std::ostream& out) {
  out << textOf(body, "service") << "\n";
  const ordered_json& pods = arrayAt(body, "pods");
  for (size_t p = 0; p < pods.size(); ++p) {
    bool lastPod = p + 1 == pods.size();
    out << branch(lastPod) << textOf(pods[p], "name") << "\n";
    const ordered_json& instances = arrayAt(pods[p], "instances");
    for (size_t i = 0; i < instances.size(); ++i) {
      bool last = i + 1 == instances.size();
      out << indent(lastPod) << branch(last) << textOf(instances[i], "name") << "\n";
      formatInstance(instances[i], std::string(indent(lastPod)) + indent(last), out);
    }
  }
  if (pods.empty()) out << "(no pods)\n";
}

void formatPodStatus(const ordered_json& body, std::ostream& out) {
  out << textOf(body, "name") << "\n";
  formatInstance(body, "", out);
}

void formatPodInfo(const ordered_json& body, std::ostream& out) {
  if (!body.is_array()) return;
  for (size_t i = 0; i < body.size(); ++i) {
    const ordered_json& info =
        body[i].is_object() ? body[i].value("info", ordered_json()) : body[i];
    ordered_json status = body[i].is_object() ? body[i].value("status", ordered_json()) : body[i];
    if (i > 0) out << "\n";
    out << textOf(info, "name") << "\n";
    field(out, "task id:   ", valueOf(info, "task_id"));
    field(out, "state:     ", stateText(status));
    field(out, "agent:     ", valueOf(info, "agent_id"));
    field(out, "resources: ", resourcesText(info));
    field(out, "command:   ", valueOf(info, "command"));
  }
}

void formatPodRestart(const ordered_json& body, bool replace, std::ostream& out) {
  std::string tasks;
  for (const ordered_json& t : arrayAt(body, "tasks")) {
    tasks += (tasks.empty() ? "" : ", ") + (t.is_string() ? t.get<std::string>() : t.dump());
  }
  out << textOf(body, "pod") << (replace ? ": replacing" : ": restarting")
      << (replace ? " on new resources as its next incarnation (its persistent volumes are not "
                    "kept: the old ones are destroyed once the replacement runs); "
                  : " in place; ")
      << "killed " << (tasks.empty() ? "no tasks" : tasks) << "\n";
  if (replace) out << "  follow it: keel plan status recovery\n";
}

}  // namespace keel::cli
