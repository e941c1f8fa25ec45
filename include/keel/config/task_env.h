// TASKCFG routing: scheduler environment variables that configure tasks.
//
// `TASKCFG_<TYPE>_<NAME>=v` reaches every task of the pod type whose env name
// is <TYPE> as `<NAME>=v`; `TASKCFG_ALL_<NAME>=v` reaches every task. A pod
// type's env name is the type uppercased with every character other than
// A-Z, 0-9 and '_' replaced by '_' ("index.mgr" -> "INDEX_MGR", "data-node"
// -> "DATA_NODE").
//
// Precedence, lowest first: the task's own `env:` in the spec, TASKCFG_ALL_*,
// TASKCFG_<TYPE>_*. dcos-commons (TaskEnvRouter) lets routed values override
// the spec's env the same way, but decides between ALL and the pod type by
// the order of the variable names, so ALL won for types sorting before "ALL"
// (e.g. "AGENT"); keel always lets the type-specific value win.
//
// A name is matched by prefix only, as in dcos-commons: with pod types "data"
// and "data-node", TASKCFG_DATA_NODE_X also reaches "data" as NODE_X.
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "keel/spec.h"

namespace keel::config {

// "data-node" -> "DATA_NODE".
std::string toEnvName(std::string_view podType);

// The variables `schedulerEnv` routes to tasks of `podType`, prefixes
// removed. Variables whose name is only the prefix ("TASKCFG_ALL_") are
// ignored.
std::map<std::string, std::string> routeTaskEnv(
    const std::map<std::string, std::string>& schedulerEnv, const std::string& podType);

// `spec` with each task's env overlaid by routeTaskEnv for its pod type: the
// configuration the scheduler stores as its target, so a change of a
// TASKCFG_* value (e.g. TASKCFG_ALL_PACKAGE_VERSION_TO_FORCE_UPDATE) is a
// task config change that relaunches the pod's tasks.
spec::ServiceSpec withRoutedTaskEnv(spec::ServiceSpec spec,
                                    const std::map<std::string, std::string>& schedulerEnv);

}  // namespace keel::config
