// Intermodal search and the mixer on inline timetables with a straight-line road model (no detour,
// 36 km/h = 10 m/s, so road seconds are metres / 10). Expected times are worked out by hand from
// the timetable and the distances, not read back from the code.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "mini_feed.h"
#include "nebuta/intermodal/mixer.h"
#include "nebuta/intermodal/search.h"
#include "nebuta/raptor/tight.h"

using namespace nebuta;
using namespace nebuta::intermodal;
using nebuta::test::hm;

namespace {

date_t const day = std::chrono::year{2024} / 6 / 3;

// STA (a station of the train and the bus) at 35.00; CITY at 35.30; bus stop B0 at 34.95.
// Train T: STA 08:30 -> CITY 09:00. Bus b: B0 08:00 -> STA 08:15.
test::mini_feed feed() {
  test::mini_feed f;
  f.add_stop("B0", 34.95, 139.0);
  f.add_stop("STA", 35.00, 139.0);
  f.add_stop("CITY", 35.30, 139.0);
  f.add_line("BUS");
  f.add_trip("T", {{"STA", hm(8, 30)}, {"CITY", hm(9, 0)}});
  f.add_trip("b", {{"B0", hm(8, 0)}, {"STA", hm(8, 15)}}, "all", 0, "", "BUS");
  return f;
}

settings test_settings() {
  settings s;
  s.hub_min_routes = 1;  // every served stop may be met
  s.expected_wait_s = 600;
  s.transfer_buffer_s = 300;
  s.door_to_door = false;
  return s;
}

// The timetable above, its router, the straight-line model and the catalogue of every served stop.
struct world {
  test::mini_feed f{feed()};
  timetable tt{f.compile(0.0F)};
  raptor::index idx{tt};
  raptor::router r{idx};
  road::straight_line_model model{1.0, 36.0};
  settings s{test_settings()};
  stop_catalog catalog{tt, model, {}, {}, s};
};

// Road seconds between two coordinates at 10 m/s, rounded as a model would.
seconds_t road_s(latlon a, latlon b) { return static_cast<seconds_t>(std::lround(haversine_m(a, b) / 10.0)); }

std::string stop_id(timetable const& tt, stop_idx s) { return s.valid() ? tt.external_stop_id(s) : "(place)"; }

}  // namespace

TEST_CASE("intermodal: only way is an on-demand first mile to the train") {
  world w;
  auto const& [tt, model, s, catalog] = std::tie(w.tt, w.model, w.s, w.catalog);
  auto& r = w.r;
  CHECK(catalog.size() == 3U);

  // Origin 5.5 km south of B0, 11.1 km south of STA (nothing within walking distance), destination at CITY.
  latlon const origin{34.90, 139.0};
  latlon const dest{35.30, 139.0};
  query q{origin, dest, day, hm(7, 0), false, {}};

  // Transit alone: nothing.
  std::vector<raptor::journey> transit;
  raptor::tight_journeys(r, raptor::place::at_coord(origin), raptor::place::at_coord(dest), day, hm(7, 0), false, q.opt,
                         transit);
  CHECK(transit.empty());

  search_scratch scratch;
  std::vector<od_journey> out;
  search_on_demand(r, catalog, model, q, s, scratch, out);
  REQUIRE_FALSE(out.empty());
  // The vehicle may take the rider to B0 (for the bus at 08:00) or straight to STA (train 08:30);
  // both arrive at 09:00. Straight to STA leaves later with fewer vehicles: B0 needs the bus too.
  auto const& best = out.front();
  CHECK(best.use == od_use::first_mile);
  CHECK(best.j.arrival == hm(9, 0));
  CHECK(vehicle_legs(best.j) == 2U);
  // On-demand to STA, the train, a walk of 0 m from CITY to the destination (the same point).
  // 08:30 less buffer 300 s, road 11.1 km / 10 m/s = 1112 s, wait 600 s: 07:56:28.
  CHECK(raptor::to_string(tt, best.j) == R"(07:56:28-09:00, 1 ride
  07:56:28-08:30 access tag 1 (place) -> STA 11119 m
  08:30-09:00 ride T STA -> CITY
  09:00-09:00 walk egress CITY -> (place) 0 m
)");
  REQUIRE(best.j.legs.size() == 3U);
  CHECK(best.j.legs[0].kind == raptor::leg_kind::access);
  CHECK(best.j.legs[2].kind == raptor::leg_kind::walk);
  CHECK(best.j.legs[2].distance_m == Approx(0.0).margin(0.5));
  CHECK(stop_id(tt, best.j.legs[0].to) == "STA");
  auto const expected_leg = 600 + road_s(origin, {35.00, 139.0}) + 300;
  CHECK(best.j.departure == hm(8, 30) - expected_leg);
  // The candidate the tag names is that stop, at that road time (within a second of rounding).
  auto const& cand = scratch.first.at(best.j.legs[0].access_tag);
  CHECK(stop_id(tt, cand.stop) == "STA");
  CHECK(std::abs(cand.road_s - road_s(origin, {35.00, 139.0})) <= 1);

  auto const d = mix(transit, best.j, false, s.mixer);
  REQUIRE(d.has_value());
  CHECK(d->reason == show_reason::only_way);
}

TEST_CASE("intermodal: on-demand no better than the bus is not shown") {
  world w;
  auto const& [tt, model, s, catalog] = std::tie(w.tt, w.model, w.s, w.catalog);
  auto& r = w.r;
  latlon const origin{34.95, 139.0};  // at B0: the bus at 08:00 meets the train
  latlon const dest{35.30, 139.0};
  query q{origin, dest, day, hm(7, 0), false, {}};
  std::vector<raptor::journey> transit;
  raptor::tight_journeys(r, raptor::place::at_coord(origin), raptor::place::at_coord(dest), day, hm(7, 0), false, q.opt,
                         transit);
  REQUIRE(transit.size() == 1U);
  CHECK(transit[0].arrival == hm(9, 0));
  CHECK(transit[0].rides == 2U);
  search_scratch scratch;
  std::vector<od_journey> out;
  search_on_demand(r, catalog, model, q, s, scratch, out);
  REQUIRE_FALSE(out.empty());  // a vehicle to STA exists, arriving at 09:00 as well
  for (auto const& o : out) CHECK_FALSE(mix(transit, o.j, false, s.mixer).has_value());
}

TEST_CASE("intermodal: arrive-by with an on-demand last mile") {
  world w;
  auto const& [tt, model, s, catalog] = std::tie(w.tt, w.model, w.s, w.catalog);
  auto& r = w.r;
  latlon const origin{35.00, 139.0};  // at STA
  latlon const dest{35.35, 139.0};    // 5.6 km past CITY
  query q{origin, dest, day, hm(10, 0), true, {}};
  search_scratch scratch;
  std::vector<od_journey> out;
  search_on_demand(r, catalog, model, q, s, scratch, out);
  REQUIRE_FALSE(out.empty());
  auto const& j = out.front().j;
  CHECK(out.front().use == od_use::last_mile);
  CHECK(j.departure == hm(8, 30));
  // A walk of 0 m from the origin to STA, the train, on-demand from CITY.
  // 09:00 + buffer 300 + wait 600 + 5560 m / 10 m/s = 09:24:16.
  CHECK(raptor::to_string(tt, j) == R"(08:30-09:24:16, 1 ride
  08:30-08:30 walk access (place) -> STA 0 m
  08:30-09:00 ride T STA -> CITY
  09:00-09:24:16 access tag 65536 CITY -> (place) 5560 m
)");
  REQUIRE(j.legs.size() == 3U);
  CHECK(j.legs[1].kind == raptor::leg_kind::ride);
  CHECK(j.legs[2].kind == raptor::leg_kind::access);
  CHECK(stop_id(tt, j.legs[2].from) == "CITY");
  // Latest departure tightened: the on-demand leg starts when the train arrives; its length is
  // buffer + wait + road time, so the journey arrives by then and no later than 10:00.
  auto const leg_s = 300 + 600 + road_s({35.30, 139.0}, dest);
  CHECK(j.legs[2].start == hm(9, 0));
  CHECK(j.legs[2].end - j.legs[2].start == leg_s);
  CHECK(j.arrival <= hm(10, 0));
  auto const d = mix({}, j, true, s.mixer);
  REQUIRE(d.has_value());
  CHECK(d->reason == show_reason::only_way);
}

TEST_CASE("intermodal: candidates nearest by road, at most the configured number") {
  auto const f = feed();
  auto const tt = f.compile(0.0F);
  road::straight_line_model const model{1.0, 36.0};
  auto s = test_settings();
  s.max_stops_per_side = 2;
  stop_catalog const catalog{tt, model, {}, {}, s};
  candidate_scratch scratch;
  std::vector<candidate> out;
  find_candidates(catalog, model, {34.90, 139.0}, side::first_mile, s, scratch, out);
  REQUIRE(out.size() == 2U);
  CHECK(stop_id(tt, out[0].stop) == "B0");
  CHECK(stop_id(tt, out[1].stop) == "STA");
  CHECK(out[0].road_s <= out[1].road_s);
  s.max_road_s = 700;  // B0 is 556 s away, STA 1112 s
  find_candidates(catalog, model, {34.90, 139.0}, side::first_mile, s, scratch, out);
  REQUIRE(out.size() == 1U);
  CHECK(stop_id(tt, out[0].stop) == "B0");

  // Hubs: with hub_min_routes 2 only STA (train and bus) qualifies; a meeting point at CITY adds it.
  s.hub_min_routes = 2;
  CHECK(stop_catalog{tt, model, {}, {}, s}.size() == 1U);
  std::vector<latlon> const mps{{35.30, 139.0001}};
  CHECK(stop_catalog{tt, model, {}, mps, s}.size() == 2U);
  // A service area around the south end keeps B0 and STA only; a place outside has no candidates.
  std::vector<std::vector<latlon>> const area{{{34.8, 138.9}, {34.8, 139.1}, {35.1, 139.1}, {35.1, 138.9}}};
  s.hub_min_routes = 1;
  stop_catalog const south{tt, model, area, {}, s};
  CHECK(south.size() == 2U);
  find_candidates(south, model, {35.5, 139.0}, side::last_mile, s, scratch, out);
  CHECK(out.empty());
}

TEST_CASE("intermodal: door to door is a candidate") {
  world w;
  auto const& [tt, model, catalog] = std::tie(w.tt, w.model, w.catalog);
  auto& r = w.r;
  auto s = w.s;
  s.door_to_door = true;
  latlon const a{34.90, 139.0}, b{34.93, 139.02};
  search_scratch scratch;
  std::vector<od_journey> out;
  search_on_demand(r, catalog, model, {a, b, day, hm(7, 0), false, {}}, s, scratch, out);
  auto const d2d =
      std::find_if(out.begin(), out.end(), [](od_journey const& o) { return o.use == od_use::door_to_door; });
  REQUIRE(d2d != out.end());
  CHECK(d2d->j.departure == hm(7, 0));
  CHECK(d2d->j.arrival == hm(7, 0) + 600 + road_s(a, b));
  CHECK(d2d->j.rides == 0U);
}

namespace {

// A journey of the given times, rides and metres walked (legs enough for vehicle_legs / walk_m).
raptor::journey made(seconds_t dep, seconds_t arr, unsigned rides, double walk = 0.0, bool od = false) {
  raptor::journey j;
  j.departure = dep;
  j.arrival = arr;
  j.rides = rides;
  if (od) {
    raptor::leg l;
    l.kind = raptor::leg_kind::access;
    j.legs.push_back(l);
  }
  if (walk > 0.0) {
    raptor::leg w;
    w.kind = raptor::leg_kind::walk;
    w.distance_m = walk;
    j.legs.push_back(w);
  }
  return j;
}

}  // namespace

TEST_CASE("mixer: thresholds of earlier, fewer legs and less walk") {
  mixer_rules rules;
  rules.min_time_saving_s = 600;
  rules.min_rides_saved = 1;
  rules.legs_slack_s = 300;
  rules.long_walk_m = 1000.0;
  rules.walk_slack_s = 300;
  std::vector<raptor::journey> const transit{made(hm(8, 0), hm(9, 30), 2, 200.0)};

  // 20 min earlier with the same number of vehicles: earlier, 1200 s.
  auto d = mix(transit, made(hm(8, 20), hm(9, 10), 1, 0.0, true), false, rules);
  REQUIRE(d.has_value());
  CHECK(d->reason == show_reason::earlier);
  CHECK(d->time_saved_s == 1200);
  // 9 min earlier, same vehicles (on-demand + 1 ride = 2): under the threshold, not shown.
  CHECK_FALSE(mix(transit, made(hm(8, 20), hm(9, 21), 1, 0.0, true), false, rules).has_value());
  // Exactly the threshold: shown.
  CHECK(mix(transit, made(hm(8, 20), hm(9, 20), 1, 0.0, true), false, rules).has_value());
  // Door to door (one vehicle) arriving 4 min after the 2-ride journey: fewer legs.
  d = mix(transit, made(hm(8, 20), hm(9, 34), 0, 0.0, true), false, rules);
  REQUIRE(d.has_value());
  CHECK(d->reason == show_reason::fewer_legs);
  CHECK(d->legs_saved == 1U);
  // ... but 6 min later is past legs_slack_s: not shown.
  CHECK_FALSE(mix(transit, made(hm(8, 20), hm(9, 36), 0, 0.0, true), false, rules).has_value());

  // Less walk: the transit journey walks 1.5 km; an on-demand one as fast with 2 vehicles and
  // 100 m of walking is shown; with 800 m (more than half of 1.5 km) it is not.
  std::vector<raptor::journey> const walky{made(hm(8, 0), hm(9, 30), 1, 1500.0)};
  d = mix(walky, made(hm(8, 5), hm(9, 31), 1, 100.0, true), false, rules);
  REQUIRE(d.has_value());
  CHECK(d->reason == show_reason::less_walk);
  CHECK(d->walk_saved_m == Approx(1400.0));
  CHECK_FALSE(mix(walky, made(hm(8, 5), hm(9, 31), 1, 800.0, true), false, rules).has_value());
  rules.long_walk_m = 0.0;
  CHECK_FALSE(mix(walky, made(hm(8, 5), hm(9, 31), 1, 100.0, true), false, rules).has_value());

  // Dominated by a transit journey (no later, no earlier departure, no more vehicles): never.
  CHECK_FALSE(mix(transit, made(hm(7, 50), hm(9, 30), 1, 0.0, true), false, rules).has_value());
  // Only way, unless switched off.
  CHECK(mix({}, made(hm(8, 0), hm(9, 0), 1, 0.0, true), false, rules)->reason == show_reason::only_way);
  rules.show_only_way = false;
  CHECK_FALSE(mix({}, made(hm(8, 0), hm(9, 0), 1, 0.0, true), false, rules).has_value());

  // Arrive-by: departing 15 min later than the latest transit departure is "earlier" (later start).
  rules.show_only_way = true;
  d = mix(transit, made(hm(8, 15), hm(9, 25), 1, 0.0, true), true, rules);
  REQUIRE(d.has_value());
  CHECK(d->reason == show_reason::earlier);
  CHECK(d->time_saved_s == 900);
}

TEST_CASE("intermodal: a stop's own transfer buffer, at the boundary of the train") {
  world w;
  w.s.stop_buffers_s["STA"] = 420;
  w.s.stop_buffers_s["NOWHERE"] = 60;  // an id of no stop changes nothing
  stop_catalog const catalog{w.tt, w.model, {}, {}, w.s};
  auto const sta = *w.tt.find_stop("STA");
  auto const city = *w.tt.find_stop("CITY");
  CHECK(catalog.buffer_at(sta) == 420);
  CHECK(catalog.buffer_at(city) == 300);   // the default
  CHECK(w.catalog.buffer_at(sta) == 300);  // a catalogue of the settings without it

  // The only way from 34.90 (11.1 km south of STA) is a vehicle to STA for T at 08:30: the edge
  // lasts wait 600 + road + STA's 420 s. Leaving at exactly 08:30 less that catches T; a second
  // later nothing does (no later train).
  latlon const origin{34.90, 139.0};
  latlon const dest{35.30, 139.0};
  search_scratch scratch;
  std::vector<od_journey> out;
  query q{origin, dest, day, 0, false, {}};
  // The candidate's road time is what the edge adds (checked against the hand rule above).
  find_candidates(catalog, w.model, origin, side::first_mile, w.s, scratch.cand, scratch.first);
  REQUIRE_FALSE(scratch.first.empty());
  auto const to_sta =
      std::find_if(scratch.first.begin(), scratch.first.end(), [&](candidate const& c) { return c.stop == sta; });
  REQUIRE(to_sta != scratch.first.end());
  CHECK(to_sta->buffer_s == 420);
  CHECK(std::abs(to_sta->road_s - road_s(origin, {35.00, 139.0})) <= 1);
  auto const latest = hm(8, 30) - 600 - to_sta->road_s - 420;
  q.time = latest;
  search_on_demand(w.r, catalog, w.model, q, w.s, scratch, out);
  auto const catches = [&] {
    return std::any_of(out.begin(), out.end(), [](od_journey const& j) { return j.j.arrival == hm(9, 0); });
  };
  CHECK(catches());
  q.time = latest + 1;
  search_on_demand(w.r, catalog, w.model, q, w.s, scratch, out);
  CHECK_FALSE(catches());
  // With the default 300 s at STA the same second still catches it.
  search_on_demand(w.r, w.catalog, w.model, q, w.s, scratch, out);
  CHECK(catches());
}
