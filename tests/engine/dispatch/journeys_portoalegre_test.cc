// Random days of journeys on Porto Alegre (issue 16): the EPTC bus and Trensurb metro timetables
// and the OSM road network of the shared data. Riders at random road points of the service area
// plan with the intermodal search (engine/intermodal: RAPTOR with on-demand access and egress
// edges to the candidate stops, the metro stations with their own 7-minute transfer buffer) and
// book the on-demand legs of the best journey found as one journey, each leg tied to the real
// train or bus it feeds or leaves (its scheduled departure or arrival at that stop); other riders
// book plain rides, some trains run late (the last mile moves), some journeys are cancelled, and
// vehicles follow their plans (journey_day.h). After every command the independent validator
// checks every schedule with the connections the test itself derived from the timetable; at the
// end a replay of the journal reaches an identical state. Three small days (50 riders, 8 vehicles)
// keep it well under a minute under ASan.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>

#include "journey_day.h"
#include "nebuta/gtfs_import/import.h"
#include "nebuta/intermodal/candidates.h"
#include "nebuta/intermodal/search.h"
#include "nebuta/osm/reader.h"
#include "nebuta/raptor/router.h"
#include "nebuta/road/network_model.h"
#include "shared_data.h"

using namespace nebuta;
using namespace nebuta::dispatch;
using namespace nebuta::dispatch::test;
namespace im = nebuta::intermodal;

namespace {

date_t const service_day = std::chrono::year{2019} / 5 / 14;  // a Tuesday both feeds run
// 00:00 of that day in Porto Alegre (UTC-3, no daylight saving in May), from the civil calendar.
instant const midnight = std::chrono::sys_days{service_day}.time_since_epoch().count() * 86'400LL + 3 * 3600;

// The service area: the box of the MaaS plan test (tests/api/plan_on_demand_test.cc).
std::vector<std::vector<latlon>> const area{{{-30.10, -51.26}, {-30.10, -51.14}, {-30.00, -51.14}, {-30.00, -51.26}}};
bool in_box(latlon c) { return c.lat > -30.10 && c.lat < -30.00 && c.lon > -51.26 && c.lon < -51.14; }

struct world {
  gtfs_import::load_result loaded;
  std::unique_ptr<raptor::index> idx;
  std::unique_ptr<raptor::router> router;
  std::vector<latlon> road_points;  // road nodes inside the area: riders' homes and destinations
  std::unique_ptr<road::road_network_model> model;
  im::settings s;
  std::unique_ptr<im::stop_catalog> catalog;
};

world const& porto_alegre(std::filesystem::path const& data) {
  static auto const w = [&] {
    auto out = std::make_unique<world>();
    out->loaded = gtfs_import::load({{"bus", data / "gtfs-eptc-bus"}, {"metro", data / "gtfs-trensurb-metro"}});
    auto const& tt = out->loaded.tt;
    out->idx = std::make_unique<raptor::index>(tt);
    out->router = std::make_unique<raptor::router>(*out->idx);
    auto graph = osm::load_road_graph(data / "poa_osm.pbf").graph;
    for (std::uint32_t n = 0; n < graph.n_nodes(); n += 7) {
      auto const c = graph.coord(road::road_node_idx{n});
      if (in_box(c)) out->road_points.push_back(c);
    }
    out->model = std::make_unique<road::road_network_model>(std::move(graph));
    out->s.max_stops_per_side = 4;
    for (std::uint32_t i = 0; i < tt.n_stops(); ++i) {  // the metro's stations: 7 minutes
      auto const id = tt.external_stop_id(stop_idx{i});
      if (id.starts_with("metro:")) out->s.stop_buffers_s[id] = 420;
    }
    out->catalog = std::make_unique<im::stop_catalog>(tt, *out->model, area, std::span<latlon const>{}, out->s);
    return out;
  }();
  return *w;
}

}  // namespace

TEST_CASE(
    "random days of journeys planned on Porto Alegre bus + metro + OSM: validator after every command, "
    "identical replay",
    "[dispatch][journeys][portoalegre]") {
  NEBUTA_REQUIRE_DATASET(data, "br-portoalegre-bus-metro-osm");
  auto const& w = porto_alegre(data);
  auto const& tt = w.loaded.tt;
  REQUIRE(w.catalog->size() > 10U);
  REQUIRE(w.road_points.size() > 1000U);
  // Depots: spread over the catalogue's stops.
  std::vector<latlon> depots;
  for (std::size_t k = 0; k < w.catalog->size(); k += w.catalog->size() / 6) depots.push_back(w.catalog->coords()[k]);
  auto const place = [&](std::mt19937_64& rng) {
    return w.road_points[std::uniform_int_distribution<std::size_t>{0, w.road_points.size() - 1}(rng)];
  };

  std::size_t n_planned = 0, n_legs = 0, n_first = 0, n_last = 0, n_metro = 0;
  im::search_scratch scratch;
  std::vector<im::od_journey> found;
  // A rider from home to a random destination, leaving now: the on-demand legs of the best
  // on-demand journey of the search, each tied to its ride as the timetable says.
  journey_maker const planned = [&](std::mt19937_64& rng, int, instant now, double, latlon home, latlon) {
    std::vector<planned_leg> out;
    im::query const q{home, place(rng), service_day, static_cast<seconds_t>(now - midnight), false, {}};
    im::search_on_demand(*w.router, *w.catalog, *w.model, q, w.s, scratch, found);
    if (found.empty()) return out;
    ++n_planned;
    // The best journey with a bus or train when there is one (the search ranks a door-to-door ride,
    // one vehicle, first), else the door-to-door ride.
    auto const pick = std::find_if(found.begin(), found.end(),
                                   [](im::od_journey const& o) { return o.use != im::od_use::door_to_door; });
    auto const& j = (pick != found.end() ? *pick : found.front()).j;
    for (std::size_t i = 0; i < j.legs.size(); ++i) {
      auto const& l = j.legs[i];
      if (l.kind != raptor::leg_kind::access) continue;
      if (l.access_tag >= im::door_to_door_tag) {
        out.push_back({{q.from, q.to, 1, 0, now}, {}, {}});
        continue;
      }
      if (l.access_tag >= im::last_mile_tag) {
        std::size_t k = i;
        while (k > 0 && j.legs[k - 1].kind != raptor::leg_kind::ride) --k;
        REQUIRE(k > 0);
        auto const& ride = j.legs[k - 1];
        auto const& cand = scratch.last.at(l.access_tag - im::last_mile_tag);
        REQUIRE(cand.stop == l.from);
        CHECK(cand.buffer_s == (tt.external_stop_id(l.from).starts_with("metro:") ? 420 : 300));
        auto const arr = midnight + ride.end;
        // The search left the buffer between the ride and the vehicle (its edge lasts it).
        CHECK(l.start >= ride.end);
        out.push_back({{tt.stop_coords[l.from], q.to, 1, 0, arr + cand.buffer_s},
                       {connection::kind::after_arrival, tt.external_trip_id(ride.trip), tt.external_stop_id(ride.to),
                        arr, cand.buffer_s},
                       {std::numeric_limits<std::int64_t>::max(), arr + cand.buffer_s}});
        ++n_last;
      } else {
        std::size_t k = i + 1;
        while (k < j.legs.size() && j.legs[k].kind != raptor::leg_kind::ride) ++k;
        REQUIRE(k < j.legs.size());
        auto const& ride = j.legs[k];
        auto const& cand = scratch.first.at(l.access_tag);
        REQUIRE(cand.stop == l.to);
        auto const dep = midnight + ride.start;
        CHECK(l.end <= ride.start);  // the edge (wait, road, buffer) ends by the ride
        request_spec spec{q.from, tt.stop_coords[l.to], 1, 0, now};
        spec.latest_dropoff = dep - cand.buffer_s;
        out.push_back({spec,
                       {connection::kind::before_departure, tt.external_trip_id(ride.trip),
                        tt.external_stop_id(ride.from), dep, cand.buffer_s},
                       {dep - cand.buffer_s, std::numeric_limits<std::int64_t>::min()}});
        ++n_first;
      }
      n_metro += out.back().link.stop_id.starts_with("metro:") ? 1U : 0U;
    }
    n_legs += out.size();
    return out;
  };

  journey_day_stats total;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    auto const st = run_journey_day(*w.model, depots, place, seed, midnight, 8, 50, planned);
    total.n_journeys += st.n_journeys;
    total.n_failed += st.n_failed;
    total.n_moves += st.n_moves;
    total.n_lost += st.n_lost;
    total.n_cancelled += st.n_cancelled;
    total.n_checks += st.n_checks;
  }
  INFO("planned " << n_planned << " legs " << n_legs << " (first " << n_first << ", last " << n_last << ", metro "
                  << n_metro << ") journeys " << total.n_journeys << " failed " << total.n_failed << " moves "
                  << total.n_moves << " lost " << total.n_lost << " cancelled " << total.n_cancelled << " checks "
                  << total.n_checks);
  CHECK(n_planned >= 10U);
  CHECK(n_first > 0U);
  CHECK(n_last > 0U);
  CHECK(total.n_journeys >= 5U);
  CHECK(total.n_moves > 0U);
  CHECK(total.n_cancelled > 0U);
  WARN("planned " << n_planned << " legs " << n_legs << " (first " << n_first << ", last " << n_last << ", metro "
                  << n_metro << ") journeys " << total.n_journeys << " failed " << total.n_failed << " moves "
                  << total.n_moves << " lost " << total.n_lost << " cancelled " << total.n_cancelled);
}
