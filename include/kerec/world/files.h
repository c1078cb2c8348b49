// The world's files: names, headers and the writers of the parts that do not depend on users.
// Formats (UTF-8 TSV, header line, docs/design.md §2.1):
//   entities.tsv              entity_id name aliases(|-separated dict aliases) category
//   items.tsv                 item_id title category price created_at
//   bills.tsv                 user_id ts text amount
//   exposures.tsv             user_id ts item_id scene clicked converted amount
//   truth/complements.tsv     a b strength
//   truth/substitutes.tsv     group_id entity_id
//   truth/item_entities.tsv   item_id entity_id
//   truth/unseen_aliases.tsv  entity_id alias
//   truth/mentions.tsv        source key start end entity_id kind
//   truth/exposures.tsv       user_id ts item_id scene p_click p_click_no_complement signal channel
//                             (one row per exposures.tsv row, in the same order)
// A mention's key is the item_id (source "item") or the bill's line number in bills.tsv counting
// the header as line 1 (source "bill"); start/end are code points of the title/text, end exclusive.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kerec/world/model.h"
#include "kerec/world/simulate.h"

namespace kerec::world {

// Columns of the files that are assembled from per-rank parts (bills.tsv, exposures.tsv,
// truth/exposures.tsv, truth/mentions.tsv), and their header line ("a\tb\n").
const std::vector<std::string>& bills_columns();
const std::vector<std::string>& exposures_columns();
const std::vector<std::string>& exposure_truth_columns();
const std::vector<std::string>& mentions_columns();
std::string header_line(const std::vector<std::string>& columns);

// Appends the files `parts` in order to `out_path` (created or truncated; `header` first when it is
// not empty). Throws IoError naming the file.
void concatenate_files(const std::string& out_path, std::string_view header,
                       const std::vector<std::string>& parts);

// entities.tsv, items.tsv and truth/{complements,substitutes,item_entities,unseen_aliases}.tsv
// into `dir`, and the item rows of truth/mentions.tsv (no header) into `item_mentions_path`.
void write_catalog_files(const WorldModel& world, const std::string& dir,
                         const std::string& item_mentions_path);

// Bill mention rows (no header); `first_line` is the bills.tsv line number of local row 0.
void write_bill_mentions(const std::string& path, const std::vector<BillMention>& mentions,
                         int64_t first_line);

// world.json (summary counts) into `dir` and truth/behaviour.json (every parameter, the sizes and
// time split, the summary) into `dir`/truth.
void write_json_files(const WorldModel& world, const WorldSummary& summary, const std::string& dir);

}  // namespace kerec::world
