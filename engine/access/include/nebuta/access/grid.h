// The origins of an accessibility analysis: the cells of a regular grid over an area, the cells of
// the Japanese standard grid squares (mesh.h) over it, or given points; and the people living in
// each, from grid-square statistics.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "nebuta/access/mesh.h"
#include "nebuta/timetable/types.h"

namespace nebuta::access {

// A rectangle in degrees; south/west inclusive.
struct box {
  double south{0}, west{0}, north{0}, east{0};
  bool valid() const { return south < north && west < east; }
  bool contains(latlon p) const { return p.lat >= south && p.lat < north && p.lon >= west && p.lon < east; }
};

// Where the analysis is made: a box, optionally cut to polygons (rings in the even-odd rule, as
// the on-demand service area). Without polygons, every cell overlapping the box belongs to the
// area; with them, a cell belongs to it when its centre lies inside the polygons (and the box).
struct area {
  box bounds;
  std::vector<std::vector<latlon>> rings;  // empty: the whole box
  bool contains(latlon p) const;
};

struct origin {
  std::string id;           // "r12c40" (grid), the mesh code, or the point's own id
  latlon at{};              // where journeys start: the cell's centre, or the point
  std::optional<box> cell;  // the cell (none for points)
  double people{0.0};       // residents (0 until population is assigned)
  bool has_people{false};   // people came from a statistic or the points file
};

// Cells of about cell_m x cell_m over the area, as a lat/lon grid whose steps are cell_m at the
// area's middle latitude; rows from the south, columns from the west. Throws
// std::invalid_argument when cell_m < 10 or the grid would have more than max_cells cells.
std::vector<origin> regular_grid(area const& a, double cell_m, std::size_t max_cells = 2'000'000);

// The standard grid squares of a level whose centre lies in the area.
std::vector<origin> mesh_grid(area const& a, mesh_level level, std::size_t max_cells = 2'000'000);

// People per grid square, as the statistics give them.
struct mesh_population {
  std::uint64_t code{0};
  double people{0.0};
};

struct population_assignment {
  double total{0.0};            // people in every square read
  double assigned{0.0};         // of which in the cells (by area share)
  std::size_t squares_used{0};  // squares that overlap at least one cell
};

// Spreads each square's people evenly over its rectangle and gives every cell the people of the
// part it covers (areas in the lon/lat plane, exact for cells and squares of one city). Origins
// without a cell (points) keep their own people. Squares of an unknown code are left out.
population_assignment assign_population(std::span<origin> cells, std::span<mesh_population const> squares);

}  // namespace nebuta::access
