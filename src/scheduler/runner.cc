#include "keel/scheduler/runner.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <thread>
#include <vector>

#include "keel/http/api_server.h"
#include "keel/http/executor.h"
#include "keel/log.h"
#include "keel/mesos/client.h"
#include "keel/scheduler/mesos_driver.h"
#include "keel/state/framework_store.h"
#include "keel/state/sqlite_persister.h"
#include "keel/state/state_dir_lock.h"

namespace keel::scheduler {
namespace {

constexpr const char* kLog = "runner";

Status writeAtomically(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::ioError("cannot write " + tmp + ": " + std::strerror(errno));
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::ioError("cannot write " + path + ": " + std::strerror(errno));
  }
  return Status::ok();
}

// Blocks SIGINT/SIGTERM (and SIGHUP with `hangup`) in this thread and the
// threads it starts from now on, so that run() can take them synchronously;
// restores the mask on exit.
class SignalBlock {
 public:
  explicit SignalBlock(bool on, bool hangup = false) : on_(on) {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    if (hangup) sigaddset(&set_, SIGHUP);  // else its default action: the process ends
    if (on_) pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~SignalBlock() {
    if (on_) pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  // The signal that arrived within `timeout`, or 0.
  int wait(std::chrono::milliseconds timeout) const {
    timespec ts{static_cast<time_t>(timeout.count() / 1000),
                static_cast<long>((timeout.count() % 1000) * 1000000)};
    int sig = sigtimedwait(&set_, nullptr, &ts);
    return sig > 0 ? sig : 0;
  }

 private:
  bool on_;
  sigset_t set_;
  sigset_t old_;
};

// What a Mesos master answers a SUBSCRIBE with the id of a removed framework.
constexpr const char* kFrameworkRemoved = "Framework has been removed";

mesos::MesosClientListener listenerFor(http::EventLoop& loop, Scheduler& scheduler,
                                       std::function<void(Status)> fail) {
  mesos::MesosClientListener l;
  l.onSubscribed = [&loop, &scheduler](const mesos::FrameworkID& id, Duration) {
    loop.post([&scheduler, id] { scheduler.onSubscribed(id.value); });
  };
  l.onEvent = [&loop, &scheduler](const mesos::Event& e) {
    if (e.type == mesos::Event::Type::kOffers && e.offers) {
      loop.post([&scheduler, offers = e.offers->offers] { scheduler.onOffers(offers); });
    } else if (e.type == mesos::Event::Type::kUpdate && e.update) {
      loop.post([&scheduler, status = e.update->status] { scheduler.onUpdate(status); });
    } else if (e.type == mesos::Event::Type::kRescind && e.rescind) {
      loop.post([&scheduler, id = e.rescind->offerId] { scheduler.onRescind(id); });
    }
  };
  l.onDisconnected = [&loop, &scheduler](const Status& reason) {
    loop.post([&scheduler, reason] { scheduler.onDisconnected(reason); });
  };
  l.onFailed = [fail](const Status& error) { fail(error); };
  return l;
}

}  // namespace

std::string keelHome() {
  if (const char* home = std::getenv("KEEL_HOME"); home && *home) return home;
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.keel";
  return "/tmp/keel-" + std::to_string(::getuid());
}

std::string defaultServiceStateDir(const std::string& serviceName) {
  std::string name = serviceName;
  while (!name.empty() && name.front() == '/') name.erase(0, 1);
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  return keelHome() + "/services/" + name;
}

ServiceRunner::ServiceRunner(spec::ServiceSpec spec, RunnerOptions options)
    : spec_(std::move(spec)), options_(std::move(options)) {
  if (options_.stateDir.empty()) options_.stateDir = defaultServiceStateDir(spec_.name);
}

ServiceRunner::~ServiceRunner() { stop(); }

void ServiceRunner::stop() { requestStop(Status::ok()); }

void ServiceRunner::requestStop(Status reason) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopRequested_) return;
  stopRequested_ = true;
  stopReason_ = std::move(reason);
  cv_.notify_all();
}

std::string ServiceRunner::apiUrl() const {
  std::lock_guard<std::mutex> lock(mu_);
  return apiUrl_;
}

Status ServiceRunner::waitForStop() {
  SignalBlock signals(false, options_.restartOnHangup);
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopRequested_) {
    if (!options_.handleSignals) {
      cv_.wait(lock);
      continue;
    }
    lock.unlock();
    int sig = signals.wait(std::chrono::milliseconds(200));
    if (sig == SIGHUP) {  // only taken with restartOnHangup
      std::cerr << "keel: SIGHUP: restarting the scheduler with its launch settings\n";
      restartRequested_ = true;
      requestStop(Status::ok());
    } else if (sig != 0) {
      std::cerr << "keel: " << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ": stopping\n";
      requestStop(Status::ok());
    }
    lock.lock();
  }
  return stopReason_;
}

// Everything a running scheduler holds, in construction order (destroyed in
// reverse: client, API, loop, scheduler, store, lock).
struct ServiceRunner::Parts {
  std::optional<state::StateDirLock> lock;
  std::unique_ptr<state::SqlitePersister> persister;
  MesosDriver driver;
  std::unique_ptr<Scheduler> scheduler;
  http::EventLoop loop;
  std::unique_ptr<http::ApiServer> api;
  std::string url;
  std::unique_ptr<mesos::MesosClient> client;
};

Status ServiceRunner::startScheduler(Parts& p) {
  KEEL_ASSIGN_OR_RETURN(state::StateDirLock lock, state::StateDirLock::acquire(options_.stateDir));
  p.lock.emplace(std::move(lock));
  std::string dbPath = options_.stateDir + "/" + state::kStateDbFileName;
  KEEL_ASSIGN_OR_RETURN(p.persister, state::SqlitePersister::open(dbPath));
  SchedulerOptions schedOptions = options_.scheduler;
  schedOptions.apiHost = options_.apiHost;
  KEEL_ASSIGN_OR_RETURN(p.scheduler, Scheduler::create(spec_, *p.persister, SystemClock::instance(),
                                                       p.driver, schedOptions));
  http::ServerOptions serverOptions;
  serverOptions.host = options_.apiHost;
  serverOptions.port = options_.apiPort;
  KEEL_ASSIGN_OR_RETURN(p.api, http::ApiServer::start(serverOptions, p.loop, *p.scheduler));
  p.url = "http://" + options_.apiHost + ":" + std::to_string(p.api->port());
  p.scheduler->setApiEndpoint(options_.apiHost, p.api->port());
  return Status::ok();
}

Status ServiceRunner::startClient(Parts& p) {
  mesos::MesosClientConfig config;
  config.masterUrl = options_.masterUrl;
  config.framework = mesos::defaultFrameworkInfo(p.scheduler->serviceName(), p.scheduler->user(),
                                                 {p.scheduler->role()}, p.scheduler->principal());
  config.framework.webuiUrl = p.url;
  if (p.scheduler->storedFrameworkId()) {
    config.framework.id = mesos::FrameworkID{*p.scheduler->storedFrameworkId()};
  }
  auto fail = [this, &p](Status error) {
    if (error.message().find(kFrameworkRemoved) != std::string::npos) {
      // The scheduler decides on its thread whether that ends an uninstall.
      p.loop.post([this, &p, error] {
        Status s = p.scheduler->onFrameworkRemoved(error.message());
        if (!s.isOk()) {
          KEEL_LOG(Error, kLog) << s.toString();
          requestStop(std::move(s));
        }
      });
      return;
    }
    KEEL_LOG(Error, kLog) << "the Mesos client gave up: " << error.toString();
    requestStop(std::move(error));
  };
  KEEL_ASSIGN_OR_RETURN(
      p.client, mesos::MesosClient::create(config, listenerFor(p.loop, *p.scheduler, fail)));
  p.driver.setClient(p.client.get());
  return Status::ok();
}

void ServiceRunner::announce(const Parts& p) {
  Status written = writeAtomically(urlFile(), p.url + "\n");
  if (!written.isOk()) {
    KEEL_LOG(Warn, kLog) << written.toString();
  }
  {
    std::lock_guard<std::mutex> g(mu_);
    apiUrl_ = p.url;
  }
  std::cerr << "keel: scheduler for " << p.scheduler->serviceName() << "\n"
            << "  API:       " << p.url << "  (try " << p.url << "/v1/plans/deploy)\n"
            << "  state dir: " << options_.stateDir << "\n"
            << "  master:    " << options_.masterUrl << "\n"
            << "  log:       this terminal (stderr); level from KEEL_LOG_LEVEL\n";
  if (options_.onServing) options_.onServing();
}

std::string ServiceRunner::urlFile() const {
  return options_.stateDir + "/" + kSchedulerUrlFileName;
}

bool ServiceRunner::uninstalled() const {
  std::lock_guard<std::mutex> lock(mu_);
  return uninstalled_;
}

Status ServiceRunner::run() {
  Status result = serve();
  if (result.isOk() && uninstalled()) eraseState();
  return result;
}

// After an uninstall, with the store closed and the lock released: the files
// the scheduler wrote, then the directory if nothing else is left in it.
void ServiceRunner::eraseState() {
  const std::string& dir = options_.stateDir;
  const std::string db = state::kStateDbFileName;
  std::vector<std::string> failed;
  for (const std::string& name :
       {db, db + "-wal", db + "-shm", db + "-journal", std::string(state::kLockFileName),
        std::string(kSchedulerUrlFileName), std::string(kLaunchFileName),
        std::string(kUpdateOptionsFileName), std::string(kUpdateEnvFileName)}) {
    std::error_code ec;
    std::filesystem::remove(dir + "/" + name, ec);
    if (ec) failed.push_back(name + ": " + ec.message());
  }
  for (const std::string& f : failed) {
    KEEL_LOG(Error, kLog) << "uninstalled, but the state file " << dir << "/" << f;
  }
  std::error_code ec;
  if (std::filesystem::is_empty(dir, ec) && !ec) std::filesystem::remove(dir, ec);
  if (std::filesystem::exists(dir, ec)) {
    std::string others;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      others += (others.empty() ? "" : ", ") + entry.path().filename().string();
    }
    KEEL_LOG(Info, kLog) << "uninstalled: state deleted; " << dir
                         << " kept for what else it holds: " << others;
  } else {
    KEEL_LOG(Info, kLog) << "uninstalled: state directory " << dir << " deleted";
  }
  std::cerr << "keel: " << spec_.name << " uninstalled; its state in " << dir
            << (failed.empty() ? " is deleted\n" : " could not all be deleted (see the log)\n");
}

Status ServiceRunner::serve() {
  SignalBlock block(options_.handleSignals, options_.restartOnHangup);
  Parts p;
  Status started = startScheduler(p);
  if (started.isOk()) started = startClient(p);
  if (!started.isOk()) {
    if (p.api) p.api->stop();
    return started;
  }
  p.scheduler->setOnUninstalled([this] {
    {
      std::lock_guard<std::mutex> g(mu_);
      uninstalled_ = true;
    }
    requestStop(Status::ok());
  });
  std::thread owner([&p] { p.loop.run(); });
  announce(p);
  p.client->start();
  std::thread timer([this, &p] {
    std::unique_lock<std::mutex> g(mu_);
    while (!cv_.wait_for(g, options_.tickInterval, [this] { return stopRequested_; })) {
      p.loop.post([s = p.scheduler.get()] { s->tick(); });
    }
  });
  Status result = waitForStop();
  p.client->stop();
  timer.join();
  p.api->stop();
  p.loop.stop();
  owner.join();
  std::error_code ec;
  std::filesystem::remove(urlFile(), ec);
  KEEL_LOG(Info, kLog) << "scheduler stopped" << (result.isOk() ? "" : ": " + result.toString());
  return result;
}

}  // namespace keel::scheduler
