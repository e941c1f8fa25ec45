// Releasing reservations the scheduler decided to give up (an uninstall, a
// decommission): the resource ids are stored before the ACCEPT that
// DESTROYs and UNRESERVEs them, so the decision is durable before it is
// executed and a restarted scheduler knows what is already gone.
//
// Thread-safety: the scheduler's owner thread.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "keel/mesos/offer.h"
#include "keel/scheduler/driver.h"
#include "keel/state/persister.h"

namespace keel::scheduler {

// An id set as a property value: one id a line.
std::set<std::string> parseIdLines(const std::optional<std::string>& text);
std::string joinIdLines(const std::set<std::string>& ids);

struct ReleaseOutcome {
  bool released = false;         // stored and ACCEPTed
  std::vector<std::string> ids;  // the resource ids the operations unreserve
  std::string decision;          // what happened to the offer, for the log
};

// Stores `released` plus the ids `ops` unreserve under property
// `property`, then ACCEPTs `ops` on `offer`. When the store fails the offer
// is declined instead and nothing is released; `released` gains the ids
// only when both succeeded.
ReleaseOutcome releaseReservations(state::Persister& persister, SchedulerDriver& driver,
                                   const std::string& property, std::set<std::string>& released,
                                   const mesos::Offer& offer,
                                   const std::vector<mesos::OfferOperation>& ops,
                                   double refuseSeconds);

}  // namespace keel::scheduler
