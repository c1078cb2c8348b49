// A model's weights in HDF5: every dense parameter of a ParamStore as the float32 matrix
// dense/<name>, every embedding table as tables/<name>, below a group (the file's root for
// ranker.h5 and eei.h5, /ranker in serving.h5). The file's root attributes are the caller's.
#pragma once

#include "kerec/io/h5_file.h"
#include "kerec/nn/params.h"

namespace kerec::train {

void write_params(const io::h5::Group& group, nn::ParamStore<float>& store);

// Overwrites the values of `store` (finalized, with the same parameters) from `group`. InputError
// naming the file and the parameter when one is missing or has another shape.
void read_params(const io::h5::Group& group, nn::ParamStore<float>& store);

}  // namespace kerec::train
