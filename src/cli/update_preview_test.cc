// `keel update preview`, through runUpdatePreview and through the keel binary,
// on the data-store example: scaling, a resized task, a resized volume.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "keel/config/task_env.h"
#include "keel/env_file.h"
#include "keel/spec_json.h"
#include "testing/paths.h"
#include "testing/temp_dir.h"

namespace keel::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Env = std::map<std::string, std::string>;

const std::string kDataStoreDir = keel::testing::sourceDir() + "/examples/data-store";

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

// data-store.env with the URIs the run script adds and `overrides`, written
// to `name` in `dir`; returns its path.
std::string writeEnv(const testing::TempDir& dir, const std::string& name, const Env& overrides) {
  auto env = readEnvFile(kDataStoreDir + "/data-store.env");
  EXPECT_TRUE(env.isOk()) << env.status();
  Env all = *env;
  all["METADATA_URI"] = "file://" + kDataStoreDir + "/meta-data";
  all["DATA_URI"] = "file://" + kDataStoreDir + "/data";
  for (const auto& [k, v] : overrides) all[k] = v;
  std::ofstream out(dir.file(name));
  for (const auto& [k, v] : all) out << k << "=" << v << "\n";
  return dir.file(name);
}

// The data-store svc.yml rendered with `to`, previewed against itself
// rendered with `from`.
UpdatePreviewArgs dataStoreArgs(const testing::TempDir& dir, const Env& from, const Env& to) {
  UpdatePreviewArgs args;
  args.input.specPath = kDataStoreDir + "/svc.yml";
  args.input.envFile = writeEnv(dir, "new.env", to);
  args.input.useProcessEnv = false;
  args.input.strict = true;
  args.from = kDataStoreDir + "/svc.yml";
  args.fromEnvFile = writeEnv(dir, "old.env", from);
  return args;
}

Outcome run(const UpdatePreviewArgs& args) {
  std::ostringstream out, err;
  int code = runUpdatePreview(args, out, err);
  return {code, out.str(), err.str()};
}

TEST(UpdatePreview, ScalingDataFromThreeToFiveAddsDataThreeAndFourAndRelaunchesNothing) {
  testing::TempDir dir;
  Outcome r = run(dataStoreArgs(dir, {}, {{"DATA_COUNT", "5"}}));
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out,
            "pod data: changed, count 3 -> 5\n"
            "  add: data-3, data-4\n"
            "relaunch 0 pod instances, add 2 pod instances, decommission 0 pod instances\n"
            "\n"
            "deploy plan (serial strategy), as the update would run it:\n"
            "  phase meta-data (serial strategy)\n"
            "    meta-data-0:[node]  COMPLETE  unchanged\n"
            "    meta-data-1:[node]  COMPLETE  unchanged\n"
            "  phase data (serial strategy)\n"
            "    data-0:[node]  COMPLETE  unchanged\n"
            "    data-1:[node]  COMPLETE  unchanged\n"
            "    data-2:[node]  COMPLETE  unchanged\n"
            "    data-3:[node]  PENDING  launch: a new pod instance\n"
            "    data-4:[node]  PENDING  launch: a new pod instance\n");
}

TEST(UpdatePreview, AChangedDataCpusRelaunchesEveryDataInstance) {
  testing::TempDir dir;
  Outcome r = run(dataStoreArgs(dir, {}, {{"DATA_CPU", "0.2"}}));
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("relaunch: data-0, data-1, data-2 (task config changed)\n"));
  EXPECT_THAT(r.out, HasSubstr("tasks.node.cpus: 0.1 -> 0.2\n"));
  EXPECT_THAT(r.out, HasSubstr("    data-2:[node]  PENDING  relaunch with the new task config\n"));
  EXPECT_THAT(r.out, HasSubstr("    meta-data-0:[node]  COMPLETE  unchanged\n"));
  EXPECT_THAT(r.out.substr(0, r.out.find("\n\n")), Not(HasSubstr("meta-data"))) << "the diff";
}

TEST(UpdatePreview, AChangedVolumeSizeIsRefusedWithTheReason) {
  testing::TempDir dir;
  Outcome r = run(dataStoreArgs(dir, {}, {{"DATA_DISK", "128"}}));
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("pods.data.tasks.node.volume.size: the size of volume "
                               "'data-container-path' cannot change (64 MB -> 128 MB)"));
  EXPECT_THAT(r.err, HasSubstr("Set size back to 64 MB"));
  EXPECT_THAT(r.err, HasSubstr("update refused (1 error); the current configuration stays"));
}

TEST(UpdatePreview, ShrinkingWithoutAllowDecommissionIsRefused) {
  testing::TempDir dir;
  Outcome r = run(dataStoreArgs(dir, {}, {{"DATA_COUNT", "2"}}));
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_THAT(r.err, HasSubstr("pods.data.count: pod 'data' count cannot shrink from 3 to 2"));
}

TEST(UpdatePreview, TheSameConfigurationHasNoChanges) {
  testing::TempDir dir;
  Outcome r = run(dataStoreArgs(dir, {}, {}));
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "no changes\n");
}

TEST(UpdatePreview, WithoutFromEnvFileTheOldSpecIsRenderedWithTheNewEnv) {
  testing::TempDir dir;
  UpdatePreviewArgs args = dataStoreArgs(dir, {}, {{"DATA_COUNT", "5"}});
  args.fromEnvFile.clear();
  Outcome r = run(args);
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "no changes\n");
}

TEST(UpdatePreview, TaskcfgVariablesReachTheTasksAndTheirChangeRelaunches) {
  testing::TempDir dir;
  Outcome r =
      run(dataStoreArgs(dir, {{"TASKCFG_DATA_LOG", "info"}}, {{"TASKCFG_DATA_LOG", "debug"}}));
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("tasks.node.env.LOG: \"info\" -> \"debug\""));
  EXPECT_THAT(r.out, HasSubstr("relaunch: data-0, data-1, data-2"));
}

TEST(UpdatePreview, TheOldConfigurationMayBeAStoredJsonConfiguration) {
  testing::TempDir dir;
  UpdatePreviewArgs args = dataStoreArgs(dir, {}, {{"DATA_COUNT", "5"}});
  SpecInput old = args.input;
  old.envFile = args.fromEnvFile;
  LoadedSpec loaded = loadSpecInput(old);
  ASSERT_TRUE(loaded.ok());
  std::ofstream(dir.file("target.json"))
      << spec::toJson(config::withRoutedTaskEnv(*loaded.result.spec, loaded.env));
  args.from = dir.file("target.json");
  args.fromEnvFile.clear();
  Outcome r = run(args);
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("add: data-3, data-4\n"));
  EXPECT_THAT(r.out, HasSubstr("relaunch 0 pod instances"));
}

TEST(UpdatePreview, AnUnreadableOrBrokenOldConfigurationIsAnError) {
  testing::TempDir dir;
  UpdatePreviewArgs args = dataStoreArgs(dir, {}, {});
  args.from = dir.file("missing.json");
  Outcome r = run(args);
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_THAT(r.err, HasSubstr("missing.json: cannot read the old configuration (--from)"));
  std::ofstream(dir.file("broken.json")) << "{\"name\": 3}";
  args.from = dir.file("broken.json");
  r = run(args);
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_THAT(r.err, HasSubstr("broken.json: service spec JSON"));
  std::ofstream(dir.file("nameless.json")) << "{\"pods\": []}";
  args.from = dir.file("nameless.json");
  r = run(args);
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_THAT(r.err, HasSubstr("nameless.json: service spec JSON: 'name' is missing"));
}

TEST(UpdatePreview, JsonOutputCarriesValidityErrorsAndTheDiff) {
  testing::TempDir dir;
  UpdatePreviewArgs args = dataStoreArgs(dir, {}, {{"DATA_COUNT", "5"}});
  args.json = true;
  Outcome r = run(args);
  EXPECT_EQ(r.code, kExitOk) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["valid"], true);
  EXPECT_EQ(j["errors"], nlohmann::json::array());
  EXPECT_EQ(j["diff"]["add"], nlohmann::json({"data-3", "data-4"}));
  EXPECT_EQ(j["diff"]["relaunch"], nlohmann::json::array());
  EXPECT_EQ(j["plan"]["status"], "IN_PROGRESS") << j["plan"].dump();
  EXPECT_EQ(j["plan"]["phases"][1]["steps"][3]["status"], "PENDING");
  EXPECT_EQ(j["plan"]["phases"][1]["steps"][0]["status"], "COMPLETE");

  args = dataStoreArgs(dir, {}, {{"DATA_DISK", "128"}});
  args.json = true;
  r = run(args);
  EXPECT_EQ(r.code, kExitInvalid);
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["valid"], false);
  EXPECT_EQ(j["errors"][0]["validator"], "volumes");
  EXPECT_EQ(j["errors"][0]["where"], "pods.data.tasks.node.volume.size");
  EXPECT_FALSE(j.contains("plan")) << "a refused update runs no plan";
}

// Runs `command`, returning its exit status and standard output.
Outcome shell(const std::string& command) {
  Outcome r{-1, "", ""};
  FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
  int rc = pclose(pipe);
  r.code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return r;
}

TEST(KeelBinary, UpdatePreviewShowsAScaleUpAndRefusesAVolumeResize) {
  testing::TempDir dir;
  std::string keel = keel::testing::binaryDir() + "/src/cli/keel";
  std::string svc = kDataStoreDir + "/svc.yml";
  std::string old = writeEnv(dir, "old.env", {});
  std::string scaled = writeEnv(dir, "scaled.env", {{"DATA_COUNT", "5"}});
  std::string resized = writeEnv(dir, "resized.env", {{"DATA_DISK", "128"}});
  std::string from = " --from " + svc + " --from-env-file " + old;

  Outcome r = shell(keel + " update preview " + svc + " --env-file " + scaled + from);
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_THAT(r.out, HasSubstr("pod data: changed, count 3 -> 5\n  add: data-3, data-4\n"));
  r = shell(keel + " update preview " + svc + " --env-file " + scaled + from + " --json");
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_EQ(nlohmann::json::parse(r.out)["diff"]["add"], nlohmann::json({"data-3", "data-4"}));
  r = shell(keel + " update preview " + svc + " --env-file " + resized + from);
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_EQ(shell(keel + " update preview " + svc).code, kExitUsage);  // no --from
  EXPECT_EQ(shell(keel + " update").code, kExitUsage);
}

}  // namespace
}  // namespace keel::cli
