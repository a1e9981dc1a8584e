// A search index over the names of things (stops, places) in several languages and scripts,
// built once and then only read. A query is cut into words the same way as the names: Latin
// words (romaji, English), Japanese runs (kanji with their kana, katakana words), Hangul words;
// the common words of place names (words.h) become one token each. Every word of the query
// must meet a word of a name, in any order, exactly, as a prefix, inside a compound, or within
// a small edit distance; or the whole query meets the whole name.
//
// Names in kana (a feed's ja-Hrkt readings) are matched through their romaji, so "hachinohe
// eki", "はちのへえき" and "하치노헤역" find a stop whose only other name is 八戸駅.
//
// Thread safety: the index is immutable; each thread queries with its own scratch.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nebuta/search/text.h"

namespace nebuta::search {

struct name_input {
  std::string_view text;
  std::string_view lang;  // BCP 47; "ja-Hrkt" (or a text in kana only) is a reading
};

// How well a query met a name; smaller is better, 0 is an exact match. Compare hits of one
// query with it; the fields are only for explaining a rank.
struct match_quality {
  std::uint8_t missing_words{0};      // words of the query that are place words the name lacks
  std::uint8_t typos{0};              // edits, summed over the query's words
  std::uint8_t partial{0};            // query words that were prefixes (1) or inside a compound (2)
  std::uint8_t extra_words{0};        // words of the name the query did not mention
  std::uint8_t extra_place_words{0};  // ... of which place words (駅, Station) count apart
  std::uint32_t packed() const {
    return (static_cast<std::uint32_t>(missing_words) << 28) | (static_cast<std::uint32_t>(typos) << 24) |
           (static_cast<std::uint32_t>(partial) << 16) | (static_cast<std::uint32_t>(extra_words) << 8) |
           extra_place_words;
  }
  // 0 exact, 1 prefix or more words in the name, 2 inside a word, 3 close spelling (the
  // StopMatch.rank of the API).
  unsigned rank() const;
};

struct hit {
  std::uint32_t doc{0};
  std::uint32_t name{0};  // which name of the document met the query
  match_quality quality;
};

class name_index {
 public:
  static constexpr std::size_t max_query_words = 8;

  class scratch;

  // Documents are numbered in the order they are added.
  void add(std::span<name_input const> names);
  void finish();  // after the last add(); builds the lookup structures

  std::size_t n_docs() const { return doc_first_variant_.size(); }
  std::size_t n_vocabulary() const { return vocab_offsets_.size() - 1; }
  std::size_t memory_bytes() const;

  // Every document with a name that meets the query: its best name and quality, unsorted.
  // An empty query (nothing but separators) gives nothing.
  void find(std::string_view query, scratch& s, std::vector<hit>& out) const;

  // Whether a query has anything to search for (not only spaces and punctuation).
  bool has_words(std::string_view query, scratch& s) const;

  // The words a text is cut into, for tests and docs: place words as "<english>", others as
  // their key ("hatinohe", "八戸").
  std::vector<std::string> explain(std::string_view text, std::string_view lang, scratch& s) const;

  name_index();
  ~name_index();
  name_index(name_index&&) noexcept;
  name_index& operator=(name_index&&) noexcept;

  struct impl;  // tokenizer and matching (name_index.cc)

 private:
  // vocabulary: ids below the number of place words are those words; the others literal keys
  std::vector<char32_t> vocab_chars_;
  std::vector<std::uint32_t> vocab_offsets_{0};
  std::vector<std::uint64_t> vocab_masks_;
  std::vector<std::uint8_t> vocab_han_;          // the key is Han (else romaji)
  std::vector<std::uint32_t> vocab_sorted_;      // literal ids by key, for prefix ranges
  std::vector<std::uint32_t> postings_offsets_;  // vocabulary id -> variants using it
  std::vector<std::uint32_t> postings_;

  // name variants (one name can give two: as written, and its romaji)
  std::vector<std::uint32_t> variant_doc_, variant_name_;
  std::vector<std::uint32_t> variant_token_offsets_{0};
  std::vector<std::uint32_t> variant_tokens_;
  std::vector<std::uint32_t> variant_whole_;  // vocabulary id of the whole name's key
  std::vector<std::uint32_t> doc_first_variant_;

  std::unique_ptr<struct word_lookup> words_;  // place words, folded like names
  std::unique_ptr<struct build_state> build_;  // only between the first add() and finish()
};

// Per-query state: ICU transliterators and match marks sized by the index. Built once per
// thread (about a millisecond), reused for every query.
class name_index::scratch {
 public:
  scratch();
  ~scratch();
  text_tools& tools() { return tools_; }

 private:
  friend class name_index;
  friend struct name_index::impl;
  text_tools tools_;
  std::vector<std::vector<std::uint8_t>> codes_;  // per query word (and the whole query), per vocabulary id
  std::vector<std::vector<std::uint32_t>> touched_;
  std::vector<std::uint32_t> variant_stamp_;
  std::vector<std::uint32_t> candidates_;
  std::vector<std::int32_t> doc_hit_;
  std::vector<std::uint32_t> osa_rows_;
  std::uint32_t stamp_{0};
};

}  // namespace nebuta::search
