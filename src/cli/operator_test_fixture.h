// The operator commands' test world: http/http_test_fixture.h's real
// ApiServer over a FakeSchedulerApi (the data-store deploy plan, an empty
// recovery plan, one RUNNING task per step) on 127.0.0.1, port 0, and the
// command functions pointed at it with --url.
#pragma once

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "cli/commands.h"
#include "cli/operator_commands.h"
#include "http/http_test_fixture.h"

namespace keel::cli::testing {

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

class OperatorTest : public http::testing::HttpRoutesTest {
 protected:
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  // --url at the test's server; an empty environment.
  RemoteOptions remote(bool json = false) const {
    RemoteOptions o;
    o.connect.url = url();
    o.json = json;
    o.env = [](const std::string&) { return std::nullopt; };
    return o;
  }

  // Runs a command function with the test's options and captures it.
  template <typename Fn>
  Outcome run(Fn fn, bool json = false) {
    std::ostringstream out, err;
    Outcome r;
    RemoteOptions options = remote(json);
    r.code = fn(options, out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
  }
};

}  // namespace keel::cli::testing
