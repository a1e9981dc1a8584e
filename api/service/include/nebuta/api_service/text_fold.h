// Folding of names for search: what a rider may type differently from the feed but means the same.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace nebuta::api_service {

// NFKC-like folding enough for Japanese and romaji stop names: full-width ASCII → ASCII,
// half-width katakana → katakana (with voiced marks combined), katakana → hiragana, ASCII lower
// case, macrons and circumflexes dropped (ō → o), spaces and punctuation removed. Invalid UTF-8
// bytes are skipped.
std::u32string fold_for_search(std::string_view utf8);

// Optimal-string-alignment distance (edits: insert, delete, substitute, swap neighbours), or
// max_edits + 1 when it is larger.
std::size_t edit_distance(std::u32string_view a, std::u32string_view b, std::size_t max_edits);

// Decodes UTF-8, replacing invalid sequences by U+FFFD; true when the input was valid.
bool valid_utf8(std::string_view s);

// `s` with every invalid UTF-8 sequence replaced by U+FFFD (for echoing client input).
std::string replace_invalid_utf8(std::string_view s);

}  // namespace nebuta::api_service
