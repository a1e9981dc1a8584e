#include "nebuta/search/text.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace nebuta::search {
namespace {

constexpr std::pair<char32_t, char32_t> japanese_forms[] = {
#include "japanese_forms.inc"
};

bool is_vowel(char32_t c) { return c == U'a' || c == U'i' || c == U'u' || c == U'e' || c == U'o'; }
bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }

icu::UnicodeString to_icu(std::u32string_view s) {
  icu::UnicodeString out;
  for (auto const c : s) out.append(static_cast<UChar32>(c));
  return out;
}

std::u32string from_icu(icu::UnicodeString const& s) {
  std::u32string out;
  out.reserve(static_cast<std::size_t>(s.length()));
  for (std::int32_t i = 0; i < s.length();) {
    auto const c = s.char32At(i);
    out.push_back(static_cast<char32_t>(c));
    i = s.moveIndex32(i, 1);
  }
  return out;
}

// Base letter of a Latin letter with diacritics (ō -> o), from its canonical decomposition.
char32_t strip_latin_diacritic(char32_t c) {
  if (c < 0xC0U || !((c <= 0x24FU) || (c >= 0x1E00U && c <= 0x1EFFU))) return c;
  UErrorCode status = U_ZERO_ERROR;
  auto const* nfd = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString d;
  if (U_FAILURE(status) || !nfd->getDecomposition(static_cast<UChar32>(c), d) || d.length() == 0) return c;
  return static_cast<char32_t>(d.char32At(0));
}

std::unique_ptr<icu::Transliterator> make_transliterator(char const* id) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t{
      icu::Transliterator::createInstance(icu::UnicodeString::fromUTF8(id), UTRANS_FORWARD, status)};
  if (U_FAILURE(status) || !t) throw std::runtime_error{std::string{"ICU has no transliterator "} + id};
  return t;
}

// Lower-case ASCII letters and digits of a transliteration ("sentā" -> "senta").
std::u32string ascii_letters(icu::UnicodeString const& s) {
  std::u32string out;
  for (auto c : from_icu(s)) {
    c = strip_latin_diacritic(c);
    if (c >= U'A' && c <= U'Z') c += 32U;
    if ((c >= U'a' && c <= U'z') || is_digit(c)) out.push_back(c);
  }
  return out;
}

}  // namespace

script script_of(char32_t c) {
  if ((c >= U'a' && c <= U'z') || is_digit(c)) return script::latin;
  if ((c >= 0x3041U && c <= 0x3096U) || c == 0x309DU || c == 0x309EU || c == 0x30FCU) return script::kana;
  if ((c >= 0x30A1U && c <= 0x30FAU) || c == 0x30FDU || c == 0x30FEU) {
    return c == 0x30F5U || c == 0x30F6U ? script::han : script::katakana;  // ヵ ヶ: counters in Han names
  }
  if ((c >= 0x3400U && c <= 0x4DBFU) || (c >= 0x4E00U && c <= 0x9FFFU) || (c >= 0xF900U && c <= 0xFAFFU) ||
      (c >= 0x20000U && c <= 0x3134FU) || c == 0x3005U || c == 0x3006U) {
    return script::han;
  }
  if ((c >= 0xAC00U && c <= 0xD7A3U) || (c >= 0x1100U && c <= 0x11FFU) || (c >= 0x3130U && c <= 0x318FU)) {
    return script::hangul;
  }
  if (c < 0x80U || (c >= 0x2000U && c <= 0x206FU) || (c >= 0x3000U && c <= 0x303FU) || c == 0x30FBU ||
      (c >= 0xFF00U && c <= 0xFFEFU) || (c >= 0xA0U && c <= 0xBFU) || c == 0xD7U || c == 0xF7U ||
      (c >= 0x2190U && c <= 0x27BFU) || c == 0xFFFDU) {
    return script::separator;
  }
  return script::other;
}

std::u32string romaji_key(std::u32string_view in) {
  // Consonants: the Hepburn spellings to Kunrei ones.
  static constexpr std::array<std::pair<std::u32string_view, std::u32string_view>, 11> spellings{{
      {U"dzu", U"zu"},
      {U"dji", U"zi"},
      {U"shi", U"si"},
      {U"sh", U"sy"},
      {U"chi", U"ti"},
      {U"ch", U"ty"},
      {U"tsu", U"tu"},
      {U"fu", U"hu"},
      {U"ji", U"zi"},
      {U"j", U"zy"},
      {U"wo", U"o"},
  }};
  std::u32string s;
  s.reserve(in.size() + 4);
  for (std::size_t i = 0; i < in.size();) {
    auto const rest = in.substr(i);
    if (rest.starts_with(U"tch")) {  // matcha: the doubled consonant of cha
      s.push_back(U't');
      ++i;
      continue;
    }
    auto const rule =
        std::find_if(spellings.begin(), spellings.end(), [&](auto const& r) { return rest.starts_with(r.first); });
    if (rule != spellings.end()) {
      s += rule->second;
      i += rule->first.size();
      continue;
    }
    auto const next = i + 1 < in.size() ? in[i + 1] : U'\0';
    if (in[i] == U'l') s.push_back(U'r');  // Japanese has one liquid: "Lapia" is ラピア
    else s.push_back(in[i] == U'm' && (next == U'b' || next == U'p' || next == U'm') ? U'n' : in[i]);
    ++i;
  }
  // Long vowels and doubled consonants: ou/oo/oh, uu, aa, ii, ee, kk, ss, nn ... single.
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto const c = s[i];
    if (!out.empty()) {
      auto const p = out.back();
      auto const following = i + 1 < s.size() ? s[i + 1] : U'\0';
      // Long vowels (aa, oo) and the doubled consonant of a small tsu before its syllable.
      if (c == p && (is_vowel(c) || (!is_digit(c) && (is_vowel(following) || following == U'y')))) continue;
      if (p == U'o' && c == U'u') continue;
      auto const next = i + 1 < s.size() ? s[i + 1] : U'\0';
      if (p == U'o' && c == U'h' && !is_vowel(next) && next != U'y') continue;
    }
    out.push_back(c);
  }
  return out;
}

std::u32string korean_key(std::u32string_view hangul_latin) {
  // Revised Romanisation of a Korean transcription back towards Japanese: 쓰/츠 are tsu, 즈 zu,
  // 스 su (the vowel ㅡ is written eu).
  static constexpr std::array<std::pair<std::u32string_view, std::u32string_view>, 5> rules{{
      {U"sseu", U"tsu"},
      {U"cheu", U"tsu"},
      {U"jeu", U"zu"},
      {U"eu", U"u"},
      {U"yeo", U"yo"},
  }};
  std::u32string s;
  for (std::size_t i = 0; i < hangul_latin.size();) {
    auto const rest = hangul_latin.substr(i);
    auto const rule = std::find_if(rules.begin(), rules.end(), [&](auto const& r) { return rest.starts_with(r.first); });
    if (rule != rules.end()) {
      s += rule->second;
      i += rule->first.size();
    } else {
      s.push_back(hangul_latin[i++]);
    }
  }
  return romaji_key(s);
}

char32_t japanese_form(char32_t traditional) {
  auto const it = std::lower_bound(std::begin(japanese_forms), std::end(japanese_forms), traditional,
                                   [](auto const& p, char32_t c) { return p.first < c; });
  return it != std::end(japanese_forms) && it->first == traditional ? it->second : traditional;
}

std::u32string to_u32(std::string_view utf8) {
  return from_icu(icu::UnicodeString::fromUTF8(icu::StringPiece{utf8.data(), static_cast<std::int32_t>(utf8.size())}));
}

std::string to_utf8(std::u32string_view s) {
  std::string out;
  to_icu(s).toUTF8String(out);
  return out;
}

text_tools::text_tools()
    : hiragana_latin_{make_transliterator("Hiragana-Latin")},
      hangul_latin_{make_transliterator("Hangul-Latin")},
      hans_hant_{make_transliterator("Hans-Hant")} {}

text_tools::~text_tools() = default;

std::u32string text_tools::normalize(std::string_view utf8) const {
  UErrorCode status = U_ZERO_ERROR;
  auto const* nfkc = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error{"ICU: no NFKC_Casefold data"};
  auto const in = icu::UnicodeString::fromUTF8(icu::StringPiece{utf8.data(), static_cast<std::int32_t>(utf8.size())});
  auto const folded = nfkc->normalize(in, status);
  if (U_FAILURE(status)) return {};
  auto out = from_icu(folded);
  for (auto& c : out) c = strip_latin_diacritic(c);
  return out;
}

void text_tools::fold_kana(std::u32string& s) {
  for (auto& c : s) {
    if (c == 0x30F5U || c == 0x30F6U) c = U'が';
    else if (c >= 0x30A1U && c <= 0x30F6U) c -= 0x60U;
    else if (c == 0x30FDU || c == 0x30FEU) c -= 0x60U;  // ヽヾ
  }
}

std::u32string text_tools::kana_key(std::u32string_view hiragana) const {
  auto s = to_icu(hiragana);
  hiragana_latin_->transliterate(s);
  return romaji_key(ascii_letters(s));
}

std::u32string text_tools::hangul_key(std::u32string_view hangul) const {
  auto s = to_icu(hangul);
  hangul_latin_->transliterate(s);
  return korean_key(ascii_letters(s));
}

std::u32string text_tools::han_key(std::u32string_view han) const {
  auto s = to_icu(han);
  hans_hant_->transliterate(s);
  auto out = from_icu(s);
  for (auto& c : out) c = japanese_form(c);
  return out;
}

}  // namespace nebuta::search
