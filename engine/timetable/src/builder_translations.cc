// translations.txt → every text in every language of the feed.
#include "builder_internal.h"

#include <algorithm>

namespace nebuta::build::detail {

// Translations of one feed, looked up in the order GTFS gives precedence: by record, then by
// field value, then (legacy GTFS-JP) by the string alone.
translation_index::translation_index(feed const& f) {
  for (auto const& t : f.translations) {
    if (t.table.empty() && t.field.empty()) {
      legacy[std::string{t.field_value}].push_back(&t);
    } else if (!t.record_id.empty()) {
      by_record[key_of({t.table, t.field, t.record_id, t.record_sub_id})].push_back(&t);
    } else {
      by_value[key_of({t.table, t.field, t.field_value})].push_back(&t);
    }
  }
}

std::vector<translation const*> const* translation_index::find(std::string_view table, std::string_view field,
                                                               std::string_view record_id, std::string_view sub_id,
                                                               std::string_view value) const {
  if (!by_record.empty()) {
    if (auto it = by_record.find(key_of({table, field, record_id, sub_id})); it != by_record.end()) {
      return &it->second;
    }
  }
  if (!by_value.empty()) {
    if (auto it = by_value.find(key_of({table, field, value})); it != by_value.end()) return &it->second;
  }
  if (!legacy.empty()) {
    if (auto it = legacy.find(value); it != legacy.end()) return &it->second;
  }
  return nullptr;
}

lang_idx compiler::language(std::string_view code) {
  for (auto l = lang_idx{0}; l.v() < tt_.languages.size(); ++l) {
    if (tt_.strings[tt_.languages[l]] == code) return l;
  }
  return tt_.languages.push_back(strings_.get(code));
}

text_idx compiler::make_text(translation_index const& idx, std::string_view table, std::string_view field,
                             std::string_view record_id, std::string_view sub_id, std::string_view value) {
  std::vector<translation_entry> entries;
  if (auto const* found = idx.find(table, field, record_id, sub_id, value)) {
    for (auto const* t : *found)
      entries.push_back({.lang = language(t->language), .value = strings_.get(t->translation)});
    std::sort(entries.begin(), entries.end(), [](auto const& a, auto const& b) { return a.lang < b.lang; });
    entries.erase(
        std::unique(entries.begin(), entries.end(), [](auto const& a, auto const& b) { return a.lang == b.lang; }),
        entries.end());
  }
  auto const default_value = strings_.get(value);
  std::vector<std::uint32_t> key{default_value.v()};
  for (auto const& e : entries) key.push_back(e.lang.v()), key.push_back(e.value.v());
  if (auto it = text_index_.find(key); it != text_index_.end()) return it->second;
  auto const t = tt_.text_default.push_back(default_value);
  tt_.text_translations.emplace_back(entries);
  text_index_.emplace(std::move(key), t);
  return t;
}

}  // namespace nebuta::build::detail
