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

std::string_view reservationLabel(const mesos::Resource& resource, std::string_view key) {
  const mesos::Labels* labels = mesos::reservationLabels(resource);
  if (labels == nullptr) return {};
  return labelValue(*labels, key).value_or(std::string_view());
}

std::string_view resourceId(const mesos::Resource& resource) {
  return reservationLabel(resource, kLabelResourceId);
}

std::string_view persistenceId(const mesos::Resource& resource) {
  if (resource.disk && resource.disk->persistence) return resource.disk->persistence->id;
  return {};
}

mesos::Resource scalarResource(std::string_view name, int64_t millis, std::string_view role) {
  return mesos::allocatedTo(mesos::scalarResource(std::string(name), millisToScalar(millis)),
                            std::string(role));
}

mesos::Resource portResource(uint64_t port, std::string_view role) {
  return mesos::allocatedTo(mesos::rangesResource("ports", {mesos::Value::Range{port, port}}),
                            std::string(role));
}

}  // namespace keel::offer::detail
