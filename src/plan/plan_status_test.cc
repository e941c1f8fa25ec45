#include "keel/plan_status.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace keel::plan {
namespace {

using S = ElementStatus;

struct AggregateCase {
  const char* rule;
  std::vector<S> children;
  std::vector<S> candidates;
  bool ownErrors;
  bool interrupted;
  S expected;
};

TEST(AggregateStatus, FollowsTheOrderedRulesOfTheContract) {
  const std::vector<AggregateCase> cases = {
      {"own errors win over everything", {S::kComplete}, {}, true, false, S::kError},
      {"an ERROR child makes the parent ERROR",
       {S::kComplete, S::kError},
       {},
       false,
       false,
       S::kError},
      {"ERROR wins over an interrupt",
       {S::kError, S::kPending},
       {S::kPending},
       false,
       true,
       S::kError},
      {"all children COMPLETE is COMPLETE",
       {S::kComplete, S::kComplete},
       {},
       false,
       false,
       S::kComplete},
      {"no children is COMPLETE", {}, {}, false, false, S::kComplete},
      {"COMPLETE wins over an interrupt", {S::kComplete}, {}, false, true, S::kComplete},
      {"an interrupted parent is WAITING", {S::kPending}, {S::kPending}, false, true, S::kWaiting},
      {"all DELAYED is DELAYED",
       {S::kDelayed, S::kDelayed},
       {S::kDelayed},
       false,
       false,
       S::kDelayed},
      {"a PREPARED child is IN_PROGRESS",
       {S::kPrepared, S::kPending},
       {S::kPrepared},
       false,
       false,
       S::kInProgress},
      {"a WAITING candidate is WAITING",
       {S::kWaiting, S::kPending},
       {S::kWaiting},
       false,
       false,
       S::kWaiting},
      {"an IN_PROGRESS candidate is IN_PROGRESS",
       {S::kInProgress},
       {S::kInProgress},
       false,
       false,
       S::kInProgress},
      {"COMPLETE and a PENDING candidate is IN_PROGRESS",
       {S::kComplete, S::kPending},
       {S::kPending},
       false,
       false,
       S::kInProgress},
      {"COMPLETE and a STARTING candidate is IN_PROGRESS",
       {S::kComplete, S::kStarting},
       {S::kStarting},
       false,
       false,
       S::kInProgress},
      {"COMPLETE and a STARTED candidate is IN_PROGRESS",
       {S::kComplete, S::kStarted},
       {S::kStarted},
       false,
       false,
       S::kInProgress},
      {"only PENDING candidates is PENDING",
       {S::kPending, S::kPending},
       {S::kPending},
       false,
       false,
       S::kPending},
      {"a WAITING child behind no candidate is WAITING",
       {S::kWaiting, S::kPending},
       {},
       false,
       false,
       S::kWaiting},
      {"a STARTING candidate alone is STARTING",
       {S::kStarting, S::kPending},
       {S::kStarting},
       false,
       false,
       S::kStarting},
      {"a STARTED candidate alone is STARTED",
       {S::kStarted, S::kPending},
       {S::kStarted},
       false,
       false,
       S::kStarted},
      {"a DELAYED next child after COMPLETE ones is DELAYED",
       {S::kComplete, S::kDelayed},
       {S::kDelayed},
       false,
       false,
       S::kDelayed},
      {"a running child that is not a candidate is IN_PROGRESS",
       {S::kStarted, S::kComplete},
       {},
       false,
       false,
       S::kInProgress},
      {"nothing movable and nothing started is PENDING",
       {S::kPending},
       {},
       false,
       false,
       S::kPending},
  };
  for (const AggregateCase& c : cases) {
    EXPECT_EQ(aggregateStatus(c.children, c.candidates, c.ownErrors, c.interrupted), c.expected)
        << c.rule;
  }
}

TEST(StepTransitions, AllowExactlyTheMovesOfTheTable) {
  const std::vector<S> order = {S::kPending,  S::kPrepared, S::kStarting, S::kStarted,
                                S::kComplete, S::kDelayed,  S::kError};
  // Rows: from; columns: to, in `order`.
  const std::vector<std::string> table = {
      "1100111",  // PENDING
      "1110111",  // PREPARED
      "1011111",  // STARTING
      "1001111",  // STARTED
      "1000100",  // COMPLETE
      "1000011",  // DELAYED
      "0000001",  // ERROR
  };
  for (size_t f = 0; f < order.size(); ++f) {
    for (size_t t = 0; t < order.size(); ++t) {
      EXPECT_EQ(isAllowedStepTransition(order[f], order[t]), table[f][t] == '1')
          << statusName(order[f]) << " -> " << statusName(order[t]);
    }
  }
}

TEST(StepTransitions, NeverStoreParentOnlyStatuses) {
  EXPECT_FALSE(isAllowedStepTransition(S::kPending, S::kWaiting));
  EXPECT_FALSE(isAllowedStepTransition(S::kPending, S::kInProgress));
  EXPECT_FALSE(isAllowedStepTransition(S::kWaiting, S::kPending));
}

TEST(StatusNames, RoundTripAsTheHttpApiSpellsThem) {
  for (S s : {S::kError, S::kWaiting, S::kPending, S::kPrepared, S::kStarting, S::kStarted,
              S::kComplete, S::kInProgress, S::kDelayed}) {
    EXPECT_EQ(parseStatus(statusName(s)), s);
  }
  EXPECT_EQ(statusName(S::kInProgress), "IN_PROGRESS");
  EXPECT_EQ(parseStatus("RUNNING"), std::nullopt);
}

}  // namespace
}  // namespace keel::plan
