// The ranker artifact, ranker.h5 (docs/artifacts.md "train", "integrate"): schema "ranker",
// version 1; the weights in the layout of train/weights.h; root attribute `dense_features` when the
// ranker takes dense features (the integrated ranker). Written by the train and integrate stages,
// read by the integrate stage (the baseline) and by serving.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "kerec/train/ranker.h"

namespace kerec::train {

void write_ranker_file(const std::filesystem::path& path, RankerModel& model,
                       const std::string& config_sha256);

// Reads the weights into `model` (built with the shape the file was written with). InputError
// naming the file when it is not a ranker file, its dense_features differ from the model's, or a
// parameter is missing or has another shape.
void read_ranker_file(const std::filesystem::path& path, RankerModel& model);

// What a checkpoint must match to be resumed from: `text` (the model's shape and its config) and
// the identity of each input file (path, size, modification time). Hex SHA-256.
std::string inputs_fingerprint(const std::string& text,
                               const std::vector<std::filesystem::path>& files);

}  // namespace kerec::train
