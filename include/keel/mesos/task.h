// What a framework launches: CommandInfo, ContainerInfo, health checks and
// checks, KillPolicy, ExecutorInfo, TaskInfo, TaskGroupInfo (mesos.v1).
// Conventions: keel/mesos/values.h.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keel/mesos/resource.h"
#include "keel/mesos/values.h"

namespace keel::mesos {

struct Environment {
  struct Variable {
    enum class Type { kUnknown = 0, kValue = 1, kSecret = 2 };

    std::string name;  // required
    std::optional<Type> type;
    std::optional<std::string> value;
    RawJson unknown;  // secret

    bool operator==(const Variable&) const = default;
  };

  std::vector<Variable> variables;

  bool operator==(const Environment&) const = default;
};

struct CommandInfo {
  struct URI {
    std::string value;  // required
    std::optional<bool> executable;
    std::optional<bool> extract;  // proto default true
    std::optional<bool> cache;
    std::optional<std::string> outputFile;

    bool operator==(const URI&) const = default;
  };

  std::vector<URI> uris;
  std::optional<Environment> environment;
  std::optional<bool> shell;  // proto default true: `/bin/sh -c value`
  std::optional<std::string> value;
  std::vector<std::string> arguments;  // argv when shell is false
  std::optional<std::string> user;
  RawJson unknown;

  bool operator==(const CommandInfo&) const = default;
};

// mesos.v1.NetworkInfo (what ContainerStatus reports; network names on launch).
struct NetworkInfo {
  enum class Protocol { kIPv4 = 1, kIPv6 = 2 };

  struct IPAddress {
    std::optional<Protocol> protocol;
    std::optional<std::string> ipAddress;

    bool operator==(const IPAddress&) const = default;
  };

  std::vector<IPAddress> ipAddresses;
  std::optional<std::string> name;
  std::optional<Labels> labels;
  RawJson unknown;  // groups, port_mappings

  bool operator==(const NetworkInfo&) const = default;
};

struct RLimitInfo {
  struct RLimit {
    enum class Type {
      kUnknown = 0,
      kRlmtAs = 1,
      kRlmtCore = 2,
      kRlmtCpu = 3,
      kRlmtData = 4,
      kRlmtFsize = 5,
      kRlmtLocks = 6,
      kRlmtMemlock = 7,
      kRlmtMsgqueue = 8,
      kRlmtNice = 9,
      kRlmtNofile = 10,
      kRlmtNproc = 11,
      kRlmtRss = 12,
      kRlmtRtprio = 13,
      kRlmtRttime = 14,
      kRlmtSigpending = 15,
      kRlmtStack = 16,
    };

    Type type = Type::kUnknown;    // required
    std::optional<uint64_t> hard;  // both unset = unlimited
    std::optional<uint64_t> soft;

    bool operator==(const RLimit&) const = default;
  };

  std::vector<RLimit> rlimits;

  bool operator==(const RLimitInfo&) const = default;
};

struct ContainerInfo {
  enum class Type { kDocker = 1, kMesos = 2 };

  Type type = Type::kMesos;  // required
  std::vector<Volume> volumes;
  std::optional<std::string> hostname;
  std::vector<NetworkInfo> networkInfos;
  std::optional<RLimitInfo> rlimitInfo;
  RawJson unknown;  // docker, mesos (image), linux_info, tty_info

  bool operator==(const ContainerInfo&) const = default;
};

struct HealthCheck {
  enum class Type { kUnknown = 0, kCommand = 1, kHttp = 2, kTcp = 3 };

  struct HTTPCheckInfo {
    std::optional<NetworkInfo::Protocol> protocol;
    std::optional<std::string> scheme;
    uint32_t port = 0;  // required
    std::optional<std::string> path;
    std::vector<uint32_t> statuses;

    bool operator==(const HTTPCheckInfo&) const = default;
  };
  struct TCPCheckInfo {
    std::optional<NetworkInfo::Protocol> protocol;
    uint32_t port = 0;  // required

    bool operator==(const TCPCheckInfo&) const = default;
  };

  // Proto defaults when unset: delay 15, interval 10, timeout 20,
  // consecutive_failures 3, grace period 10 (seconds).
  std::optional<double> delaySeconds;
  std::optional<double> intervalSeconds;
  std::optional<double> timeoutSeconds;
  std::optional<uint32_t> consecutiveFailures;
  std::optional<double> gracePeriodSeconds;
  std::optional<Type> type;
  std::optional<CommandInfo> command;
  std::optional<HTTPCheckInfo> http;
  std::optional<TCPCheckInfo> tcp;
  RawJson unknown;

  bool operator==(const HealthCheck&) const = default;
};

// TaskInfo.check: reported in TaskStatus.check_status, never kills the task.
struct CheckInfo {
  enum class Type { kUnknown = 0, kCommand = 1, kHttp = 2, kTcp = 3 };

  struct Command {
    CommandInfo command;  // required (JSON: "command":{"command":{...}})

    bool operator==(const Command&) const = default;
  };
  struct Http {
    uint32_t port = 0;  // required
    std::optional<std::string> path;

    bool operator==(const Http&) const = default;
  };
  struct Tcp {
    uint32_t port = 0;  // required

    bool operator==(const Tcp&) const = default;
  };

  std::optional<Type> type;
  std::optional<Command> command;
  std::optional<Http> http;
  std::optional<Tcp> tcp;
  std::optional<double> delaySeconds;     // default 15
  std::optional<double> intervalSeconds;  // default 10
  std::optional<double> timeoutSeconds;   // default 20
  RawJson unknown;

  bool operator==(const CheckInfo&) const = default;
};

struct KillPolicy {
  std::optional<DurationInfo> gracePeriod;

  bool operator==(const KillPolicy&) const = default;
};

struct ExecutorInfo {
  enum class Type { kUnknown = 0, kDefault = 1, kCustom = 2 };

  std::optional<Type> type;
  ExecutorID executorId;  // required
  std::optional<FrameworkID> frameworkId;
  std::optional<CommandInfo> command;  // CUSTOM only
  std::optional<ContainerInfo> container;
  std::vector<Resource> resources;
  std::optional<std::string> name;
  std::optional<Bytes> data;
  std::optional<DurationInfo> shutdownGracePeriod;
  std::optional<Labels> labels;
  RawJson unknown;  // source, discovery

  bool operator==(const ExecutorInfo&) const = default;
};

struct TaskInfo {
  std::string name;  // required
  TaskID taskId;     // required
  AgentID agentId;   // required
  std::vector<Resource> resources;
  std::optional<ExecutorInfo> executor;  // exactly one of executor and command
  std::optional<CommandInfo> command;
  std::optional<ContainerInfo> container;
  std::optional<HealthCheck> healthCheck;
  std::optional<CheckInfo> check;
  std::optional<KillPolicy> killPolicy;
  std::optional<Bytes> data;
  std::optional<Labels> labels;
  std::optional<DurationInfo> maxCompletionTime;
  std::map<std::string, Value::Scalar> limits;  // e.g. {"mem": {value: 1024}}
  RawJson unknown;                              // discovery, resource_limits extras

  bool operator==(const TaskInfo&) const = default;
};

struct TaskGroupInfo {
  std::vector<TaskInfo> tasks;

  bool operator==(const TaskGroupInfo&) const = default;
};

}  // namespace keel::mesos
