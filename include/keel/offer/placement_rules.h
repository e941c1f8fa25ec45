// Placement rules evaluated against offers: a PlacementExpr (keel/placement.h)
// compiled for one pod instance against the tasks already placed.
//
// Semantics (Marathon's operators as dcos-commons applies them). The scope of
// a row is the placed tasks of the same pod type, other than this pod
// instance's own; @type rows count the tasks of the named pod type instead.
// The row's field is the agent's hostname, @zone, @region or the attribute
// of that name.
//   UNIQUE          no task in scope has the agent's value
//   CLUSTER v       the agent's value is v; without v: the value the tasks in
//                   scope already share (anything while there are none)
//   GROUP_BY [n]    round robin over values: while fewer than n values are
//                   used only an unused value fits; then only a value with
//                   the fewest tasks
//   LIKE re         the value fully matches the regex;  UNLIKE re: it does not
//   MAX_PER n       fewer than n tasks in scope have the agent's value
//   IS v / IS_NOT v the value is v / is not v
//   @type AVOID t   no task of pod type t runs on the agent
//   @type COLOCATE t  a task of pod type t runs on the agent (any agent while
//                   no task of type t is placed)
// An agent without the field fails every operator except UNLIKE and IS_NOT.
// and/or/not combine rows.
//
// Reasons name the rule and the agent, e.g.
//   "@type AVOID data: agent a3 already runs data-1"
//   "hostname MAX_PER 2: host h1 already has 2 data tasks (data-0, data-4)"
//
// Lifetime: a CompiledPlacement refers to the PlacementContext it was
// compiled against (not copied); the context must not change while it is in
// use. Thread-safety: evaluate() is const and reentrant.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "keel/offer/offer_summary.h"
#include "keel/offer/requirement.h"
#include "keel/placement.h"

namespace keel::offer {

class CompiledPlacement {
 public:
  CompiledPlacement();  // no rule: every offer passes
  CompiledPlacement(const spec::PlacementExpr& expr, std::string podType, std::string podInstance,
                    const PlacementContext& context);
  CompiledPlacement(CompiledPlacement&&) noexcept;
  CompiledPlacement& operator=(CompiledPlacement&&) noexcept;
  ~CompiledPlacement();

  bool empty() const { return root_ == nullptr; }
  // Whether the offer's agent satisfies the rule. When `reason` is non-null
  // it receives why (on pass and on failure); otherwise nothing is formatted
  // and nothing is allocated.
  bool evaluate(const OfferSummary& offer, std::string* reason) const;
  // The rule as written in canonical form ("" when empty).
  const std::string& text() const { return text_; }

  struct Node;

 private:
  std::unique_ptr<Node> root_;
  std::string text_;
};

}  // namespace keel::offer
