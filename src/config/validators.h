// The built-in config validators of keel/config/config_validation.h, one
// function each. `oldTarget` is never null for the change rules.
#pragma once

#include <string>
#include <vector>

#include "keel/config/config_validation.h"

namespace keel::config::internal {

using Errors = std::vector<ConfigError>;

// Change rules (change_validators.cc, volume_validator.cc).
void checkServiceName(const spec::ServiceSpec* oldTarget, const spec::ServiceSpec& candidate,
                      Errors& errors);
void checkServiceUser(const spec::ServiceSpec* oldTarget, const spec::ServiceSpec& candidate,
                      Errors& errors);
void checkPreReservedRole(const spec::ServiceSpec* oldTarget, const spec::ServiceSpec& candidate,
                          Errors& errors);
void checkPodShrink(const spec::ServiceSpec* oldTarget, const spec::ServiceSpec& candidate,
                    Errors& errors);
void checkVolumes(const spec::ServiceSpec* oldTarget, const spec::ServiceSpec& candidate,
                  Errors& errors);

// Static rules (static_validators.cc).
void checkPlacement(const spec::ServiceSpec* oldTarget, const spec::ServiceSpec& candidate,
                    Errors& errors);
void checkResourceLimits(const spec::ServiceSpec* oldTarget, const spec::ServiceSpec& candidate,
                         Errors& errors);
void checkConfigDests(const spec::ServiceSpec* oldTarget, const spec::ServiceSpec& candidate,
                      Errors& errors);

// Number text as svc.yml would show it: 64, 0.5.
std::string numberText(double value);

// The svc.yml key path of a resource set's owner: "pods.<pod>.tasks.<task>"
// for a task's own "<task>-resource-set", else
// "pods.<pod>.resource-sets.<id>".
std::string resourceSetPath(const spec::PodSpec& pod, const spec::ResourceSetSpec& set);

}  // namespace keel::config::internal
