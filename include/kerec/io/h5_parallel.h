// One 1-D dataset whose elements are spread over the ranks of a communicator. Part of
// kerec/io/hdf5.h.
//
// These functions are collectives in the sense of dist/comm.h: every rank of `comm` calls them, in
// the same order, with the same group and name. `comm` is the communicator the file was opened
// with, or any communicator of one rank for a serial file.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kerec/io/h5_dataset.h"

namespace kerec::dist {
class Comm;
}

namespace kerec::io::h5 {

// Writes the concatenation of every rank's `local`, in rank order, as the new 1-D dataset `name`:
// its length is the sum of the local lengths and rank r's part starts at the sum of the lengths of
// ranks 0..r-1 (exchanged with dist::allgatherv). Ranks may contribute zero elements. The transfer
// is collective MPI-IO, so compressed (chunked) datasets work in parallel as well. The file must be
// parallel over `comm`, or serial with comm.size() == 1 (Hdf5Error otherwise).
template <Element T>
void write_distributed(const Group& group, std::string_view name, std::span<const T> local,
                       dist::Comm& comm, const DatasetOptions& options = {});

// Writes the concatenation of every rank's `local` strings, in rank order, as the new 1-D string
// dataset `name`: what write_strings would write from all of them on one rank, without any rank
// holding them all. A serial file (one rank) stores variable-length strings; a parallel one
// fixed-length, NUL-padded to the longest string of any rank (write_strings' format). A NUL byte in
// any rank's strings is an Hdf5Error on every rank, naming the first such rank and string.
void write_strings_distributed(const Group& group, std::string_view name,
                               std::span<const std::string> local, dist::Comm& comm);

// Rank r's even block of the 1-D dataset `name`: elements dist::block_of(length, size, r).
template <Element T>
std::vector<T> read_distributed(const Group& group, std::string_view name, const dist::Comm& comm);

// Elements [offset, offset + count) of `name`; each rank passes its own range (ranges may overlap
// or be empty). Collective transfer on a parallel file; on a serial file each rank reads on its own
// (a file may be opened serially by several ranks at once for reading).
template <Element T>
std::vector<T> read_distributed(const Group& group, std::string_view name, const dist::Comm& comm,
                                uint64_t offset, uint64_t count);

}  // namespace kerec::io::h5
