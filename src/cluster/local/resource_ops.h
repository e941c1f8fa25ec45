// The master's view of resource lists: a thin layer over keel/mesos/resources.h
// (identity, addition, containment and subtraction with Mesos' fixed-point
// scalars, ranges, sets and indivisible volumes) that first brings every
// resource into the refined format (`reservations` stack), so that legacy
// (`role` + `reservation`) and refined inputs compare equal; plus allocation
// roles, role ancestry and the legacy offer format.
// Internal to the local master; operates on keel::mesos::Resource.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "keel/mesos/resource.h"

namespace keel::local {

using Resources = std::vector<mesos::Resource>;

// The resource in the refined format: a legacy `role` + `reservation` turned
// into a `reservations` stack, `role` cleared. allocation_info is kept.
mesos::Resource refined(mesos::Resource r);
Resources refined(Resources rs);

// Same kind: everything equal but the quantity (scalar/ranges/set).
bool sameIdentity(const mesos::Resource& a, const mesos::Resource& b);

// Merges `r` into `into` (adds to an entry of the same identity or appends).
void addTo(Resources& into, const mesos::Resource& r);
void addTo(Resources& into, const Resources& rs);
Resources sum(const Resources& a, const Resources& b);

// Whether `have` holds at least `want` (per identity).
bool containsAll(const Resources& have, const Resources& want);

// Removes `what` from `from`; false (and `from` unchanged) when not contained.
[[nodiscard]] bool subtractFrom(Resources& from, const Resources& what);

// Zero-quantity entries dropped.
bool isEmpty(const Resources& rs);

Resources withAllocationRole(Resources rs, const std::string& role);
Resources withoutAllocation(Resources rs);

bool isReserved(const mesos::Resource& r);
bool isDynamicallyReserved(const mesos::Resource& r);
bool isPersistentVolume(const mesos::Resource& r);
// The role of the last reservation ("*" when unreserved).
std::string reservationRole(const mesos::Resource& r);
// Unreserved, or reserved to `role` or one of its ancestors ("eng" for "eng/a").
bool allocatableTo(const mesos::Resource& r, const std::string& role);
Resources allocatableTo(const Resources& rs, const std::string& role);

// The legacy (pre-refinement) offer format: "role":"*" on unreserved
// resources, "role":R + "reservation" on reserved ones, no allocation_info.
Resources legacyFormat(const Resources& rs);

double scalarSum(const Resources& rs, const std::string& name);

// "cpus:2.0; mem:128.0; ports:[31000-31099]; disk(reserved: r):64.0" for messages.
std::string describe(const Resources& rs);

}  // namespace keel::local
