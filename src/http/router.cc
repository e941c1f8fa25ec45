#include "http/router.h"

#include <utility>

namespace keel::http {

const std::string& Request::arg(const std::string& key) const {
  static const std::string kEmpty;
  auto it = query.find(key);
  return it == query.end() ? kEmpty : it->second;
}

std::vector<std::string_view> splitPath(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t end = path.find('/', i);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(i, end - i));
    i = end;
  }
  return out;
}

void Router::add(std::string method, std::string_view pattern, Handler handler, Peek peek) {
  Route route{std::move(method), {}, std::move(handler), std::move(peek)};
  for (std::string_view s : splitPath(pattern)) route.segments.emplace_back(s);
  routes_.push_back(std::move(route));
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  std::vector<std::string_view> parts = splitPath(path);
  Match result;
  result.status = 404;
  for (const Route& route : routes_) {
    if (route.segments.size() != parts.size()) continue;
    std::vector<std::string> params;
    bool same = true;
    for (size_t i = 0; same && i < parts.size(); ++i) {
      const std::string& seg = route.segments[i];
      if (!seg.empty() && seg.front() == '{') {
        params.emplace_back(parts[i]);
      } else {
        same = seg == parts[i];
      }
    }
    if (!same) continue;
    if (route.method != method) {
      result.status = 405;
      continue;
    }
    return Match{&route.handler, route.peek ? &route.peek : nullptr, std::move(params), 200};
  }
  return result;
}

}  // namespace keel::http
