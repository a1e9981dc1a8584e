// Grids over an area and people from grid-square statistics, with counts worked out by hand.
#include <catch2/catch.hpp>

#include <cmath>

#include "nebuta/access/analysis.h"
#include "nebuta/access/grid.h"

using namespace nebuta;
using namespace nebuta::access;

TEST_CASE("grid: a regular grid covers the box with cells of the asked size") {
  area a;
  a.bounds = {40.50, 141.40, 40.51, 141.42};  // about 1,112 m x 1,690 m
  auto const cells = regular_grid(a, 250.0);
  // 1,112 / 250 -> 5 rows, 1,690 / 250 -> 7 columns.
  REQUIRE(cells.size() == 35U);
  CHECK(cells.front().id == "r0c0");
  CHECK(cells.back().id == "r4c6");
  auto const& c = *cells.front().cell;
  CHECK(haversine_m({c.south, c.west}, {c.north, c.west}) == Approx(250.0).epsilon(1e-6));
  CHECK(haversine_m({c.south, c.west}, {c.south, c.east}) == Approx(250.0).epsilon(1e-3));
  CHECK_THROWS_AS(regular_grid(a, 5.0), std::invalid_argument);
  CHECK_THROWS_AS(regular_grid(a, 1.0e-300), std::invalid_argument);
  CHECK_THROWS_AS(regular_grid(a, 10.0, 100), std::invalid_argument);
}

TEST_CASE("grid: polygons cut the grid to cells whose centre is inside") {
  area a;
  a.bounds = {40.50, 141.40, 40.51, 141.42};
  // A triangle over the south-west half of the box.
  a.rings = {{{40.50, 141.40}, {40.50, 141.42}, {40.51, 141.40}}};
  auto const cells = regular_grid(a, 250.0);
  CHECK(cells.size() < 35U);
  for (auto const& c : cells) {
    // Below the diagonal: (lat - 40.50) / 0.01 + (lon - 141.40) / 0.02 < 1.
    CHECK((c.at.lat - 40.50) / 0.01 + (c.at.lon - 141.40) / 0.02 < 1.0);
  }
}

TEST_CASE("grid: standard grid squares over a box, with their codes") {
  area a;
  auto const sq = *parse_mesh_code("60416319");  // a 1 km square in Hachinohe
  a.bounds = {sq.south, sq.west, sq.north, sq.east};
  auto const quarter = mesh_grid(a, mesh_level::quarter);
  REQUIRE(quarter.size() == 16U);  // 4 x 4 quarter squares in one 3rd-level square
  for (auto const& c : quarter) CHECK(c.id.substr(0, 8) == "60416319");
  CHECK(quarter.front().id == "6041631911");  // SW of the SW half
  CHECK(quarter.back().id == "6041631944");   // NE of the NE half
  auto const third = mesh_grid(a, mesh_level::third);
  REQUIRE(third.size() == 1U);
  CHECK(third.front().id == "60416319");
}

TEST_CASE("grid: people of 500 m squares spread over 250 m squares and over a finer regular grid") {
  // A hand-made statistic: two 500 m squares of 60416319 with 400 and 100 people, one square far
  // away (not in the area), and one code that does not exist.
  std::vector<mesh_population> const stats{{604163191, 400.0}, {604163192, 100.0}, {533935992, 1000.0}, {999999999, 7.0}};
  auto const sq = *parse_mesh_code("60416319");
  area a;
  a.bounds = {sq.south, sq.west, sq.north, sq.east};

  auto quarter = mesh_grid(a, mesh_level::quarter);
  auto const res = assign_population(quarter, stats);
  CHECK(res.total == Approx(1507.0));
  CHECK(res.assigned == Approx(500.0));
  CHECK(res.squares_used == 2U);
  for (auto const& c : quarter) {
    // Each 500 m square splits into four 250 m squares: 100 people each in 6041631911-14, 25 in
    // 6041631921-24, nobody in the north half.
    auto const half = c.id.substr(0, 9);
    double const expected = half == "604163191" ? 100.0 : half == "604163192" ? 25.0 : 0.0;
    CHECK(c.people == Approx(expected).margin(1e-9));
    CHECK(c.has_people);
  }

  // A regular grid of 8 x 8 cells on the same square (cells are 1/8 of the square's sides): each
  // cell of the south-west quarter holds 400 / 16 = 25 people.
  area b = a;
  auto const cells_per_side = 8.0;
  auto const cell_m = haversine_m({sq.south, sq.west}, {sq.north, sq.west}) / cells_per_side;
  auto grid = regular_grid(b, cell_m);
  auto const res2 = assign_population(grid, stats);
  CHECK(res2.assigned == Approx(500.0).epsilon(0.02));  // the grid's steps are metres, not seconds of arc
  double south_west = 0.0;
  for (auto const& c : grid) {
    if (c.at.lat < (sq.south + sq.north) / 2 && c.at.lon < (sq.west + sq.east) / 2) south_west += c.people;
  }
  CHECK(south_west == Approx(400.0).epsilon(0.05));
}

TEST_CASE("grid: reach counts people when every origin has them, else origins") {
  std::vector<origin> origins(3);
  origins[0].people = 100;
  origins[1].people = 50;
  origins[2].people = 10;
  analysis_result r;
  r.n_origins = 3;
  r.n_sets = 1;
  r.n_percentiles = 1;
  r.minutes = {20, 45, unreachable_minutes};
  auto c = count_reach(origins, r, 0, 0, 45);
  CHECK(c.total == 3.0);  // nobody has people: origins
  CHECK(c.reached == 1.0);
  for (auto& o : origins) o.has_people = true;
  c = count_reach(origins, r, 0, 0, 45);
  CHECK(c.total == 160.0);
  CHECK(c.reached == 100.0);  // 45 is not below 45
  c = count_reach(origins, r, 0, 0, 46);
  CHECK(c.reached == 150.0);
}
