#include "nebuta/api_service/polyline.h"

#include <cmath>
#include <cstdint>

namespace nebuta::api_service {

namespace {

void append_value(std::string& out, std::int64_t delta) {
  auto v = static_cast<std::uint64_t>(delta < 0 ? ~(delta << 1) : (delta << 1));  // zig-zag, as the algorithm says
  while (v >= 0x20) {
    out += static_cast<char>((0x20 | (v & 0x1f)) + 63);
    v >>= 5;
  }
  out += static_cast<char>(v + 63);
}

}  // namespace

std::string encode_polyline(std::span<latlon const> points, int precision) {
  auto const scale = std::pow(10.0, precision);
  std::string out;
  out.reserve(points.size() * 8);
  std::int64_t last_lat = 0, last_lon = 0;
  for (auto const p : points) {
    auto const lat = std::llround(p.lat * scale), lon = std::llround(p.lon * scale);
    append_value(out, lat - last_lat);
    append_value(out, lon - last_lon);
    last_lat = lat;
    last_lon = lon;
  }
  return out;
}

}  // namespace nebuta::api_service
