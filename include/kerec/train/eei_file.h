// The E-E-I artifact, eei.h5 (docs/artifacts.md "integrate"): schema "eei", version 1. The learned
// edge weights with the recency weights (what recall and serving need to score a complement) and
// every parameter of the E-E-I model (train/weights.h layout). Written by the integrate stage.
#pragma once

#include <filesystem>
#include <string>

#include "kerec/io/h5_attr.h"
#include "kerec/train/integrate.h"

namespace kerec::train {

// `llm` gives the root llm_model and prompt_sha256 (graph.h5's); `model` may be null (raw edges).
void write_eei_file(const std::filesystem::path& path, const ComplementWeights& weights,
                    EeiModel<float>* model, const io::h5::RootAttrs& llm,
                    const std::string& config_sha256);

// The learned weights. InputError naming the file for another schema or inconsistent datasets.
ComplementWeights read_eei_weights(const std::filesystem::path& path);

}  // namespace kerec::train
