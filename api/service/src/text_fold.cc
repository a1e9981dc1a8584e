#include "nebuta/api_service/text_fold.h"

#include <algorithm>
#include <array>
#include <vector>

namespace nebuta::api_service {
namespace {

// U+FF66 ... U+FF9D as full-width katakana.
constexpr std::u32string_view half_width_kana =
    U"ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";

bool voiceable(char32_t c) {
  if (c >= U'カ' && c <= U'ヂ') return (c - U'カ') % 2 == 0;
  if (c == U'ツ' || c == U'テ' || c == U'ト' || c == U'ウ') return true;
  return c >= U'ハ' && c <= U'ポ' && (c - U'ハ') % 3 == 0;
}

bool semi_voiceable(char32_t c) { return c >= U'ハ' && c <= U'ポ' && (c - U'ハ') % 3 == 0; }

bool dropped(char32_t c) {
  switch (c) {
    case U' ': case U'\t': case U'-': case U'.': case U',': case U'(': case U')': case U'[': case U']':
    case U'\'': case U'"': case U'_': case U'/': case U'・': case U'「': case U'」': case U'、': case U'。':
    case U'〔': case U'〕': case U'【': case U'】': case U'’': case U'‘': case U'‐': case U'－': case U'　':
    case U'〈': case U'〉': case U'《': case U'》': case U'『': case U'』': case U'･':
      return true;
    default:
      return false;
  }
}

char32_t drop_diacritic(char32_t c) {
  switch (c) {
    case U'ā': case U'â': case U'á': case U'à': case U'ä': case U'Ā': case U'Â': return U'a';
    case U'ē': case U'ê': case U'é': case U'è': case U'ë': case U'Ē': case U'Ê': case U'É': return U'e';
    case U'ī': case U'î': case U'í': case U'ì': case U'ï': case U'Ī': case U'Î': return U'i';
    case U'ō': case U'ô': case U'ó': case U'ò': case U'ö': case U'Ō': case U'Ô': return U'o';
    case U'ū': case U'û': case U'ú': case U'ù': case U'ü': case U'Ū': case U'Û': return U'u';
    default: return c;
  }
}

// Next code point, or U+FFFD for an invalid sequence (advancing one byte).
char32_t decode(std::string_view s, std::size_t& i, bool& ok) {
  auto const b0 = static_cast<unsigned char>(s[i]);
  auto const cont = [&](std::size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0U) == 0x80U;
  };
  auto const bits = [&](std::size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + k]) & 0x3FU); };
  if (b0 < 0x80U) {
    ++i;
    return b0;
  }
  if (b0 >= 0xC2U && b0 < 0xE0U && cont(1)) {
    auto const c = (static_cast<char32_t>(b0 & 0x1FU) << 6) | bits(1);
    i += 2;
    return c;
  }
  if (b0 >= 0xE0U && b0 < 0xF0U && cont(1) && cont(2)) {
    auto const c = (static_cast<char32_t>(b0 & 0x0FU) << 12) | (bits(1) << 6) | bits(2);
    if (c >= 0x800U && (c < 0xD800U || c > 0xDFFFU)) {
      i += 3;
      return c;
    }
  }
  if (b0 >= 0xF0U && b0 < 0xF5U && cont(1) && cont(2) && cont(3)) {
    auto const c = (static_cast<char32_t>(b0 & 0x07U) << 18) | (bits(1) << 12) | (bits(2) << 6) | bits(3);
    if (c >= 0x10000U && c <= 0x10FFFFU) {
      i += 4;
      return c;
    }
  }
  ok = false;
  ++i;
  return 0xFFFDU;
}

}  // namespace

bool valid_utf8(std::string_view s) {
  bool ok = true;
  for (std::size_t i = 0; i < s.size() && ok;) decode(s, i, ok);
  return ok;
}

std::string replace_invalid_utf8(std::string_view s) {
  if (valid_utf8(s)) return std::string{s};
  std::string out;
  out.reserve(s.size() + 8);
  for (std::size_t i = 0; i < s.size();) {
    auto const begin = i;
    bool ok = true;
    decode(s, i, ok);
    out += ok ? s.substr(begin, i - begin) : std::string_view{"\xEF\xBF\xBD"};
  }
  return out;
}

std::u32string fold_for_search(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    bool ok = true;
    auto c = decode(utf8, i, ok);
    if (!ok) continue;
    if (c >= 0xFF01U && c <= 0xFF5EU) c -= 0xFEE0U;  // full-width ASCII
    if (c == 0x3000U) c = U' ';
    if (c >= 0xFF66U && c <= 0xFF9DU) c = half_width_kana[c - 0xFF66U];
    if (c == 0xFF9EU || c == 0x3099U || c == 0x309BU) {  // (half-width / combining) voiced mark
      if (!out.empty() && voiceable(out.back() + 0x60U)) {
        out.back() = out.back() == U'う' ? U'ゔ' : out.back() + 1;
      }
      continue;
    }
    if (c == 0xFF9FU || c == 0x309AU || c == 0x309CU) {  // semi-voiced mark
      if (!out.empty() && semi_voiceable(out.back() + 0x60U)) out.back() += 2;
      continue;
    }
    if (c >= U'ァ' && c <= U'ヶ') c -= 0x60U;  // katakana → hiragana
    if (c >= U'A' && c <= U'Z') c += 32U;
    c = drop_diacritic(c);
    if (dropped(c)) continue;
    out.push_back(c);
  }
  return out;
}

std::size_t edit_distance(std::u32string_view a, std::u32string_view b, std::size_t max_edits) {
  auto const n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > max_edits) return max_edits + 1;
  // Three rows of the optimal-string-alignment table.
  thread_local std::vector<std::size_t> rows;
  rows.assign(3 * (m + 1), 0);
  auto* prev2 = rows.data();
  auto* prev = prev2 + (m + 1);
  auto* cur = prev + (m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    auto row_min = cur[0];
    for (std::size_t j = 1; j <= m; ++j) {
      auto const cost = a[i - 1] == b[j - 1] ? 0U : 1U;
      auto v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = std::min(v, prev2[j - 2] + 1);
      cur[j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > max_edits) return max_edits + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[m], max_edits + 1);
}

}  // namespace nebuta::api_service
