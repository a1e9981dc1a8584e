// The table model answers exactly what the road network answers, for table points, other points
// and mixtures, in cost() and many_to_many().
#include <catch2/catch.hpp>

#include "nebuta/osm/reader.h"
#include "nebuta/road/network_model.h"
#include "nebuta/sim/matrix_model.h"
#include "nebuta/sim/random.h"
#include "shared_data.h"

using namespace nebuta;

TEST_CASE("matrix_model gives the road network's own answers (Porto Alegre)") {
  NEBUTA_REQUIRE_DATASET(pbf, "br-portoalegre-bus-metro-osm/poa_osm.pbf");
  road::road_network_model road{osm::load_road_graph(pbf).graph};
  sim::rng r{5};
  std::vector<latlon> pts;
  for (int i = 0; i < 40; ++i) pts.push_back({r.uniform(-30.06, -30.00), r.uniform(-51.23, -51.16)});
  pts.push_back({10.0, 10.0});  // far outside: invalid
  pts.push_back(pts[3]);        // duplicate
  sim::matrix_model const m{road, pts};
  CHECK(m.size() == 41);
  CHECK_FALSE(m.snap({10.0, 10.0}).valid);

  std::vector<road::snapped_point> mine, theirs;
  for (auto const& p : pts) {
    mine.push_back(m.snap(p));
    theirs.push_back(road.snap(p));
  }
  for (int i = 0; i < 5; ++i) {  // points not in the table
    latlon const p{r.uniform(-30.06, -30.00), r.uniform(-51.23, -51.16)};
    mine.push_back(m.snap(p));
    theirs.push_back(road.snap(p));
  }
  std::size_t n_valid = 0;
  for (std::size_t i = 0; i < mine.size(); ++i) {
    CHECK(mine[i].valid == theirs[i].valid);
    for (std::size_t j = 0; j < mine.size(); ++j) {
      auto const a = m.cost(mine[i], mine[j]);
      auto const b = road.cost(theirs[i], theirs[j]);
      REQUIRE(a.has_value() == b.has_value());
      if (a) {
        ++n_valid;
        CHECK(*a == *b);
      }
    }
  }
  CHECK(n_valid > 1000);
  std::vector<std::optional<road::travel_cost>> out(mine.size() * 3), want(mine.size() * 3);
  std::span<road::snapped_point const> const to_mine{mine.data() + 1, 3}, to_theirs{theirs.data() + 1, 3};
  m.many_to_many(mine, to_mine, out);
  road.many_to_many(theirs, to_theirs, want);
  CHECK(out == want);
  std::span<road::snapped_point const> const table_only{mine.data(), 10}, table_only_theirs{theirs.data(), 10};
  std::vector<std::optional<road::travel_cost>> out2(100), want2(100);
  m.many_to_many(table_only, table_only, out2);
  road.many_to_many(table_only_theirs, table_only_theirs, want2);
  CHECK(out2 == want2);
}
