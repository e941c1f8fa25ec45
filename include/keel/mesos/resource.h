// mesos.v1.Resource with its reservation and disk parts, and mesos.v1.Volume.
// Conventions: keel/mesos/values.h. Arithmetic on resource lists:
// keel/mesos/resources.h.
//
// Thread-safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/mesos/values.h"

namespace keel::mesos {

// mesos.v1.Volume (ContainerInfo.volumes and Resource.DiskInfo.volume).
struct Volume {
  enum class Mode { kRw = 1, kRo = 2 };

  struct Source {
    enum class Type {
      kUnknown = 0,
      kDockerVolume = 1,
      kHostPath = 4,
      kSandboxPath = 2,
      kSecret = 3,
      kCsiVolume = 5,
    };
    struct HostPath {
      std::string path;  // required
      RawJson unknown;   // mount_propagation

      bool operator==(const HostPath&) const = default;
    };
    struct SandboxPath {
      enum class Type { kUnknown = 0, kSelf = 1, kParent = 2 };
      std::optional<Type> type;
      std::string path;  // required

      bool operator==(const SandboxPath&) const = default;
    };

    std::optional<Type> type;
    std::optional<HostPath> hostPath;
    std::optional<SandboxPath> sandboxPath;
    RawJson unknown;  // docker_volume, secret, csi_volume

    bool operator==(const Source&) const = default;
  };

  Mode mode = Mode::kRw;      // required
  std::string containerPath;  // required
  std::optional<std::string> hostPath;
  std::optional<Source> source;
  RawJson unknown;  // image

  bool operator==(const Volume&) const = default;
};

struct Resource {
  struct AllocationInfo {
    std::optional<std::string> role;

    bool operator==(const AllocationInfo&) const = default;
  };

  // One entry of the `reservations` stack (post-refinement format), or the
  // legacy single `reservation` (then type and role stay unset).
  struct ReservationInfo {
    enum class Type { kUnknown = 0, kStatic = 1, kDynamic = 2 };

    std::optional<Type> type;
    std::optional<std::string> role;
    std::optional<std::string> principal;
    std::optional<Labels> labels;
    RawJson unknown;

    bool operator==(const ReservationInfo&) const = default;
  };

  struct DiskInfo {
    struct Persistence {
      std::string id;  // required
      std::optional<std::string> principal;

      bool operator==(const Persistence&) const = default;
    };
    struct Source {
      enum class Type { kUnknown = 0, kPath = 1, kMount = 2, kBlock = 3, kRaw = 4 };
      struct Path {
        std::optional<std::string> root;

        bool operator==(const Path&) const = default;
      };
      struct Mount {
        std::optional<std::string> root;

        bool operator==(const Mount&) const = default;
      };

      Type type = Type::kUnknown;  // required
      std::optional<Path> path;
      std::optional<Mount> mount;
      RawJson unknown;  // vendor, id, metadata, profile

      bool operator==(const Source&) const = default;
    };

    std::optional<Persistence> persistence;
    std::optional<Volume> volume;
    std::optional<Source> source;

    bool operator==(const DiskInfo&) const = default;
  };

  std::optional<ResourceProviderID> providerId;
  std::string name;                         // required: "cpus", "mem", "disk", "ports", ...
  Value::Type type = Value::Type::kScalar;  // required
  std::optional<Value::Scalar> scalar;
  std::optional<Value::Ranges> ranges;
  std::optional<Value::Set> set;
  std::optional<std::string> role;  // deprecated legacy format ("*" = unreserved)
  std::optional<AllocationInfo> allocationInfo;
  std::optional<ReservationInfo> reservation;  // legacy format
  std::vector<ReservationInfo> reservations;   // refinement stack; back() is current
  std::optional<DiskInfo> disk;
  RawJson unknown;  // revocable, shared

  bool operator==(const Resource&) const = default;
};

}  // namespace keel::mesos
