// kerec's HDF5 layer: RAII files, groups, typed datasets and attributes over the HDF5 C library
// (parallel build, 1.10), in namespace kerec::io::h5.
//
//   h5_handle.h   Handle: one owned HDF5 identifier, closed with the right H5*close
//   h5_file.h     File (serial or parallel over a dist::Comm), Group, Dataset; the parallel
//   contract h5_dataset.h  write/read/read_slice of 1-D arrays, write_matrix/read_matrix, strings,
//   the storage
//                 (chunking and compression) policy
//   h5_attr.h     set_attr/get_attr/has_attr, the root attributes of every kerec file
//   h5_parallel.h write_distributed/read_distributed: one array spread over the ranks
//
// Errors: every failing HDF5 call throws kerec::Hdf5Error "CALL failed on FILE:OBJECT: REASON",
// where REASON is HDF5's innermost error description (e.g. "file signature not found" for a
// non-HDF5 file, "truncated file: eof = ..." for a cut-off one). HDF5's own printing of error
// stacks is switched off.
//
// Threads: the HDF5 build is not thread-safe; use this layer from the main thread only.
//
// Example:
//   auto file = kerec::io::h5::File::create(dir / "graph.h5");
//   kerec::io::h5::write_root_attrs(file, {.schema = "graph", .schema_version = 1, ...});
//   kerec::io::h5::write<int64_t>(file, "comp/targets", targets);
//   auto targets = kerec::io::h5::read<int64_t>(kerec::io::h5::File::open_read(path),
//   "comp/targets");
#pragma once

#include "kerec/io/h5_attr.h"
#include "kerec/io/h5_dataset.h"
#include "kerec/io/h5_file.h"
#include "kerec/io/h5_handle.h"
#include "kerec/io/h5_parallel.h"
