// Shared by the API fuzz targets: fuzz bytes → http_request, and the invariants every answer
// must keep (house rules: bad input is a 4xx, never a 5xx; JSON bodies are valid UTF-8 JSON).
#pragma once

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "nebuta/api_server/server.h"

namespace nebuta::fuzz {

inline void require(bool ok) {
  if (!ok) std::abort();
}

// UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, nothing above U+10FFFF.
inline bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto const c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // truncated sequence
    for (std::size_t k = 1; k <= n; ++k) {
      auto const b = static_cast<unsigned char>(s[i + k]);
      if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return false;
    }
    i += n + 1;
  }
  return true;
}

// Cuts the next '\n'-terminated line off `rest` (all of it when there is no '\n').
inline std::string take_line(std::string_view& rest) {
  auto const end = rest.find('\n');
  std::string line{rest.substr(0, end)};
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  return line;
}

// "METHOD\nTARGET\nACCEPT\nACCEPT-LANGUAGE\nCONTENT-TYPE\nAUTHORIZATION\nBODY...": header values
// cannot hold a line break on the wire either; the body is the rest, as it is.
inline api_server::http_request parse_request(std::string_view bytes) {
  api_server::http_request r;
  r.method = take_line(bytes);
  r.target = take_line(bytes);
  r.accept = take_line(bytes);
  r.accept_language = take_line(bytes);
  r.content_type = take_line(bytes);
  r.authorization = take_line(bytes);
  r.body = std::string{bytes};
  return r;
}

// An answer the house rules allow: a known status below 500, and a JSON body that parses (which
// includes being valid UTF-8: nlohmann::json rejects invalid sequences in strings).
// With NEBUTA_FUZZ_DUMP set, every answer is also printed to stdout (to compare the answers of
// two builds over a corpus: `NEBUTA_FUZZ_DUMP=1 build/tests/fuzz/api_fuzz_replay DIR`).
inline void check_response(api_server::http_response const& r, bool storage_may_fail = false) {
  static bool const dump = std::getenv("NEBUTA_FUZZ_DUMP") != nullptr;
  if (dump) {
    std::printf("%d %s allow=[%s]", r.status, r.content_type.c_str(), r.allow.c_str());
    for (auto const& [k, v] : r.headers) std::printf(" %s=[%s]", k.c_str(), v.c_str());
    std::printf("\n%s\n", r.body.c_str());
  }
  auto const json_ok = r.content_type != "application/json" || r.body.empty() || nlohmann::json::accept(r.body);
  auto const ok = r.status >= 200 && r.status <= 599 && (r.status < 500 || (storage_may_fail && r.status == 503)) &&
                  json_ok && (r.status < 400 || !r.body.empty());
  if (!ok) {
    std::fprintf(stderr, "fuzz: answer breaks the rules: status %d, %s, body (%zu bytes): %.500s\n", r.status,
                 r.content_type.c_str(), r.body.size(), r.body.c_str());
    std::abort();
  }
}

}  // namespace nebuta::fuzz
