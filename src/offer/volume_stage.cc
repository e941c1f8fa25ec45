#include <algorithm>

#include "keel/mesos/resources.h"
#include "keel/offer/launch_builder.h"
#include "offer/resource_util.h"
#include "offer/stages.h"

namespace keel::offer::detail {

namespace {

bool profileFits(const spec::VolumeSpec& volume, const MountDisk& disk) {
  if (volume.profiles.empty()) return true;
  return std::find(volume.profiles.begin(), volume.profiles.end(), disk.profile) !=
         volume.profiles.end();
}

std::string describeMounts(const EvaluationContext& ctx) {
  if (ctx.offer->mounts.empty()) return "no unreserved MOUNT disk";
  std::string out = "MOUNT disks";
  for (size_t i = 0; i < ctx.offer->mounts.size(); ++i) {
    const MountDisk& d = ctx.offer->mounts[i];
    out += strCat(i ? ", " : " ", formatAmount(d.sizeMillis), " MB ", d.root);
    if (!d.profile.empty()) out += strCat(" profile ", d.profile);
    if (ctx.takenMounts[i]) out += " (taken)";
  }
  return out;
}

}  // namespace

VolumeStage::VolumeStage(std::string resourceSet, const std::vector<spec::VolumeSpec>& volumes,
                         const SetFootprint* previous, std::string podInstance)
    : resourceSet_(std::move(resourceSet)),
      volumes_(volumes),
      previous_(previous),
      podInstance_(std::move(podInstance)),
      choices_(volumes.size()) {}

StageOutcome VolumeStage::evaluateOne(const spec::VolumeSpec& volume, EvaluationContext& ctx,
                                      Choice& choice) {
  choice = Choice{};
  const VolumeFootprint* prev = previous_ ? previous_->volume(volume.path) : nullptr;
  if (prev) {
    choice.offered = ctx.offer->volumeByPersistenceId(prev->persistenceId);
    if (choice.offered) return StageOutcome::pass(name());
    if (!ctx.explain) return StageOutcome::fail(name());
    return StageOutcome::fail(
        name(),
        strCat("needs persistent volume ", prev->persistenceId, " ('", volume.path, "') of ",
               podInstance_, ", offer from agent ", ctx.offer->agentId, " has none"));
  }
  int64_t size = scalarToMillis(volume.sizeMb);
  if (volume.type == spec::VolumeType::kRoot) {
    if (ctx.disk >= size) {
      ctx.disk -= size;
      return StageOutcome::pass(name());
    }
    if (!ctx.explain) return StageOutcome::fail(name());
    return StageOutcome::fail(
        name(), strCat("needs ", formatAmount(size), " MB ROOT disk for volume '", volume.path,
                       "', offer has ", formatAmount(ctx.disk),
                       " MB unreserved ROOT disk for role ", ctx.role));
  }
  const auto& mounts = ctx.offer->mounts;
  for (size_t i = 0; i < mounts.size(); ++i) {
    if (ctx.takenMounts[i] || mounts[i].sizeMillis < size || !profileFits(volume, mounts[i]))
      continue;
    ctx.takenMounts[i] = 1;
    choice.mount = static_cast<int>(i);
    return StageOutcome::pass(name());
  }
  if (!ctx.explain) return StageOutcome::fail(name());
  std::string profiles;
  for (const auto& p : volume.profiles)
    profiles += strCat(profiles.empty() ? " (profiles " : ", ", p);
  if (!profiles.empty()) profiles += ')';
  return StageOutcome::fail(
      name(), strCat("needs a MOUNT disk of at least ", formatAmount(size), " MB", profiles,
                     " for volume '", volume.path, "', offer has ", describeMounts(ctx)));
}

StageOutcome VolumeStage::evaluate(EvaluationContext& ctx) {
  for (size_t i = 0; i < volumes_.size(); ++i) {
    StageOutcome outcome = evaluateOne(volumes_[i], ctx, choices_[i]);
    if (!outcome.passed()) return outcome;
  }
  if (!ctx.explain) return StageOutcome::pass(name());
  std::string text = resourceSet_.empty() ? "pod volumes:" : strCat(resourceSet_, ':');
  for (size_t i = 0; i < volumes_.size(); ++i) {
    const auto& v = volumes_[i];
    text += strCat(i ? ", " : " ", v.path, ' ', spec::volumeTypeName(v.type), ' ',
                   formatAmount(scalarToMillis(v.sizeMb)), " MB");
    if (choices_[i].offered)
      text += strCat(" (existing ", persistenceId(*choices_[i].offered), ')');
    if (choices_[i].mount >= 0) text += strCat(" on ", ctx.offer->mounts[choices_[i].mount].root);
  }
  if (volumes_.empty()) text += " none";
  return StageOutcome::pass(name(), std::move(text));
}

void VolumeStage::apply(LaunchBuilder& builder) const {
  auto& target =
      resourceSet_.empty() ? builder.executorResources() : builder.taskResources(resourceSet_);
  for (size_t i = 0; i < volumes_.size(); ++i) {
    const Choice& c = choices_[i];
    if (c.offered) {
      target.push_back(*c.offered);
      continue;
    }
    mesos::Resource reserved =
        c.mount >= 0 ? builder.reserveUnreserved(*builder.offer().mounts[c.mount].resource)
                     : builder.reserveScalar("disk", scalarToMillis(volumes_[i].sizeMb));
    mesos::Resource volume = mesos::persistentVolume(std::move(reserved), builder.newUuid(),
                                                     builder.service().principal, volumes_[i].path);
    builder.create(volume);
    target.push_back(std::move(volume));
  }
}

}  // namespace keel::offer::detail
