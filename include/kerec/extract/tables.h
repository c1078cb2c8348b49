// The extract stage's row tables: one rank's share of items.tsv or bills.tsv (read by byte range,
// io/tsv.h) and their mentions. The HDF5 files written from them: extract/output_files.h.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kerec/dist/comm.h"
#include "kerec/extract/entity_dict.h"
#include "kerec/extract/extractor.h"
#include "kerec/extract/output_files.h"
#include "kerec/io/hdf5.h"
#include "kerec/io/tsv.h"

namespace kerec::extract {

// One rank's rows of items.tsv or bills.tsv in file order.
struct TextRows {
  std::vector<std::string> keys;   // item_id, or the bill's user_id
  std::vector<std::string> texts;  // title, or the bill's text
  std::vector<int64_t> ts;         // bills: ts
  std::vector<double> amount;      // bills: amount
  std::vector<int64_t> line;       // line in the file (header = 1)
  int64_t skipped_rows = 0;        // bad rows skipped by the reader
  std::vector<std::string> skipped_messages;
  // Mentions of row r: mentions[mention_offsets[r], mention_offsets[r+1]).
  std::vector<int64_t> mention_offsets{0};
  std::vector<Mention> mentions;
  size_t size() const { return texts.size(); }
};

// Local: this rank's part (rank of size) of items.tsv / bills.tsv.
TextRows read_items(const std::string& path, const io::BadRowPolicy& policy, int rank, int size);
TextRows read_bills(const std::string& path, const io::BadRowPolicy& policy, int rank, int size);

}  // namespace kerec::extract
