#include "keel/mesos/resources.h"

#include <algorithm>
#include <cmath>

namespace keel::mesos {
namespace {

using Ranges = std::vector<Value::Range>;

// Sorted, with overlapping and adjacent ranges merged.
Ranges coalesce(Ranges ranges) {
  std::sort(ranges.begin(), ranges.end(),
            [](const Value::Range& a, const Value::Range& b) { return a.begin < b.begin; });
  Ranges out;
  for (const Value::Range& r : ranges) {
    if (r.end < r.begin) continue;
    if (!out.empty() && r.begin <= out.back().end + 1) {
      out.back().end = std::max(out.back().end, r.end);
    } else {
      out.push_back(r);
    }
  }
  return out;
}

// `have` minus `take`, both coalesced; nullopt when `take` is not a subset.
std::optional<Ranges> rangesMinus(const Ranges& have, const Ranges& take) {
  Ranges out = have;
  for (const Value::Range& t : take) {
    auto holder = std::find_if(out.begin(), out.end(), [&](const Value::Range& r) {
      return r.begin <= t.begin && t.end <= r.end;
    });
    if (holder == out.end()) return std::nullopt;
    Value::Range r = *holder;
    holder = out.erase(holder);
    if (t.end < r.end) holder = out.insert(holder, {t.end + 1, r.end});
    if (r.begin < t.begin) out.insert(holder, {r.begin, t.begin - 1});
  }
  return out;
}

bool isAtomic(const Resource& r) { return isPersistentVolume(r) || isMountDisk(r); }

bool isEmpty(const Resource& r) {
  switch (r.type) {
    case Value::Type::kScalar:
      return !r.scalar || scalarToMillis(r.scalar->value) == 0;
    case Value::Type::kRanges:
      return !r.ranges || r.ranges->range.empty();
    case Value::Type::kSet:
      return !r.set || r.set->item.empty();
    default:
      return false;
  }
}

// Adds `r`'s quantity to `into` (same kind).
void mergeInto(Resource& into, const Resource& r) {
  switch (r.type) {
    case Value::Type::kScalar:
      into.scalar = Value::Scalar{
          millisToScalar(scalarToMillis(into.scalar->value) + scalarToMillis(r.scalar->value))};
      break;
    case Value::Type::kRanges: {
      Ranges all = into.ranges->range;
      all.insert(all.end(), r.ranges->range.begin(), r.ranges->range.end());
      into.ranges->range = coalesce(std::move(all));
      break;
    }
    case Value::Type::kSet:
      for (const std::string& item : r.set->item) {
        if (std::find(into.set->item.begin(), into.set->item.end(), item) == into.set->item.end()) {
          into.set->item.push_back(item);
        }
      }
      break;
    default:
      break;
  }
}

// Takes `take`'s quantity out of `from` (same kind); false if it is not there.
bool takeFrom(Resource& from, const Resource& take) {
  switch (take.type) {
    case Value::Type::kScalar: {
      int64_t left = scalarToMillis(from.scalar->value) - scalarToMillis(take.scalar->value);
      if (left < 0) return false;
      from.scalar = Value::Scalar{millisToScalar(left)};
      return true;
    }
    case Value::Type::kRanges: {
      std::optional<Ranges> left =
          rangesMinus(coalesce(from.ranges->range), coalesce(take.ranges->range));
      if (!left) return false;
      from.ranges->range = std::move(*left);
      return true;
    }
    case Value::Type::kSet:
      for (const std::string& item : take.set->item) {
        auto it = std::find(from.set->item.begin(), from.set->item.end(), item);
        if (it == from.set->item.end()) return false;
        from.set->item.erase(it);
      }
      return true;
    default:
      return false;
  }
}

std::string describeResource(const Resource& r) {
  std::string out = r.name;
  if (r.scalar) out += ":" + std::to_string(roundScalar(r.scalar->value));
  if (auto role = reservationRole(r)) out += " reserved for " + *role;
  if (isPersistentVolume(r)) out += " volume " + r.disk->persistence->id;
  return out;
}

}  // namespace

int64_t scalarToMillis(double value) { return std::llround(value * 1000.0); }
double millisToScalar(int64_t millis) { return static_cast<double>(millis) / 1000.0; }
double roundScalar(double value) { return millisToScalar(scalarToMillis(value)); }

bool sameKind(const Resource& a, const Resource& b) {
  return a.name == b.name && a.type == b.type && a.providerId == b.providerId && a.role == b.role &&
         a.allocationInfo == b.allocationInfo && a.reservation == b.reservation &&
         a.reservations == b.reservations && a.disk == b.disk && a.unknown == b.unknown;
}

std::optional<std::string> reservationRole(const Resource& r) {
  if (!r.reservations.empty()) return r.reservations.back().role;
  if (r.role && *r.role != "*") return r.role;
  return std::nullopt;
}

bool isReserved(const Resource& r) { return reservationRole(r).has_value(); }

bool isDynamicallyReserved(const Resource& r) {
  if (!r.reservations.empty()) {
    return r.reservations.back().type == Resource::ReservationInfo::Type::kDynamic;
  }
  return r.reservation.has_value();
}

const Labels* reservationLabels(const Resource& r) {
  const Resource::ReservationInfo* info = nullptr;
  if (!r.reservations.empty()) {
    info = &r.reservations.back();
  } else if (r.reservation) {
    info = &*r.reservation;
  }
  return info && info->labels ? &*info->labels : nullptr;
}

std::optional<std::string> labelValue(const Labels* labels, std::string_view key) {
  if (labels == nullptr) return std::nullopt;
  for (const Label& label : labels->labels) {
    if (label.key == key) return label.value.value_or("");
  }
  return std::nullopt;
}

bool isPersistentVolume(const Resource& r) { return r.disk && r.disk->persistence; }

bool isMountDisk(const Resource& r) {
  return r.disk && r.disk->source &&
         r.disk->source->type == Resource::DiskInfo::Source::Type::kMount;
}

void addResource(std::vector<Resource>& list, const Resource& resource) {
  if (isEmpty(resource)) return;
  if (!isAtomic(resource)) {
    for (Resource& existing : list) {
      if (sameKind(existing, resource)) {
        mergeInto(existing, resource);
        return;
      }
    }
  }
  Resource copy = resource;
  if (copy.scalar) copy.scalar->value = roundScalar(copy.scalar->value);
  if (copy.ranges) copy.ranges->range = coalesce(copy.ranges->range);
  list.push_back(std::move(copy));
}

std::vector<Resource> sumResources(const std::vector<Resource>& a, const std::vector<Resource>& b) {
  std::vector<Resource> out;
  for (const Resource& r : a) addResource(out, r);
  for (const Resource& r : b) addResource(out, r);
  return out;
}

Result<std::vector<Resource>> subtractResources(const std::vector<Resource>& have,
                                                const std::vector<Resource>& take) {
  std::vector<Resource> left = sumResources(have, {});
  for (const Resource& t : take) {
    if (isEmpty(t)) continue;
    auto match = std::find_if(left.begin(), left.end(), [&](const Resource& r) {
      return isAtomic(t) ? r == t : sameKind(r, t);
    });
    if (match == left.end() || (!isAtomic(t) && !takeFrom(*match, t))) {
      return Status::invalidArgument("resources do not contain " + describeResource(t));
    }
    if (isAtomic(t) || isEmpty(*match)) left.erase(match);
  }
  return left;
}

bool containsResources(const std::vector<Resource>& have, const std::vector<Resource>& want) {
  return subtractResources(have, want).has_value();
}

bool equalResources(const std::vector<Resource>& a, const std::vector<Resource>& b) {
  return containsResources(a, b) && containsResources(b, a);
}

double scalarTotal(const std::vector<Resource>& list, std::string_view name) {
  int64_t millis = 0;
  for (const Resource& r : list) {
    if (r.name == name && r.scalar) millis += scalarToMillis(r.scalar->value);
  }
  return millisToScalar(millis);
}

Resource scalarResource(std::string name, double value) {
  Resource r;
  r.name = std::move(name);
  r.type = Value::Type::kScalar;
  r.scalar = Value::Scalar{roundScalar(value)};
  return r;
}

Resource rangesResource(std::string name, std::vector<Value::Range> ranges) {
  Resource r;
  r.name = std::move(name);
  r.type = Value::Type::kRanges;
  r.ranges = Value::Ranges{coalesce(std::move(ranges))};
  return r;
}

Resource setResource(std::string name, std::vector<std::string> items) {
  Resource r;
  r.name = std::move(name);
  r.type = Value::Type::kSet;
  r.set = Value::Set{std::move(items)};
  return r;
}

Resource allocatedTo(Resource resource, std::string role) {
  resource.allocationInfo = Resource::AllocationInfo{std::move(role)};
  return resource;
}

Resource withDynamicReservation(Resource resource, std::string role,
                                std::optional<std::string> principal,
                                std::optional<Labels> labels) {
  resource = toRefinedFormat(std::move(resource));
  Resource::ReservationInfo info;
  info.type = Resource::ReservationInfo::Type::kDynamic;
  info.role = std::move(role);
  info.principal = std::move(principal);
  info.labels = std::move(labels);
  resource.reservations.push_back(std::move(info));
  return resource;
}

Resource withoutLastReservation(Resource resource) {
  if (!resource.reservations.empty()) {
    resource.reservations.pop_back();
  } else if (resource.role) {
    resource.role = "*";
    resource.reservation.reset();
  }
  return resource;
}

Resource persistentVolume(Resource reservedDisk, std::string persistenceId,
                          std::optional<std::string> principal, std::string containerPath,
                          Volume::Mode mode) {
  Resource::DiskInfo disk = reservedDisk.disk.value_or(Resource::DiskInfo{});
  disk.persistence =
      Resource::DiskInfo::Persistence{std::move(persistenceId), std::move(principal)};
  Volume volume;
  volume.mode = mode;
  volume.containerPath = std::move(containerPath);
  disk.volume = std::move(volume);
  reservedDisk.disk = std::move(disk);
  return reservedDisk;
}

Resource withoutPersistence(Resource volume) {
  if (!volume.disk) return volume;
  volume.disk->persistence.reset();
  volume.disk->volume.reset();
  if (!volume.disk->source) volume.disk.reset();
  return volume;
}

Resource toRefinedFormat(Resource resource) {
  if (!resource.role) return resource;
  if (*resource.role != "*") {
    Resource::ReservationInfo info = resource.reservation.value_or(Resource::ReservationInfo{});
    info.type = resource.reservation ? Resource::ReservationInfo::Type::kDynamic
                                     : Resource::ReservationInfo::Type::kStatic;
    info.role = *resource.role;
    resource.reservations = {std::move(info)};
  }
  resource.role.reset();
  resource.reservation.reset();
  return resource;
}

Result<Resource> toLegacyFormat(Resource resource) {
  if (resource.role) return resource;
  if (resource.reservations.size() > 1) {
    return Status::invalidArgument("a refined reservation of " + resource.name +
                                   " has no legacy form");
  }
  resource.role = "*";
  if (resource.reservations.size() == 1) {
    Resource::ReservationInfo info = std::move(resource.reservations.front());
    resource.role = info.role.value_or("*");
    if (info.type == Resource::ReservationInfo::Type::kDynamic) {
      info.type.reset();
      info.role.reset();
      resource.reservation = std::move(info);
    }
    resource.reservations.clear();
  }
  return resource;
}

}  // namespace keel::mesos
