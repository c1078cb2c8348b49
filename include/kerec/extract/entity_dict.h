// The Entity Dict (entities.tsv: entity_id, name, aliases ('|'-separated), category), loaded and
// validated. Entities are numbered 0..N-1 in file order; that index is what every later artifact
// uses (docs/artifacts.md, "Entity index").
//
// Problems, each either an InputError naming "FILE:LINE" or, under a policy, resolved and counted:
//   duplicate entity_id       dict_policy.duplicate_id   "fail" | "keep_first" (later rows dropped)
//   empty name                dict_policy.empty_name     "fail" | "skip" (row dropped)
//   alias (or name) claimed   dict_policy.shared_alias   "fail" | "keep_first" (the string stays
//   by two entities                                      with the entity of the earlier line)
//   empty alias ("a||b")      dropped and counted (not an error: a stray separator)
// Invalid UTF-8 and rows with the wrong field count are the TSV reader's bad rows: they fail, or
// with input.on_bad_row = "skip" are skipped and counted (DictStats::bad_rows).
// A string two entities share is decided by its normalised form (text/normalize.h): "Phone Case"
// and "phone-case" are the same string.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "kerec/io/tsv.h"

namespace kerec::extract {

struct DictPolicy {
  std::string duplicate_id = "fail";  // "fail" | "keep_first"
  std::string empty_name = "fail";    // "fail" | "skip"
  std::string shared_alias = "fail";  // "fail" | "keep_first"
};

struct Entity {
  std::string entity_id;
  std::string name;
  std::vector<std::string> aliases;  // as loaded, after dropping rejected ones
  std::string category;
  int64_t line = 0;  // line in entities.tsv (header = 1)
};

struct DictStats {
  int64_t rows = 0;                   // data rows read
  int64_t bad_rows = 0;               // TSV bad rows skipped (input.on_bad_row = "skip")
  int64_t duplicate_ids = 0;          // rows dropped by duplicate_id = "keep_first"
  int64_t empty_names = 0;            // rows dropped by empty_name = "skip"
  int64_t shared_strings = 0;         // aliases dropped by shared_alias = "keep_first"
  int64_t empty_aliases = 0;          // empty alias fields dropped
  int64_t self_duplicates = 0;        // an alias equal to its own entity's name or another alias
  std::vector<std::string> messages;  // up to 20 examples "FILE:LINE: ..."
};

class EntityDict {
 public:
  // Reads the whole file (every rank reads it: it is small). Throws InputError / IoError.
  static EntityDict load(const std::string& path, const DictPolicy& policy,
                         const io::BadRowPolicy& bad_rows = {});

  // Builds from rows already in memory (tests); `source` names them in messages.
  static EntityDict from_entities(std::vector<Entity> rows, const DictPolicy& policy,
                                  const std::string& source = "<memory>");

  const std::vector<Entity>& entities() const { return entities_; }
  size_t size() const { return entities_.size(); }
  const DictStats& stats() const { return stats_; }

 private:
  void add(Entity row, const DictPolicy& policy, const std::string& source);
  void note(const std::string& message);
  std::vector<Entity> entities_;
  DictStats stats_;
  std::unordered_set<std::string> ids_;
  std::unordered_map<std::u32string, int32_t> owner_;  // normalised name/alias -> entity index
  std::unordered_map<std::u32string, int64_t> owner_line_;
};

}  // namespace kerec::extract
