#include "offer/resource_util.h"

#include "keel/offer/task_labels.h"

namespace keel::offer::detail {

std::string formatAmount(int64_t millis) {
  std::string out;
  if (millis < 0) {
    out.push_back('-');
    millis = -millis;
  }
  appendOne(out, millis / 1000);
  int64_t frac = millis % 1000;
  if (frac != 0) {
    char digits[4] = {static_cast<char>('0' + frac / 100), static_cast<char>('0' + frac / 10 % 10),
                      static_cast<char>('0' + frac % 10), 0};
    std::string_view d(digits, 3);
    while (!d.empty() && d.back() == '0') d.remove_suffix(1);
    out.push_back('.');
    out.append(d);
  }
  return out;
}

std::string formatRanges(std::span<const mesos::Value::Range> ranges) {
  std::string out = "[";
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (i > 0) out.push_back(',');
    appendOne(out, ranges[i].begin);
    out.push_back('-');
    appendOne(out, ranges[i].end);
  }
  out.push_back(']');
  return out;
}

const mesos::Resource::ReservationInfo* currentReservation(const mesos::Resource& resource) {
  if (!resource.reservations.empty()) return &resource.reservations.back();
  if (resource.reservation) return &*resource.reservation;
  return nullptr;
}

std::string_view reservationRole(const mesos::Resource& resource) {
  if (!resource.reservations.empty()) {
    const auto& role = resource.reservations.back().role;
    return role ? std::string_view(*role) : std::string_view("?");
  }
  if (resource.role && *resource.role != "*") return *resource.role;
  return {};
}

std::string_view reservationLabel(const mesos::Resource& resource, std::string_view key) {
  const auto* reservation = currentReservation(resource);
  if (reservation == nullptr || !reservation->labels) return {};
  return labelValue(*reservation->labels, key).value_or(std::string_view());
}

std::string_view resourceId(const mesos::Resource& resource) {
  return reservationLabel(resource, kLabelResourceId);
}

std::string_view persistenceId(const mesos::Resource& resource) {
  if (resource.disk && resource.disk->persistence) return resource.disk->persistence->id;
  return {};
}

bool isMountDisk(const mesos::Resource& resource) {
  return resource.disk && resource.disk->source &&
         resource.disk->source->type == mesos::Resource::DiskInfo::Source::Type::kMount;
}

mesos::Resource scalarResource(std::string_view name, int64_t millis, std::string_view role) {
  mesos::Resource r;
  r.name = std::string(name);
  r.type = mesos::Value::Type::kScalar;
  r.scalar = mesos::Value::Scalar{fromMillis(millis)};
  r.allocationInfo = mesos::Resource::AllocationInfo{std::string(role)};
  return r;
}

mesos::Resource portResource(uint64_t port, std::string_view role) {
  mesos::Resource r;
  r.name = "ports";
  r.type = mesos::Value::Type::kRanges;
  r.ranges = mesos::Value::Ranges{{mesos::Value::Range{port, port}}};
  r.allocationInfo = mesos::Resource::AllocationInfo{std::string(role)};
  return r;
}

}  // namespace keel::offer::detail
