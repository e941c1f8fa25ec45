#include "keel/spec_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "keel/spec_loader.h"

namespace keel::spec {
namespace {

ServiceSpec richSpec() {
  LoadOptions o;
  o.readTemplate = [](const std::string&) -> Result<std::string> {
    return std::string("k={{V}}\n");
  };
  auto r = loadServiceSpecText(R"(name: /team/svc
web-url: http://x
scheduler: {principal: p, user: nobody, zookeeper: zk:2181}
pods:
  p:
    count: 2
    placement: '[["hostname","UNIQUE"]]'
    image: img
    networks: {dcos: {labels: "a:b"}, mesos-bridge: {host-ports: [1], container-ports: [2]}}
    rlimits: {RLIMIT_CORE: {soft: -1, hard: -1}, RLIMIT_NOFILE: }
    secrets: {s: {secret: a/b, env-key: E}}
    host-volumes: {h: {host-path: /etc, container-path: etc, mode: RO}}
    external-volumes: {e: {type: DOCKER, volume-name: v, driver-name: pxd, container-path: c}}
    share-pid-namespace: true
    ipc-mode: PRIVATE
    shm-size: 64
    volumes: {shared: {path: s, type: MOUNT, size: 10, profiles: [fast]}}
    resource-sets:
      rs: {cpus: 1, gpus: 1, memory: 2, resource-limits: {cpus: unlimited, memory: 3}}
    tasks:
      t:
        goal: ONCE
        resource-set: rs
        cmd: run
        env: {A: "1"}
        labels: "x:y"
        configs: {c: {template: c.m, dest: d}}
        health-check: {cmd: h, interval: 1}
        readiness-check: {cmd: r, timeout: 2}
        discovery: {prefix: q, visibility: FRAMEWORK}
        kill-grace-period: 0
        transport-encryption: [{name: n, type: KEYSTORE}]
        ipc-mode: SHARE_PARENT
      u:
        cpus: 0.5
        ports: {http: {port: 0, vip: {port: 80, prefix: web}, ranges: [{begin: 1, end: 2}, {end: 9}]}}
plans:
  deploy:
    strategy: parallel
    phases: {ph: {strategy: canary, pod: p, steps: [{default: [[t, u]]}]}}
)",
                               "svc.yml", o);
  EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors[0].toString());
  return r.spec.value_or(ServiceSpec{});
}

TEST(SpecJson, RoundTripsEveryField) {
  ServiceSpec s = richSpec();
  ASSERT_EQ(s.name, "/team/svc");
  auto back = serviceSpecFromJson(toJson(s));
  ASSERT_TRUE(back.isOk()) << back.status();
  EXPECT_EQ(*back, s);
  auto compact = serviceSpecFromJson(toJson(s, JsonStyle::kCompact));
  ASSERT_TRUE(compact.isOk());
  EXPECT_EQ(*compact, s);
}

TEST(SpecJson, IsStableAndUsesSvcYmlKeyNames) {
  ServiceSpec s = richSpec();
  std::string json = toJson(s, JsonStyle::kCompact);
  EXPECT_EQ(json, toJson(richSpec(), JsonStyle::kCompact));
  EXPECT_THAT(json, ::testing::HasSubstr(R"("kill-grace-period":0)"));
  EXPECT_THAT(json, ::testing::HasSubstr(R"("goal":"ONCE")"));
  EXPECT_THAT(json, ::testing::HasSubstr(R"("content":"k={{V}}\n")"));
  EXPECT_EQ(toJson(s).find('\n') != std::string::npos, true);
}

TEST(SpecJson, RejectsMalformedInputNamingTheProblem) {
  EXPECT_FALSE(serviceSpecFromJson("not json").isOk());
  EXPECT_FALSE(serviceSpecFromJson("[1]").isOk());
  auto badEnum = serviceSpecFromJson(
      R"({"name":"s","pods":[{"type":"p","tasks":[{"name":"t","goal":"LATER"}]}]})");
  ASSERT_FALSE(badEnum.isOk());
  EXPECT_THAT(badEnum.error().message(), ::testing::HasSubstr("unknown value 'LATER' for goal"));
  auto badType = serviceSpecFromJson(R"({"name":"s","pods":[{"type":"p","count":"two"}]})");
  ASSERT_FALSE(badType.isOk());
  EXPECT_EQ(badType.error().code(), StatusCode::kInvalidArgument);
}

TEST(SpecJson, RejectsAWrongShapeInsteadOfReadingDefaults) {
  struct Case {
    const char* json;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"name":"s","pods":3})", "'pods' must be an array, not number"},
           {R"({"name":"s","pods":[3]})", "'pods[0]' must be an object, not number"},
           {R"({"name":"s","pods":[{"type":"p","tasks":{"t":{}}}]})",
            "'tasks' must be an array, not object"},
           {R"({"pods":[]})", "'name' is missing"},
           {R"({"name":"s"})", "'pods' is missing"},
       }) {
    auto r = serviceSpecFromJson(c.json);
    ASSERT_FALSE(r.isOk()) << c.json;
    EXPECT_THAT(r.error().message(), ::testing::HasSubstr(c.message)) << c.json;
  }
}

}  // namespace
}  // namespace keel::spec
