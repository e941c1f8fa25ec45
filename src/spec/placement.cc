#include "keel/placement.h"

#include <cctype>
#include <nlohmann/json.hpp>
#include <regex>

namespace keel::spec {
namespace {

using json = nlohmann::json;

constexpr const char* kAllowed =
    "allowed operators: UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE, MAX_PER, IS, IS_NOT, "
    "and AVOID, COLOCATE with field @type";

struct OperatorInfo {
  const char* name;
  PlacementOperator op;
};
constexpr OperatorInfo kOperators[] = {
    {"UNIQUE", PlacementOperator::kUnique},
    {"CLUSTER", PlacementOperator::kCluster},
    {"GROUP_BY", PlacementOperator::kGroupBy},
    {"LIKE", PlacementOperator::kLike},
    {"UNLIKE", PlacementOperator::kUnlike},
    {"MAX_PER", PlacementOperator::kMaxPer},
    {"IS", PlacementOperator::kIs},
    {"IS_NOT", PlacementOperator::kIsNot},
    {"AVOID", PlacementOperator::kAvoid},
    {"COLOCATE", PlacementOperator::kColocate},
};

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string showRow(const std::vector<std::string>& row) {
  json j = row;
  return j.dump();
}

bool isCount(const std::string& s) {
  return !s.empty() && s.size() < 10 && std::all_of(s.begin(), s.end(), ::isdigit);
}

Status checkParameter(const PlacementRow& r, const std::string& shown) {
  const char* name = placementOperatorName(r.op);
  bool typeOp = r.op == PlacementOperator::kAvoid || r.op == PlacementOperator::kColocate;
  if (typeOp != (r.field == "@type")) {
    return Status::invalidArgument("in " + shown +
                                   ": AVOID and COLOCATE take the field @type, and @type " +
                                   "takes only AVOID or COLOCATE");
  }
  bool required = r.op != PlacementOperator::kUnique && r.op != PlacementOperator::kGroupBy;
  if (required && !r.parameter) {
    return Status::invalidArgument("in " + shown + ": operator " + name + " needs a parameter");
  }
  bool numeric = r.op == PlacementOperator::kMaxPer || r.op == PlacementOperator::kGroupBy;
  if (numeric && r.parameter && !isCount(*r.parameter)) {
    return Status::invalidArgument("in " + shown + ": operator " + name +
                                   " takes a whole number, found '" + *r.parameter + "'");
  }
  if ((r.op == PlacementOperator::kLike || r.op == PlacementOperator::kUnlike) && r.parameter) {
    try {
      std::regex re(*r.parameter);
    } catch (const std::regex_error&) {
      return Status::invalidArgument("in " + shown + ": '" + *r.parameter +
                                     "' is not a valid regular expression");
    }
  }
  return Status::ok();
}

Result<PlacementExpr> rowExpr(const std::vector<std::string>& row) {
  std::string shown = showRow(row);
  if (row.size() < 2 || row.size() > 3) {
    return Status::invalidArgument(
        "expected a constraint row [field, OPERATOR] or [field, OPERATOR, parameter], "
        "found " +
        std::to_string(row.size()) + " entries: " + shown);
  }
  PlacementExpr e;
  e.kind = PlacementExpr::Kind::kRow;
  e.row.field = row[0];
  if (row[0].empty()) return Status::invalidArgument("in " + shown + ": the field is empty");
  const OperatorInfo* info = nullptr;
  for (const auto& o : kOperators) {
    if (row[1] == o.name) info = &o;
  }
  if (info == nullptr) {
    return Status::invalidArgument("unknown operator '" + row[1] + "' in " + shown + "; " +
                                   kAllowed);
  }
  e.row.op = info->op;
  if (row.size() == 3) e.row.parameter = row[2];
  KEEL_RETURN_IF_ERROR(checkParameter(e.row, shown));
  return e;
}

// A JSON array of scalars, as strings; nullopt if some element is not one.
std::optional<std::vector<std::string>> scalarRow(const json& j) {
  std::vector<std::string> row;
  for (const auto& v : j) {
    if (v.is_string()) {
      row.push_back(v.get<std::string>());
    } else if (v.is_number() || v.is_boolean()) {
      row.push_back(v.dump());
    } else {
      return std::nullopt;
    }
  }
  return row;
}

Result<PlacementExpr> fromJson(const json& j, int depth);

Result<PlacementExpr> fromJsonList(const json& j, PlacementExpr::Kind kind, int depth) {
  PlacementExpr e;
  e.kind = kind;
  for (const auto& item : j) {
    KEEL_ASSIGN_OR_RETURN(auto child, fromJson(item, depth + 1));
    e.children.push_back(std::move(child));
  }
  if (e.children.empty())
    return Status::invalidArgument("an empty list of constraints inside " + j.dump());
  if (e.children.size() == 1 && kind == PlacementExpr::Kind::kAnd)
    return PlacementExpr(e.children[0]);
  return e;
}

Result<PlacementExpr> fromJsonObject(const json& j, int depth) {
  if (j.size() != 1) {
    return Status::invalidArgument(
        "expected an object with one key \"and\", \"or\" or \"not\", found " + j.dump());
  }
  auto first = j.begin();
  const std::string& key = first.key();
  const json& value = first.value();
  if (key == "and" || key == "or") {
    if (!value.is_array())
      return Status::invalidArgument("\"" + key + "\" takes a list, found " + value.dump());
    return fromJsonList(value, key == "and" ? PlacementExpr::Kind::kAnd : PlacementExpr::Kind::kOr,
                        depth);
  }
  if (key == "not") {
    PlacementExpr e;
    e.kind = PlacementExpr::Kind::kNot;
    KEEL_ASSIGN_OR_RETURN(auto child, fromJson(value, depth + 1));
    e.children.push_back(std::move(child));
    return e;
  }
  return Status::invalidArgument("unknown composition key '" + key +
                                 "': expected \"and\", \"or\" or \"not\"");
}

Result<PlacementExpr> fromJson(const json& j, int depth) {
  if (depth > 32) return Status::invalidArgument("placement is nested too deeply");
  if (j.is_object()) return fromJsonObject(j, depth);
  if (!j.is_array())
    return Status::invalidArgument("expected a constraint row or a list of rows, found " +
                                   j.dump());
  if (auto row = scalarRow(j); row && !j.empty()) return rowExpr(*row);
  return fromJsonList(j, PlacementExpr::Kind::kAnd, depth);
}

std::vector<std::string> escapedSplit(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::string buf;
  bool escaped = false;
  for (char c : s) {
    if (escaped) {
      if (c != sep) buf += '\\';
      buf += c;
      escaped = false;
    } else if (c == '\\') {
      escaped = true;
    } else if (c == sep) {
      out.push_back(trim(buf));
      buf.clear();
    } else {
      buf += c;
    }
  }
  if (escaped) buf += '\\';
  out.push_back(trim(buf));
  return out;
}

Result<PlacementExpr> fromColonForm(std::string_view text) {
  std::vector<std::string> rows = escapedSplit(text, ',');
  PlacementExpr all;
  all.kind = PlacementExpr::Kind::kAnd;
  for (const auto& r : rows) {
    KEEL_ASSIGN_OR_RETURN(auto e, rowExpr(escapedSplit(r, ':')));
    all.children.push_back(std::move(e));
  }
  if (all.children.size() == 1) return PlacementExpr(all.children[0]);
  return all;
}

json toJson(const PlacementExpr& e) {
  switch (e.kind) {
    case PlacementExpr::Kind::kRow: {
      json row = json::array({e.row.field, placementOperatorName(e.row.op)});
      if (e.row.parameter) row.push_back(*e.row.parameter);
      return row;
    }
    case PlacementExpr::Kind::kNot:
      return json{{"not", toJson(e.children.at(0))}};
    default: {
      json list = json::array();
      for (const auto& c : e.children) list.push_back(toJson(c));
      return json{{e.kind == PlacementExpr::Kind::kAnd ? "and" : "or", list}};
    }
  }
}

}  // namespace

const char* placementOperatorName(PlacementOperator op) {
  for (const auto& o : kOperators) {
    if (o.op == op) return o.name;
  }
  return "UNKNOWN";
}

Result<std::optional<PlacementExpr>> parsePlacement(std::string_view text) {
  std::string t = trim(text);
  if (t.empty() || t == "[]") return std::optional<PlacementExpr>();
  Result<PlacementExpr> parsed = Status::invalidArgument("unparsed");
  if (t.front() == '[' || t.front() == '{') {
    json j = json::parse(t, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
      return Status::invalidArgument(
          "placement '" + t + "' is not valid JSON; expected " +
          "[[\"field\",\"OPERATOR\"(,\"parameter\")],...] or field:OPERATOR(:parameter),...");
    }
    parsed = fromJson(j, 0);
  } else {
    parsed = fromColonForm(t);
  }
  if (!parsed) return parsed.error();
  return std::optional<PlacementExpr>(std::move(*parsed));
}

std::string placementToString(const PlacementExpr& expr) { return toJson(expr).dump(); }

}  // namespace keel::spec
