#include "scheduler/process_fixture.h"

#include <cstdlib>
#include <cstring>
#include <fstream>

#include "cluster/local/process_util.h"
#include "keel/offer/task_labels.h"
#include "testing/paths.h"

namespace keel::scheduler::e2e {
namespace fs = std::filesystem;

HttpReply httpCall(const std::string& url, const std::string& method, const std::string& path) {
  if (url.empty()) return {};
  httplib::Client client(url);
  client.set_connection_timeout(2, 0);
  client.set_read_timeout(10, 0);
  auto res = method == "POST"     ? client.Post(path)
             : method == "DELETE" ? client.Delete(path)
                                  : client.Get(path);
  if (!res) return {};
  return {res->status, json::parse(res->body, nullptr, false)};
}

Child::Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
             const std::string& logFile) {
  pid_ = fork();
  if (pid_ != 0) return;
  setpgid(0, 0);
  for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
  FILE* log = std::fopen(logFile.c_str(), "a");
  if (log != nullptr) {
    dup2(fileno(log), STDOUT_FILENO);
    dup2(fileno(log), STDERR_FILENO);
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execv(args[0], args.data());
  _exit(127);
}

Child& Child::operator=(Child&& other) noexcept {
  kill(SIGKILL);
  pid_ = other.pid_;
  other.pid_ = -1;
  return *this;
}

void Child::kill(int signal) {
  if (pid_ <= 0) return;
  ::kill(pid_, signal);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

namespace {

std::string readLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string keelBinary() { return keel::testing::binaryDir() + "/src/cli/keel"; }

// The sandboxes under `root`: every directory inside a "tasks" directory.
std::vector<fs::path> sandboxes(const std::string& root) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_symlink()) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_directory() && it->path().parent_path().filename() == "tasks") {
      out.push_back(it->path());
      it.disable_recursion_pending();
    }
  }
  return out;
}

}  // namespace

void ProcessE2eTest::SetUp() { startCluster(); }

void ProcessE2eTest::TearDown() {
  killScheduler();
  if (!clusterUrl_.empty()) {
    json state = clusterState();
    for (const json& agent : state["agents"]) {
      httplib::Client(clusterUrl_).Post("/agents/" + agent.value("id", "") + "/down");
    }
  }
  cluster_.kill(SIGTERM);
}

void ProcessE2eTest::startCluster() {
  std::string urlFile = clusterDir() + "/cluster.url";
  std::error_code ec;
  fs::remove(urlFile, ec);
  fs::create_directories(dir.path() / "logs");
  // No --port: a restarted cluster serves the port it served last.
  cluster_ = Child({keelBinary(), "cluster", "run", "--state-dir", clusterDir(), "--agents", "4"},
                   {}, (dir.path() / "logs" / "cluster.log").string());
  ASSERT_TRUE(pollUntil([&] { return !readLine(urlFile).empty(); }, 30s))
      << "the cluster did not start; see " << (dir.path() / "logs" / "cluster.log");
  if (!clusterUrl_.empty()) {
    EXPECT_EQ(readLine(urlFile), clusterUrl_) << "a restarted cluster serves its port again";
  }
  clusterUrl_ = readLine(urlFile);
}

void ProcessE2eTest::startScheduler(const std::map<std::string, std::string>& env) {
  std::string example = keel::testing::sourceDir() + "/examples/data-store";
  std::map<std::string, std::string> all = {{"METADATA_URI", "file://" + example + "/meta-data"},
                                            {"DATA_URI", "file://" + example + "/data"},
                                            {"KEEL_HOME", (dir.path() / "home").string()}};
  for (const auto& [k, v] : env) all[k] = v;
  std::string urlFile = serviceDir() + "/scheduler.url";
  std::error_code ec;
  fs::remove(urlFile, ec);
  scheduler_ =
      Child({keelBinary(), "run", example + "/svc.yml", "--env-file", example + "/data-store.env",
             "--master", clusterUrl_, "--state-dir", serviceDir()},
            all, (dir.path() / "logs" / "scheduler.log").string());
  ASSERT_TRUE(pollUntil([&] { return !readLine(urlFile).empty(); }, 30s))
      << "the scheduler did not start; see " << (dir.path() / "logs" / "scheduler.log");
  schedulerUrl_ = readLine(urlFile);
}

std::string ProcessE2eTest::planStatus(const std::string& plan) const {
  HttpReply r = api("GET", "/v1/plans/" + plan);
  return r.body.is_object() ? r.body.value("status", "") : "";
}

bool ProcessE2eTest::waitForPlan(const std::string& plan, const std::string& status,
                                 Duration deadline) {
  return pollUntil([&] { return planStatus(plan) == status; }, deadline, 50ms);
}

json ProcessE2eTest::clusterState() const {
  HttpReply r = httpCall(clusterUrl_, "GET", "/state");
  return r.body.is_object() ? r.body
                            : json{{"agents", json::array()},
                                   {"tasks", json::array()},
                                   {"volumes", json::array()},
                                   {"reservations", json::array()}};
}

std::map<std::string, LiveTask> ProcessE2eTest::liveTasks() const {
  std::map<std::string, LiveTask> out;
  json cluster = clusterState();
  for (const json& t : cluster["tasks"]) {
    std::string state = t.value("state", "");
    if (state == "TASK_STAGING" || state == "TASK_STARTING" || state == "TASK_RUNNING" ||
        state == "TASK_KILLING") {
      out[t.value("name", "")] = {t.value("id", ""), t.value("agent_id", ""), state};
    }
  }
  return out;
}

std::map<std::string, int> ProcessE2eTest::launches() const {
  std::map<std::string, int> out;
  for (const fs::path& sandbox : sandboxes(clusterDir())) {
    std::string id = sandbox.filename().string();
    ++out[offer::taskNameFromTaskId(id).value_or(id)];
  }
  return out;
}

pid_t ProcessE2eTest::taskPid(const std::string& taskId) const {
  for (const fs::path& sandbox : sandboxes(clusterDir())) {
    if (sandbox.filename() == taskId) return local::firstProcessIn(sandbox.string());
  }
  return -1;
}

std::string ProcessE2eTest::volumeOf(const std::string& taskName) const {
  auto live = liveTasks();
  auto it = live.find(taskName);
  if (it == live.end()) return "";
  std::error_code ec;
  for (const fs::path& sandbox : sandboxes(clusterDir())) {
    if (sandbox.filename() != it->second.id) continue;
    for (const auto& entry : fs::directory_iterator(sandbox, ec)) {
      if (entry.is_symlink()) return fs::canonical(entry.path(), ec).string();
    }
  }
  return "";
}

std::set<std::string> ProcessE2eTest::reservedAgents() const {
  std::set<std::string> out;
  json cluster = clusterState();
  for (const json& r : cluster["reservations"]) out.insert(r.value("agent_id", ""));
  return out;
}

std::set<std::string> ProcessE2eTest::agentsWithTasks() const {
  std::set<std::string> out;
  for (const auto& [name, task] : liveTasks()) out.insert(task.agentId);
  return out;
}

}  // namespace keel::scheduler::e2e
