#include "cluster/local/resource_ops.h"

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

int64_t milli(double v) { return std::llround(v * 1000.0); }
double fromMilli(int64_t m) { return static_cast<double>(m) / 1000.0; }

std::vector<Value::Range> normalizeRanges(std::vector<Value::Range> ranges) {
  std::sort(ranges.begin(), ranges.end(),
            [](const Value::Range& a, const Value::Range& b) { return a.begin < b.begin; });
  std::vector<Value::Range> out;
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

bool rangesContain(const std::vector<Value::Range>& have, const std::vector<Value::Range>& want) {
  for (const Value::Range& w : want) {
    bool inside = std::any_of(have.begin(), have.end(), [&](const Value::Range& h) {
      return h.begin <= w.begin && w.end <= h.end;
    });
    if (!inside) return false;
  }
  return true;
}

std::vector<Value::Range> rangesMinus(const std::vector<Value::Range>& have,
                                      const std::vector<Value::Range>& minus) {
  std::vector<Value::Range> out = have;
  for (const Value::Range& m : minus) {
    std::vector<Value::Range> next;
    for (const Value::Range& h : out) {
      if (m.end < h.begin || m.begin > h.end) {
        next.push_back(h);
        continue;
      }
      if (h.begin < m.begin) next.push_back({h.begin, m.begin - 1});
      if (m.end < h.end) next.push_back({m.end + 1, h.end});
    }
    out = std::move(next);
  }
  return normalizeRanges(out);
}

bool quantityEmpty(const Resource& r) {
  switch (r.type) {
    case Value::Type::kScalar:
      return !r.scalar || milli(r.scalar->value) == 0;
    case Value::Type::kRanges:
      return !r.ranges || r.ranges->range.empty();
    case Value::Type::kSet:
      return !r.set || r.set->item.empty();
    case Value::Type::kText:
      return true;
  }
  return true;
}

// Adds b's quantity into a (same identity).
void addQuantity(Resource& a, const Resource& b) {
  switch (a.type) {
    case Value::Type::kScalar:
      a.scalar = Value::Scalar{
          fromMilli(milli(a.scalar ? a.scalar->value : 0) + milli(b.scalar ? b.scalar->value : 0))};
      break;
    case Value::Type::kRanges: {
      std::vector<Value::Range> all = a.ranges ? a.ranges->range : std::vector<Value::Range>{};
      if (b.ranges) all.insert(all.end(), b.ranges->range.begin(), b.ranges->range.end());
      a.ranges = Value::Ranges{normalizeRanges(all)};
      break;
    }
    case Value::Type::kSet: {
      std::set<std::string> items;
      if (a.set) items.insert(a.set->item.begin(), a.set->item.end());
      if (b.set) items.insert(b.set->item.begin(), b.set->item.end());
      a.set = Value::Set{{items.begin(), items.end()}};
      break;
    }
    case Value::Type::kText:
      break;
  }
}

bool quantityContains(const Resource& have, const Resource& want) {
  switch (have.type) {
    case Value::Type::kScalar:
      return milli(have.scalar ? have.scalar->value : 0) >=
             milli(want.scalar ? want.scalar->value : 0);
    case Value::Type::kRanges:
      return rangesContain(
          have.ranges ? normalizeRanges(have.ranges->range) : std::vector<Value::Range>{},
          want.ranges ? want.ranges->range : std::vector<Value::Range>{});
    case Value::Type::kSet: {
      std::set<std::string> items;
      if (have.set) items.insert(have.set->item.begin(), have.set->item.end());
      if (!want.set) return true;
      return std::all_of(want.set->item.begin(), want.set->item.end(),
                         [&](const std::string& i) { return items.count(i) > 0; });
    }
    case Value::Type::kText:
      return false;
  }
  return false;
}

void subtractQuantity(Resource& a, const Resource& b) {
  switch (a.type) {
    case Value::Type::kScalar:
      a.scalar = Value::Scalar{
          fromMilli(milli(a.scalar ? a.scalar->value : 0) - milli(b.scalar ? b.scalar->value : 0))};
      break;
    case Value::Type::kRanges:
      a.ranges =
          Value::Ranges{rangesMinus(a.ranges ? a.ranges->range : std::vector<Value::Range>{},
                                    b.ranges ? b.ranges->range : std::vector<Value::Range>{})};
      break;
    case Value::Type::kSet: {
      std::vector<std::string> kept;
      for (const std::string& i : a.set ? a.set->item : std::vector<std::string>{}) {
        if (!b.set || std::find(b.set->item.begin(), b.set->item.end(), i) == b.set->item.end()) {
          kept.push_back(i);
        }
      }
      a.set = Value::Set{kept};
      break;
    }
    case Value::Type::kText:
      break;
  }
}

Resources merged(const Resources& rs) {
  Resources out;
  addTo(out, rs);
  return out;
}

}  // namespace

mesos::Resource refined(mesos::Resource r) {
  if (r.role && r.reservations.empty()) {
    if (*r.role != "*") {
      Reservation entry;
      entry.role = *r.role;
      if (r.reservation) {
        entry = *r.reservation;
        entry.type = Reservation::Type::kDynamic;
        entry.role = *r.role;
      } else {
        entry.type = Reservation::Type::kStatic;
      }
      r.reservations.push_back(entry);
    }
  }
  r.role.reset();
  r.reservation.reset();
  return r;
}

Resources refined(Resources rs) {
  for (mesos::Resource& r : rs) r = refined(std::move(r));
  return rs;
}

bool sameIdentity(const mesos::Resource& a0, const mesos::Resource& b0) {
  mesos::Resource a = refined(a0);
  mesos::Resource b = refined(b0);
  return a.name == b.name && a.type == b.type && a.providerId == b.providerId &&
         a.allocationInfo == b.allocationInfo && a.reservations == b.reservations &&
         a.disk == b.disk && a.unknown == b.unknown;
}

void addTo(Resources& into, const mesos::Resource& r0) {
  if (quantityEmpty(r0)) return;
  mesos::Resource r = refined(r0);
  for (mesos::Resource& have : into) {
    if (sameIdentity(have, r)) {
      addQuantity(have, r);
      return;
    }
  }
  if (r.type == Value::Type::kRanges && r.ranges)
    r.ranges->range = normalizeRanges(r.ranges->range);
  into.push_back(std::move(r));
}

void addTo(Resources& into, const Resources& rs) {
  for (const mesos::Resource& r : rs) addTo(into, r);
}

Resources sum(const Resources& a, const Resources& b) {
  Resources out = merged(a);
  addTo(out, b);
  return out;
}

bool containsAll(const Resources& have0, const Resources& want0) {
  Resources have = merged(have0);
  for (const mesos::Resource& w : merged(want0)) {
    auto it = std::find_if(have.begin(), have.end(),
                           [&](const mesos::Resource& h) { return sameIdentity(h, w); });
    if (it == have.end() || !quantityContains(*it, w)) return false;
  }
  return true;
}

bool subtractFrom(Resources& from, const Resources& what) {
  if (!containsAll(from, what)) return false;
  Resources out = merged(from);
  for (const mesos::Resource& w : merged(what)) {
    for (mesos::Resource& h : out) {
      if (sameIdentity(h, w)) {
        subtractQuantity(h, w);
        break;
      }
    }
  }
  out.erase(std::remove_if(out.begin(), out.end(), quantityEmpty), out.end());
  from = std::move(out);
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

bool isReserved(const mesos::Resource& r) { return !refined(r).reservations.empty(); }

bool isDynamicallyReserved(const mesos::Resource& r) {
  mesos::Resource x = refined(r);
  return !x.reservations.empty() && x.reservations.back().type == Reservation::Type::kDynamic;
}

bool isPersistentVolume(const mesos::Resource& r) { return r.disk && r.disk->persistence; }

std::string reservationRole(const mesos::Resource& r) {
  mesos::Resource x = refined(r);
  if (x.reservations.empty()) return "*";
  return x.reservations.back().role.value_or("*");
}

bool allocatableTo(const mesos::Resource& r, const std::string& role) {
  std::string reserved = reservationRole(r);
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
  int64_t total = 0;
  for (const mesos::Resource& r : rs) {
    if (r.name == name && r.type == Value::Type::kScalar && r.scalar)
      total += milli(r.scalar->value);
  }
  return fromMilli(total);
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
    if (isPersistentVolume(r)) out << "[" << r.disk->persistence->id << "]";
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
