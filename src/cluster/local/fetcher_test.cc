#include "cluster/local/fetcher.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "cluster/local/process_util.h"
#include "testing/temp_dir.h"

namespace keel::local {
namespace {

namespace fs = std::filesystem;

void writeText(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

std::string readText(const std::string& path) { return readFile(path).value_or("<missing>"); }

class HttpServer {
 public:
  explicit HttpServer(std::string body) {
    server_.Get("/files/app.sh", [body](const httplib::Request&, httplib::Response& res) {
      res.set_content(body, "application/octet-stream");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::yield();
  }
  ~HttpServer() {
    server_.stop();
    thread_.join();
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

TEST(Fetcher, CopiesFileUrisAndAbsolutePaths) {
  testing::TempDir dir;
  fs::create_directories(dir.file("src"));
  fs::create_directories(dir.file("sandbox"));
  writeText(dir.file("src/a.txt"), "alpha");
  writeText(dir.file("src/b.txt"), "beta");
  ASSERT_TRUE(fetchUris({{"file://" + dir.file("src/a.txt"), true, false, ""},
                         {dir.file("src/b.txt"), true, false, "renamed.txt"}},
                        dir.file("sandbox")));
  EXPECT_EQ(readText(dir.file("sandbox/a.txt")), "alpha");
  EXPECT_EQ(readText(dir.file("sandbox/renamed.txt")), "beta");
}

TEST(Fetcher, ExtractsTarGzArchivesAndKeepsTheArchive) {
  testing::TempDir dir;
  fs::create_directories(dir.file("content/conf"));
  fs::create_directories(dir.file("sandbox"));
  writeText(dir.file("content/conf/app.conf"), "port=1");
  std::string cmd = "tar -czf " + dir.file("pkg.tar.gz") + " -C " + dir.file("content") + " conf";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  ASSERT_TRUE(fetchUri({dir.file("pkg.tar.gz"), true, false, ""}, dir.file("sandbox")));
  EXPECT_EQ(readText(dir.file("sandbox/conf/app.conf")), "port=1");
  EXPECT_TRUE(fs::exists(dir.file("sandbox/pkg.tar.gz")));
}

TEST(Fetcher, LeavesArchivesPackedWhenExtractIsOff) {
  testing::TempDir dir;
  fs::create_directories(dir.file("sandbox"));
  writeText(dir.file("x"), "x");
  ASSERT_EQ(
      std::system(("tar -cf " + dir.file("a.tar") + " -C " + dir.path().string() + " x").c_str()),
      0);
  ASSERT_TRUE(fetchUri({dir.file("a.tar"), false, false, ""}, dir.file("sandbox")));
  EXPECT_TRUE(fs::exists(dir.file("sandbox/a.tar")));
  EXPECT_FALSE(fs::exists(dir.file("sandbox/x")));
}

TEST(Fetcher, DownloadsHttpUrisAndMakesThemExecutable) {
  testing::TempDir dir;
  fs::create_directories(dir.file("sandbox"));
  HttpServer server("#!/bin/sh\necho hi\n");
  ASSERT_TRUE(fetchUri({server.url("/files/app.sh"), true, true, ""}, dir.file("sandbox")));
  EXPECT_EQ(readText(dir.file("sandbox/app.sh")), "#!/bin/sh\necho hi\n");
  struct stat st {};
  ASSERT_EQ(::stat(dir.file("sandbox/app.sh").c_str(), &st), 0);
  EXPECT_NE(st.st_mode & S_IXUSR, 0u);
}

TEST(Fetcher, PutsAnOutputFileInItsSubdirectoryButNeverOutsideTheSandbox) {
  testing::TempDir dir;
  fs::create_directories(dir.file("sandbox"));
  writeText(dir.file("conf.txt"), "port=1");
  ASSERT_TRUE(
      fetchUris({{dir.file("conf.txt"), false, false, "etc/app/conf.yml"}}, dir.file("sandbox")));
  EXPECT_EQ(readText(dir.file("sandbox/etc/app/conf.yml")), "port=1");
  for (std::string out : {"../conf.yml", "etc/../../conf.yml", "/tmp/conf.yml"}) {
    Status s = fetchUris({{dir.file("conf.txt"), false, false, out}}, dir.file("sandbox"));
    EXPECT_FALSE(s.isOk()) << out;
    EXPECT_NE(s.message().find("is not inside the sandbox"), std::string::npos) << s;
  }
  EXPECT_FALSE(fs::exists(dir.file("conf.yml")));
}

TEST(Fetcher, FailsWithTheReasonForMissingSourcesAndUnsupportedSchemes) {
  testing::TempDir dir;
  HttpServer server("");
  struct Case {
    std::string uri;
    std::string mentions;
  } cases[] = {
      {server.url("/nope.tgz"), "HTTP 404"},
      {dir.file("missing.txt"), "missing.txt"},
      {"hdfs://namenode/x", "not supported"},
  };
  for (const auto& c : cases) {
    Status s = fetchUris({{c.uri, true, false, ""}}, dir.path().string());
    EXPECT_FALSE(s.isOk()) << c.uri;
    EXPECT_NE(s.message().find(c.mentions), std::string::npos) << s;
  }
}

}  // namespace
}  // namespace keel::local
