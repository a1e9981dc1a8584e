// Random dispatcher days (fixed seeds) on the Porto Alegre OSM road network: small fleets with
// shifts and depots, immediate and pre-booked requests inside the extract, accepts, cancels,
// position updates, stop events, no-shows and re-optimisation; the independent validator checks
// every schedule after every command and a replay of the journal must reach the same state.
// Days are small so that many of them run; NEBUTA_OSM_RANDOM_DAYS sets how many (default below).
// Also: points far outside the extract are unreachable, and a one-way street is driven only one way.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "nebuta/osm/reader.h"
#include "nebuta/road/network_model.h"
#include "random_day.h"
#include "shared_data.h"

using namespace nebuta;
using namespace nebuta::dispatch;
using namespace nebuta::dispatch::test;

namespace {

// 2,000 small days: about 2.5 minutes under ASan, in parallel with the other tests.
constexpr std::uint64_t default_days = 2000;

std::uint64_t n_days_to_run() {
  auto const* v = std::getenv("NEBUTA_OSM_RANDOM_DAYS");
  if (v == nullptr || *v == '\0') return default_days;
  return std::strtoull(v, nullptr, 10);
}

// The extract is loaded once for all test cases of this executable.
road::road_network_model const& porto_alegre(std::filesystem::path const& pbf) {
  static auto const model = std::make_unique<road::road_network_model const>(osm::load_road_graph(pbf).graph);
  return *model;
}

struct box {
  latlon lo{90.0, 180.0}, hi{-90.0, -180.0};
};

box bbox_of(road::road_graph const& g) {
  box b;
  for (auto const& c : g.raw_coords()) {
    b.lo = {std::min(b.lo.lat, c.lat), std::min(b.lo.lon, c.lon)};
    b.hi = {std::max(b.hi.lat, c.lat), std::max(b.hi.lon, c.lon)};
  }
  return b;
}

// Rides are kept to a district (a box around Porto Alegre's centre, well inside the extract) so
// that a small fleet can serve some of them; a few points are anywhere in the extract's bounding
// box, some of them off the road network (the Guaíba, parks), which the dispatcher must reject.
struct osm_places {
  road::road_graph const* g;
  box extract;
  std::vector<std::uint32_t> district_nodes;

  osm_places(road::road_graph const& graph, latlon centre, double half_deg) : g{&graph}, extract{bbox_of(graph)} {
    for (std::uint32_t n = 0; n < graph.n_nodes(); ++n) {
      auto const c = graph.coord(road::road_node_idx{n});
      if (std::abs(c.lat - centre.lat) < half_deg && std::abs(c.lon - centre.lon) < half_deg) {
        district_nodes.push_back(n);
      }
    }
  }

  latlon operator()(std::mt19937_64& rng) const {
    auto const u = [&](double a, double b) { return std::uniform_real_distribution<double>{a, b}(rng); };
    if (u(0.0, 1.0) < 0.05) return {u(extract.lo.lat, extract.hi.lat), u(extract.lo.lon, extract.hi.lon)};
    auto const i = std::uniform_int_distribution<std::size_t>{0, district_nodes.size() - 1}(rng);
    auto const c = g->coord(road::road_node_idx{district_nodes[i]});
    return {c.lat + u(-0.001, 0.001), c.lon + u(-0.001, 0.001)};
  }
};

latlon const centre{-30.0346, -51.2177};  // Porto Alegre, Centro Histórico

}  // namespace

TEST_CASE("OSM random days: every schedule valid after every command, promises kept, replay identical",
          "[dispatch][osm]") {
  NEBUTA_REQUIRE_DATASET(pbf, "br-portoalegre-bus-metro-osm/poa_osm.pbf");
  auto const& model = porto_alegre(pbf);
  osm_places const places{model.graph(), centre, 0.03};
  REQUIRE(places.district_nodes.size() > 1000);
  place_generator const place = std::cref(places);
  // A service area around the district, with a hole (even-odd rule).
  std::vector<std::vector<latlon>> const area{
      {{-30.065, -51.25}, {-30.065, -51.185}, {-30.005, -51.185}, {-30.005, -51.25}},
      {{-30.04, -51.225}, {-30.04, -51.21}, {-30.03, -51.21}, {-30.03, -51.225}}};

  day_options opt;
  opt.min_vehicles = 2;
  opt.max_vehicles = 4;
  opt.start = 7 * 3600;
  opt.requests_until = 7 * 3600 + 45 * 60;
  opt.min_mean_gap_s = 60.0;
  opt.max_mean_gap_s = 240.0;
  opt.idle_move_deg = 0.003;

  day_totals totals;
  auto const n_days = n_days_to_run();
  for (std::uint64_t seed = 1; seed <= n_days; ++seed) {
    INFO("seed " << seed);
    std::mt19937_64 rules_rng{seed * 104'729};
    random_day sim{model, place, seed, random_rules(rules_rng, area, place), opt};
    sim.run();
    totals.add(sim);
    sim.require_identical_replay();
  }
  WARN(totals.summary());
  if (n_days >= default_days) {
    CHECK(totals.n_accepted > totals.n_offers / 10);
    CHECK(totals.n_moved > 0);
    CHECK(totals.n_no_show > 0);
    CHECK(totals.n_cancelled > 0);
    CHECK(totals.n_position_updates > 0);
    CHECK(totals.n_rejected_by[static_cast<std::size_t>(reject_reason::unreachable)] > 0);
  }
}

TEST_CASE("OSM: requests far outside the extract are unreachable", "[dispatch][osm]") {
  NEBUTA_REQUIRE_DATASET(pbf, "br-portoalegre-bus-metro-osm/poa_osm.pbf");
  auto const& model = porto_alegre(pbf);
  dispatcher d{model, rules{}};
  auto const now = 8 * 3600;
  d.add_vehicle(now, {"v0", 4, 1, centre, 6 * 3600, 14 * 3600});
  latlon const near_centre{-30.0277, -51.2287};  // Praça da Matriz
  latlon const tokyo{35.68, 139.76};
  latlon const atlantic{-30.5, -50.0};
  auto const ok = d.request_offer(now, {centre, near_centre, 1, 0, now});
  REQUIRE(ok.ok());  // the same fleet can serve a ride inside the extract
  CHECK(d.request_offer(now, {tokyo, near_centre, 1, 0, now}).reason == reject_reason::unreachable);
  CHECK(d.request_offer(now, {near_centre, atlantic, 1, 0, now}).reason == reject_reason::unreachable);
  CHECK(d.request_offer(now, {tokyo, atlantic, 1, 0, now + 3600}).reason == reject_reason::unreachable);
  CHECK(d.vehicle(vehicle_idx{0}).stops.empty());
}

TEST_CASE("OSM: a one-way street is driven only in its direction", "[dispatch][osm]") {
  NEBUTA_REQUIRE_DATASET(pbf, "br-portoalegre-bus-metro-osm/poa_osm.pbf");
  auto const& model = porto_alegre(pbf);
  auto const& g = model.graph();
  auto const& csr = g.csr();
  // A segment u -> v of at least 15 s in the district whose reverse v -> u is not an edge.
  std::optional<std::pair<std::uint32_t, std::uint32_t>> oneway;
  std::uint32_t segment_ds = 0;
  for (auto [it, end] = edges(csr); it != end && !oneway; ++it) {
    auto const u = static_cast<std::uint32_t>(source(*it, csr));
    auto const v = static_cast<std::uint32_t>(target(*it, csr));
    auto const cu = g.coord(road::road_node_idx{u});
    if (csr[*it].time_ds < 150 || std::abs(cu.lat - centre.lat) > 0.03 || std::abs(cu.lon - centre.lon) > 0.03) {
      continue;
    }
    bool reverse = false;
    for (auto [o, oend] = out_edges(v, csr); o != oend; ++o) reverse = reverse || target(*o, csr) == u;
    if (!reverse) {
      oneway = {u, v};
      segment_ds = csr[*it].time_ds;
    }
  }
  REQUIRE(oneway);
  auto const a = g.coord(road::road_node_idx{oneway->first});
  auto const b = g.coord(road::road_node_idx{oneway->second});
  INFO("one-way segment " << a.lat << "," << a.lon << " -> " << b.lat << "," << b.lon << ", " << segment_ds << " ds");

  rules r;
  r.dwell = 0;
  dispatcher d{model, r};
  auto const now = 8 * 3600;
  d.add_vehicle(now, {"v0", 4, 0, a, 6 * 3600, 20 * 3600});
  auto const with = d.request_offer(now, {a, b, 1, 0, now});
  REQUIRE(with.ok());
  REQUIRE(d.accept(now, with.request).ok());
  auto const against = d.request_offer(now, {b, a, 1, 0, now + 1800});
  REQUIRE(against.ok());
  REQUIRE(d.accept(now, against.request).ok());
  CHECK(validate::check(plan_of(d), model).empty());

  // Along the street the ride takes the segment's time (rounded to seconds); against it the
  // vehicle must go round, which takes longer than driving the segment backwards would.
  auto const segment_s = static_cast<seconds_t>((segment_ds + 5) / 10);
  auto const ride_with = with.o.dropoff_eta - with.o.pickup_eta;
  auto const ride_against = against.o.dropoff_eta - against.o.pickup_eta;
  CHECK(ride_with == segment_s);
  CHECK(ride_against > segment_s + 5);
  // In the plan, the vehicle's legs pickup -> drop-off are the same two rides.
  auto const& stops = d.vehicle(vehicle_idx{0}).stops;
  REQUIRE(stops.size() == 4);
  for (std::size_t k = 1; k < stops.size(); ++k) {
    if (stops[k].kind != stop_kind::dropoff || stops[k - 1].request != stops[k].request) continue;
    auto const leg = stops[k].arrival - stops[k - 1].departure;
    CHECK(leg == (stops[k].request == with.request ? ride_with : ride_against));
  }
}
