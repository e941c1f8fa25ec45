#include "cli/operator_cli.h"

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/operator_commands.h"

namespace keel::cli {
namespace {

// Every option value of every operator command; one command runs per
// invocation, so they share it.
struct Args {
  RemoteOptions remote;
  PlanTarget target;
  std::vector<std::string> parameters;
  std::string name;  // a pod, endpoint, property key or configuration id
  OfferQuery offers;
  UninstallOptions uninstall;
  int timeoutSeconds = 300;
  bool noWait = false;
  int* status = nullptr;
};
using ArgsPtr = std::shared_ptr<Args>;

std::optional<std::string> optional(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

CLI::App* command(CLI::App& parent, const char* name, const char* help, const ArgsPtr& args) {
  CLI::App* cmd = parent.add_subcommand(name, help);
  cmd->add_option("--url", args->remote.connect.url,
                  "the scheduler's API (default: $KEEL_URL, else the running service's)");
  cmd->add_option("--service", args->remote.connect.service,
                  "the service whose scheduler to ask (under $KEEL_HOME/services)");
  cmd->add_flag("--json", args->remote.json, "print the API's JSON answer (indented)");
  return cmd;
}

// Runs `fn` as the command's action, its result the exit status.
template <typename Fn>
void action(CLI::App* cmd, const ArgsPtr& args, Fn fn) {
  cmd->callback([args, fn] { *args->status = fn(*args); });
}

void addPlanElementCommand(CLI::App& plan, const char* name, const char* help, PlanCommand which,
                           bool needsStep, const ArgsPtr& args) {
  CLI::App* cmd = command(plan, name, help, args);
  cmd->add_option("plan", args->target.plan, "the plan (default deploy)");
  CLI::Option* phase = cmd->add_option("--phase", args->target.phase, "a phase (name or id)");
  CLI::Option* step = cmd->add_option("--step", args->target.step, "a step of it (name or id)");
  if (needsStep) {
    phase->required();
    step->required();
  }
  action(cmd, args, [which](Args& a) {
    return runPlanCommand(a.remote, which, a.target, std::cout, std::cerr);
  });
}

void addPlanCommands(CLI::App& plan, const ArgsPtr& args) {
  action(command(plan, "list", "the plans and their statuses", args), args,
         [](Args& a) { return runPlanList(a.remote, std::cout, std::cerr); });
  CLI::App* status = command(plan, "status", "a plan's phases, steps and errors", args);
  status->add_option("plan", args->target.plan, "the plan (default deploy)");
  action(status, args,
         [](Args& a) { return runPlanStatus(a.remote, a.target.plan, std::cout, std::cerr); });
  addPlanElementCommand(plan, "interrupt", "pause a plan, phase or step", PlanCommand::kInterrupt,
                        false, args);
  addPlanElementCommand(plan, "continue", "resume a plan, phase or step", PlanCommand::kContinue,
                        false, args);
  addPlanElementCommand(plan, "force-complete", "mark a step complete without running it",
                        PlanCommand::kForceComplete, true, args);
  addPlanElementCommand(plan, "restart", "run a step again", PlanCommand::kRestart, true, args);
  CLI::App* start = command(plan, "start", "start a plan (e.g. a custom one)", args);
  start->add_option("plan", args->target.plan, "the plan")->required();
  start->add_option("-p,--parameter", args->parameters, "KEY=VALUE for the plan's environment");
  action(start, args, [](Args& a) {
    return runPlanStart(a.remote, a.target.plan, a.parameters, std::cout, std::cerr);
  });
  CLI::App* stop = command(plan, "stop", "stop a plan and reset its progress", args);
  stop->add_option("plan", args->target.plan, "the plan")->required();
  action(stop, args,
         [](Args& a) { return runPlanStop(a.remote, a.target.plan, std::cout, std::cerr); });
}

void addPodCommands(CLI::App& app, const ArgsPtr& args) {
  CLI::App* pod = app.add_subcommand("pod", "pods of a running service");
  pod->require_subcommand(1);
  action(command(*pod, "list", "the pod instances", args), args,
         [](Args& a) { return runPodList(a.remote, std::cout, std::cerr); });
  CLI::App* status = command(*pod, "status", "tasks and their states, of all pods or one", args);
  status->add_option("pod", args->name, "a pod instance, e.g. data-0");
  action(status, args,
         [](Args& a) { return runPodStatus(a.remote, optional(a.name), std::cout, std::cerr); });
  CLI::App* info = command(*pod, "info", "a pod instance's tasks in detail", args);
  info->add_option("pod", args->name, "a pod instance, e.g. data-0")->required();
  action(info, args, [](Args& a) { return runPodInfo(a.remote, a.name, std::cout, std::cerr); });
  for (bool replace : {false, true}) {
    CLI::App* cmd = command(*pod, replace ? "replace" : "restart",
                            replace ? "relaunch a pod instance on new resources"
                                    : "relaunch a pod instance in place, keeping its volumes",
                            args);
    cmd->add_option("pod", args->name, "a pod instance, e.g. data-0")->required();
    action(cmd, args, [replace](Args& a) {
      return runPodRestart(a.remote, a.name, replace, std::cout, std::cerr);
    });
  }
  CLI::App* recovery = app.add_subcommand("recovery", "the automatic recovery policy");
  recovery->require_subcommand(1);
  action(command(*recovery, "reset",
                 "re-enable automatic pod replacement after its circuit breaker tripped", args),
         args, [](Args& a) { return runRecoveryReset(a.remote, std::cout, std::cerr); });
}

void addStateCommands(CLI::App& app, const ArgsPtr& args) {
  CLI::App* state = app.add_subcommand("state", "what the scheduler stored");
  state->require_subcommand(1);
  action(command(*state, "framework-id", "the Mesos framework ID", args), args,
         [](Args& a) { return runStateFrameworkId(a.remote, std::cout, std::cerr); });
  CLI::App* props = command(*state, "properties", "stored properties, or one's value", args);
  props->add_option("key", args->name, "a property");
  action(props, args, [](Args& a) {
    return runStateProperties(a.remote, optional(a.name), std::cout, std::cerr);
  });
  CLI::App* config = app.add_subcommand("config", "the service's stored configurations");
  config->require_subcommand(1);
  action(command(*config, "list", "configuration ids, the target marked", args), args,
         [](Args& a) { return runConfigList(a.remote, std::cout, std::cerr); });
  CLI::App* show = command(*config, "show", "one configuration", args);
  show->add_option("id", args->name, "a configuration id")->required();
  action(show, args, [](Args& a) { return runConfigShow(a.remote, a.name, std::cout, std::cerr); });
  action(command(*config, "target", "the configuration being deployed", args), args,
         [](Args& a) { return runConfigTarget(a.remote, std::cout, std::cerr); });
  CLI::App* rollback = command(*config, "rollback",
                               "abort an update: the previous configuration becomes the target "
                               "again and the pods running the current one relaunch with it",
                               args);
  rollback->add_option("--reason", args->name, "why, kept with the rolled-back configuration");
  action(rollback, args,
         [](Args& a) { return runConfigRollback(a.remote, a.name, std::cout, std::cerr); });
}

void addInfoCommands(CLI::App& app, const ArgsPtr& args) {
  CLI::App* endpoints =
      command(app, "endpoints", "the service's endpoints, or one's addresses", args);
  endpoints->add_option("name", args->name, "an endpoint");
  action(endpoints, args,
         [](Args& a) { return runEndpoints(a.remote, optional(a.name), std::cout, std::cerr); });
  CLI::App* debug = app.add_subcommand("debug", "the scheduler's internals");
  debug->require_subcommand(1);
  CLI::App* offers =
      command(*debug, "offers", "recent offer evaluations and why they failed", args);
  offers->add_option("--plan", args->offers.plan, "only for this plan");
  offers->add_option("--phase", args->offers.phase, "only for this phase");
  offers->add_option("--step", args->offers.step, "only for this step");
  action(offers, args,
         [](Args& a) { return runDebugOffers(a.remote, a.offers, std::cout, std::cerr); });
}

void addUninstallCommand(CLI::App& app, const ArgsPtr& args) {
  CLI::App* cmd = command(app, "uninstall",
                          "uninstall the service: kill its tasks, destroy its volumes, release "
                          "its reservations, tear its framework down, delete its state",
                          args);
  cmd->add_flag("--no-wait", args->noWait,
                "return once the scheduler accepted; do not follow the uninstall");
  cmd->add_option("--timeout", args->timeoutSeconds, "seconds to wait (default 300)");
  action(cmd, args, [](Args& a) {
    a.uninstall.wait = !a.noWait;
    a.uninstall.timeout = std::chrono::seconds(a.timeoutSeconds);
    return runUninstall(a.remote, a.uninstall, std::cout, std::cerr);
  });
}

}  // namespace

void addOperatorCommands(CLI::App& app, CLI::App& plan, int& status) {
  auto args = std::make_shared<Args>();
  args->status = &status;
  addPlanCommands(plan, args);
  addPodCommands(app, args);
  addStateCommands(app, args);
  addInfoCommands(app, args);
  addUninstallCommand(app, args);
}

}  // namespace keel::cli
