// The realtime overlay on inline fixtures: propagation against the independent reference
// (reference_rt.h), cancellation, skipped stops, added / duplicated / replacement trips,
// overtaking, NO_SERVICE alerts, and the route layout RAPTOR reads.
#include <map>
#include <random>

#include <catch2/catch.hpp>

#include "nebuta/rt/build.h"
#include "reference_rt.h"
#include "rt_world.h"

using namespace nebuta;
using test::hm;

namespace {

date_t const day0 = test::rt_day;

struct fixture : test::rt_world {
  fixture() : rt_world{6} {
    // A: S1 08:00 ... S5 08:40 (dwells 2 min at S3); B five minutes later; C at 10:00.
    f.add_trip(
        "A",
        {{"S1", hm(8, 0)}, {"S2", hm(8, 10)}, {"S3", hm(8, 20), 0, 0, hm(8, 22)}, {"S4", hm(8, 30)}, {"S5", hm(8, 40)}});
    f.add_trip(
        "B",
        {{"S1", hm(8, 5)}, {"S2", hm(8, 15)}, {"S3", hm(8, 25), 0, 0, hm(8, 27)}, {"S4", hm(8, 35)}, {"S5", hm(8, 45)}});
    f.add_trip("C", {{"S1", hm(10, 0)},
                     {"S2", hm(10, 10)},
                     {"S3", hm(10, 20), 0, 0, hm(10, 22)},
                     {"S4", hm(10, 30)},
                     {"S5", hm(10, 40)}});
    finish();
  }

  // The reference's times for one update of trip `id` (stops matched by stop id, in order).
  test::ref_rt::times reference(rt::trip_update const& u) const {
    auto const t = u.trip;
    std::vector<std::int64_t> sa, sd;
    for (auto i = 0U; i < ctx->n_stops(t); ++i) {
      sa.push_back(ctx->arrival(t, i));
      sd.push_back(ctx->departure(t, i));
    }
    std::vector<test::ref_rt::update> ups;
    auto const stops = ctx->stops(t);
    std::size_t from = 0;
    auto const base = ctx->day_base(t, day);
    for (auto const& x : u.stops) {
      auto const it = std::find(stops.begin() + static_cast<long>(from), stops.end(), x.stop);
      REQUIRE(it != stops.end());
      auto const pos = static_cast<std::size_t>(it - stops.begin());
      from = pos + 1;
      test::ref_rt::update r;
      r.pos = pos;
      r.what = x.relationship == rt::stop_relationship::skipped   ? test::ref_rt::update::kind::skipped
               : x.relationship == rt::stop_relationship::no_data ? test::ref_rt::update::kind::no_data
                                                                  : test::ref_rt::update::kind::scheduled;
      auto const abs = [&](rt::stop_event const& e, std::int64_t sched) -> std::optional<std::int64_t> {
        if (e.time) return *e.time - base;
        if (e.delay) return sched + *e.delay;
        return std::nullopt;
      };
      r.arrival = abs(x.arrival, sa[pos]);
      r.departure = abs(x.departure, sd[pos]);
      ups.push_back(r);
    }
    return test::ref_rt::propagate(sa, sd, ups, u.delay);
  }

  void check_against_reference(rt::state const& st, rt::trip_update const& u) const {
    auto const ref = reference(u);
    auto const* ts = st.find(u.trip, day);
    REQUIRE(ts != nullptr);
    auto const times = st.times(*ts);
    REQUIRE(times.size() == ref.arrival.size());
    for (auto i = 0U; i < times.size(); ++i) {
      INFO("stop " << i);
      CHECK(times[i].arrival == ref.arrival[i]);
      CHECK(times[i].departure == ref.departure[i]);
      CHECK(((times[i].flags & rt::stop_flags::skipped) != 0) == ref.skipped[i]);
    }
  }
};

}  // namespace

TEST_CASE("a delay holds downstream until the next update, before the first, the schedule", "[rt][propagation]") {
  fixture const fx;
  auto u = fx.update("A");
  auto x = fx.stu("S2");
  x.arrival.delay = 300;
  u.stops.push_back(x);
  auto const st = fx.apply({u});
  fx.check_against_reference(*st, u);
  auto const t = st->times(*st->find(fx.trip("A"), fx.day));
  CHECK(t[0].departure == hm(8, 0));
  CHECK(t[1].arrival == hm(8, 15));
  CHECK(t[2].arrival == hm(8, 25));
  CHECK(t[2].departure == hm(8, 27));
  CHECK(t[4].arrival == hm(8, 45));
  CHECK((t[4].flags & rt::stop_flags::arrival_rt) != 0);
  CHECK((t[0].flags & rt::stop_flags::arrival_rt) == 0);
}

TEST_CASE("an early vehicle arrives early at the next stop and leaves it on time", "[rt][propagation]") {
  fixture const fx;
  auto u = fx.update("A");
  auto x = fx.stu("S2");
  x.arrival.delay = -120;
  x.departure.delay = -120;  // given: it may leave S2 early
  u.stops.push_back(x);
  auto const st = fx.apply({u});
  fx.check_against_reference(*st, u);
  auto const t = st->times(*st->find(fx.trip("A"), fx.day));
  CHECK(t[1].departure == hm(8, 8));   // explicit
  CHECK(t[2].arrival == hm(8, 18));    // propagated: early arrival ...
  CHECK(t[2].departure == hm(8, 22));  // ... but not an early departure
  CHECK(t[3].arrival == hm(8, 30));    // on time from there
}

TEST_CASE("NO_DATA ends propagation, SKIPPED does not", "[rt][propagation]") {
  fixture const fx;
  auto u = fx.update("A");
  auto a = fx.stu("S2");
  a.arrival.delay = 300;
  auto b = fx.stu("S3");
  b.relationship = rt::stop_relationship::skipped;
  auto c = fx.stu("S5");
  c.relationship = rt::stop_relationship::no_data;
  u.stops = {a, b, c};
  auto const st = fx.apply({u});
  fx.check_against_reference(*st, u);
  auto const t = st->times(*st->find(fx.trip("A"), fx.day));
  CHECK((t[2].flags & rt::stop_flags::skipped) != 0);
  CHECK(t[3].arrival == hm(8, 35));  // the delay passed the skipped stop
  CHECK(t[4].arrival == hm(8, 40));  // NO_DATA: schedule
  CHECK((t[4].flags & rt::stop_flags::arrival_rt) == 0);
  // A skipped stop changes the pattern: the trip runs as a route of its own that day.
  auto const* rd = st->find(fx.tt.trip_route[fx.trip("A")], fx.day);
  REQUIRE(rd != nullptr);
  CHECK(rd->removed[fx.ctx->trip_in_route(fx.trip("A"))] == 1);
  REQUIRE(st->extra_routes_on(fx.day).size() == 1);
  auto const& e = st->extra_routes_on(fx.day)[0];
  CHECK(st->trips()[e.trip_state].trip == fx.trip("A"));
  CHECK(st->stats().pattern_changes == 1);
}

TEST_CASE("times never go backwards: conflicting and propagated times are corrected", "[rt][propagation]") {
  fixture const fx;
  // S2 given +10 min; S4 given early: S3 (propagated +10) would be after S4.
  auto u = fx.update("A");
  auto a = fx.stu("S2");
  a.arrival.time = fx.at(hm(8, 20));
  auto b = fx.stu("S4");
  b.arrival.time = fx.at(hm(8, 25));
  b.departure.time = fx.at(hm(8, 25));
  u.stops = {a, b};
  auto st = fx.apply({u});
  fx.check_against_reference(*st, u);
  auto const t = st->times(*st->find(fx.trip("A"), fx.day));
  CHECK(t[2].departure <= hm(8, 25));
  CHECK(t[3].arrival == hm(8, 25));
  // Two explicit times in the wrong order: the later stop is raised.
  auto v = fx.update("A");
  auto c = fx.stu("S2");
  c.arrival.time = fx.at(hm(8, 30));
  auto d = fx.stu("S3");
  d.arrival.time = fx.at(hm(8, 15));
  v.stops = {c, d};
  st = fx.apply({v});
  fx.check_against_reference(*st, v);
  CHECK(st->stats().corrected_times >= 1);
}

TEST_CASE("propagation agrees with the reference on random updates", "[rt][propagation]") {
  fixture const fx;
  std::mt19937 rng{7};
  for (auto k = 0; k < 400; ++k) {
    auto u = fx.update("A");
    if (rng() % 4 == 0) u.delay = static_cast<std::int32_t>(rng() % 600) - 200;
    for (auto const* s : {"S1", "S2", "S3", "S4", "S5"}) {
      if (rng() % 2 == 0) continue;
      auto x = fx.stu(s);
      switch (rng() % 6) {
        case 0: x.relationship = rt::stop_relationship::skipped; break;
        case 1: x.relationship = rt::stop_relationship::no_data; break;
        default:
          if (rng() % 3 != 0) x.arrival.delay = static_cast<std::int32_t>(rng() % 900) - 300;
          if (rng() % 3 != 0) x.departure.time = fx.at(hm(8, 0) + static_cast<seconds_t>(rng() % 3600));
          break;
      }
      u.stops.push_back(x);
    }
    auto const st = fx.apply({u});
    INFO("case " << k);
    fx.check_against_reference(*st, u);
  }
}

TEST_CASE("cancellation removes the trip from its route for that day only", "[rt][cancel]") {
  fixture const fx;
  auto u = fx.update("B");
  u.relationship = rt::trip_relationship::canceled;
  auto const st = fx.apply({u});
  auto const* ts = st->find(fx.trip("B"), fx.day);
  REQUIRE(ts != nullptr);
  CHECK(ts->status == rt::trip_status::canceled);
  auto const* rd = st->find(fx.tt.trip_route[fx.trip("B")], fx.day);
  REQUIRE(rd != nullptr);
  CHECK(rd->removed[fx.ctx->trip_in_route(fx.trip("B"))] == 1);
  CHECK(rd->removed[fx.ctx->trip_in_route(fx.trip("A"))] == 0);
  CHECK(st->find(fx.tt.trip_route[fx.trip("B")], day_idx{static_cast<std::uint16_t>(fx.day.v() + 1)}) == nullptr);
  CHECK(st->extra_routes().empty());
}

TEST_CASE("a delayed trip that overtakes another of its route runs as a route of its own", "[rt][overtaking]") {
  fixture const fx;
  auto u = fx.update("A");
  auto x = fx.stu("S1");
  x.departure.delay = 600;  // A (08:00) now leaves at 08:10, after B (08:05)
  u.stops = {x};
  auto const st = fx.apply({u});
  CHECK(st->stats().overtaking == 1);
  auto const r = fx.tt.trip_route[fx.trip("A")];
  REQUIRE(fx.tt.trip_route[fx.trip("B")] == r);
  auto const* rd = st->find(r, fx.day);
  REQUIRE(rd != nullptr);
  CHECK(rd->removed[fx.ctx->trip_in_route(fx.trip("A"))] == 1);
  CHECK(rd->removed[fx.ctx->trip_in_route(fx.trip("B"))] == 0);
  auto const extras = st->extra_routes_on(fx.day);
  REQUIRE(extras.size() == 1);
  auto const times = st->times(st->trips()[extras[0].trip_state]);
  CHECK(times[0].departure == hm(8, 10));
  CHECK(times[4].arrival == hm(8, 50));
  CHECK(st->extra_routes_at(fx.stop("S3")).size() == 1);
  // B, on time, overtakes A: with B delayed instead, B moves (the trip with realtime moves).
  auto v = fx.update("B");
  auto y = fx.stu("S1");
  y.departure.delay = -400;  // given: B leaves at 07:58:20, before A
  v.stops = {y};
  auto const st2 = fx.apply({v});
  CHECK(st2->stats().overtaking == 1);
  CHECK(st2->find(r, fx.day)->removed[fx.ctx->trip_in_route(fx.trip("B"))] == 1);
}

TEST_CASE("a delay that keeps the order stays in the route block", "[rt][overtaking]") {
  fixture const fx;
  auto u = fx.update("A");
  auto x = fx.stu("S1");
  x.departure.delay = 120;  // 08:02, still before B
  u.stops = {x};
  auto const st = fx.apply({u});
  CHECK(st->stats().overtaking == 0);
  auto const* rd = st->find(fx.tt.trip_route[fx.trip("A")], fx.day);
  REQUIRE(rd != nullptr);
  auto const j = fx.ctx->trip_in_route(fx.trip("A"));
  CHECK(rd->removed[j] == 0);
  CHECK(rd->departures[static_cast<std::size_t>(0) * rd->n_trips + j] == hm(8, 2));
  CHECK(rd->arrivals[static_cast<std::size_t>(4) * rd->n_trips + j] == hm(8, 42));
  CHECK(st->extra_routes().empty());
}

TEST_CASE("NEW, DUPLICATED and REPLACEMENT trips run as added routes", "[rt][added]") {
  fixture const fx;
  rt::trip_update n;
  n.entity_id = "extra";
  n.trip_id = "X1";
  n.relationship = rt::trip_relationship::new_trip;
  n.line = fx.tt.trip_line[fx.trip("A")];
  for (auto const& [s, t] : {std::pair{"S1", hm(9, 0)}, {"S3", hm(9, 15)}, {"S6", hm(9, 30)}}) {
    auto x = fx.stu(s);
    x.arrival.time = fx.at(t);
    x.departure.time = fx.at(t + 30);
    n.stops.push_back(x);
  }
  auto d = fx.update("C");
  d.relationship = rt::trip_relationship::duplicated;
  d.new_trip_id = "C-bis";
  d.new_start_date = day0;
  d.new_start_time = hm(12, 0);
  auto r = fx.update("B");
  r.relationship = rt::trip_relationship::replacement;
  for (auto const& [s, t] : {std::pair{"S1", hm(8, 5)}, {"S2", hm(8, 16)}, {"S5", hm(8, 50)}}) {
    auto x = fx.stu(s);
    x.arrival.time = fx.at(t);
    x.departure.time = fx.at(t);
    r.stops.push_back(x);
  }
  auto const st = fx.apply({n, d, r});
  CHECK(st->stats().added == 3);
  CHECK(st->find(fx.trip("B"), fx.day)->status == rt::trip_status::replaced);
  CHECK(st->find(fx.tt.trip_route[fx.trip("B")], fx.day)->removed[fx.ctx->trip_in_route(fx.trip("B"))] == 1);
  auto const extras = st->extra_routes_on(fx.day);
  REQUIRE(extras.size() == 3);
  std::map<std::string, std::vector<rt::stop_time>> by_id;
  for (auto const& e : extras) {
    auto const& ts = st->trips()[e.trip_state];
    REQUIRE(ts.status == rt::trip_status::added);
    auto const times = st->times(ts);
    by_id[st->added()[ts.added].trip_id] = {times.begin(), times.end()};
  }
  REQUIRE(by_id.contains("X1"));
  CHECK(by_id["X1"].size() == 3);
  CHECK(by_id["X1"][2].stop == fx.stop("S6"));
  CHECK(by_id["X1"][1].departure == hm(9, 15, 30));
  REQUIRE(by_id.contains("C-bis"));
  CHECK(by_id["C-bis"][0].departure == hm(12, 0));
  CHECK(by_id["C-bis"][4].arrival == hm(12, 40));
  REQUIRE(by_id.contains("B"));
  CHECK(by_id["B"].size() == 3);
  CHECK(by_id["B"][2].arrival == hm(8, 50));
  CHECK(st->extra_routes_at(fx.stop("S6")).size() == 1);
}

TEST_CASE("a NEW trip added by two sources runs once: the newer update wins", "[rt][added]") {
  fixture fx;
  auto const make = [&](seconds_t dep, rt::unix_time ts) {
    rt::trip_update n;
    n.entity_id = "extra";
    n.trip_id = "X1";
    n.relationship = rt::trip_relationship::new_trip;
    n.line = fx.tt.trip_line[fx.trip("A")];
    n.timestamp = ts;
    for (auto const& [s, t] : {std::pair{"S1", dep}, {"S6", dep + 1800}}) {
      auto x = fx.stu(s);
      x.arrival.time = x.departure.time = fx.at(t);
      n.stops.push_back(x);
    }
    return n;
  };
  auto const older = make(hm(9, 0), fx.at(hm(7, 0)));
  auto const newer = make(hm(9, 5), fx.at(hm(7, 1)));
  auto other = make(hm(10, 0), fx.at(hm(7, 0)));
  other.trip_id = "X2";
  auto const departures_of = [&](std::vector<std::pair<rt::trip_update const*, std::uint16_t>> const& us) {
    rt::build_input in;
    for (auto const& [u, source] : us) in.trip_updates.push_back({u, source, fx.at(hm(7, 0))});
    in.now = fx.at(hm(7, 2));
    auto const st = rt::build_state(*fx.ctx, in);
    CHECK(st->validate(*fx.ctx).empty());
    std::multimap<std::string, seconds_t> out;
    for (auto const& e : st->extra_routes_on(fx.day)) {
      auto const& ts = st->trips()[e.trip_state];
      out.emplace(st->added()[ts.added].trip_id, st->times(ts)[0].departure);
    }
    CHECK(st->stats().added == out.size());
    return out;
  };
  using runs = std::multimap<std::string, seconds_t>;
  // Either order of the sources: one X1, the newer one's times; X2 untouched.
  CHECK(departures_of({{&older, 0}, {&newer, 1}, {&other, 0}}) == runs{{"X1", hm(9, 5)}, {"X2", hm(10, 0)}});
  CHECK(departures_of({{&newer, 0}, {&older, 1}, {&other, 1}}) == runs{{"X1", hm(9, 5)}, {"X2", hm(10, 0)}});
  // The same update from two sources (a feed split over two URLs that overlap): once.
  CHECK(departures_of({{&older, 0}, {&older, 1}}) == runs{{"X1", hm(9, 0)}});
  // An estimate (VehiclePositions) never replaces an explicit update, even a newer one.
  auto estimated = newer;
  estimated.estimated = true;
  CHECK(departures_of({{&estimated, 0}, {&older, 1}}) == runs{{"X1", hm(9, 0)}});
}

TEST_CASE("NO_SERVICE at a stop closes the stop times in its active period", "[rt][alerts]") {
  fixture const fx;
  rt::alert a;
  a.id = "closed";
  a.effect = rt::alert_effect::no_service;
  a.active_periods.push_back({fx.at(hm(8, 0)), fx.at(hm(9, 0))});
  rt::informed_entity e;
  e.stop = fx.stop("S3");
  a.informed.push_back(e);
  auto const st = fx.apply({}, {a});
  for (auto const* id : {"A", "B"}) {
    auto const* ts = st->find(fx.trip(id), fx.day);
    REQUIRE(ts != nullptr);
    CHECK(ts->alert_only);
    auto const times = st->times(*ts);
    CHECK(!times[2].can_board());
    CHECK(!times[2].can_alight());
    CHECK(times[1].can_board());
  }
  CHECK(st->find(fx.trip("C"), fx.day) == nullptr);  // 10:20 is outside the period
  CHECK(st->extra_routes_on(fx.day).size() == 2);
  CHECK(st->alerts_for(fx.tt, fx.stop("S3"), line_idx::invalid(), trip_idx::invalid()).size() == 1);
  CHECK(st->alerts_for(fx.tt, fx.stop("S2"), line_idx::invalid(), trip_idx::invalid()).empty());
  // NO_SERVICE on the line cancels every trip of it in the period.
  rt::alert b = a;
  b.informed = {rt::informed_entity{}};
  b.informed[0].line = fx.tt.trip_line[fx.trip("A")];
  b.active_periods = {{fx.at(hm(7, 0)), fx.at(hm(9, 0))}};
  auto const st2 = fx.apply({}, {b});
  CHECK(st2->find(fx.trip("A"), fx.day)->status == rt::trip_status::canceled);
  CHECK(st2->find(fx.trip("B"), fx.day)->status == rt::trip_status::canceled);
  CHECK(st2->find(fx.trip("C"), fx.day) == nullptr);
}

TEST_CASE("updates that cannot apply are counted, never fatal", "[rt][skips]") {
  fixture const fx;
  auto out_of_order = fx.update("A");
  out_of_order.stops = {fx.stu("S3"), fx.stu("S2")};
  out_of_order.stops[0].arrival.delay = 60;
  out_of_order.stops[1].arrival.delay = 60;
  auto not_on_trip = fx.update("B");
  not_on_trip.stops = {fx.stu("S6")};
  not_on_trip.stops[0].arrival.delay = 60;
  auto wrong_day = fx.update("C");
  wrong_day.start_date = std::chrono::year{2030} / 1 / 1;
  auto far = fx.update("C");
  far.entity_id = "far";
  far.stops = {fx.stu("S2")};
  far.stops[0].arrival.delay = 20 * 3600;
  rt::trip_update unknown;
  unknown.entity_id = "unknown";
  auto const st = fx.apply({out_of_order, not_on_trip, wrong_day, far, unknown});
  auto const& sk = st->stats().skipped;
  CHECK(sk[rt::skip_reason::bad_sequence] >= 2);
  CHECK(sk[rt::skip_reason::outside_timetable] == 1);
  CHECK(sk[rt::skip_reason::bad_time] == 1);
  CHECK(sk[rt::skip_reason::unknown_trip] == 1);
  CHECK(st->trips().empty());
}

TEST_CASE("without start_date the service day is the one whose run is nearest", "[rt][days]") {
  fixture const fx;
  auto u = fx.update("A");
  u.start_date.reset();
  auto x = fx.stu("S2");
  x.arrival.time = fx.at(hm(8, 12));
  u.stops = {x};
  auto const st = fx.apply({u});
  REQUIRE(st->find(fx.trip("A"), fx.day) != nullptr);
  CHECK(st->times(*st->find(fx.trip("A"), fx.day))[1].arrival == hm(8, 12));
  // The same update a day later names the next day's run.
  auto v = u;
  v.stops[0].arrival.time = fx.at(hm(8, 12) + seconds_per_day);
  auto const st2 = fx.apply({v});
  CHECK(st2->find(fx.trip("A"), day_idx{static_cast<std::uint16_t>(fx.day.v() + 1)}) != nullptr);
}

TEST_CASE("stop_sequence names the stop, a disagreeing stop_id wins", "[rt][sequence]") {
  fixture fx;
  rt::schedule_extras_builder b{fx.tt};
  for (auto const* id : {"A", "B", "C"}) {
    auto const t = fx.trip(id);
    std::vector<std::pair<std::uint32_t, stop_idx>> rows;
    for (auto i = 0U; i < fx.ctx->n_stops(t); ++i) rows.emplace_back(10 * (i + 1), fx.ctx->stops(t)[i]);
    b.set_trip(t, "", -1, rows);
  }
  fx.ctx = std::make_unique<rt::context>(fx.tt, b.finish());  // the same timetable, with stop sequences
  auto u = fx.update("A");
  rt::stop_time_update x;
  x.stop_sequence = 30;  // S3
  x.arrival.delay = 120;
  rt::stop_time_update y;
  y.stop_sequence = 40;  // says S4, but the stop_id is S5
  y.stop = fx.stop("S5");
  y.arrival.delay = 300;
  u.stops = {y, x};  // out of order: sorted by stop_sequence first
  auto const st = fx.apply({u});
  auto const t = st->times(*st->find(fx.trip("A"), fx.day));
  CHECK(t[2].arrival == hm(8, 22));
  CHECK(t[3].arrival == hm(8, 32));
  CHECK(t[4].arrival == hm(8, 45));
}

TEST_CASE("lower-bound slack: how much faster than the timetable a ride became", "[rt][bounds]") {
  fixture const fx;
  auto u = fx.update("A");
  auto x = fx.stu("S2");
  x.departure.delay = 300;  // leaves S2 5 minutes late ...
  auto y = fx.stu("S4");
  y.arrival.delay = 60;  // ... and is only 1 minute late at S4: S2 → S4 is 4 minutes faster
  u.stops = {x, y};
  CHECK(fx.apply({u})->lower_bound_slack() == 240);
  auto v = fx.update("A");
  auto z = fx.stu("S2");
  z.arrival.delay = 120;  // a plain delay: no ride is faster
  v.stops = {z};
  CHECK(fx.apply({v})->lower_bound_slack() == 0);
  rt::trip_update n;
  n.entity_id = "n";
  n.relationship = rt::trip_relationship::new_trip;
  auto a = fx.stu("S1"), b = fx.stu("S6");
  a.departure.time = fx.at(hm(9, 0));
  b.arrival.time = fx.at(hm(9, 5));
  n.stops = {a, b};
  CHECK(!fx.apply({n})->lower_bound_slack().has_value());
}

TEST_CASE("alert texts in the reader's language chain", "[rt][alerts]") {
  rt::translated_text const t{{"ja", "運休"}, {"en-US", "No service"}, {"", "運休 / No service"}};
  std::vector<std::string> const en{"en"}, en_us{"EN-us"}, ko_ja{"ko", "ja"}, fr{"fr"}, none;
  CHECK(rt::pick(t, en) == "No service");     // prefix
  CHECK(rt::pick(t, en_us) == "No service");  // case
  CHECK(rt::pick(t, ko_ja) == "運休");
  CHECK(rt::pick(t, fr) == "運休 / No service");  // untagged
  CHECK(rt::pick(t, none) == "運休 / No service");
  CHECK(rt::pick(rt::translated_text{{"de", "x"}}, fr) == "x");  // the first
  CHECK(rt::pick({}, en).empty());
}
