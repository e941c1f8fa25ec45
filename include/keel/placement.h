// Placement constraints: the text of a pod's `placement:` parsed into an
// expression tree that offer evaluation can walk.
//
// Accepted syntax (the Marathon constraint forms dcos-commons accepts, plus
// keel's extensions):
//   [["hostname","UNIQUE"],["@zone","GROUP_BY","3"]]   rows, all must hold
//   ["hostname","UNIQUE"]                              one flat row
//   hostname:UNIQUE,rack:LIKE:a.*                      colon form; "\," and
//                                                      "\:" escape separators
//   [["@type","AVOID","data"]], [["@type","COLOCATE","data"]]
//                                                      task-type rules
//   {"and":[...]}, {"or":[...]}, {"not": ...}           composition; leaves are
//                                                      rows or lists of rows
// A row is [field, OPERATOR] or [field, OPERATOR, parameter]. Fields:
// "hostname", "@zone", "@region", "@type" (AVOID/COLOCATE only), or any
// other agent attribute name. Operators: UNIQUE, CLUSTER <value>,
// GROUP_BY [<n>], LIKE <regex>, UNLIKE <regex>, MAX_PER <n>, IS <value>,
// IS_NOT <value>, AVOID <pod type>, COLOCATE <pod type>.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/result.h"

namespace keel::spec {

enum class PlacementOperator {
  kUnique,
  kCluster,
  kGroupBy,
  kLike,
  kUnlike,
  kMaxPer,
  kIs,
  kIsNot,
  kAvoid,
  kColocate
};

const char* placementOperatorName(PlacementOperator op);  // "UNIQUE", ...

struct PlacementRow {
  std::string field;  // "hostname", "@zone", "@region", "@type", or an attribute
  PlacementOperator op = PlacementOperator::kUnique;
  std::optional<std::string> parameter;
  bool operator==(const PlacementRow&) const = default;
};

struct PlacementExpr {
  enum class Kind { kRow, kAnd, kOr, kNot };
  Kind kind = Kind::kAnd;
  PlacementRow row;                     // kRow
  std::vector<PlacementExpr> children;  // kAnd/kOr: one or more; kNot: exactly one
  bool operator==(const PlacementExpr&) const = default;
};

// nullopt for no constraint (empty text or "[]"). InvalidArgument saying what
// is wrong, with the allowed operators, when the text does not parse.
Result<std::optional<PlacementExpr>> parsePlacement(std::string_view text);

// A canonical JSON rendering: rows as ["f","OP"(,"p")], and/or/not as objects.
std::string placementToString(const PlacementExpr& expr);

}  // namespace keel::spec
