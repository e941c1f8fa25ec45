// `keel update --options F` / `--env-file F`: a configuration update of a
// service that `keel run` runs (what it does: cli/commands.h, runUpdate).
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cli/api_client.h"
#include "cli/commands.h"
#include "cli/launch_settings.h"
#include "cli/scheduler_url.h"
#include "keel/config/config_diff.h"
#include "keel/config/config_validation.h"
#include "keel/config/task_env.h"
#include "keel/scheduler/runner.h"
#include "keel/scheduler/update_policy.h"
#include "keel/spec_json.h"
#include "keel/state/state_dir_lock.h"

namespace keel::cli {
namespace {

std::string readText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// The state directory: --state-dir, else $KEEL_HOME/services/<--service>,
// else the one service there with launch settings.
Result<std::string> stateDirOf(const UpdateArgs& args) {
  if (!args.stateDir.empty()) return args.stateDir;
  std::string services = keelHome(processEnv()) + "/services";
  if (!args.service.empty()) return services + "/" + serviceDirName(args.service);
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(services, ec)) {
    if (std::filesystem::exists(e.path() / scheduler::kLaunchFileName)) {
      found.push_back(e.path().string());
    }
  }
  if (found.size() == 1) return found[0];
  return Status::invalidArgument(
      found.empty() ? "no service started by `keel run` under " + services +
                          "; give --service NAME or --state-dir DIR"
                    : "several services under " + services + "; give --service NAME");
}

// The pid of the scheduler holding `dir`'s lock; FailedPrecondition when
// none runs there.
Result<pid_t> runningScheduler(const std::string& dir) {
  Result<state::StateDirLock> lock = state::StateDirLock::acquire(dir);
  if (lock) {
    return Status::failedPrecondition("no scheduler runs on " + dir +
                                      "; start it with `keel run` (nothing was changed)");
  }
  std::string pid = trimmed(readText(dir + "/" + state::kLockFileName));
  try {
    return static_cast<pid_t>(std::stoi(pid));
  } catch (...) {
    return Status::failedPrecondition("the scheduler on " + dir + " has not written its pid yet");
  }
}

// The new spec as the scheduler would store it; nullopt after printing why
// it is invalid.
std::optional<spec::ServiceSpec> loadNew(const SpecInput& input, const std::string& given,
                                         std::ostream& err) {
  LoadedSpec loaded = loadSpecInput(input);
  printLoadDiagnostics(loaded, err);
  Result<scheduler::UpdatePolicy> policy = scheduler::updatePolicyFromEnv(loaded.env);
  if (!policy) err << given << ": " << policy.error().message() << "\n";
  if (!loaded.ok() || !policy) {
    err << given << ": invalid; nothing was changed\n";
    return std::nullopt;
  }
  return config::withRoutedTaskEnv(*loaded.result.spec, loaded.env);
}

// The running scheduler's target configuration and its id.
Result<std::pair<std::string, spec::ServiceSpec>> runningTarget(const ApiClient& api) {
  KEEL_ASSIGN_OR_RETURN(ApiReply id, api.get("/v1/configurations/targetId"));
  KEEL_ASSIGN_OR_RETURN(ApiReply target, api.get("/v1/configurations/target"));
  nlohmann::json ids = nlohmann::json::parse(id.body, nullptr, false);
  if (id.status != 200 || target.status != 200 || !ids.is_array() || ids.size() != 1) {
    return Status::unavailable("the scheduler at " + api.url() + " has no target configuration");
  }
  KEEL_ASSIGN_OR_RETURN(spec::ServiceSpec spec, spec::serviceSpecFromJson(target.body));
  return std::make_pair(ids[0].get<std::string>(), std::move(spec));
}

// Stores the new input as the launch settings, keeping a copy of the given
// file in the state directory (the caller's file may change or go away).
Status storeSettings(const std::string& dir, LaunchSettings settings, const UpdateArgs& args) {
  if (!args.optionsFile.empty()) {
    std::string copy = dir + "/" + scheduler::kUpdateOptionsFileName;
    KEEL_RETURN_IF_ERROR(writeFileAtomically(copy, readText(args.optionsFile)));
    settings.input.optionsFile = copy;
  }
  if (!args.envFile.empty()) {
    std::string copy = dir + "/" + scheduler::kUpdateEnvFileName;
    KEEL_RETURN_IF_ERROR(writeFileAtomically(copy, readText(args.envFile)));
    settings.input.envFile = copy;
  }
  return writeLaunchSettings(dir, settings);
}

// Polls until the scheduler on `dir` serves a target other than `old`.
std::optional<std::string> awaitNewTarget(const std::string& dir, const std::string& old,
                                          Duration timeout) {
  TimePoint deadline = SystemClock::instance().now() + timeout;
  while (SystemClock::instance().now() < deadline) {
    std::string url = trimmed(readText(dir + "/" + scheduler::kSchedulerUrlFileName));
    if (!url.empty()) {
      Result<ApiReply> r =
          ApiClient(url, std::chrono::seconds(2)).get("/v1/configurations/targetId");
      nlohmann::json ids = r ? nlohmann::json::parse(r->body, nullptr, false) : nlohmann::json();
      if (ids.is_array() && ids.size() == 1 && ids[0].get<std::string>() != old) {
        return ids[0].get<std::string>();
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // polling an external process
  }
  return std::nullopt;
}

// The state directory and its launch settings; nullopt after printing why
// there are none.
std::optional<std::pair<std::string, LaunchSettings>> launchOf(const UpdateArgs& args,
                                                               std::ostream& err) {
  Result<std::string> dir = stateDirOf(args);
  if (!dir) {
    err << "keel update: " << dir.error().message() << "\n";
    return std::nullopt;
  }
  Result<std::optional<LaunchSettings>> launched = readLaunchSettings(*dir);
  if (launched && *launched) return std::make_pair(*dir, **launched);
  err << "keel update: "
      << (launched ? "no " + std::string(scheduler::kLaunchFileName) + " in " + *dir +
                         ": the service was not started by `keel run`; restart its scheduler "
                         "with the new environment"
                   : launched.error().message())
      << " (nothing was changed)\n";
  return std::nullopt;
}

// What an accepted update changes, checked before anything is.
struct Checked {
  std::string dir;
  LaunchSettings launched;
  pid_t pid = 0;
  std::string oldTarget;
  config::ConfigDiff diff;
};

// Checks the new file and the change against the running target; nullopt
// after printing why it is refused.
std::optional<Checked> checkUpdate(const UpdateArgs& args, const std::string& given,
                                   std::ostream& err) {
  auto launch = launchOf(args, err);
  if (!launch) return std::nullopt;
  SpecInput input = launch->second.input;
  if (!args.optionsFile.empty()) input.optionsFile = absolutePath(args.optionsFile);
  if (!args.envFile.empty()) input.envFile = absolutePath(args.envFile);
  std::optional<spec::ServiceSpec> next = loadNew(input, given, err);
  if (!next) return std::nullopt;
  Result<pid_t> pid = runningScheduler(launch->first);
  std::string url = trimmed(readText(launch->first + "/" + scheduler::kSchedulerUrlFileName));
  Result<std::pair<std::string, spec::ServiceSpec>> target =
      pid ? runningTarget(ApiClient(url))
          : Result<std::pair<std::string, spec::ServiceSpec>>(pid.error());
  if (!target) {
    err << "keel update: " << target.error().message() << "\n";
    return std::nullopt;
  }
  std::vector<config::ConfigError> errors = config::validateConfigChange(target->second, *next);
  for (const auto& e : errors) err << e.toString() << "\n";
  if (!errors.empty()) {
    err << given << ": update refused; configuration " << target->first
        << " stays the target (nothing was changed)\n";
    return std::nullopt;
  }
  return Checked{launch->first, launch->second, *pid, target->first,
                 config::diffConfigs(target->second, *next)};
}

}  // namespace

int runUpdate(const UpdateArgs& args, std::ostream& out, std::ostream& err) {
  if (args.optionsFile.empty() == args.envFile.empty()) {
    err << "keel update: give --options FILE or --env-file FILE (one of them)\n";
    return kExitUsage;
  }
  const std::string given = args.optionsFile.empty() ? args.envFile : args.optionsFile;
  std::optional<Checked> c = checkUpdate(args, given, err);
  if (!c) return kExitInvalid;
  if (c->diff.empty()) {
    out << "no change: configuration " << c->oldTarget << " already is this one\n";
    return kExitOk;
  }
  out << config::formatConfigDiff(c->diff);
  Status stored = storeSettings(c->dir, c->launched, args);
  if (!stored.isOk() || ::kill(c->pid, SIGHUP) != 0) {
    err << "keel update: " << (stored.isOk() ? "cannot signal the scheduler" : stored.message())
        << "\n";
    return kExitInvalid;
  }
  std::optional<std::string> now = awaitNewTarget(c->dir, c->oldTarget, args.timeout);
  if (!now) {
    err << "keel update: the scheduler did not take a new target within the timeout; see "
           "`keel plan status deploy` (its errors say why a change is refused)\n";
    return kExitInvalid;
  }
  out << "configuration " << *now << " is the target (was " << c->oldTarget
      << "); watch it roll out: keel plan status deploy\n";
  return kExitOk;
}

}  // namespace keel::cli
