#include "nebuta/api_service/text_fold.h"

namespace nebuta::api_service {
namespace {

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
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto const start = i;
    bool ok = true;
    decode(s, i, ok);
    if (ok) {
      out.append(s.substr(start, i - start));
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD
    }
  }
  return out;
}

}  // namespace nebuta::api_service
