// Steady-state queries do not allocate: a global operator new counts allocations.
#include <catch2/catch.hpp>

#include "count_allocations.h"

#include <random>

#include "nebuta/gtfs/reader.h"
#include "nebuta/gtfs_import/import.h"
#include "nebuta/raptor/router.h"
#include "shared_data.h"

using namespace nebuta;
using namespace nebuta::raptor;

TEST_CASE("raptor: queries do not allocate in the steady state", "[alloc]") {
  NEBUTA_REQUIRE_DATASET(path, "jp-hachinohe-citybus");
  gtfs::read_options ro;
  ro.shapes = false;
  ro.fares = false;
  auto const src = gtfs::read_feed(path, ro);
  std::vector<build::feed> inputs{gtfs_import::to_build_feed(src, "hachinohe")};
  auto const tt = build::compile(inputs, {}, [](build::problem const&) {});
  date_t const date = std::chrono::year{2026} / 4 / 8;
  index const idx{tt};
  router r{idx};
  std::vector<stop_idx> served;
  for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    if (!tt.stop_routes[s].empty()) served.push_back(s);
  }
  journey j;
  j.legs.reserve(64);
  auto const run = [&](unsigned n, std::uint64_t seed) {
    std::mt19937_64 rng{seed};
    for (auto q = 0U; q < n; ++q) {
      auto const from = place::at_stop(served[rng() % served.size()]);
      auto const to = place::at_stop(served[rng() % served.size()]);
      auto const t = static_cast<seconds_t>(rng() % (24 * 3600));
      options o;
      o.gtfs_literal = (q % 2) == 0U;
      o.walk_radius_m = (q % 3) == 0U ? 0.0 : 400.0;
      auto const a = r.earliest_arrival(from, to, date, t, o);
      if (a.reachable) r.reconstruct(a.legs, j);
      auto const b = r.latest_departure(from, to, date, t, o);
      if (b.reachable) r.reconstruct(b.legs, j);
      auto const c = r.earliest_arrival(place::at_coord(tt.stop_coords[from.stop]),
                                        place::at_coord(tt.stop_coords[to.stop]), date, t, o);
      if (c.reachable) r.reconstruct(c.legs, j);
    }
  };
  run(300, 1);  // sizes the buffers
  auto const before = nebuta::test::allocations();
  run(300, 2);
  CHECK(nebuta::test::allocations() - before == 0U);
}
