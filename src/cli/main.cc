// keel: the command line. Subcommands are implemented in commands.h; this file
// only parses arguments.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/cluster_command.h"
#include "cli/commands.h"
#include "cli/operator_cli.h"
#include "cli/run_command.h"

namespace {

void addSpecInputOptions(CLI::App* cmd, keel::cli::SpecInput& input) {
  cmd->add_option("spec", input.specPath, "the service spec (svc.yml)")->required();
  cmd->add_option("--env-file", input.envFile, "KEY=VALUE lines to render the spec with");
  cmd->add_option("--options", input.optionsFile,
                  "package options (JSON), checked against the package's config.json");
  cmd->add_option("--package", input.packageDir,
                  "the package directory for --options (default: universe/ beside the spec "
                  "or in its parent)");
  cmd->add_flag("--strict", input.strict, "missing template variables are errors");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"keel: deploy and operate stateful services"};
  app.require_subcommand(1);
  int status = keel::cli::kExitOk;

  keel::cli::SpecInput validateInput;
  keel::cli::TargetCluster cluster;
  CLI::App* validate = app.add_subcommand("validate", "check a svc.yml and summarise it");
  addSpecInputOptions(validate, validateInput);
  validate->add_option("--cluster", cluster.kind,
                       "check features against 'local' (default) or 'mesos'");
  validate->callback(
      [&] { status = keel::cli::runValidate(validateInput, cluster, std::cout, std::cerr); });

  keel::cli::UpdatePreviewArgs update;
  CLI::App* updateCmd = app.add_subcommand("update", "configuration updates of a service");
  updateCmd->require_subcommand(0, 1);
  keel::cli::UpdateArgs apply;
  int timeoutSecs = 60;
  updateCmd->add_option("--options", apply.optionsFile, "new package options (JSON) to apply");
  updateCmd->add_option("--env-file", apply.envFile, "new KEY=VALUE env file to apply");
  updateCmd->add_option("--service", apply.service, "the service (its state under $KEEL_HOME)");
  updateCmd->add_option("--state-dir", apply.stateDir, "the scheduler's state directory");
  updateCmd->add_option("--timeout", timeoutSecs, "seconds to wait for the new target (60)");
  updateCmd->callback([&] {
    if (!updateCmd->get_subcommands().empty()) return;
    apply.timeout = std::chrono::seconds(timeoutSecs);
    status = keel::cli::runUpdate(apply, std::cout, std::cerr);
  });
  CLI::App* updatePreview = updateCmd->add_subcommand(
      "preview", "check a new svc.yml against the old configuration and show what changes");
  addSpecInputOptions(updatePreview, update.input);
  updatePreview->add_option("--from", update.from, "old svc.yml or stored config JSON")->required();
  updatePreview->add_option("--from-env-file", update.fromEnvFile, "env file of the old svc.yml");
  updatePreview->add_option("--from-options", update.fromOptionsFile, "options of the old svc.yml");
  updatePreview->add_flag("--json", update.json, "print {valid, errors, diff} as JSON");
  updatePreview->callback(
      [&] { status = keel::cli::runUpdatePreview(update, std::cout, std::cerr); });

  CLI::App* plan = app.add_subcommand("plan", "plans of a service");
  plan->require_subcommand(1);
  keel::cli::SpecInput previewInput;
  std::string planName = "deploy";
  bool json = false;
  CLI::App* preview = plan->add_subcommand("preview", "print the plan a spec produces");
  addSpecInputOptions(preview, previewInput);
  preview->add_option("--plan", planName, "which plan (default deploy)");
  preview->add_flag("--json", json, "print the /v1/plans/<plan> JSON instead of a tree");
  preview->callback([&] {
    status = keel::cli::runPlanPreview(previewInput, planName, json, std::cout, std::cerr);
  });

  keel::cli::addRunCommand(app, status);
  keel::cli::addClusterCommand(app, status);
  keel::cli::addOperatorCommands(app, *plan, status);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : keel::cli::kExitUsage;
  }
  return status;
}
