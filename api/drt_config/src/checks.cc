#include "nebuta/drt_config/checks.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <memory>

#include "nebuta/dispatch/dispatcher.h"
#include "nebuta/drt_config/config.h"

namespace nebuta::drt_config {

namespace {

std::string sha256_of_file(std::filesystem::path const& file) {
  std::ifstream in{file, std::ios::binary};
  if (!in) throw config_error{file.string() + ": cannot read file"};
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) throw config_error{"SHA-256 unavailable"};
  std::array<char, 1 << 16> buf{};
  while (in) {
    in.read(buf.data(), buf.size());
    if (in.gcount() > 0) EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw config_error{file.string() + ": cannot read file"};
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx.get(), digest.data(), &n);
  std::string hex;
  char two[3];
  for (unsigned i = 0; i < n; ++i) {
    std::snprintf(two, sizeof two, "%02x", digest[i]);
    hex += two;
  }
  return hex;
}

std::string point_text(latlon p) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f,%.6f", p.lat, p.lon);
  return buf;
}

// "3 of 120 meeting points (first: 40.500000,141.900000)" for the points outside the area.
void count_outside(std::vector<std::string>& out, std::span<std::vector<latlon> const> area,
                   std::span<latlon const> points, char const* what) {
  std::size_t n = 0;
  latlon first{};
  for (auto const& p : points) {
    if (dispatch::inside_area(area, p)) continue;
    if (n++ == 0) first = p;
  }
  if (n == 0) return;
  out.push_back(std::to_string(n) + " of " + std::to_string(points.size()) + " " + what +
                " lie outside the service area (first: " + point_text(first) + ")");
}

}  // namespace

std::string travel_model_fingerprint(std::filesystem::path const& osm, double detour_factor, double speed_kmh) {
  if (!osm.empty()) return "osm car sha256=" + sha256_of_file(osm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "straight_line detour=%.17g speed_kmh=%.17g", detour_factor, speed_kmh);
  return buf;
}

std::vector<std::string> area_warnings(dispatch::rules const& rules, std::span<dispatch::shift_pattern const> fleet,
                                       std::span<latlon const> feed_stops) {
  std::vector<std::string> out;
  auto const& area = rules.service_area;
  if (area.empty()) return out;
  for (auto const& s : fleet) {
    if (dispatch::inside_area(area, s.vehicle.depot)) continue;
    auto const seen = std::any_of(&fleet.front(), &s, [&](auto const& o) { return o.vehicle.name == s.vehicle.name; });
    if (!seen)
      out.push_back("the depot of vehicle " + s.vehicle.name + " (" + point_text(s.vehicle.depot) +
                    ") lies outside the service area");
  }
  count_outside(out, area, rules.meeting_points, "meeting points");
  if (!rules.meeting_points.empty() && std::none_of(rules.meeting_points.begin(), rules.meeting_points.end(),
                                                    [&](latlon p) { return dispatch::inside_area(area, p); })) {
    out.push_back("no meeting point lies in the service area: every offer will be rejected");
  }
  count_outside(out, area, feed_stops, "stops of the loaded feed");
  if (!feed_stops.empty() &&
      std::none_of(feed_stops.begin(), feed_stops.end(), [&](latlon p) { return dispatch::inside_area(area, p); })) {
    out.push_back("no stop of the loaded feed lies in the service area: is it the feed of another place?");
  }
  return out;
}

}  // namespace nebuta::drt_config
