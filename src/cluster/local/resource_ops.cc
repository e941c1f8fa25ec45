#include "cluster/local/resource_ops.h"

#include "keel/mesos/resources.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <sstream>

namespace keel::local {
namespace {

using mesos::Resource;
using mesos::Value;
using Reservation = Resource::ReservationInfo;

bool quantityEmpty(const Resource& r) {
  switch (r.type) {
    case Value::Type::kScalar:
      return !r.scalar || mesos::scalarToMillis(r.scalar->value) == 0;
    case Value::Type::kRanges:
      return !r.ranges || r.ranges->range.empty();
    case Value::Type::kSet:
      return !r.set || r.set->item.empty();
    case Value::Type::kText:
      return true;
  }
  return true;
}

}  // namespace

mesos::Resource refined(mesos::Resource r) { return mesos::toRefinedFormat(std::move(r)); }

Resources refined(Resources rs) {
  for (mesos::Resource& r : rs) r = refined(std::move(r));
  return rs;
}

bool sameIdentity(const mesos::Resource& a, const mesos::Resource& b) {
  return mesos::sameKind(refined(a), refined(b));
}

void addTo(Resources& into, const mesos::Resource& r) {
  if (!quantityEmpty(r)) mesos::addResource(into, refined(r));
}

void addTo(Resources& into, const Resources& rs) {
  for (const mesos::Resource& r : rs) addTo(into, r);
}

Resources sum(const Resources& a, const Resources& b) {
  Resources out;
  addTo(out, a);
  addTo(out, b);
  return out;
}

bool containsAll(const Resources& have, const Resources& want) {
  return mesos::containsResources(refined(have), refined(want));
}

bool subtractFrom(Resources& from, const Resources& what) {
  Result<Resources> rest = mesos::subtractResources(refined(from), refined(what));
  if (!rest) return false;
  from = std::move(*rest);
  return true;
}

bool isEmpty(const Resources& rs) { return std::all_of(rs.begin(), rs.end(), quantityEmpty); }

Resources withAllocationRole(Resources rs, const std::string& role) {
  for (mesos::Resource& r : rs) r.allocationInfo = mesos::Resource::AllocationInfo{role};
  return rs;
}

Resources withoutAllocation(Resources rs) {
  for (mesos::Resource& r : rs) r.allocationInfo.reset();
  return rs;
}

bool isReserved(const mesos::Resource& r) { return mesos::isReserved(r); }

bool isDynamicallyReserved(const mesos::Resource& r) { return mesos::isDynamicallyReserved(r); }

bool isPersistentVolume(const mesos::Resource& r) { return mesos::isPersistentVolume(r); }

std::string reservationRole(const mesos::Resource& r) {
  mesos::Resource x = refined(r);
  if (x.reservations.empty()) return "*";
  return x.reservations.back().role.value_or("*");
}

bool allocatableTo(const mesos::Resource& r, const std::string& role) {
  std::string reserved = local::reservationRole(r);
  if (reserved == "*" || reserved == role) return true;
  return role.size() > reserved.size() && role.compare(0, reserved.size(), reserved) == 0 &&
         role[reserved.size()] == '/';
}

Resources allocatableTo(const Resources& rs, const std::string& role) {
  Resources out;
  for (const mesos::Resource& r : rs) {
    if (allocatableTo(r, role)) out.push_back(r);
  }
  return out;
}

Resources legacyFormat(const Resources& rs) {
  Resources out;
  for (mesos::Resource r : rs) {
    r = refined(std::move(r));
    r.allocationInfo.reset();
    if (r.reservations.empty()) {
      r.role = "*";
    } else {
      const Reservation& last = r.reservations.back();
      r.role = last.role.value_or("*");
      if (last.type == Reservation::Type::kDynamic) {
        Reservation legacy;
        legacy.principal = last.principal;
        legacy.labels = last.labels;
        r.reservation = legacy;
      }
      r.reservations.clear();
    }
    out.push_back(std::move(r));
  }
  return out;
}

double scalarSum(const Resources& rs, const std::string& name) {
  return mesos::scalarTotal(rs, name);
}

std::string describe(const Resources& rs) {
  std::ostringstream out;
  bool first = true;
  for (const mesos::Resource& r0 : rs) {
    mesos::Resource r = refined(r0);
    out << (first ? "" : "; ") << r.name;
    first = false;
    if (!r.reservations.empty())
      out << "(reserved: " << r.reservations.back().role.value_or("*") << ")";
    if (local::isPersistentVolume(r)) out << "[" << r.disk->persistence->id << "]";
    out << ":";
    if (r.type == Value::Type::kScalar && r.scalar) out << r.scalar->value;
    if (r.type == Value::Type::kRanges && r.ranges) {
      out << "[";
      for (size_t i = 0; i < r.ranges->range.size(); ++i) {
        out << (i ? "," : "") << r.ranges->range[i].begin << "-" << r.ranges->range[i].end;
      }
      out << "]";
    }
    if (r.type == Value::Type::kSet && r.set) out << "{" << r.set->item.size() << " items}";
  }
  return out.str();
}

}  // namespace keel::local
