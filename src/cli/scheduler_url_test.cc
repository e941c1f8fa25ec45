// Which scheduler the operator commands talk to: --url > KEEL_URL >
// --service > the only service with a scheduler.url.
#include "cli/scheduler_url.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "testing/temp_dir.h"

namespace keel::cli {
namespace {

class SchedulerUrl : public ::testing::Test {
 protected:
  // A service directory under KEEL_HOME, with a scheduler.url when `url`
  // is not empty.
  void service(const std::string& dir, const std::string& url) {
    std::filesystem::create_directories(home_.path() / "services" / dir);
    if (!url.empty()) std::ofstream(home_.file("services/" + dir + "/scheduler.url")) << url;
  }

  Result<std::string> resolve(ConnectOptions options) {
    return resolveSchedulerUrl(options, [this](const std::string& name) {
      auto it = env_.find(name);
      return it == env_.end() ? std::nullopt : std::optional<std::string>(it->second);
    });
  }

  std::string message(ConnectOptions options) {
    Result<std::string> r = resolve(std::move(options));
    EXPECT_FALSE(r.has_value());
    return r ? std::string() : r.error().message();
  }

  keel::testing::TempDir home_;
  std::map<std::string, std::string> env_{{"KEEL_HOME", home_.path().string()}};
};

TEST_F(SchedulerUrl, TheOnlyRunningServiceIsChosen) {
  service("data-store", "http://127.0.0.1:8123\n");
  service("stopped", "");
  EXPECT_EQ(resolve({}).value(), "http://127.0.0.1:8123");
}

TEST_F(SchedulerUrl, UrlThenKeelUrlThenServiceTakePrecedence) {
  service("a", "http://127.0.0.1:1001");
  service("b", "http://127.0.0.1:1002");
  EXPECT_EQ(resolve({"", "b"}).value(), "http://127.0.0.1:1002");
  env_["KEEL_URL"] = "http://127.0.0.1:2000/";
  EXPECT_EQ(resolve({"", "b"}).value(), "http://127.0.0.1:2000");
  EXPECT_EQ(resolve({"http://localhost:3000", "b"}).value(), "http://localhost:3000");
}

TEST_F(SchedulerUrl, SeveralServicesMustBeChosenBetween) {
  service("a", "http://127.0.0.1:1001");
  service("b", "http://127.0.0.1:1002");
  EXPECT_EQ(message({}),
            "several services have a scheduler (a, b): choose one with --service NAME, or give "
            "--url URL");
}

TEST_F(SchedulerUrl, NoServiceSaysHowToStartOrPointAtOne) {
  std::string m = message({});
  EXPECT_NE(m.find("no scheduler found"), std::string::npos) << m;
  EXPECT_NE(m.find(home_.file("services")), std::string::npos) << m;
  EXPECT_NE(m.find("`keel run`"), std::string::npos) << m;
  EXPECT_NE(m.find("--url"), std::string::npos) << m;
}

TEST_F(SchedulerUrl, AServiceWithoutASchedulerUrlIsNamedWithTheRunningOnes) {
  service("a", "http://127.0.0.1:1001");
  std::string m = message({"", "missing"});
  EXPECT_NE(m.find("service 'missing' has no " + home_.file("services/missing/scheduler.url")),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("Services with a scheduler: a"), std::string::npos) << m;
}

TEST_F(SchedulerUrl, AFolderedServiceNameMapsToItsDirectory) {
  service("group_store", "http://127.0.0.1:1003");
  EXPECT_EQ(resolve({"", "/group/store"}).value(), "http://127.0.0.1:1003");
}

TEST_F(SchedulerUrl, AnUrlThatIsNotHttpHostPortIsRejected) {
  EXPECT_NE(message({"https://h:1", ""}).find("--url 'https://h:1' is not a scheduler URL"),
            std::string::npos);
  EXPECT_NE(message({"http://h:1/v1", ""}).find("expected http://HOST[:PORT]"), std::string::npos);
  service("bad", "localhost:8123");
  EXPECT_NE(message({"", "bad"}).find("scheduler.url 'localhost:8123' is not"), std::string::npos);
}

TEST(KeelHome, DefaultsToDotKeelInHome) {
  std::map<std::string, std::string> env{{"HOME", "/home/op"}};
  auto lookup = [&](const std::string& n) {
    return env.count(n) ? std::optional<std::string>(env[n]) : std::nullopt;
  };
  EXPECT_EQ(keelHome(lookup), "/home/op/.keel");
  env["KEEL_HOME"] = "/srv/keel";
  EXPECT_EQ(keelHome(lookup), "/srv/keel");
}

}  // namespace
}  // namespace keel::cli
