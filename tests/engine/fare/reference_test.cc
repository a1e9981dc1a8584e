// fare::compute against the independent v1 reference (reference_fares.h) on every ride leg of
// 1,000 random journeys per feed, planned with the router on the real Japanese, BART and Tampa
// feeds. Each ride is given to the reference by its external ids (route, stops, stops passed) and
// times, so the reference sees only what the feed's files say.
#include <array>
#include <random>
#include <sstream>

#include <catch2/catch.hpp>

#include "fare_support.h"
#include "nebuta/fare/journey.h"
#include "nebuta/raptor/router.h"
#include "reference_fares.h"
#include "shared_data.h"

namespace {

using namespace nebuta;
using namespace nebuta::test::fares;

struct feed_case {
  char const* folder;
  date_t date;
  double min_known{0.9};  // share of rides with a known fare (a feed with few fares compares little)
};

void compare(feed_case const& fc, unsigned n_journeys) {
  auto const path = test::shared_dataset(fc.folder);
  if (path.empty()) return;
  auto const loaded = gtfs_import::load({{"f", path}});
  auto const& tt = loaded.tt;
  v1_reference const ref{path};
  raptor::index const idx{tt};
  raptor::router router{idx};
  std::vector<stop_idx> served;
  for (auto s = stop_idx{0U}; s.v() < tt.n_stops(); ++s) {
    if (!tt.stop_routes[s].empty()) served.push_back(s);
  }
  REQUIRE(!served.empty());
  std::mt19937_64 rng{0xFA5EULL + std::hash<std::string_view>{}(fc.folder)};
  unsigned journeys = 0, rides_total = 0, known_rides = 0, multi_ride = 0, transfer_legs = 0, mismatches = 0, queries = 0;
  std::vector<std::string> examples;
  raptor::journey j;
  std::array<fare::ride, fare::max_rides> rides{};
  std::array<fare::leg_fare, fare::max_rides> legs{};
  while (journeys < n_journeys && queries < 20 * n_journeys) {
    ++queries;
    auto const from = served[rng() % served.size()], to = served[rng() % served.size()];
    auto const t = static_cast<seconds_t>(5 * 3600 + rng() % (17 * 3600));
    auto const res = router.earliest_arrival(raptor::place::at_stop(from), raptor::place::at_stop(to), fc.date, t);
    for (auto const& e : res.pareto) {
      if (journeys == n_journeys || !router.reconstruct(e.legs, j)) continue;
      auto const n = fare::rides_of(tt, j, rides);
      if (n == 0) continue;
      ++journeys;
      auto const got = fare::compute(tt, {rides.data(), n}, 0, {legs.data(), n});

      std::vector<test::fares::ride> ref_rides;
      for (auto const& l : j.legs) {
        if (l.kind != raptor::leg_kind::ride) continue;
        test::fares::ride rr{tt.external_line_id(tt.trip_line[l.trip]),
                             tt.external_stop_id(l.from),
                             tt.external_stop_id(l.to),
                             {},
                             l.start,
                             l.end};
        auto const stops = tt.route_stops[l.route];
        for (auto p = l.board_pos; p <= l.alight_pos; ++p) rr.stops_passed.push_back(tt.external_stop_id(stops[p]));
        ref_rides.push_back(std::move(rr));
      }
      auto const want = ref.price(ref_rides);
      rides_total += static_cast<unsigned>(n);
      multi_ride += n > 1 ? 1U : 0U;
      auto ok = got.known == want.known && std::abs(fare::to_major(got.total, got.currency_digits) - want.total) < 1e-9;
      for (auto i = 0U; i < n; ++i) {
        known_rides += legs[i].known ? 1U : 0U;
        transfer_legs += legs[i].transfer ? 1U : 0U;
        ok = ok && legs[i].known == want.legs[i].known;
        // Where another cut of the rides is as cheap, only the total is fixed.
        if (want.unique && legs[i].known) {
          ok = ok && std::abs(fare::to_major(legs[i].amount, legs[i].currency_digits) - want.legs[i].amount) < 1e-9 &&
               str(tt, legs[i].fare_id) == want.legs[i].fare_id;
        }
      }
      if (!ok) {
        ++mismatches;
        if (examples.size() < 5) {
          std::ostringstream o;
          o << "journey " << tt.external_stop_id(from) << " -> " << tt.external_stop_id(to) << " at " << t << ":";
          for (auto i = 0U; i < n; ++i) {
            o << " [" << ref_rides[i].route_id << " " << ref_rides[i].from_stop << "->" << ref_rides[i].to_stop << " got "
              << (legs[i].known ? std::to_string(fare::to_major(legs[i].amount, legs[i].currency_digits)) : "?") << " "
              << str(tt, legs[i].fare_id) << ", want "
              << (want.legs[i].known ? std::to_string(want.legs[i].amount) : "?") << " " << want.legs[i].fare_id << "]";
          }
          examples.push_back(o.str());
        }
      }
    }
  }
  INFO(fc.folder << ": " << journeys << " journeys from " << queries << " queries, " << rides_total << " rides ("
                 << known_rides << " with a known fare, " << transfer_legs << " on an earlier ride's fare), "
                 << multi_ride << " journeys with several rides");
  for (auto const& e : examples) UNSCOPED_INFO(e);
  CHECK(journeys == n_journeys);
  CHECK(mismatches == 0);
  // The comparison means something: most rides of these feeds have a fare.
  CHECK(known_rides >= fc.min_known * rides_total);
  WARN(fc.folder << ": " << journeys << " journeys, " << rides_total << " rides, " << known_rides << " known, "
                 << transfer_legs << " transfers on one fare, " << multi_ride << " with several rides");
}

date_t day(int y, unsigned m, unsigned d) {
  return date_t{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

}  // namespace

TEST_CASE("fare reference: Hachinohe, 1,000 random journeys", "[fare][reference][shared_data]") {
  compare({"jp-hachinohe-citybus", day(2026, 4, 8)}, 1000);
}
TEST_CASE("fare reference: Hakodate, 1,000 random journeys", "[fare][reference][shared_data]") {
  compare({"jp-hakodate-citytram", day(2018, 5, 15)}, 1000);
}
TEST_CASE("fare reference: Yamanashi, 1,000 random journeys", "[fare][reference][shared_data]") {
  // Agency 2's 202 routes have no fare_rules row at all: their rides are unknown (45% known).
  compare({"jp-yamanashi-bus-2019", day(2019, 8, 27), 0.4}, 1000);
}
TEST_CASE("fare reference: Port Liner, 1,000 random journeys", "[fare][reference][shared_data]") {
  compare({"jp-kobe-portliner-unofficial", day(2026, 5, 12)}, 1000);
}
TEST_CASE("fare reference: BART, 1,000 random journeys", "[fare][reference][shared_data]") {
  compare({"rt-samples/us-bart/gtfs", day(2019, 5, 28)}, 1000);
}
TEST_CASE("fare reference: Tampa, 1,000 random journeys", "[fare][reference][shared_data]") {
  compare({"us-tampa-hart-multimodal", day(2018, 7, 10)}, 1000);
}
