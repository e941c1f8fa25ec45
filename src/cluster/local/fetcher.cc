#include "cluster/local/fetcher.h"

#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "cluster/local/http_get.h"
#include "cluster/local/process_util.h"

extern char** environ;

namespace keel::local {
namespace {

namespace fs = std::filesystem;

bool endsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Status run(std::vector<std::string> argv) {
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = 0;
  if (int rc = posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ); rc != 0) {
    return Status::ioError(argv[0] + ": " + std::strerror(rc));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::ok();
  return Status::ioError(argv[0] + " " + describeWaitStatus(status));
}

Status download(const std::string& url, const std::string& target) {
  std::ofstream out(target, std::ios::binary | std::ios::trunc);
  if (!out) return Status::ioError("cannot write " + target);
  HttpGetOptions options;
  options.maxRedirects = 10;
  Result<int> code = httpGet(url, options, [&](std::string_view data) {
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    return static_cast<bool>(out);
  });
  if (!code) return Status::unavailable("GET " + url + ": " + std::string(code.error().message()));
  if (*code < 200 || *code >= 300)
    return Status::unavailable("GET " + url + ": HTTP " + std::to_string(*code));
  out.close();
  return out ? Status::ok() : Status::ioError("write " + target);
}

Status extract(const std::string& file, const std::string& sandbox) {
  if (endsWith(file, ".zip")) return run({"unzip", "-o", "-q", file, "-d", sandbox});
  for (const char* suffix : {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz"}) {
    if (endsWith(file, suffix)) return run({"tar", "-xf", file, "-C", sandbox});
  }
  return Status::ok();
}

}  // namespace

std::string fetchedFileName(const UriSpec& uri) {
  if (!uri.outputFile.empty()) return uri.outputFile;
  std::string path = uri.value.substr(0, uri.value.find_first_of("?#"));
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

Status fetchUri(const UriSpec& uri, const std::string& sandbox) {
  std::string name = fetchedFileName(uri);
  if (name.empty()) return Status::invalidArgument("URI '" + uri.value + "' names no file");
  fs::path relative(name);
  bool escapes = relative.is_absolute() || std::any_of(relative.begin(), relative.end(),
                                                       [](const fs::path& p) { return p == ".."; });
  if (escapes) {
    return Status::invalidArgument("output file '" + name + "' of URI '" + uri.value +
                                   "' is not inside the sandbox");
  }
  std::string target = (fs::path(sandbox) / relative).string();
  std::error_code mkdirError;
  fs::create_directories(fs::path(target).parent_path(), mkdirError);
  if (mkdirError) return Status::ioError("mkdir for " + name + ": " + mkdirError.message());
  const std::string& v = uri.value;
  if (v.rfind("http://", 0) == 0) {
    KEEL_RETURN_IF_ERROR(download(v, target));
  } else if (v.rfind("file://", 0) == 0 || v.rfind('/', 0) == 0) {
    std::string source = v.rfind("file://", 0) == 0 ? v.substr(7) : v;
    std::error_code ec;
    fs::copy_file(source, target, fs::copy_options::overwrite_existing, ec);
    if (ec) return Status::ioError("copy " + source + ": " + ec.message());
  } else {
    return Status::unsupported("URI scheme of '" + v +
                               "' is not supported (file, http, absolute path)");
  }
  if (uri.executable) {
    if (::chmod(target.c_str(), 0755) != 0) return Status::ioError("chmod " + target);
  } else if (uri.extract) {
    KEEL_RETURN_IF_ERROR(extract(target, sandbox).withContext("extract " + name));
  }
  return Status::ok();
}

Status fetchUris(const std::vector<UriSpec>& uris, const std::string& sandbox) {
  for (const auto& uri : uris) {
    KEEL_RETURN_IF_ERROR(fetchUri(uri, sandbox).withContext("Failed to fetch '" + uri.value + "'"));
  }
  return Status::ok();
}

}  // namespace keel::local
