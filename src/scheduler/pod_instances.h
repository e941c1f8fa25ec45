// PodInstances: the scheduler's durable per-pod-instance record
// (state::PodInstanceStore, one JSON value per instance):
//   incarnation        0 until the instance's first permanent replacement,
//                      +1 with each; every task of the instance gets it
//                      (POD_INCARNATION, `incarnation` label) and a task of
//                      a lower incarnation is fenced (killed, never adopted).
//   permanent_failure  the mark of a pending replacement, with its reason:
//                      set (with the incarnation bump, one write) before any
//                      task is killed; cleared once the replacement launch
//                      was sent.
//   cleanup            after a replacement, the reservation ids of the old
//                      footprint on its agent, until the scheduler has sent
//                      their DESTROY/UNRESERVE or the window ends: the
//                      scheduler keeps wanting offers meanwhile, so the old
//                      reservations are offered back and cleaned.
//   failing            since when, and how, the instance's tasks are seen
//                      failed or unreachable (the automatic recovery
//                      policy's timer, keel/scheduler/recovery_policy.h);
//                      erased when they run again or the instance is marked
//                      permanently failed.
// An instance without a record is at incarnation 0, unmarked, clean.
//
// Thread-safety: none; the scheduler's owner thread. Failure behaviour: a
// write that fails returns its Status and leaves the in-memory record as it
// was (the record never shows what is not durable); load() fails on an
// unreadable store or an undecodable record (Corruption names the instance).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "keel/clock.h"
#include "keel/result.h"
#include "keel/scheduler/recovery_policy.h"
#include "keel/state/persister.h"

namespace keel::scheduler {

struct PermanentFailure {
  std::string reason;  // "pod replace requested by the operator", ...
  TimePoint markedAt;
  // The agent of the old footprint is gone for good (TASK_GONE_BY_OPERATOR):
  // there is nothing of it to clean.
  bool agentGone = false;
};

struct PodInstanceRecord {
  int64_t incarnation = 0;
  std::optional<PermanentFailure> failure;
  std::string cleanupAgent;
  std::set<std::string> cleanupResourceIds;
  TimePoint cleanupUntil;
  // Reservation id -> agent, of footprints replaced before the last one and
  // not cleaned yet (an instance replaced again meanwhile).
  std::map<std::string, std::string> earlierCleanup;
  std::optional<TimePoint> failingSince;
  std::string failingWhat;
};

// A reservation of an old footprint that a DESTROY/UNRESERVE was sent for.
struct CleanedReservation {
  std::string instance;
  std::string resourceId;
  std::string agent;
};

class PodInstances {
 public:
  explicit PodInstances(state::Persister& persister) : persister_(persister) {}

  Status load();

  int64_t incarnation(const std::string& podInstance) const;
  // The pending permanent failure of the instance; nullptr when none.
  const PermanentFailure* failure(const std::string& podInstance) const;
  // The instances with a pending permanent failure, sorted.
  std::vector<std::string> failed() const;

  // The instances seen failing, by name (keel/scheduler/recovery_policy.h).
  std::vector<FailingInstance> failing() const;
  // Persists the instance as failing since `since`; no write when it is
  // already failing (the first time seen is kept).
  Status noteFailing(const std::string& podInstance, TimePoint since, const std::string& what);
  // Persists that the instance runs again; no write when it was not failing.
  Status noteRunning(const std::string& podInstance);

  // Persists incarnation + 1 and the mark (the failing time erased); returns
  // the new incarnation.
  Result<int64_t> markFailed(const std::string& podInstance, PermanentFailure failure);
  // The replacement was launched: persists the mark cleared and the old
  // footprint's reservation ids (on `agent`) to watch until `until`; those
  // of an earlier footprint not cleaned yet stay watched.
  Status replaced(const std::string& podInstance, const std::string& agent,
                  std::set<std::string> resourceIds, TimePoint until);
  // The replacement's launch never reached the master: the mark is set
  // again, at the same incarnation (persisted); the old footprint stays
  // watched.
  Status unreplaced(const std::string& podInstance, PermanentFailure failure);
  // DESTROY/UNRESERVE of these reservation ids were sent: they are no longer
  // watched (each changed record persisted). A failed write is logged and
  // the ids stay watched until the window ends. Returns the reservations no
  // longer watched.
  std::vector<CleanedReservation> cleaned(const std::set<std::string>& resourceIds);
  // The ACCEPT that cleaned these was dropped (its offer was rescinded):
  // they are watched again, persisted; a failed write is logged (the
  // reservations stay unknown ones, cleaned when offered while the
  // scheduler wants offers).
  void uncleaned(const std::vector<CleanedReservation>& reservations);
  // Some old footprint is still watched at `now`.
  bool cleanupPending(TimePoint now) const;
  // Every reservation id of an old footprint not yet cleaned, with its
  // agent (the window aside): what an uninstall must release too.
  std::map<std::string, std::string> cleanupReservations() const;

 private:
  PodInstanceRecord current(const std::string& podInstance) const;  // default when none
  Status write(const std::string& podInstance, const PodInstanceRecord& record);

  state::Persister& persister_;
  std::map<std::string, PodInstanceRecord> records_;
};

}  // namespace keel::scheduler
