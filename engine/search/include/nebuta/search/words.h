// The common words of Japanese place names (駅, 海岸, 病院, 前 ...) and what visitors call them
// in English, romaji, Chinese and Korean. Search reads each as one token, so "Hachinohe
// Station", "Hachinohe-eki", "八戸駅", "八户站" and "하치노헤역" are the same two words.
#pragma once

#include <span>
#include <string_view>

namespace nebuta::search {

struct place_word {
  std::string_view english;  // the meaning (docs, tests)
  // Each field: forms separated by '|'.
  std::string_view written;   // as written in names, Japanese and Chinese (站, 车站), katakana included
  std::string_view readings;  // hiragana readings of the Japanese forms (stripped from readings)
  std::string_view latin;     // English words and phrases, abbreviations, romaji ("sta", "eki")
  std::string_view hangul;    // Korean
};

std::span<place_word const> place_words();

}  // namespace nebuta::search
