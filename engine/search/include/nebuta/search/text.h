// The text side of search: what a visitor types and what a feed writes, brought to comparable
// keys. ICU does the Unicode work (NFKC with case folding, Hiragana-Latin, Hangul-Latin,
// Simplified-Traditional); the rest is the romanisation rules of Japanese names.
//
// A text_tools object holds ICU transliterators, which must not be used by two threads at once:
// each thread (or each search scratch) owns one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <unicode/uversion.h>

U_NAMESPACE_BEGIN
class Transliterator;
U_NAMESPACE_END

namespace nebuta::search {

// How a run of characters is written; decides how it becomes a key.
enum class script : std::uint8_t {
  separator,  // spaces, punctuation, brackets: split words
  latin,      // a-z and digits after folding (romaji, English, pinyin)
  kana,       // hiragana (katakana is folded to it), the long-vowel mark
  katakana,   // before folding: loanwords such as センター split off Han runs
  han,        // kanji / hanzi, with 々 and ヶ
  hangul,
  other,
};

script script_of(char32_t c);

// Latin letters of the romaji key: lower-case ASCII letters and digits in, a loose
// Kunrei-like spelling out, so that the usual variants of modified Hepburn meet: shi/si,
// chi/ti, tsu/tu, fu/hu, ji/zi, ja/zya, tch/tt, m/n before b, m, p, ou/oo/oh/o (long vowels),
// doubled consonants single, l as r. Applied to every Latin word, English ones included, on both the
// name and the query side, so it only has to be consistent, not pretty.
std::u32string romaji_key(std::u32string_view latin);

// The romaji key of the Latin that ICU's Hangul-Latin gives for a Korean transcription of a
// Japanese name (하치노헤 -> hachinohe): eu/l/ss of Revised Romanisation mapped to Japanese.
std::u32string korean_key(std::u32string_view hangul_latin);

// The Japanese form of one traditional Han character (戶 -> 戸), else the character itself.
char32_t japanese_form(char32_t traditional);

// UTF-8 with invalid sequences skipped, as UTF-32.
std::u32string to_u32(std::string_view utf8);
std::string to_utf8(std::u32string_view s);

class text_tools {
 public:
  text_tools();  // throws std::runtime_error when ICU lacks one of the transforms
  ~text_tools();
  text_tools(text_tools const&) = delete;
  text_tools& operator=(text_tools const&) = delete;

  // NFKC with case folding (full-width and half-width forms, lower case), Latin diacritics
  // removed (ō -> o), katakana kept apart from hiragana (see fold_kana).
  std::u32string normalize(std::string_view utf8) const;

  // Katakana -> hiragana, and ヶ/ヵ (the counter "ga" inside Han names) -> が.
  static void fold_kana(std::u32string& s);

  // Hiragana (with ー) -> its romaji key.
  std::u32string kana_key(std::u32string_view hiragana) const;
  // Hangul -> the romaji key of its transcription.
  std::u32string hangul_key(std::u32string_view hangul) const;
  // Han run (with hiragana) -> simplified and traditional characters folded to Japanese forms.
  std::u32string han_key(std::u32string_view han) const;

 private:
  std::unique_ptr<icu::Transliterator> hiragana_latin_, hangul_latin_, hans_hant_;
};

}  // namespace nebuta::search
