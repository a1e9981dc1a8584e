// The OSM car profile (feeds/osm) on tag lists and on a small inline OPL network.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "nebuta/osm/profile.h"
#include "nebuta/osm/reader.h"
#include "nebuta/road/query.h"

using namespace nebuta;
using namespace nebuta::osm;

namespace {
way_profile profile(std::vector<tag> const& tags) { return car_profile(tags); }
}  // namespace

TEST_CASE("osm: maxspeed values", "[road][osm]") {
  CHECK(parse_maxspeed("50") == 50.0);
  CHECK(parse_maxspeed(" 60 km/h") == 60.0);
  CHECK(parse_maxspeed("30 mph") == Approx(48.28032));
  CHECK(parse_maxspeed("40;60") == 40.0);
  CHECK(parse_maxspeed("walk") == 7.0);
  CHECK(parse_maxspeed("none") == 130.0);
  CHECK_FALSE(parse_maxspeed("BR:urban"));
  CHECK_FALSE(parse_maxspeed("signals"));
  CHECK_FALSE(parse_maxspeed("0"));
  CHECK_FALSE(parse_maxspeed("900"));
  CHECK_FALSE(parse_maxspeed("10 knots"));
  CHECK_FALSE(parse_maxspeed(""));
}

TEST_CASE("osm: highway classes, access and direction", "[road][osm]") {
  auto const res = profile({{"highway", "residential"}});
  CHECK(res.drivable);
  CHECK(res.forward);
  CHECK(res.backward);
  CHECK(res.speed_kmh == 25.0);
  CHECK(profile({{"highway", "primary"}, {"maxspeed", "70"}}).speed_kmh == 70.0);
  CHECK(profile({{"highway", "primary"}, {"maxspeed", "BR:urban"}}).speed_kmh == 60.0);
  CHECK(profile({{"highway", "motorway_link"}}).speed_kmh == 45.0);
  CHECK(profile({{"highway", "living_street"}}).drivable);
  CHECK(profile({{"highway", "service"}}).drivable);

  for (auto const* cls : {"footway", "cycleway", "path", "steps", "pedestrian", "track", "construction", "road", ""}) {
    INFO(cls);
    CHECK_FALSE(profile({{"highway", cls}}).drivable);
  }
  CHECK_FALSE(profile({{"highway", "service"}, {"area", "yes"}}).drivable);
  CHECK_FALSE(profile({{"highway", "residential"}, {"access", "private"}}).drivable);
  CHECK_FALSE(profile({{"highway", "residential"}, {"access", "no"}}).drivable);
  CHECK_FALSE(profile({{"highway", "residential"}, {"motor_vehicle", "no"}}).drivable);
  CHECK_FALSE(profile({{"highway", "residential"}, {"motorcar", "private"}}).drivable);
  CHECK(profile({{"highway", "residential"}, {"access", "no"}, {"motor_vehicle", "yes"}}).drivable);
  CHECK_FALSE(profile({{"highway", "residential"}, {"access", "yes"}, {"motorcar", "no"}}).drivable);
  CHECK(profile({{"highway", "residential"}, {"access", "destination"}}).drivable);

  auto const fwd = profile({{"highway", "residential"}, {"oneway", "yes"}});
  CHECK((fwd.forward && !fwd.backward));
  auto const rev = profile({{"highway", "residential"}, {"oneway", "-1"}});
  CHECK((!rev.forward && rev.backward));
  auto const rnd = profile({{"highway", "tertiary"}, {"junction", "roundabout"}});
  CHECK((rnd.forward && !rnd.backward));
  auto const mwy = profile({{"highway", "motorway"}});
  CHECK((mwy.forward && !mwy.backward));
  auto const mwy2 = profile({{"highway", "motorway"}, {"oneway", "no"}});
  CHECK((mwy2.forward && mwy2.backward));
  CHECK_FALSE(profile({{"highway", "primary"}, {"oneway", "reversible"}}).drivable);
}

TEST_CASE("osm: an inline OPL network becomes the expected graph", "[road][osm]") {
  // A square block 0.001° a side; w1 one-way east along the south side; a private driveway, a
  // footway and a reversed one-way spur hang off it.
  std::string const opl =
      "n1 v1 x10.000 y10.000\n"
      "n2 v1 x10.001 y10.000\n"
      "n3 v1 x10.001 y10.001\n"
      "n4 v1 x10.000 y10.001\n"
      "n5 v1 x10.002 y10.000\n"
      "n6 v1 x10.000 y9.999\n"
      "n7 v1 x10.001 y9.999\n"
      "w1 v1 Thighway=residential,oneway=yes Nn1,n2\n"
      "w2 v1 Thighway=residential,maxspeed=36 Nn2,n3,n4,n1\n"
      "w7 v1 Thighway=service,maxspeed=signals Nn4,n3\n"
      "w3 v1 Thighway=service,access=private Nn2,n5\n"
      "w4 v1 Thighway=footway Nn1,n6\n"
      "w5 v1 Thighway=residential,oneway=-1 Nn7,n2\n"
      "w6 v1 Thighway=residential Nn3,n99\n";  // n99 is not in the extract
  road::graph_builder b;
  auto const st = read_osm(opl, "opl", b);
  CHECK(st.n_ways == 7);
  CHECK(st.n_drivable_ways == 5);
  CHECK(st.n_oneway_ways == 2);
  CHECK(st.n_unread_maxspeed == 1);
  CHECK(st.n_nodes == 5);  // n1 n2 n3 n4 n7
  CHECK(st.n_edges == 1 + 6 + 1 + 2);
  CHECK(st.n_missing_locations == 1);
  auto const g = std::move(b).build();
  CHECK(g.n_nodes() == 4);  // n7 only leads in (w5 runs n2 -> n7 reversed): dropped
  road::road_query q{g};
  auto const n1 = road::road_node_idx{0};
  auto const n2 = road::road_node_idx{1};
  auto const east = q.point_to_point(n1, n2);
  auto const west = q.point_to_point(n2, n1);
  // 0.001° of longitude at 10°N is ~109.5 m; at 25 km/h that is ~15.8 s; at 36 km/h the 3 other sides ~33 s.
  CHECK(east.metres == Approx(109.5).epsilon(0.01));
  CHECK(east.time_ds == Approx(157.7).margin(1.5));
  CHECK(west.metres == Approx(111.2 + 109.5 + 111.2).epsilon(0.01));
  CHECK(west.time_ds == Approx(331.9).margin(3.0));
}

TEST_CASE("osm: a missing file is a clear error", "[road][osm]") {
  road::graph_builder b;
  CHECK_THROWS_WITH(read_osm(std::filesystem::path{"/nonexistent/x.osm.pbf"}, b),
                    Catch::Contains("/nonexistent/x.osm.pbf"));
  CHECK_THROWS_AS(read_osm(std::string_view{"not a pbf"}, "pbf", b), std::runtime_error);
}
