#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/commands.h"
#include "testing/paths.h"
#include "testing/temp_dir.h"

namespace keel::cli {
namespace {

const std::string kDataStoreDir = keel::testing::sourceDir() + "/examples/data-store";
const std::string kHelloWorld = keel::testing::sharedDir() + "/compat/dcos-commons/helloworld";

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome validate(const SpecInput& input, const std::string& cluster = "local") {
  std::ostringstream out, err;
  int code = runValidate(input, TargetCluster{cluster}, out, err);
  return {code, out.str(), err.str()};
}

Outcome preview(const SpecInput& input, bool json = false) {
  std::ostringstream out, err;
  int code = runPlanPreview(input, "deploy", json, out, err);
  return {code, out.str(), err.str()};
}

// The data-store example as the README's main command renders it, with the
// URIs the run script adds.
SpecInput dataStoreInput(const testing::TempDir& dir) {
  std::ifstream defaults(kDataStoreDir + "/data-store.env");
  std::ofstream env(dir.file("data-store.env"));
  env << defaults.rdbuf() << "METADATA_URI=file://" << kDataStoreDir << "/meta-data\n"
      << "DATA_URI=file://" << kDataStoreDir << "/data\n";
  env.close();
  SpecInput input;
  input.specPath = kDataStoreDir + "/svc.yml";
  input.envFile = dir.file("data-store.env");
  input.useProcessEnv = false;
  input.strict = true;
  return input;
}

void writeFile(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

TEST(Validate, TheDataStoreExampleIsValidAndSummarised) {
  testing::TempDir dir;
  Outcome r = validate(dataStoreInput(dir));
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("svc.yml: valid"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("pod meta-data x2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("pod data x3"), std::string::npos) << r.out;
}

TEST(Validate, AnErrorIsPrintedWithFileLineKeyPathAndExitsOne) {
  testing::TempDir dir;
  writeFile(dir.file("svc.yml"),
            "name: broken\n"
            "pods:\n"
            "  data:\n"
            "    count: 1\n"
            "    tasks:\n"
            "      node:\n"
            "        goal: RUNNING\n"
            "        cmd: run\n"
            "        cpus: 0.1\n"
            "        memory: 32\n"
            "        volume:\n"
            "          path: data\n"
            "          type: ROOT\n"
            "          size: abc\n");
  SpecInput input;
  input.specPath = dir.file("svc.yml");
  input.useProcessEnv = false;
  Outcome r = validate(input);
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_NE(r.err.find("svc.yml:14:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("pods.data.tasks.node.volume.size"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("abc"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(Validate, AMissingEnvFileIsNamed) {
  SpecInput input;
  input.specPath = kDataStoreDir + "/svc.yml";
  input.envFile = "/nonexistent/keel.env";
  input.useProcessEnv = false;
  Outcome r = validate(input);
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_NE(r.err.find("/nonexistent/keel.env"), std::string::npos) << r.err;
}

TEST(Validate, PackageOptionsRenderTheEnvironmentTheSpecUses) {
  testing::TempDir dir;
  writeFile(dir.file("options.json"), R"({"hello": {"count": 3}})");
  SpecInput input;
  input.specPath = kHelloWorld + "/dist/svc.yml";
  input.optionsFile = dir.file("options.json");
  input.useProcessEnv = false;
  Outcome r = validate(input);
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("pod hello x3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("pod world x2"), std::string::npos) << r.out;
}

TEST(Validate, InvalidPackageOptionsAreRejectedNamingTheOption) {
  testing::TempDir dir;
  writeFile(dir.file("options.json"), R"({"hello": {"count": "many"}})");
  SpecInput input;
  input.specPath = kHelloWorld + "/dist/svc.yml";
  input.optionsFile = dir.file("options.json");
  input.useProcessEnv = false;
  Outcome r = validate(input);
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_NE(r.err.find("hello.count"), std::string::npos) << r.err;
}

TEST(Validate, FeaturesTheLocalClusterLacksAreReportedNotIgnored) {
  SpecInput input;
  input.specPath = keel::testing::sharedDir() + "/compat/dcos-commons/sdk-specs/valid-image.yml";
  input.useProcessEnv = false;
  Outcome local = validate(input);
  EXPECT_EQ(local.code, kExitInvalid);
  EXPECT_NE(local.err.find("image"), std::string::npos) << local.err;
  EXPECT_NE(local.err.find("unsupported"), std::string::npos) << local.err;
  Outcome mesos = validate(input, "mesos");
  EXPECT_EQ(mesos.code, kExitOk) << mesos.err;
}

TEST(PlanPreview, TheDataStoreDeploysMetaDataBeforeData) {
  testing::TempDir dir;
  Outcome r = preview(dataStoreInput(dir));
  ASSERT_EQ(r.code, kExitOk) << r.err;
  size_t meta = r.out.find("meta-data-1:[node]");
  size_t data = r.out.find("─ data-0:[node]");
  ASSERT_NE(meta, std::string::npos) << r.out;
  ASSERT_NE(data, std::string::npos) << r.out;
  EXPECT_LT(meta, data);
  EXPECT_NE(r.out.find("data-2:[node]"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("data-3:[node]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("deploy (serial"), std::string::npos) << r.out;
}

TEST(PlanPreview, JsonIsThePlansApiShape) {
  testing::TempDir dir;
  Outcome r = preview(dataStoreInput(dir), /*json=*/true);
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("\"phases\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"PENDING\""), std::string::npos) << r.out;
}

TEST(PlanPreview, APlanNamingAnUnknownPodIsAnError) {
  testing::TempDir dir;
  writeFile(dir.file("svc.yml"),
            "name: store\n"
            "pods:\n"
            "  data:\n"
            "    count: 1\n"
            "    tasks:\n"
            "      node: {goal: RUNNING, cmd: run, cpus: 0.1, memory: 32}\n"
            "plans:\n"
            "  deploy:\n"
            "    phases:\n"
            "      journal-deploy: {strategy: serial, pod: journal}\n");
  SpecInput input;
  input.specPath = dir.file("svc.yml");
  input.useProcessEnv = false;
  Outcome r = preview(input);
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_NE(r.err.find("journal"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("data"), std::string::npos) << r.err;
}

std::string keelBinary() { return keel::testing::binaryDir() + "/src/cli/keel"; }

int runShell(const std::string& command) {
  int rc = std::system((command + " >/dev/null 2>&1").c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

TEST(KeelBinary, ExitsTwoOnAUsageErrorAndOneOnAMissingSpec) {
  EXPECT_EQ(runShell(keelBinary()), kExitUsage);
  EXPECT_EQ(runShell(keelBinary() + " validate"), kExitUsage);
  EXPECT_EQ(runShell(keelBinary() + " validate /nonexistent/svc.yml"), kExitInvalid);
  EXPECT_EQ(runShell(keelBinary() + " --help"), kExitOk);
}

}  // namespace
}  // namespace keel::cli
