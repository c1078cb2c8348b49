#include "kerec/pipeline/stage_run_dir.h"

#include <algorithm>
#include <stdexcept>

namespace kerec::pipeline {

std::vector<std::string> stages_of(const std::vector<Artifact>& artifacts) {
  std::vector<std::string> stages;
  for (const auto& a : artifacts)
    if (std::find(stages.begin(), stages.end(), a.stage) == stages.end())
      stages.emplace_back(a.stage);
  return stages;
}

std::filesystem::path StageRunDir::artifact(const Artifact& a) const {
  {
    std::lock_guard lock(mutex_);
    if (std::find(read_.begin(), read_.end(), a) == read_.end()) read_.push_back(a);
  }
  return run_.path(a);
}

std::vector<Artifact> StageRunDir::undeclared(const std::vector<Artifact>& declared) const {
  std::lock_guard lock(mutex_);
  std::vector<Artifact> out;
  for (const auto& a : read_)
    if (std::find(declared.begin(), declared.end(), a) == declared.end()) out.push_back(a);
  return out;
}

void StageRunDir::require_declared(const std::string& stage,
                                   const std::vector<Artifact>& declared) const {
  std::string what;
  for (const auto& a : undeclared(declared))
    what += "\n  artifact " + a.name() + ", not in its upstream_artifacts()";
  if (!what.empty())
    throw std::logic_error("stage " + stage + " read what its fingerprint does not cover, so it " +
                           "could be reused after a change there:" + what);
}

}  // namespace kerec::pipeline
