// Test helpers of keel_offer's tests: offers, pods and service contexts built
// inline.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "keel/mesos/offer.h"
#include "keel/offer/requirement.h"
#include "keel/offer/task_labels.h"
#include "keel/spec.h"

namespace keel::offer::testing {

inline constexpr char kRole[] = "data-store-role";

inline ServiceContext testService() {
  ServiceContext s;
  s.serviceName = "data-store";
  s.role = kRole;
  s.principal = "data-store-principal";
  s.frameworkId = "fw-1";
  s.frameworkHost = "data-store.keel.local";
  s.schedulerApiHostname = "scheduler.keel.local";
  s.schedulerApiPort = 8080;
  s.targetConfigId = "config-1";
  return s;
}

inline mesos::Resource scalar(std::string name, double value) {
  mesos::Resource r;
  r.name = std::move(name);
  r.type = mesos::Value::Type::kScalar;
  r.scalar = mesos::Value::Scalar{value};
  r.allocationInfo = mesos::Resource::AllocationInfo{kRole};
  return r;
}

inline mesos::Resource ports(uint64_t begin, uint64_t end) {
  mesos::Resource r;
  r.name = "ports";
  r.type = mesos::Value::Type::kRanges;
  r.ranges = mesos::Value::Ranges{{mesos::Value::Range{begin, end}}};
  r.allocationInfo = mesos::Resource::AllocationInfo{kRole};
  return r;
}

inline mesos::Resource mountDisk(double mb, std::string root, std::string profile = "") {
  mesos::Resource r = scalar("disk", mb);
  r.disk.emplace();
  r.disk->source.emplace();
  r.disk->source->type = mesos::Resource::DiskInfo::Source::Type::kMount;
  r.disk->source->mount = mesos::Resource::DiskInfo::Source::Mount{std::move(root)};
  if (!profile.empty()) r.disk->source->unknown.text = "{\"profile\":\"" + profile + "\"}";
  return r;
}

// `r` reserved to the test role with resource_id `id` (and namespace).
inline mesos::Resource reserved(mesos::Resource r, std::string id, std::string role = kRole,
                                std::string ns = "data-store") {
  mesos::Resource::ReservationInfo info;
  info.type = mesos::Resource::ReservationInfo::Type::kDynamic;
  info.role = role;
  info.principal = "data-store-principal";
  info.labels =
      mesos::Labels{{{std::string(kLabelResourceId), id}, {std::string(kLabelNamespace), ns}}};
  r.reservations.push_back(std::move(info));
  return r;
}

inline mesos::Resource withVolume(mesos::Resource r, std::string persistenceId, std::string path) {
  if (!r.disk) r.disk.emplace();
  r.disk->persistence =
      mesos::Resource::DiskInfo::Persistence{std::move(persistenceId), "data-store-principal"};
  mesos::Volume v;
  v.containerPath = std::move(path);
  r.disk->volume = v;
  return r;
}

struct OfferSpec {
  std::string agent = "a1";
  std::string host = "h1";
  double cpus = 4;
  double mem = 4096;
  double disk = 10240;
  uint64_t portBegin = 31000;
  uint64_t portEnd = 31100;
  std::string zone;
  std::string region;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<mesos::Resource> extra;
};

inline mesos::Offer makeOffer(const OfferSpec& s) {
  mesos::Offer offer;
  offer.id.value = "offer-" + s.agent;
  offer.frameworkId.value = "fw-1";
  offer.agentId.value = s.agent;
  offer.hostname = s.host;
  if (s.cpus > 0) offer.resources.push_back(scalar("cpus", s.cpus));
  if (s.mem > 0) offer.resources.push_back(scalar("mem", s.mem));
  if (s.disk > 0) offer.resources.push_back(scalar("disk", s.disk));
  if (s.portEnd >= s.portBegin && s.portBegin > 0) {
    offer.resources.push_back(ports(s.portBegin, s.portEnd));
  }
  for (const auto& r : s.extra) offer.resources.push_back(r);
  if (!s.zone.empty()) {
    mesos::DomainInfo domain;
    domain.faultDomain = mesos::DomainInfo::FaultDomain{{s.region}, {s.zone}};
    offer.domain = domain;
  }
  for (const auto& [name, value] : s.attributes) {
    mesos::Attribute a;
    a.name = name;
    a.type = mesos::Value::Type::kText;
    a.text = mesos::Value::Text{value};
    offer.attributes.push_back(a);
  }
  return offer;
}

// A pod of one task "node" in resource set "node-resource-set".
inline spec::PodSpec simplePod(std::string type, double cpus, double memMb,
                               std::vector<spec::VolumeSpec> volumes = {},
                               std::vector<spec::PortSpec> ports = {}) {
  spec::PodSpec pod;
  pod.type = std::move(type);
  pod.count = 3;
  spec::ResourceSetSpec set;
  set.id = "node-resource-set";
  set.cpus = cpus;
  set.memoryMb = memMb;
  set.volumes = std::move(volumes);
  set.ports = std::move(ports);
  pod.resourceSets.push_back(set);
  spec::TaskSpec task;
  task.name = "node";
  task.cmd = "./run";
  task.resourceSet = set.id;
  pod.tasks.push_back(task);
  return pod;
}

inline PodInstanceRequirement requirementFor(spec::PodSpec pod, int64_t index) {
  PodInstanceRequirement req;
  req.pod = std::move(pod);
  req.index = index;
  req.tasksToLaunch = {"node"};
  return req;
}

inline PlacedTask placed(std::string podType, int64_t index, std::string agent, std::string host,
                         std::string zone = "", std::string region = "",
                         std::vector<std::pair<std::string, std::string>> attributes = {}) {
  PlacedTask t;
  t.podInstance = podType + "-" + std::to_string(index);
  t.taskName = t.podInstance + "-node";
  t.podType = std::move(podType);
  t.agentId = std::move(agent);
  t.hostname = std::move(host);
  t.zone = std::move(zone);
  t.region = std::move(region);
  t.attributes = std::move(attributes);
  return t;
}

}  // namespace keel::offer::testing
