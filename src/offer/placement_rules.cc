#include "keel/offer/placement_rules.h"

#include <algorithm>
#include <charconv>
#include <regex>
#include <unordered_map>

#include "offer/resource_util.h"

namespace keel::offer {

using detail::strCat;
using spec::PlacementOperator;

enum class Field { kHostname, kZone, kRegion, kAttribute, kAgent };

struct CompiledPlacement::Node {
  spec::PlacementExpr::Kind kind = spec::PlacementExpr::Kind::kAnd;
  std::vector<Node> children;

  // Rows.
  spec::PlacementRow row;
  Field field = Field::kHostname;
  std::string label;                                 // "hostname MAX_PER 2"
  std::unordered_map<std::string_view, int> counts;  // value -> tasks in scope
  int minCount = 0;                                  // over counts
  size_t scopeSize = 0;                              // tasks in scope
  int64_t number = 0;                                // MAX_PER n, GROUP_BY n
  std::string_view clusterValue;                     // CLUSTER without parameter
  std::shared_ptr<const std::regex> regex;           // LIKE, UNLIKE
  std::string scopeType;                             // pod type counted
  std::string self;                                  // this pod instance
  const PlacementContext* context = nullptr;
};

namespace {

using Node = CompiledPlacement::Node;

Field fieldOf(const std::string& name) {
  if (name == "hostname") return Field::kHostname;
  if (name == "@zone") return Field::kZone;
  if (name == "@region") return Field::kRegion;
  if (name == "@type") return Field::kAgent;
  return Field::kAttribute;
}

// The field's value for a placed task; nullopt when it has none.
std::optional<std::string_view> taskValue(const Node& n, const PlacedTask& task) {
  switch (n.field) {
    case Field::kHostname:
      return task.hostname.empty() ? std::nullopt : std::optional<std::string_view>(task.hostname);
    case Field::kZone:
      return task.zone.empty() ? std::nullopt : std::optional<std::string_view>(task.zone);
    case Field::kRegion:
      return task.region.empty() ? std::nullopt : std::optional<std::string_view>(task.region);
    case Field::kAgent:
      return task.agentId;
    case Field::kAttribute:
      for (const auto& [name, value] : task.attributes) {
        if (name == n.row.field) return std::string_view(value);
      }
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::string_view> offerValue(const Node& n, const OfferSummary& offer) {
  switch (n.field) {
    case Field::kHostname:
      return offer.hostname;
    case Field::kZone:
      return offer.zone.empty() ? std::nullopt : std::optional<std::string_view>(offer.zone);
    case Field::kRegion:
      return offer.region.empty() ? std::nullopt : std::optional<std::string_view>(offer.region);
    case Field::kAgent:
      return offer.agentId;
    case Field::kAttribute:
      if (const std::string* v = offer.attribute(n.row.field)) return std::string_view(*v);
      return std::nullopt;
  }
  return std::nullopt;
}

bool inScope(const Node& n, const PlacedTask& task) {
  return task.podType == n.scopeType && task.podInstance != n.self;
}

Node compileRow(const spec::PlacementRow& row, const std::string& podType,
                const std::string& podInstance, const PlacementContext& context) {
  Node n;
  n.kind = spec::PlacementExpr::Kind::kRow;
  n.row = row;
  n.field = fieldOf(row.field);
  n.label = strCat(row.field, ' ', spec::placementOperatorName(row.op));
  if (row.parameter) n.label += strCat(' ', *row.parameter);
  n.scopeType = n.field == Field::kAgent ? row.parameter.value_or("") : podType;
  n.self = podInstance;
  n.context = &context;
  if (row.parameter) {
    const std::string& p = *row.parameter;
    std::from_chars(p.data(), p.data() + p.size(), n.number);
    if (row.op == PlacementOperator::kLike || row.op == PlacementOperator::kUnlike) {
      try {
        n.regex = std::make_shared<const std::regex>(p, std::regex::ECMAScript);
      } catch (const std::regex_error&) {
        n.regex = nullptr;
      }
    }
  }
  for (const auto& task : context.tasks) {
    if (!inScope(n, task)) continue;
    ++n.scopeSize;
    if (auto v = taskValue(n, task)) {
      ++n.counts[*v];
      if (n.clusterValue.empty()) n.clusterValue = *v;
    }
  }
  n.minCount = n.counts.empty() ? 0 : n.counts.begin()->second;
  for (const auto& [value, count] : n.counts) n.minCount = std::min(n.minCount, count);
  return n;
}

Node compile(const spec::PlacementExpr& expr, const std::string& podType,
             const std::string& podInstance, const PlacementContext& context) {
  if (expr.kind == spec::PlacementExpr::Kind::kRow) {
    return compileRow(expr.row, podType, podInstance, context);
  }
  Node n;
  n.kind = expr.kind;
  for (const auto& child : expr.children) {
    n.children.push_back(compile(child, podType, podInstance, context));
  }
  return n;
}

std::string_view noun(const Node& n) {
  switch (n.field) {
    case Field::kHostname:
      return "host";
    case Field::kZone:
      return "zone";
    case Field::kRegion:
      return "region";
    case Field::kAgent:
      return "agent";
    case Field::kAttribute:
      return n.row.field;
  }
  return "";
}

// The pod instances in scope whose value is `value`: "data-0, data-4".
std::string holders(const Node& n, std::string_view value) {
  std::vector<std::string_view> names;
  for (const auto& task : n.context->tasks) {
    if (!inScope(n, task) || taskValue(n, task) != value) continue;
    if (std::find(names.begin(), names.end(), task.podInstance) == names.end()) {
      names.push_back(task.podInstance);
    }
  }
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += strCat(i ? ", " : "", names[i]);
  return out;
}

int countOf(const Node& n, std::string_view value) {
  auto it = n.counts.find(value);
  return it == n.counts.end() ? 0 : it->second;
}

bool regexMatches(const Node& n, std::string_view value) {
  return n.regex && std::regex_match(value.begin(), value.end(), *n.regex);
}

bool explain(std::string* reason, bool ok, std::string text) {
  if (reason) *reason = std::move(text);
  return ok;
}

// Formats the reason only when one is wanted: `text` is a callable.
template <typename Text>
bool explain(std::string* reason, bool ok, Text&& text) {
  if (reason) *reason = text();
  return ok;
}

bool evalGroupBy(const Node& n, std::string_view v, const OfferSummary&, std::string* reason) {
  int c = countOf(n, v);
  bool filling = n.number > 0 && static_cast<int64_t>(n.counts.size()) < n.number;
  bool ok = filling ? c == 0 : (c == 0 || c <= n.minCount);
  if (!reason) return ok;
  std::string where = strCat(noun(n), ' ', v);
  if (ok)
    return explain(
        reason, true,
        strCat(n.label, ": ", where, " has ", c, " of the ", n.scopeType, " tasks, the fewest"));
  if (filling) {
    return explain(
        reason, false,
        strCat(n.label, ": ", where, " already has ", c, ' ', n.scopeType, " tasks while only ",
               n.counts.size(), " of ", n.number, " values are used"));
  }
  return explain(reason, false, [&] {
    return strCat(n.label, ": ", where, " has ", c, ' ', n.scopeType,
                  " tasks, more than the fewest (", n.minCount, ')');
  });
}

bool evalCounted(const Node& n, std::string_view v, std::string* reason) {
  int c = countOf(n, v);
  int64_t limit = n.row.op == PlacementOperator::kUnique ? 1 : n.number;
  bool ok = c < limit;
  if (!reason) return ok;
  std::string where = strCat(noun(n), ' ', v);
  if (ok) {
    return explain(
        reason, true,
        strCat(n.label, ": ", where, " has ", c, ' ', n.scopeType, " tasks (max ", limit, ')'));
  }
  if (n.row.op == PlacementOperator::kUnique) {
    return explain(reason, false,
                   [&] { return strCat(n.label, ": ", where, " already runs ", holders(n, v)); });
  }
  return explain(reason, false, [&] {
    return strCat(n.label, ": ", where, " already has ", c, ' ', n.scopeType, " tasks (",
                  holders(n, v), "), max ", limit);
  });
}

bool evalTaskType(const Node& n, std::string_view agent, std::string* reason) {
  int c = countOf(n, agent);
  if (n.row.op == PlacementOperator::kAvoid) {
    if (c == 0)
      return explain(reason, true, [&] {
        return strCat(n.label, ": no ", n.scopeType, " task on agent ", agent);
      });
    return explain(reason, false, [&] {
      return strCat(n.label, ": agent ", agent, " already runs ", holders(n, agent));
    });
  }
  if (n.scopeSize == 0) {
    return explain(reason, true,
                   [&] { return strCat(n.label, ": no ", n.scopeType, " task is placed yet"); });
  }
  if (c > 0)
    return explain(reason, true,
                   [&] { return strCat(n.label, ": agent ", agent, " runs ", holders(n, agent)); });
  return explain(reason, false, [&] {
    return strCat(n.label, ": agent ", agent, " runs no ", n.scopeType, " task");
  });
}

bool evalValue(const Node& n, std::string_view v, std::string* reason) {
  std::string_view param = n.row.parameter ? std::string_view(*n.row.parameter) : "";
  auto where = [&] { return strCat(n.label, ": ", noun(n), ' ', v); };
  switch (n.row.op) {
    case PlacementOperator::kCluster: {
      std::string_view want = n.row.parameter ? param : n.clusterValue;
      bool ok = want.empty() || v == want;
      return explain(reason, ok, [&] {
        return ok ? strCat(where(), " is the cluster's")
                  : strCat(where(), ", the tasks are on ", want);
      });
    }
    case PlacementOperator::kLike:
    case PlacementOperator::kUnlike: {
      if (!n.regex)
        return explain(reason, false,
                       [&] { return strCat(n.label, ": invalid regular expression"); });
      bool match = regexMatches(n, v);
      bool ok = n.row.op == PlacementOperator::kLike ? match : !match;
      return explain(reason, ok,
                     [&] { return strCat(where(), match ? " matches" : " does not match"); });
    }
    case PlacementOperator::kIs:
    case PlacementOperator::kIsNot: {
      bool same = v == param;
      bool ok = n.row.op == PlacementOperator::kIs ? same : !same;
      return explain(reason, ok,
                     [&] { return strCat(where(), same ? " is " : " is not ", param); });
    }
    default:
      return explain(reason, false, [&] { return strCat(n.label, ": operator not applicable"); });
  }
}

bool evalRow(const Node& n, const OfferSummary& offer, std::string* reason) {
  std::optional<std::string_view> v = offerValue(n, offer);
  PlacementOperator op = n.row.op;
  if (op == PlacementOperator::kAvoid || op == PlacementOperator::kColocate) {
    if (n.field != Field::kAgent)
      return explain(reason, false, [&] { return strCat(n.label, ": needs @type"); });
    return evalTaskType(n, *v, reason);
  }
  if (!v) {
    bool ok = op == PlacementOperator::kUnlike || op == PlacementOperator::kIsNot;
    return explain(reason, ok, [&] {
      return strCat(n.label, ": agent ", offer.agentId, " has no ", n.row.field);
    });
  }
  switch (op) {
    case PlacementOperator::kUnique:
    case PlacementOperator::kMaxPer:
      return evalCounted(n, *v, reason);
    case PlacementOperator::kGroupBy:
      return evalGroupBy(n, *v, offer, reason);
    default:
      return evalValue(n, *v, reason);
  }
}

bool evalNode(const Node& n, const OfferSummary& offer, std::string* reason);

bool evalAnd(const Node& n, const OfferSummary& offer, std::string* reason) {
  std::string all;
  for (const auto& child : n.children) {
    if (!evalNode(child, offer, reason)) return false;
    if (reason) all += strCat(all.empty() ? "" : "; ", *reason);
  }
  if (reason) *reason = std::move(all);
  return true;
}

bool evalOr(const Node& n, const OfferSummary& offer, std::string* reason) {
  std::string all;
  for (const auto& child : n.children) {
    if (evalNode(child, offer, reason)) return true;
    if (reason) all += strCat(all.empty() ? "" : "; ", *reason);
  }
  if (reason) *reason = strCat("none of the alternatives holds: ", all);
  return false;
}

bool evalNode(const Node& n, const OfferSummary& offer, std::string* reason) {
  switch (n.kind) {
    case spec::PlacementExpr::Kind::kRow:
      return evalRow(n, offer, reason);
    case spec::PlacementExpr::Kind::kAnd:
      return evalAnd(n, offer, reason);
    case spec::PlacementExpr::Kind::kOr:
      return evalOr(n, offer, reason);
    case spec::PlacementExpr::Kind::kNot: {
      bool inner = !n.children.empty() && evalNode(n.children.front(), offer, reason);
      if (reason) *reason = strCat("not(", *reason, ')');
      return !inner;
    }
  }
  return false;
}

}  // namespace

CompiledPlacement::CompiledPlacement() = default;
CompiledPlacement::CompiledPlacement(CompiledPlacement&&) noexcept = default;
CompiledPlacement& CompiledPlacement::operator=(CompiledPlacement&&) noexcept = default;
CompiledPlacement::~CompiledPlacement() = default;

CompiledPlacement::CompiledPlacement(const spec::PlacementExpr& expr, std::string podType,
                                     std::string podInstance, const PlacementContext& context)
    : root_(std::make_unique<Node>(compile(expr, podType, podInstance, context))),
      text_(spec::placementToString(expr)) {}

bool CompiledPlacement::evaluate(const OfferSummary& offer, std::string* reason) const {
  if (!root_) {
    if (reason) *reason = "no placement rule";
    return true;
  }
  return evalNode(*root_, offer, reason);
}

}  // namespace keel::offer
