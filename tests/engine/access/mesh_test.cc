// JIS X 0410 grid squares against published codes. The expected codes are those of the jismesh
// package's test suite (miettal/jismesh) for Tokyo Tower (35.658581, 139.745433) and Kyoto Tower
// (34.987574, 135.759363), and the 3rd-level square of Tokyo Station (5339-46-11), which map
// sites quote; the square's edges follow from the standard's cell sizes.
#include <catch2/catch.hpp>

#include "nebuta/access/mesh.h"

using namespace nebuta;
using namespace nebuta::access;

namespace {
std::uint64_t code_at(double lat, double lon, mesh_level l) {
  auto const c = mesh_cell_at({lat, lon}, l);
  REQUIRE(c.has_value());
  return c->code;
}
}  // namespace

TEST_CASE("mesh: codes of Tokyo Tower and Kyoto Tower at every level") {
  CHECK(code_at(35.658581, 139.745433, mesh_level::first) == 5339U);
  CHECK(code_at(35.658581, 139.745433, mesh_level::second) == 533935U);
  CHECK(code_at(35.658581, 139.745433, mesh_level::third) == 53393599U);
  CHECK(code_at(35.658581, 139.745433, mesh_level::half) == 533935992U);
  CHECK(code_at(35.658581, 139.745433, mesh_level::quarter) == 5339359921U);
  CHECK(code_at(35.658581, 139.745433, mesh_level::eighth) == 53393599212U);

  CHECK(code_at(34.987574, 135.759363, mesh_level::first) == 5235U);
  CHECK(code_at(34.987574, 135.759363, mesh_level::second) == 523536U);
  CHECK(code_at(34.987574, 135.759363, mesh_level::third) == 52353680U);
  CHECK(code_at(34.987574, 135.759363, mesh_level::half) == 523536804U);
  CHECK(code_at(34.987574, 135.759363, mesh_level::quarter) == 5235368041U);
  CHECK(code_at(34.987574, 135.759363, mesh_level::eighth) == 52353680412U);

  CHECK(code_at(35.6812, 139.7671, mesh_level::third) == 53394611U);
}

TEST_CASE("mesh: code to rectangle, and back from its centre") {
  // 5339: south edge 53 / 1.5 = 35°20', west edge 139°, 40' x 1°.
  auto const first = parse_mesh_code("5339");
  REQUIRE(first);
  CHECK(first->south == Approx(35.0 + 1.0 / 3.0).epsilon(1e-12));
  CHECK(first->west == Approx(139.0));
  CHECK(first->north - first->south == Approx(40.0 / 60.0));
  CHECK(first->east - first->west == Approx(1.0));

  // jismesh: the centre of 53393599212 is (35.6588542, 139.74609375).
  auto const eighth = parse_mesh_code("53393599212");
  REQUIRE(eighth);
  CHECK(eighth->level == mesh_level::eighth);
  CHECK(eighth->centre().lat == Approx(35.6588542).margin(1e-7));
  CHECK(eighth->centre().lon == Approx(139.74609375).margin(1e-9));
  CHECK(eighth->north - eighth->south == Approx(3.75 / 3600));
  CHECK(eighth->east - eighth->west == Approx(5.625 / 3600));

  // 5339-35-99: 3rd level, rows 3 and 9 from the south, columns 5 and 9 from the west.
  auto const third = parse_mesh_code("5339-35-99");
  REQUIRE(third);
  CHECK(third->code == 53393599U);
  CHECK(third->south == Approx(35.0 + 1.0 / 3.0 + 3 * 5.0 / 60 + 9 * 30.0 / 3600).epsilon(1e-12));
  CHECK(third->west == Approx(139.0 + 5 * 7.5 / 60 + 9 * 45.0 / 3600).epsilon(1e-12));

  // Every code maps back to itself through its centre, at every level.
  for (auto const* text : {"5339", "533935", "53393599", "533935992", "5339359921", "53393599212", "6041", "604163",
                           "60416319", "604163194", "6041631943", "60416319432"}) {
    auto const c = parse_mesh_code(text);
    REQUIRE(c);
    auto const back = mesh_cell_at(c->centre(), c->level);
    REQUIRE(back);
    CHECK(back->code == c->code);
    // The south-west corner belongs to the square, the north-east one to the next.
    CHECK(mesh_cell_at({c->south, c->west}, c->level)->code == c->code);
    CHECK(mesh_cell_at({c->north, c->east}, c->level)->code != c->code);
  }
}

TEST_CASE("mesh: halvings are numbered 1 SW, 2 SE, 3 NW, 4 NE") {
  auto const third = *parse_mesh_code("53393599");
  auto const h = (third.north - third.south) / 4, w = (third.east - third.west) / 4;
  CHECK(code_at(third.south + h, third.west + w, mesh_level::half) == 533935991U);
  CHECK(code_at(third.south + h, third.east - w, mesh_level::half) == 533935992U);
  CHECK(code_at(third.north - h, third.west + w, mesh_level::half) == 533935993U);
  CHECK(code_at(third.north - h, third.east - w, mesh_level::half) == 533935994U);
}

TEST_CASE("mesh: invalid codes and places outside the scheme") {
  CHECK_FALSE(parse_mesh_code(""));
  CHECK_FALSE(parse_mesh_code("533"));
  CHECK_FALSE(parse_mesh_code("5339x5"));
  CHECK_FALSE(parse_mesh_code("533985"));     // second-level row 8: only 0-7
  CHECK_FALSE(parse_mesh_code("533935995"));  // halving 5: only 1-4
  CHECK_FALSE(parse_mesh_code("5339359905"));
  CHECK_FALSE(parse_mesh_code("5339359"));  // 7 digits: no standard level
  CHECK_FALSE(mesh_cell_at({35.0, 99.9}, mesh_level::third));
  CHECK_FALSE(mesh_cell_at({-1.0, 139.0}, mesh_level::third));
  CHECK_FALSE(mesh_cell_at({70.0, 139.0}, mesh_level::third));
  CHECK_FALSE(mesh_cell_at({std::nan(""), 139.0}, mesh_level::third));
  CHECK(mesh_level_of_size(250) == mesh_level::quarter);
  CHECK_FALSE(mesh_level_of_size(300));
}
