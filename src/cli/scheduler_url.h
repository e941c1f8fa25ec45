// Which scheduler an operator command talks to. In order:
//   1. --url URL
//   2. $KEEL_URL
//   3. --service NAME: the URL in $KEEL_HOME/services/NAME/scheduler.url
//   4. the one service under $KEEL_HOME/services/ that has a scheduler.url
// $KEEL_HOME defaults to $HOME/.keel (else /tmp/keel-<uid>). The scheduler
// runner (`keel run`) writes scheduler.url (one line, e.g.
// "http://127.0.0.1:8123") when it starts serving and removes it on a clean
// exit; a service name's '/' becomes '_' in its directory name.
//
// Pure apart from reading the services directory; thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "keel/result.h"

namespace keel::cli {

struct ConnectOptions {
  std::string url;      // --url; empty: not given
  std::string service;  // --service; empty: not given
};

// Reads an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// The process environment.
EnvLookup processEnv();

// $KEEL_HOME, else $HOME/.keel, else /tmp/keel-<uid> (as the runner).
std::string keelHome(const EnvLookup& env);
// A service's directory name under <keelHome>/services: leading '/'
// dropped, '/' replaced by '_'.
std::string serviceDirName(const std::string& service);

// The scheduler's base URL ("http://host:port", no trailing slash).
// InvalidArgument with what to do when no choice can be made: no service
// runs, several do (named), the named service has no scheduler.url, or the
// URL is not http://host[:port].
Result<std::string> resolveSchedulerUrl(const ConnectOptions& options, const EnvLookup& env);

}  // namespace keel::cli
