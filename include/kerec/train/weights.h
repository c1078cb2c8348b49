// A model's weights in HDF5 (docs/artifacts.md "Model weights"): every dense parameter of a
// ParamStore as the float32 matrix /dense/<name>, every embedding table as /tables/<name>, in
// registration order. The file's root attributes (schema, version, config hash) are the caller's.
#pragma once

#include "kerec/io/h5_file.h"
#include "kerec/nn/params.h"

namespace kerec::train {

void write_params(const io::h5::File& file, nn::ParamStore<float>& store);

// Overwrites the values of `store` (finalized, with the same parameters) from `file`. InputError
// naming the file and the parameter when one is missing or has another shape.
void read_params(const io::h5::File& file, nn::ParamStore<float>& store);

}  // namespace kerec::train
