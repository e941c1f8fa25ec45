// Helpers over mesos.v1.Resource lists, with Mesos' semantics: exact scalar
// arithmetic (three decimal places, fixed point, as Mesos rounds), ranges and
// sets as sets, reservations and volumes part of a resource's identity, and
// persistent volumes and MOUNT disks indivisible. Also the reservation and
// volume transforms behind RESERVE/UNRESERVE/CREATE/DESTROY.
//
// Two resources are of the same kind when they differ only in quantity
// (scalar/ranges/set): same name, type, role, allocation, reservation(s)
// (type, role, principal, labels), disk info, provider and unknown extras.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/mesos/resource.h"
#include "keel/result.h"

namespace keel::mesos {

// ---- quantities ----

// A scalar in thousandths, rounded to nearest (0.0004 -> 0, 0.0005 -> 1).
int64_t scalarToMillis(double value);
double millisToScalar(int64_t millis);
// A scalar rounded to three decimal places.
double roundScalar(double value);

// ---- identity and reservations ----

bool sameKind(const Resource& a, const Resource& b);

// The role of the reservation in effect: the last entry of `reservations`,
// or the legacy `role` when it is not "*"; nullopt when unreserved.
std::optional<std::string> reservationRole(const Resource& resource);
bool isReserved(const Resource& resource);
// Whether the reservation in effect is DYNAMIC (legacy: has `reservation`).
bool isDynamicallyReserved(const Resource& resource);
// Labels of the reservation in effect; nullptr when none.
const Labels* reservationLabels(const Resource& resource);
// The value of `key` in `labels` (nullptr = no labels).
std::optional<std::string> labelValue(const Labels* labels, std::string_view key);
bool isPersistentVolume(const Resource& resource);
bool isMountDisk(const Resource& resource);

// ---- lists ----

// `list` with `resource` added: merged into the entry of the same kind
// (scalars summed, ranges and sets united) or appended; persistent volumes
// and MOUNT disks are always appended. Zero scalars and empty ranges/sets
// are dropped.
void addResource(std::vector<Resource>& list, const Resource& resource);
std::vector<Resource> sumResources(const std::vector<Resource>& a, const std::vector<Resource>& b);

// `have` minus `take`. InvalidArgument naming the first resource of `take`
// that `have` does not hold (a volume or MOUNT disk must match exactly).
Result<std::vector<Resource>> subtractResources(const std::vector<Resource>& have,
                                                const std::vector<Resource>& take);
bool containsResources(const std::vector<Resource>& have, const std::vector<Resource>& want);
// The same resources, in any order and however split into entries.
bool equalResources(const std::vector<Resource>& a, const std::vector<Resource>& b);

// The total of the scalar resources called `name`, across all kinds.
double scalarTotal(const std::vector<Resource>& list, std::string_view name);

// ---- builders and transforms ----

Resource scalarResource(std::string name, double value);
Resource rangesResource(std::string name, std::vector<Value::Range> ranges);
Resource setResource(std::string name, std::vector<std::string> items);

// `resource` offered to `role` (allocation_info.role).
Resource allocatedTo(Resource resource, std::string role);

// What RESERVE sends: `resource` with a DYNAMIC reservation for `role`
// pushed on its reservations stack (post-refinement format).
Resource withDynamicReservation(Resource resource, std::string role,
                                std::optional<std::string> principal, std::optional<Labels> labels);
// What UNRESERVE leaves: the last reservation popped (legacy: role "*").
Resource withoutLastReservation(Resource resource);

// What CREATE sends: reserved disk turned into a persistent volume with
// `persistenceId`, mounted RW (or `mode`) at `containerPath` in the sandbox.
Resource persistentVolume(Resource reservedDisk, std::string persistenceId,
                          std::optional<std::string> principal, std::string containerPath,
                          Volume::Mode mode = Volume::Mode::kRw);
// What DESTROY leaves: the volume's disk without persistence and volume.
Resource withoutPersistence(Resource volume);

// Between the legacy format (`role` + `reservation`) and the refinement
// stack (`reservations`). toRefinedFormat leaves a refined resource as is;
// toLegacyFormat fails for a stack of more than one reservation.
Resource toRefinedFormat(Resource resource);
Result<Resource> toLegacyFormat(Resource resource);

}  // namespace keel::mesos
