// The Japanese standard grid squares (標準地域メッシュ, JIS X 0410 and its 分割地域メッシュ):
// codes to latitude/longitude rectangles and back. Japan's grid-square statistics (地域メッシュ
// 統計: census population and others) are keyed by these codes.
//
//   level    name                 digits  cell (latitude x longitude)   about
//   first    第1次地域区画           4      40' x 1°                       80 km
//   second   第2次地域区画           6      5' x 7'30"                     10 km
//   third    基準地域メッシュ         8      30" x 45"                      1 km
//   half     2分の1地域メッシュ       9      15" x 22.5"                    500 m
//   quarter  4分の1地域メッシュ      10      7.5" x 11.25"                  250 m
//   eighth   8分の1地域メッシュ      11      3.75" x 5.625"                 125 m
//
// First level: two digits floor(latitude x 1.5) and two digits floor(longitude - 100). Second and
// third: the row (from the south) then the column (from the west), 0-7 and 0-9. Each halving
// appends 1 (south-west), 2 (south-east), 3 (north-west) or 4 (north-east). The scheme covers
// latitudes [0, 66.67) and longitudes [100, 200).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "nebuta/timetable/types.h"

namespace nebuta::access {

enum class mesh_level : std::uint8_t { first = 1, second = 2, third = 3, half = 4, quarter = 5, eighth = 6 };

// Digits of a code of this level (4, 6, 8, 9, 10, 11).
unsigned mesh_digits(mesh_level level);
// The level with this many digits, if any.
std::optional<mesh_level> mesh_level_of_digits(std::size_t digits);
// The level whose cells are about `metres` across (1000 → third, 500 → half, 250 → quarter,
// 125 → eighth, 10000 → second, 80000 → first).
std::optional<mesh_level> mesh_level_of_size(double metres);

// A cell: its code and its edges in degrees (south and west inclusive, north and east exclusive).
struct mesh_cell {
  std::uint64_t code{0};
  mesh_level level{mesh_level::third};
  double south{0}, west{0}, north{0}, east{0};
  latlon centre() const { return {(south + north) / 2, (west + east) / 2}; }
};

// The cell of `level` containing p, or nullopt outside the scheme.
std::optional<mesh_cell> mesh_cell_at(latlon p, mesh_level level);

// The cell of a code given as digits ("53393599", also with '-' between the parts:
// "5339-35-99"); nullopt when it is not a valid code of any level.
std::optional<mesh_cell> parse_mesh_code(std::string_view text);
std::optional<mesh_cell> mesh_cell_of(std::uint64_t code);

std::string format_mesh_code(std::uint64_t code);  // the digits, without separators

}  // namespace nebuta::access
