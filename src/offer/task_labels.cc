#include "keel/offer/task_labels.h"

#include <charconv>

#include "offer/resource_util.h"

namespace keel::offer {

std::string taskName(std::string_view pod, int64_t index, std::string_view task) {
  return detail::strCat(pod, '-', index, '-', task);
}

std::string sanitizedServiceName(std::string_view service) {
  while (!service.empty() && service.front() == '/') service.remove_prefix(1);
  std::string out(service);
  for (char& c : out) {
    if (c == '/') c = '.';
  }
  return out;
}

std::string taskId(std::string_view service, std::string_view taskName, std::string_view uuid) {
  return detail::strCat(sanitizedServiceName(service), "__", taskName, "__", uuid);
}

std::string renderedConfigUrl(std::string_view base, std::string_view taskId, size_t index) {
  return detail::strCat(base, "/v1/artifacts/rendered/", taskId, "/", std::to_string(index));
}

std::optional<std::string> taskNameFromTaskId(std::string_view id) {
  size_t first = id.find("__");
  size_t last = id.rfind("__");
  if (first == std::string_view::npos || last == first) return std::nullopt;
  return std::string(id.substr(first + 2, last - first - 2));
}

std::optional<std::string_view> labelValue(const mesos::Labels& labels, std::string_view key) {
  for (const auto& label : labels.labels) {
    if (label.key == key) return label.value ? std::string_view(*label.value) : std::string_view();
  }
  return std::nullopt;
}

int64_t incarnationLabel(const std::optional<mesos::Labels>& labels) {
  if (!labels) return 0;
  std::optional<std::string_view> text = labelValue(*labels, kLabelIncarnation);
  int64_t value = 0;
  if (!text || std::from_chars(text->data(), text->data() + text->size(), value).ec != std::errc())
    return 0;
  return value;
}

}  // namespace keel::offer
