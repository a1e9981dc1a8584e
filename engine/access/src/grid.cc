#include "nebuta/access/grid.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "nebuta/dispatch/dispatcher.h"

namespace nebuta::access {

namespace {

using geo::metres_per_degree;

double overlap(double a0, double a1, double b0, double b1) {
  return std::max(0.0, std::min(a1, b1) - std::max(a0, b0));
}

}  // namespace

bool area::contains(latlon p) const {
  if (!bounds.contains(p)) return false;
  return rings.empty() || dispatch::inside_area(rings, p);
}

std::vector<origin> regular_grid(area const& a, double cell_m, std::size_t max_cells) {
  if (!(cell_m >= 10.0) || !std::isfinite(cell_m)) throw std::invalid_argument{"cell size must be at least 10 m"};
  if (!a.bounds.valid()) throw std::invalid_argument{"the area is empty"};
  auto const mid = (a.bounds.south + a.bounds.north) / 2.0;
  auto const dlat = cell_m / metres_per_degree;
  auto const dlon = cell_m / (metres_per_degree * std::cos(mid * std::numbers::pi / 180.0));
  auto const rows = static_cast<std::size_t>(std::ceil((a.bounds.north - a.bounds.south) / dlat - 1e-9));
  auto const cols = static_cast<std::size_t>(std::ceil((a.bounds.east - a.bounds.west) / dlon - 1e-9));
  if (rows == 0 || cols == 0 || rows > max_cells / cols) {
    throw std::invalid_argument{"the grid would have more than " + std::to_string(max_cells) + " cells"};
  }
  std::vector<origin> out;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) {
      box b{a.bounds.south + static_cast<double>(r) * dlat, a.bounds.west + static_cast<double>(c) * dlon,
            a.bounds.south + static_cast<double>(r + 1) * dlat, a.bounds.west + static_cast<double>(c + 1) * dlon};
      latlon const centre{(b.south + b.north) / 2, (b.west + b.east) / 2};
      if (!a.rings.empty() && !a.contains(centre)) continue;  // a box: every cell overlapping it
      origin o;
      o.id = "r" + std::to_string(r) + "c" + std::to_string(c);
      o.at = centre;
      o.cell = b;
      out.push_back(std::move(o));
    }
  }
  return out;
}

std::vector<origin> mesh_grid(area const& a, mesh_level level, std::size_t max_cells) {
  if (!a.bounds.valid()) throw std::invalid_argument{"the area is empty"};
  auto const first = mesh_cell_at({a.bounds.south, a.bounds.west}, level);
  if (!first) throw std::invalid_argument{"the area lies outside the Japanese standard grid squares"};
  auto const h = first->north - first->south;
  auto const w = first->east - first->west;
  // Squares up to the one holding the north-east corner (a corner on an edge opens no new square).
  auto const rows = static_cast<std::size_t>(std::max(1.0, std::ceil((a.bounds.north - first->south) / h - 1e-9)));
  auto const cols = static_cast<std::size_t>(std::max(1.0, std::ceil((a.bounds.east - first->west) / w - 1e-9)));
  if (rows > max_cells / cols) {
    throw std::invalid_argument{"the grid would have more than " + std::to_string(max_cells) + " cells"};
  }
  std::vector<origin> out;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) {
      latlon const centre{first->south + (static_cast<double>(r) + 0.5) * h,
                          first->west + (static_cast<double>(c) + 0.5) * w};
      if (!a.rings.empty() && !a.contains(centre)) continue;  // a box: every cell overlapping it
      auto const cell = mesh_cell_at(centre, level);
      if (!cell) continue;
      origin o;
      o.id = format_mesh_code(cell->code);
      o.at = cell->centre();
      o.cell = box{cell->south, cell->west, cell->north, cell->east};
      out.push_back(std::move(o));
    }
  }
  return out;
}

population_assignment assign_population(std::span<origin> cells, std::span<mesh_population const> squares) {
  population_assignment res;
  // Cells by west edge: a square overlaps only cells whose west edge lies in
  // (square.west - widest cell, square.east).
  std::vector<std::uint32_t> order;
  double widest = 0.0;
  for (std::uint32_t i = 0; i < cells.size(); ++i) {
    if (!cells[i].cell) continue;
    cells[i].people = 0.0;
    cells[i].has_people = true;
    order.push_back(i);
    widest = std::max(widest, cells[i].cell->east - cells[i].cell->west);
  }
  std::sort(order.begin(), order.end(), [&](auto x, auto y) { return cells[x].cell->west < cells[y].cell->west; });
  for (auto const& sq : squares) {
    res.total += sq.people;
    auto const m = mesh_cell_of(sq.code);
    if (!m) continue;
    auto const square_area = (m->north - m->south) * (m->east - m->west);
    auto it = std::lower_bound(order.begin(), order.end(), m->west - widest,
                               [&](std::uint32_t i, double x) { return cells[i].cell->west < x; });
    bool used = false;
    for (; it != order.end() && cells[*it].cell->west < m->east; ++it) {
      auto& o = cells[*it];
      auto const& b = *o.cell;
      auto const part = overlap(b.south, b.north, m->south, m->north) * overlap(b.west, b.east, m->west, m->east);
      if (part <= 0.0) continue;
      auto const people = sq.people * part / square_area;
      o.people += people;
      res.assigned += people;
      used = true;
    }
    if (used) ++res.squares_used;
  }
  return res;
}

}  // namespace nebuta::access
