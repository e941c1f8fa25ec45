#include "keel/spec_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "testing/temp_dir.h"

namespace keel::spec {
namespace {

using ::testing::HasSubstr;

const char* kMinimal = R"(name: svc
pods:
  hello:
    count: 1
    tasks:
      server:
        goal: RUNNING
        cmd: ./run
        cpus: 0.5
        memory: 256
)";

LoadResult load(std::string_view text, LoadOptions options = {}) {
  return loadServiceSpecText(text, "svc.yml", options);
}

// The first error at `path`, or a failure listing all errors.
const Diagnostic* errorAt(const LoadResult& r, const std::string& path) {
  for (const auto& d : r.errors) {
    if (d.path == path) return &d;
  }
  std::string all;
  for (const auto& d : r.errors) all += "\n  " + d.toString();
  ADD_FAILURE() << "no error at " << path << all;
  return nullptr;
}

TEST(SpecLoader, LoadsAMinimalSpecWithDefaults) {
  LoadResult r = load(kMinimal);
  ASSERT_TRUE(r.ok());
  const ServiceSpec& s = *r.spec;
  EXPECT_EQ(s.scheduler.principal, "svc-principal");
  EXPECT_EQ(s.scheduler.user, "root");
  EXPECT_EQ(s.scheduler.zookeeper, "master.mesos:2181");
  const TaskSpec* t = s.pod("hello")->task("server");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->resourceSet, "server-resource-set");
  const ResourceSetSpec* rs = s.pod("hello")->resourceSet("server-resource-set");
  ASSERT_NE(rs, nullptr);
  EXPECT_EQ(rs->cpus, 0.5);
  EXPECT_EQ(rs->memoryMb, 256);
  EXPECT_EQ(r.locations.at("pods.hello.tasks.server.cpus"), std::make_pair(9, 9));
  EXPECT_TRUE(r.warnings.empty());
}

TEST(SpecLoader, RendersTheEnvironmentFirst) {
  LoadOptions o;
  o.env = {{"COUNT", "3"}, {"CMD", "echo 'hi'"}};
  LoadResult r = load(
      "name: svc\npods:\n  p:\n    count: {{COUNT}}\n    tasks:\n      t:\n        cmd: "
      "\"{{{CMD}}}\"\n"
      "        cpus: 1\n",
      o);
  ASSERT_TRUE(r.ok()) << r.errors[0].toString();
  EXPECT_EQ(r.spec->pods[0].count, 3);
  EXPECT_EQ(r.spec->pods[0].tasks[0].cmd, "echo 'hi'");
}

TEST(SpecLoader, MissingVariablesAreWarningsOrInStrictModeErrors) {
  std::string text = std::string(kMinimal) + "web-url: http://x/{{MISSING}}\n";
  LoadResult lenient = load(text);
  ASSERT_TRUE(lenient.ok());
  ASSERT_EQ(lenient.warnings.size(), 1u);
  EXPECT_EQ(lenient.warnings[0].line, 11);
  EXPECT_THAT(lenient.warnings[0].toString(),
              HasSubstr("svc.yml:11: warning: template variable {{MISSING}}"));
  LoadOptions strict;
  strict.strictRendering = true;
  LoadResult r = load(text, strict);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.errors[0].message, HasSubstr("{{MISSING}}"));
}

TEST(SpecLoader, AnErrorNamesFileLineColumnPathFoundAndAllowed) {
  LoadResult r = load(R"(name: svc
pods:
  data:
    count: 1
    tasks:
      node:
        cpus: 1
        volume:
          path: v
          type: ROOT
          size: abc
)");
  const Diagnostic* d = errorAt(r, "pods.data.tasks.node.volume.size");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->toString(),
            "svc.yml:11:11: pods.data.tasks.node.volume.size: expected a number of MB greater than "
            "0, found 'abc'");
}

TEST(SpecLoader, CollectsEveryErrorInOnePass) {
  LoadResult r = load(R"(name: svc
pods:
  a:
    count: many
    tasks:
      t:
        goal: SOMETIMES
        cpus: -1
        kill-grace-period: -5
  b:
    count: 1
    tasks:
      t:
        cpus: 1
        volume: {path: v, type: PATH, size: 10}
)");
  EXPECT_FALSE(r.ok());
  EXPECT_GE(r.errors.size(), 5u);
  errorAt(r, "pods.a.count");
  errorAt(r, "pods.a.tasks.t.goal");
  errorAt(r, "pods.a.tasks.t.cpus");
  errorAt(r, "pods.a.tasks.t.kill-grace-period");
  const Diagnostic* type = errorAt(r, "pods.b.tasks.t.volume.type");
  ASSERT_NE(type, nullptr);
  EXPECT_THAT(type->message, HasSubstr("ROOT or MOUNT, found 'PATH'"));
}

TEST(SpecLoader, DuplicateKeysAreErrorsAtTheSecondOccurrence) {
  LoadResult r = load("name: svc\nname: other\n" + std::string(kMinimal).substr(10));
  const Diagnostic* d = errorAt(r, "name");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->line, 2);
  EXPECT_THAT(d->message, HasSubstr("duplicate key 'name' (first defined at line 1)"));
}

TEST(SpecLoader, UnknownKeysAreWarningsNamingTheKeyPath) {
  LoadResult r = load(std::string(kMinimal) + "        helth-check: {cmd: x}\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].path, "pods.hello.tasks.server.helth-check");
  EXPECT_THAT(r.warnings[0].message, HasSubstr("unknown key 'helth-check'"));
  EXPECT_THAT(r.warnings[0].message, HasSubstr("health-check"));
}

TEST(SpecLoader, InvalidYamlIsALocatedError) {
  LoadResult r = load("name: svc\npods: [\n");
  ASSERT_FALSE(r.ok());
  EXPECT_GT(r.errors[0].line, 0);
  EXPECT_THAT(r.errors[0].message, HasSubstr("invalid YAML"));
}

TEST(SpecLoader, ResourceSetExcludesInlineResources) {
  LoadResult r = load(R"(name: svc
pods:
  p:
    count: 1
    resource-sets:
      rs: {cpus: 1, memory: 64}
    tasks:
      t:
        resource-set: rs
        memory: 128
)");
  const Diagnostic* d = errorAt(r, "pods.p.tasks.t.memory");
  ASSERT_NE(d, nullptr);
  EXPECT_THAT(d->message, HasSubstr("cannot be combined with `resource-set: rs`"));
}

TEST(SpecLoader, ReadsEveryTaskSetting) {
  LoadOptions o;
  o.readTemplate = [](const std::string& p) -> Result<std::string> { return "content of " + p; };
  LoadResult r = load(R"(name: svc
pods:
  p:
    count: 2
    placement: 'hostname:UNIQUE'
    uris: [http://a/b.tgz]
    rlimits: {RLIMIT_NOFILE: {soft: 128, hard: 256}}
    tasks:
      t:
        goal: FINISHED
        essential: false
        cmd: run
        env: {A: 1, B: }
        labels: "k:v,k2:v:2"
        configs: {c: {template: c.mustache, dest: conf/c}}
        cpus: 1
        gpus: 0
        memory: 64
        ports:
          http: {port: 0, env-key: PORT_HTTP, advertise: true, vip: {port: 80}, ranges: [{begin: 1000}]}
        health-check: {cmd: check, interval: 5, grace-period: 30, max-consecutive-failures: 3, delay: 0, timeout: 10}
        readiness-check: {cmd: ready, interval: 5, delay: 0, timeout: 10}
        discovery: {prefix: disc, visibility: EXTERNAL}
        kill-grace-period: 30
        resource-limits: {cpus: unlimited, memory: 128}
)",
                      o);
  ASSERT_TRUE(r.ok()) << r.errors[0].toString();
  const PodSpec& p = r.spec->pods[0];
  const TaskSpec& t = p.tasks[0];
  EXPECT_EQ(t.goal, GoalState::kFinish);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_THAT(r.warnings[0].message, HasSubstr("legacy alias"));
  EXPECT_FALSE(t.essential);
  EXPECT_EQ(t.env, (std::map<std::string, std::string>{{"A", "1"}, {"B", ""}}));
  EXPECT_EQ(t.labels,
            (std::vector<std::pair<std::string, std::string>>{{"k", "v"}, {"k2", "v:2"}}));
  ASSERT_EQ(t.configs.size(), 1u);
  EXPECT_EQ(t.configs[0].content, "content of c.mustache");
  const ResourceSetSpec& rs = *p.resourceSet(t.resourceSet);
  ASSERT_EQ(rs.ports.size(), 1u);
  EXPECT_EQ(rs.ports[0].vip->prefix, "http");
  EXPECT_EQ(rs.ports[0].ranges[0].begin, 1000);
  EXPECT_FALSE(rs.ports[0].ranges[0].end.has_value());
  EXPECT_TRUE(rs.limits->cpus->unlimited);
  EXPECT_EQ(rs.limits->memory->value, 128);
  EXPECT_EQ(t.healthCheck->maxConsecutiveFailures, 3);
  EXPECT_EQ(t.readinessCheck->timeoutS, 10);
  EXPECT_EQ(t.discovery->visibility, DiscoveryVisibility::kExternal);
  EXPECT_EQ(t.killGracePeriodS, 30);
  EXPECT_EQ(p.rlimits[0].soft, 128);
  EXPECT_EQ(p.uris[0], "http://a/b.tgz");
}

TEST(SpecLoader, ReadsPlansWithStrategiesAndSteps) {
  LoadResult r = load(std::string(kMinimal) + R"(plans:
  deploy:
    strategy: parallel
    phases:
      p1:
        strategy: serial-canary
        pod: hello
        steps:
          - 0: [[server]]
          - default: [[server], [server]]
)");
  ASSERT_TRUE(r.ok()) << r.errors[0].toString();
  const PhaseSpec& ph = r.spec->plan("deploy")->phases[0];
  EXPECT_EQ(r.spec->plan("deploy")->strategy, "parallel");
  EXPECT_EQ(ph.strategy, "serial-canary");
  ASSERT_EQ(ph.steps.size(), 2u);
  EXPECT_EQ(ph.steps[1].index, "default");
  EXPECT_EQ(ph.steps[1].taskGroups.size(), 2u);
}

TEST(SpecLoader, RejectsUnknownStrategiesListingTheAllowedOnes) {
  LoadResult r = load(std::string(kMinimal) + R"(plans:
  deploy:
    strategy: canary
    phases:
      p1: {strategy: random, pod: hello, steps: [{first: [[server]]}]}
)");
  EXPECT_THAT(errorAt(r, "plans.deploy.strategy")->message,
              HasSubstr("serial, parallel, found 'canary'"));
  EXPECT_THAT(errorAt(r, "plans.deploy.phases.p1.strategy")->message, HasSubstr("parallel-canary"));
  EXPECT_THAT(errorAt(r, "plans.deploy.phases.p1.steps[0].first")->message, HasSubstr("`default`"));
}

TEST(SpecLoader, ReadsABoundedParallelPhaseStrategy) {
  LoadResult r = load(std::string(kMinimal) + R"(plans:
  update:
    phases:
      p1: {strategy: parallel(2), pod: hello}
)");
  ASSERT_TRUE(r.ok()) << r.errors[0].toString();
  EXPECT_EQ(r.spec->plan("update")->phases[0].strategy, "parallel(2)");
  LoadResult bad = load(std::string(kMinimal) + R"(plans:
  update:
    strategy: parallel(2)
    phases:
      p1: {strategy: parallel(0), pod: hello}
)");
  EXPECT_THAT(errorAt(bad, "plans.update.strategy")->message,
              HasSubstr("serial, parallel, found 'parallel(2)'"));
  EXPECT_THAT(errorAt(bad, "plans.update.phases.p1.strategy")->message,
              HasSubstr("or parallel(N) with N >= 1, found 'parallel(0)'"));
}

TEST(SpecLoader, ReadsConfigTemplatesBesideTheSpecFileByDefault) {
  keel::testing::TempDir dir;
  std::ofstream(dir.file("c.conf.mustache")) << "port={{PORT}}";
  std::ofstream(dir.file("svc.yml"))
      << kMinimal << "        configs: {c: {template: c.conf.mustache, dest: c}}\n"
      << "        memory: 1\n";
  LoadResult r = loadServiceSpecFile(dir.file("svc.yml"), {});
  ASSERT_FALSE(r.ok());  // memory twice: duplicate key
  std::ofstream(dir.file("svc.yml"))
      << kMinimal << "        configs: {c: {template: c.conf.mustache, dest: c}}\n";
  r = loadServiceSpecFile(dir.file("svc.yml"), {});
  ASSERT_TRUE(r.ok()) << r.errors[0].toString();
  EXPECT_EQ(r.spec->pods[0].tasks[0].configs[0].content, "port={{PORT}}");
  LoadResult missing = loadServiceSpecFile(dir.file("absent.yml"), {});
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.errors[0].toString(), HasSubstr("absent.yml"));
}

}  // namespace
}  // namespace keel::spec
