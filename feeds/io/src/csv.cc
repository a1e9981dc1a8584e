#include "nebuta/io/csv.h"

#include <charconv>

namespace nebuta::io {

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string{s};
  std::string out = "\"";
  for (auto const c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string exact_decimal(double v) {
  char buf[64];
  auto const r = std::to_chars(buf, buf + sizeof(buf), v);
  return {buf, r.ptr};
}

}  // namespace nebuta::io
