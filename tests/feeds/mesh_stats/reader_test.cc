// The e-Stat grid-square statistics reader on hand-made files in e-Stat's layout (two header rows,
// Shift_JIS labels, hidden values), and the people they give a grid, counted by hand.
#include <catch2/catch.hpp>

#include "nebuta/access/analysis.h"
#include "nebuta/mesh_stats/reader.h"

using namespace nebuta;

TEST_CASE("mesh_stats: e-Stat CSV with two header rows, hidden values and bad rows") {
  std::string const csv =
      "KEY_CODE,HTKSYORI,HTKSAKI,GASSAN,T001142001,T001142002\r\n"
      ",,,,\x81\x40\x90\x6c\x8c\xfb\x81\x69\x91\x8d\x90\x94\x81\x6a,\x81\x40\x92\x6a\r\n"  // CP932 labels
      "6041431911,0,,,120,60\r\n"
      "6041431912,2,6041431911,,3,*\r\n"
      "6041431913,0,,,*,*\r\n"
      "6041431914,0,,,abc,1\r\n"    // not a number
      "6041431915,0,,,10,5\r\n"     // 5 is no quarter of a half square
      "6041431921,0,,,7\r\n"        // short, but the column is there
      "60414319,0,,,1000,500\r\n";  // a 1 km square
  auto const t = mesh_stats::read_population(csv, "m.csv");
  CHECK(t.column == "T001142001");
  REQUIRE(t.squares.size() == 5U);
  CHECK(t.squares[0].code == 6041431911U);
  CHECK(t.squares[0].people == 120.0);
  CHECK(t.squares[1].people == 3.0);
  CHECK(t.squares[2].people == 0.0);
  CHECK(t.hidden == 1U);
  CHECK(t.squares[3].code == 6041431921U);
  CHECK(t.squares[3].people == 7.0);
  CHECK(t.squares[4].code == 60414319U);
  REQUIRE(t.problems.size() == 2U);
  CHECK(t.problems[0] == "m.csv:6: bad population 'abc', skipped");
  CHECK(t.problems[1] == "m.csv:7: '6041431915' is not a JIS X 0410 grid-square code, skipped");

  // Another column by name, and the simple layout.
  CHECK(mesh_stats::read_population(csv, "m.csv", "T001142002").squares[0].people == 60.0);
  auto const simple = mesh_stats::read_population("mesh_code,population\n533935992,42.5\n", "s.csv");
  REQUIRE(simple.squares.size() == 1U);
  CHECK(simple.squares[0].people == 42.5);
  CHECK_THROWS_AS(mesh_stats::read_population("a,b\n1,2\n", "x.csv"), mesh_stats::mesh_stats_error);
  CHECK_THROWS_AS(mesh_stats::read_population("", "x.csv"), mesh_stats::mesh_stats_error);
  CHECK_THROWS_AS(mesh_stats::read_population(csv, "m.csv", "T9"), mesh_stats::mesh_stats_error);
}

TEST_CASE("mesh_stats: residents of 250 m squares on a 500 m grid, and who reaches a place, by hand") {
  // 60414319 is 1 km; its SW half 604143191 holds the quarters 6041431911..14 with 120, 3, 0
  // (hidden) and 40 people; the SE half 604143192 has 6041431921 with 7.
  std::string const csv =
      "KEY_CODE,HTKSYORI,HTKSAKI,GASSAN,T001142001\n,,,,total\n"
      "6041431911,0,,,120\n6041431912,0,,,3\n6041431913,0,,,*\n6041431914,0,,,40\n6041431921,0,,,7\n";
  auto const t = mesh_stats::read_population(csv, "m.csv");
  auto const sq = *access::parse_mesh_code("60414319");
  access::area a;
  a.bounds = {sq.south, sq.west, sq.north, sq.east};
  auto halves = access::mesh_grid(a, access::mesh_level::half);
  REQUIRE(halves.size() == 4U);
  auto const res = access::assign_population(halves, t.squares);
  CHECK(res.total == 170.0);
  CHECK(res.assigned == Approx(170.0));
  CHECK(halves[0].id == "604143191");
  CHECK(halves[0].people == Approx(163.0));
  CHECK(halves[1].people == Approx(7.0));
  CHECK(halves[2].people == 0.0);
  // Minutes to a place: SW 20, SE unreachable, NW 50, NE 10 → within 30 minutes: 163 + 0 people.
  access::analysis_result r;
  r.n_origins = 4;
  r.n_sets = r.n_percentiles = 1;
  r.minutes = {20, access::unreachable_minutes, 50, 10};
  auto const c = access::count_reach(halves, r, 0, 0, 30);
  CHECK(c.total == Approx(170.0));
  CHECK(c.reached == Approx(163.0));
}
