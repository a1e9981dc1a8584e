#include "nebuta/access/mesh.h"

#include <array>
#include <cmath>

namespace nebuta::access {

namespace {

// Everything is counted in eighths of an arc-second, in which every cell edge of every level is a
// whole number: a code is then integer arithmetic, with no rounding at the cells' edges.
constexpr std::int64_t units_per_degree = 3600 * 8;
// Cell height and width per level (index level - 1).
constexpr std::array<std::int64_t, 6> cell_height{19'200, 2'400, 240, 120, 60, 30};
constexpr std::array<std::int64_t, 6> cell_width{28'800, 3'600, 360, 180, 90, 45};
constexpr std::array<unsigned, 6> digits_of_level{4, 6, 8, 9, 10, 11};

std::size_t index_of(mesh_level l) { return static_cast<std::size_t>(l) - 1; }

mesh_cell make_cell(std::uint64_t code, mesh_level level, std::int64_t lat_units, std::int64_t lon_units) {
  auto const i = index_of(level);
  mesh_cell c;
  c.code = code;
  c.level = level;
  auto const deg = static_cast<double>(units_per_degree);
  c.south = static_cast<double>(lat_units) / deg;
  c.north = static_cast<double>(lat_units + cell_height[i]) / deg;
  c.west = 100.0 + static_cast<double>(lon_units) / deg;
  c.east = 100.0 + static_cast<double>(lon_units + cell_width[i]) / deg;
  return c;
}

}  // namespace

unsigned mesh_digits(mesh_level level) { return digits_of_level[index_of(level)]; }

std::optional<mesh_level> mesh_level_of_digits(std::size_t digits) {
  for (auto i = 0U; i < digits_of_level.size(); ++i) {
    if (digits_of_level[i] == digits) return static_cast<mesh_level>(i + 1);
  }
  return std::nullopt;
}

std::optional<mesh_level> mesh_level_of_size(double metres) {
  if (metres == 80'000.0) return mesh_level::first;
  if (metres == 10'000.0) return mesh_level::second;
  if (metres == 1'000.0) return mesh_level::third;
  if (metres == 500.0) return mesh_level::half;
  if (metres == 250.0) return mesh_level::quarter;
  if (metres == 125.0) return mesh_level::eighth;
  return std::nullopt;
}

std::optional<mesh_cell> mesh_cell_at(latlon p, mesh_level level) {
  if (!std::isfinite(p.lat) || !std::isfinite(p.lon)) return std::nullopt;
  // A hair over a unit's millionth absorbs decimal coordinates written just below an edge.
  auto const lat_u = static_cast<std::int64_t>(std::floor(p.lat * units_per_degree + 1e-6));
  auto const lon_u = static_cast<std::int64_t>(std::floor((p.lon - 100.0) * units_per_degree + 1e-6));
  if (lat_u < 0 || lon_u < 0 || lat_u >= 100 * cell_height[0] || lon_u >= 100 * cell_width[0]) return std::nullopt;

  std::uint64_t code =
      static_cast<std::uint64_t>(lat_u / cell_height[0]) * 100U + static_cast<std::uint64_t>(lon_u / cell_width[0]);
  auto const n = index_of(level);
  for (auto i = 1U; i <= n; ++i) {
    auto const row = (lat_u % cell_height[i - 1]) / cell_height[i];
    auto const col = (lon_u % cell_width[i - 1]) / cell_width[i];
    if (i <= 2) {  // second and third level: row digit, column digit
      code = code * 100U + static_cast<std::uint64_t>(row * 10 + col);
    } else {  // halvings: 1 SW, 2 SE, 3 NW, 4 NE
      code = code * 10U + static_cast<std::uint64_t>(1 + col + 2 * row);
    }
  }
  auto const h = cell_height[n];
  auto const w = cell_width[n];
  return make_cell(code, level, lat_u - lat_u % h, lon_u - lon_u % w);
}

std::optional<mesh_cell> parse_mesh_code(std::string_view text) {
  std::string digits;
  for (auto const c : text) {
    if (c == '-') continue;
    if (c < '0' || c > '9') return std::nullopt;
    digits.push_back(c);
  }
  auto const level = mesh_level_of_digits(digits.size());
  if (!level) return std::nullopt;
  auto const d = [&](std::size_t i) { return static_cast<std::int64_t>(digits[i] - '0'); };
  auto lat_u = (d(0) * 10 + d(1)) * cell_height[0];
  auto lon_u = (d(2) * 10 + d(3)) * cell_width[0];
  std::uint64_t code = 0;
  for (auto const c : digits) code = code * 10U + static_cast<std::uint64_t>(c - '0');
  auto const n = index_of(*level);
  std::size_t pos = 4;
  for (auto i = 1U; i <= n; ++i) {
    if (i <= 2) {
      auto const row = d(pos), col = d(pos + 1);
      auto const limit = i == 1 ? 8 : 10;
      if (row >= limit || col >= limit) return std::nullopt;
      lat_u += row * cell_height[i];
      lon_u += col * cell_width[i];
      pos += 2;
    } else {
      auto const q = d(pos);
      if (q < 1 || q > 4) return std::nullopt;
      lat_u += ((q - 1) / 2) * cell_height[i];
      lon_u += ((q - 1) % 2) * cell_width[i];
      pos += 1;
    }
  }
  return make_cell(code, *level, lat_u, lon_u);
}

std::optional<mesh_cell> mesh_cell_of(std::uint64_t code) { return parse_mesh_code(std::to_string(code)); }

std::string format_mesh_code(std::uint64_t code) { return std::to_string(code); }

}  // namespace nebuta::access
