// Renderings of the scheduler API's JSON answers for a person, used by the
// operator commands when --json is not given. Pure functions; a field that
// is missing or of another type is shown empty, never an error (the API may
// grow fields; an older scheduler may lack some).
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>

namespace keel::cli {

using nlohmann::ordered_json;

// j[key] as text: a string as is, a number or boolean as JSON, else "".
std::string textOf(const ordered_json& j, std::string_view key);

// j[key] when it is an array, else an empty array.
const ordered_json& arrayAt(const ordered_json& j, std::string_view key);

// A JSON array of strings, one per line ("(none)" when empty).
void formatLines(const ordered_json& list, std::ostream& out);
// {"message": "..."}: the message on one line.
void formatMessage(const ordered_json& reply, std::ostream& out);

// GET /v1/plans/<plan> as a tree, a step's message after its status:
//   deploy (serial strategy) (IN_PROGRESS)
//   ├─ meta-data (serial strategy) (COMPLETE)
//   │  └─ meta-data-0:[node] (COMPLETE)
//   └─ data (parallel strategy) (IN_PROGRESS)
//      └─ data-0:[node] (WAITING): Waiting for continue (interrupted)
// then "Errors:" and one "- <error>" line each when the plan has errors.
void formatPlanTree(const std::string& plan, const ordered_json& body, std::ostream& out);

// GET /v1/pod/status as a tree: service, pod types, instances, tasks with
// their status.
void formatPodStatuses(const ordered_json& body, std::ostream& out);
// GET /v1/pod/<pod>/status: the instance and its tasks.
void formatPodStatus(const ordered_json& body, std::ostream& out);
// GET /v1/pod/<pod>/info: per task its id, state, agent, resources and
// command, from the TaskInfo and TaskStatus.
void formatPodInfo(const ordered_json& body, std::ostream& out);
// POST /v1/pod/<pod>/{restart,replace}: which tasks were killed.
void formatPodRestart(const ordered_json& body, bool replace, std::ostream& out);

// GET /v1/endpoints/<name>: addresses, DNS names and the VIP.
void formatEndpoint(const ordered_json& body, std::ostream& out);

// GET /v2/debug/offers: counts, failure reasons by stage, rejected agents,
// then the recent outcomes, oldest first, with the failing stage's reason.
void formatOfferOutcomes(const ordered_json& body, std::ostream& out);

}  // namespace keel::cli
