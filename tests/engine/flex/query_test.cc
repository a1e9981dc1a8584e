// Point-in-zone, coverage and find_offers() on a hand-built model whose answers can be read off
// the drawing: zone A = [40.00, 40.01] x [0.00, 0.01] with a hole [40.004, 40.006]^2, zone B =
// the same square 0.02° further east, a group G of one stop at (40.005, 0.05).
#include <catch2/catch.hpp>

#include "fixture.h"
#include "nebuta/flex/query.h"

using namespace nebuta;
using namespace nebuta::flex;
using namespace nebuta::flex::test;
using namespace std::chrono;

namespace {

latlon const in_a{40.002, 0.002}, in_a_hole{40.005, 0.005}, in_b{40.005, 0.025}, outside{40.05, 0.05};
latlon const near_g{40.005, 0.0503};  // ~26 m east of the group's stop
date_t const tuesday{2021y / November / 2};
date_t const sunday{2021y / November / 7};

struct fixture {
  model m;
  trip_idx a_to_b, single, to_group;
  booking_rule_idx hour_ahead, day_before;
};

fixture make() {
  fixture f;
  builder b;
  zone a{"A", "zone A", {square(40.0, 0.0, 40.01, 0.01), square(40.004, 0.004, 40.006, 0.006)}, {}, {}};
  zone zb{"B", "zone B", {square(40.0, 0.02, 40.01, 0.03)}, {}, {}};
  auto const za = b.add_zone(a), zbi = b.add_zone(zb);
  auto const s = b.add_stop({"s", "stop", {40.005, 0.05}});
  auto const g = b.add_group({"G", "group", {s}});
  booking_rule hour;
  hour.id = "hour";
  hour.type = booking_type::same_day;
  hour.prior_notice_duration_min = 60;
  hour.phone_number = "+1 555 0100";
  f.hour_ahead = b.add_booking_rule(hour);
  booking_rule before;
  before.id = "before";
  before.type = booking_type::prior_days;
  before.prior_notice_last_day = 1;
  before.prior_notice_last_time = hms(17, 0);
  f.day_before = b.add_booking_rule(before);
  service weekdays;
  weekdays.id = "wk";
  weekdays.weekdays = 0b0011111;
  weekdays.start = date_t{2021y / January / 1};
  weekdays.end = date_t{2021y / December / 31};
  auto const wk = b.add_service(weekdays);

  auto const zone_window = [](location_ref where, seconds_t from, seconds_t to, service_kind up, service_kind down,
                              booking_rule_idx rule, std::uint32_t seq) {
    window w;
    w.where = where, w.start = from, w.end = to, w.pickup = up, w.drop_off = down;
    w.pickup_rule = up == service_kind::none ? booking_rule_idx::invalid() : rule;
    w.drop_off_rule = down == service_kind::none ? booking_rule_idx::invalid() : rule;
    w.stop_sequence = seq, w.is_time_window = true;
    return w;
  };
  // Written in reverse sequence order: the builder sorts them.
  f.a_to_b = b.add_trip({"a_to_b", "r", wk, {}, 0},
                        {zone_window(location_ref::of(zbi), hms(8, 0), hms(11, 0), service_kind::none,
                                     service_kind::phone_agency, f.hour_ahead, 2),
                         zone_window(location_ref::of(za), hms(8, 0), hms(10, 0), service_kind::phone_agency,
                                     service_kind::none, f.hour_ahead, 1)});
  f.single = b.add_trip({"single", "r", wk, {}, 0},
                        {zone_window(location_ref::of(za), hms(6, 0), hms(22, 0), service_kind::phone_agency,
                                     service_kind::phone_agency, f.day_before, 1)});
  f.to_group = b.add_trip({"to_group", "r", wk, {}, 0},
                          {zone_window(location_ref::of(zbi), hms(9, 0), hms(9, 30), service_kind::phone_agency,
                                       service_kind::none, booking_rule_idx::invalid(), 1),
                           zone_window(location_ref::of(g), hms(9, 0), hms(10, 0), service_kind::none,
                                       service_kind::phone_agency, booking_rule_idx::invalid(), 2)});
  f.m = std::move(b).finish();
  return f;
}

std::vector<std::string> trips_of(model const& m, std::vector<offer> const& offers) {
  std::vector<std::string> ids;
  for (auto const& o : offers) ids.push_back(m.trips[o.trip].id);
  return ids;
}

}  // namespace

TEST_CASE("flex zones: point in polygon with a hole, bounding box", "[flex][zone]") {
  auto const f = make();
  auto const& a = f.m.zones[zone_idx{0}];
  CHECK(contains(a, in_a));
  CHECK_FALSE(contains(a, in_a_hole));
  CHECK_FALSE(contains(a, in_b));
  CHECK_FALSE(contains(a, outside));
  CHECK(a.min == latlon{40.0, 0.0});
  CHECK(a.max == latlon{40.01, 0.01});
  CHECK(contains(f.m.zones[zone_idx{1}], in_b));
  // A MultiPolygon is its polygons' rings together: A's and B's squares as one zone.
  zone both{"AB", "", {square(40.0, 0.0, 40.01, 0.01), square(40.0, 0.02, 40.01, 0.03)}, {}, {}};
  builder b;
  b.add_zone(both);
  auto const m = std::move(b).finish();
  CHECK(contains(m.zones[zone_idx{0}], in_a));
  CHECK(contains(m.zones[zone_idx{0}], in_b));
  CHECK_FALSE(contains(m.zones[zone_idx{0}], latlon{40.005, 0.015}));  // between the two
}

TEST_CASE("flex: a group covers points within walking distance of its stops", "[flex][zone]") {
  auto const f = make();
  auto const g = location_ref::of(group_idx{0});
  CHECK(covers(f.m, g, near_g, 100.0));
  CHECK_FALSE(covers(f.m, g, near_g, 20.0));  // 0.0003° of longitude at 40°N is ~25.6 m
  CHECK_FALSE(covers(f.m, g, in_b, 400.0));
}

TEST_CASE("flex: the builder keeps each trip's windows contiguous and sorted", "[flex][model]") {
  auto const f = make();
  CHECK(f.m.validate().empty());
  auto const ws = f.m.windows_of(f.a_to_b);
  REQUIRE(ws.size() == 2);
  CHECK(ws[0].stop_sequence == 1);
  CHECK(ws[0].where == location_ref::of(zone_idx{0}));
  CHECK(f.m.n_time_windows() == 5);
  CHECK(f.m.find_trip("single") == f.single);
  CHECK_FALSE(f.m.find_zone("C"));
  SECTION("validate() finds a broken model") {
    auto m = f.m;
    m.windows[window_idx{0}].start = hms(12, 0);  // after its end
    CHECK_FALSE(m.validate().empty());
    m = f.m;
    m.windows[window_idx{1}].where = location_ref{location_kind::zone, 7};
    CHECK_FALSE(m.validate().empty());
  }
}

TEST_CASE("flex: find_offers", "[flex][query]") {
  auto const f = make();
  std::vector<offer> out;
  request req;
  req.day = tuesday;
  req.pickup_time = hms(9, 0);
  req.booked_at = local(tuesday, 7, 30);

  SECTION("zone A to zone B, booked 90 min ahead") {
    req.from = in_a, req.to = in_b;
    find_offers(f.m, req, out);
    REQUIRE(trips_of(f.m, out) == std::vector<std::string>{"a_to_b"});
    CHECK(out[0].pickup == window_idx{f.m.trips[f.a_to_b].first_window.v()});
    CHECK(out[0].drop_off == window_idx{f.m.trips[f.a_to_b].first_window.v() + 1});
    CHECK(out[0].pickup_rule == f.hour_ahead);
    REQUIRE(out[0].booking);
    CHECK(out[0].booking->latest == local(tuesday, 8, 0));
    CHECK(f.m.booking_rules[out[0].pickup_rule].phone_number == "+1 555 0100");
  }
  SECTION("booked 30 min ahead: too late for the one-hour rule") {
    req.from = in_a, req.to = in_b, req.booked_at = local(tuesday, 8, 30);
    find_offers(f.m, req, out);
    CHECK(out.empty());
  }
  SECTION("the other way round: B is only a drop-off zone") {
    req.from = in_b, req.to = in_a;
    find_offers(f.m, req, out);
    CHECK(trips_of(f.m, out) == std::vector<std::string>{});
  }
  SECTION("outside the pickup window") {
    req.from = in_a, req.to = in_b, req.pickup_time = hms(10, 30), req.booked_at = local(tuesday, 7, 0);
    find_offers(f.m, req, out);
    CHECK(out.empty());
  }
  SECTION("within one zone: the single-window trip, if booked the day before by 17:00") {
    req.from = in_a, req.to = latlon{40.008, 0.008};
    find_offers(f.m, req, out);
    CHECK(out.empty());  // booked the same morning
    req.booked_at = local(date_t{2021y / November / 1}, 16, 59);
    find_offers(f.m, req, out);
    REQUIRE(trips_of(f.m, out) == std::vector<std::string>{"single"});
    CHECK(out[0].pickup == out[0].drop_off);
  }
  SECTION("the hole of zone A is not served") {
    req.from = in_a_hole, req.to = in_b;
    find_offers(f.m, req, out);
    CHECK(out.empty());
  }
  SECTION("zone B to the group's stop, no booking rule") {
    req.from = in_b, req.to = near_g, req.pickup_time = hms(9, 15);
    find_offers(f.m, req, out);
    REQUIRE(trips_of(f.m, out) == std::vector<std::string>{"to_group"});
    CHECK_FALSE(out[0].booking);
    req.max_walk_m = 10.0;
    find_offers(f.m, req, out);
    CHECK(out.empty());
  }
  SECTION("not on a Sunday") {
    req.day = sunday, req.from = in_a, req.to = in_b, req.booked_at = local(sunday, 7, 0);
    find_offers(f.m, req, out);
    CHECK(out.empty());
  }
}
