// Alerts attached to the answers (docs/realtime.md, "Alerts in plans and departures"): a ride leg
// names the alerts informing its agency, route, route type or trip, or its boarding or alighting
// stop, active at some time of the ride; a departure those of its trip, route and stop at its
// time; a departure board its stop's own alerts. Texts follow the request's language chain, and
// each alert is written once per answer. On an inline fixture whose answers are worked out by
// hand (service day 2024-05-15, Asia/Tokyo).
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "../engine/rt/rt_world.h"
#include "nebuta/api_service/service.h"
#include "realtime_request.h"

using namespace nebuta;
using test::hm;

namespace {

// Line L: A S1 08:00 .. S5 08:40, B five minutes later. Line M: C S1 08:06 .. S5 08:46.
struct fixture : test::rt_world {
  fixture() : rt_world{5} {
    f.add_line("M");
    f.add_trip("A", {{"S1", hm(8, 0)}, {"S2", hm(8, 10)}, {"S3", hm(8, 20)}, {"S4", hm(8, 30)}, {"S5", hm(8, 40)}});
    f.add_trip("B", {{"S1", hm(8, 5)}, {"S2", hm(8, 15)}, {"S3", hm(8, 25)}, {"S4", hm(8, 35)}, {"S5", hm(8, 45)}});
    f.add_trip("C", {{"S1", hm(8, 6)}, {"S2", hm(8, 16)}, {"S3", hm(8, 26)}, {"S4", hm(8, 36)}, {"S5", hm(8, 46)}},
               "all", 0, "", "M");
    finish();
  }
  line_idx line(std::string_view id) const {
    for (auto l = line_idx{0}; l.v() < tt.n_lines(); ++l) {
      if (tt.external_line_id(l) == id) return l;
    }
    return line_idx::invalid();
  }
  // A display alert (significant delays) with an English and a Japanese header, active
  // [from, to) of the service day when given.
  rt::alert alert(std::string id, rt::informed_entity e, std::optional<seconds_t> from = {},
                  std::optional<seconds_t> to = {}) const {
    rt::alert a;
    a.id = std::move(id);
    a.effect = rt::alert_effect::significant_delays;
    a.informed.push_back(e);
    a.header = {{"en", a.id + " (en)"}, {"ja", a.id + " (ja)"}};
    a.description = {{"en", "details"}};
    if (from || to) {
      rt::time_range p;
      if (from) p.start = at(*from);
      if (to) p.end = at(*to);
      a.active_periods.push_back(p);
    }
    return a;
  }
};

auto const& request = test::rt_plan_request;

template <class Ids>
std::vector<std::string> sorted(Ids const& ids) {
  std::vector<std::string> out(ids.begin(), ids.end());
  std::sort(out.begin(), out.end());
  return out;
}

using ids = std::vector<std::string>;

}  // namespace

TEST_CASE("plan: a ride leg names the alerts of its route, trip, boarding and alighting stops while it rides",
          "[api][rt][alerts]") {
  fixture fx;
  auto const L = fx.line("L");
  auto const M = fx.line("M");
  rt::informed_entity on_l, on_m, on_a, on_b, at_s1, at_s3, at_s5, agency, buses, s1_on_m, b_tomorrow;
  on_l.line = L;
  on_m.line = M;
  on_a.trip = fx.trip("A");
  on_b.trip = fx.trip("B");
  at_s1.stop = fx.stop("S1");
  at_s3.stop = fx.stop("S3");
  at_s5.stop = fx.stop("S5");
  agency.agency = fx.tt.line_agency[L];
  buses.route_type = 3;
  s1_on_m.stop = fx.stop("S1");
  s1_on_m.line = M;
  b_tomorrow.trip = fx.trip("A");
  b_tomorrow.trip_start_date = test::rt_day + std::chrono::days{1};
  std::vector<rt::alert> const alerts{
      fx.alert("route-L", on_l, hm(7, 0), hm(9, 0)),          // covers A's ride
      fx.alert("route-L-later", on_l, hm(10, 0), hm(11, 0)),  // after it: not named
      fx.alert("route-L-tail", on_l, hm(8, 39), hm(9, 0)),    // overlaps A's last minute
      fx.alert("route-L-before", on_l, {}, hm(8, 0)),         // ends as A leaves: [.., 08:00) misses it
      fx.alert("route-M", on_m),
      fx.alert("trip-A", on_a),
      fx.alert("trip-B", on_b),
      fx.alert("trip-A-tomorrow", b_tomorrow),
      fx.alert("stop-S1", at_s1),
      fx.alert("stop-S3", at_s3),                       // passed through, not boarded or left: not named
      fx.alert("stop-S5", at_s5, hm(8, 0), hm(8, 30)),  // over before A reaches S5 (08:40)
      fx.alert("agency", agency),
      fx.alert("buses", buses),
      fx.alert("S1-on-M", s1_on_m),
  };
  auto const st = fx.apply({}, alerts);
  api_service::service const svc{fx.tt};
  raptor::router router{svc.raptor_index()};

  auto const p = svc.plan(request("S1", "S5", "08:00"), api_service::make_lang_chain("en"), router, st);
  REQUIRE(p.journeys_size() == 1);
  auto const& leg = p.journeys(0).legs(0);
  REQUIRE(leg.trip_id() == "A");
  CHECK(sorted(leg.alert_ids()) == ids{"agency", "buses", "route-L", "route-L-tail", "stop-S1", "trip-A"});
  // Each named alert is in the answer's list once, with its text.
  CHECK(sorted(leg.alert_ids()).size() == static_cast<std::size_t>(p.alerts_size()));
  for (auto const& a : p.alerts()) {
    CHECK(a.header() == a.id() + " (en)");
    CHECK(a.header_lang() == "en");
    CHECK(a.description() == "details");
    CHECK(a.effect() == "significant_delays");
    CHECK(a.active());
    CHECK(a.informed_size() == 0);  // /v1/alerts has them; answers stay small
  }
  auto const tail =
      std::find_if(p.alerts().begin(), p.alerts().end(), [](auto const& a) { return a.id() == "route-L-tail"; });
  REQUIRE(tail != p.alerts().end());
  REQUIRE(tail->active_periods_size() == 1);
  CHECK(tail->active_periods(0).start() == "2024-05-15T08:39:00+09:00");
  CHECK(tail->active_periods(0).end() == "2024-05-15T09:00:00+09:00");

  // C on line M from S1: the stop-and-route selector informs it, L's alerts do not.
  auto const pm = svc.plan(request("S1", "S5", "08:06"), api_service::make_lang_chain("en"), router, st);
  REQUIRE(pm.journeys_size() == 1);
  REQUIRE(pm.journeys(0).legs(0).trip_id() == "C");
  CHECK(sorted(pm.journeys(0).legs(0).alert_ids()) == ids{"S1-on-M", "agency", "buses", "route-M", "stop-S1"});

  // S2 → S4 on A: neither S1's nor S5's alerts.
  auto const mid = svc.plan(request("S2", "S4", "08:00"), api_service::make_lang_chain("en"), router, st);
  REQUIRE(mid.journeys_size() == 1);
  CHECK(sorted(mid.journeys(0).legs(0).alert_ids()) == ids{"agency", "buses", "route-L", "trip-A"});

  // The timetable alone (realtime=false): no alerts.
  auto req = request("S1", "S5", "08:00");
  req.set_realtime(false);
  auto const plain = svc.plan(req, api_service::make_lang_chain("en"), router, st);
  REQUIRE(plain.journeys_size() == 1);
  CHECK(plain.journeys(0).legs(0).alert_ids_size() == 0);
  CHECK(plain.alerts_size() == 0);
}

TEST_CASE("plan: alert texts follow the request's language chain", "[api][rt][alerts]") {
  fixture fx;
  rt::informed_entity on_l;
  on_l.line = fx.line("L");
  auto a = fx.alert("x", on_l);
  a.header = {{"en", "Delays on line L"}, {"ja", "L線に遅れ"}, {"zh-Hant", "L線誤點"}};
  a.description = {{"", "untagged"}, {"ja", "詳細"}};
  a.url = {{"en", "https://example.org/en"}, {"ja", "https://example.org/ja"}};
  auto const st = fx.apply({}, {a});
  api_service::service const svc{fx.tt};
  raptor::router router{svc.raptor_index()};
  auto const text = [&](std::string const& lang) {
    auto const p = svc.plan(request("S1", "S5", "08:00"), api_service::make_lang_chain(lang), router, st);
    REQUIRE(p.alerts_size() == 1);
    return p.alerts(0);
  };
  auto const ja = text("ja");
  CHECK(ja.header() == "L線に遅れ");
  CHECK(ja.header_lang() == "ja");
  CHECK(ja.description() == "詳細");
  CHECK(ja.url() == "https://example.org/ja");
  auto const zh = text("zh-Hant");
  CHECK(zh.header() == "L線誤點");
  CHECK(zh.description() == "untagged");  // neither zh-Hant nor en: the untagged translation
  auto const ko = text("ko");             // ko, then English
  CHECK(ko.header() == "Delays on line L");
  CHECK(ko.header_lang() == "en");
  CHECK(ko.url() == "https://example.org/en");
  auto const ko_ja = text("ko,ja");
  CHECK(ko_ja.header() == "L線に遅れ");
}

TEST_CASE("departures: each departure names its trip's, route's and stop's alerts, the board its stop's own",
          "[api][rt][alerts]") {
  fixture fx;
  rt::informed_entity on_l, on_b, at_s1, at_s2, s1_on_m;
  on_l.line = fx.line("L");
  on_b.trip = fx.trip("B");
  at_s1.stop = fx.stop("S1");
  at_s2.stop = fx.stop("S2");
  s1_on_m.stop = fx.stop("S1");
  s1_on_m.line = fx.line("M");
  std::vector<rt::alert> const alerts{
      fx.alert("route-L", on_l, hm(8, 0), hm(8, 5)),  // active [08:00, 08:05): B leaves at 08:05, not named
      fx.alert("trip-B", on_b),
      fx.alert("stop-S1", at_s1, hm(8, 6), hm(8, 7)),         // only at C's departure
      fx.alert("stop-S1-late", at_s1, hm(20, 0), hm(21, 0)),  // after the board's last departure
      fx.alert("stop-S2", at_s2),
      fx.alert("S1-on-M", s1_on_m),
  };
  auto const st = fx.apply({}, alerts);
  api_service::service const svc{fx.tt};
  auto const board = svc.departures("S1", "2024-05-15", "08:01", 2, api_service::make_lang_chain("ja"), st);
  REQUIRE(board.departures_size() == 2);
  CHECK(board.departures(0).trip_id() == "B");
  CHECK(sorted(board.departures(0).alert_ids()) == ids{"trip-B"});
  CHECK(board.departures(1).trip_id() == "C");
  CHECK(sorted(board.departures(1).alert_ids()) == ids{"S1-on-M", "stop-S1"});
  // The stop's own alerts between 08:01 and the last departure listed (08:06): stop-S1 only (a
  // selector with a route informs that route's departures, not the stop).
  CHECK(sorted(board.stop_alert_ids()) == ids{"stop-S1"});
  std::vector<std::string> listed;
  for (auto const& a : board.alerts()) listed.push_back(a.id());
  std::sort(listed.begin(), listed.end());
  CHECK(listed == ids{"S1-on-M", "stop-S1", "trip-B"});  // each once
  for (auto const& a : board.alerts()) CHECK(a.header() == a.id() + " (ja)");

  // route-L active from 08:00: A at 08:00 names it.
  auto const early = svc.departures("S1", "2024-05-15", "08:00", 1, api_service::make_lang_chain("en"), st);
  REQUIRE(early.departures_size() == 1);
  CHECK(early.departures(0).trip_id() == "A");
  CHECK(sorted(early.departures(0).alert_ids()) == ids{"route-L"});
  CHECK(early.stop_alert_ids_size() == 0);

  // Without realtime: nothing.
  auto const plain = svc.departures("S1", "2024-05-15", "08:01", 2, api_service::make_lang_chain("en"));
  CHECK(plain.alerts_size() == 0);
  CHECK(plain.departures(0).alert_ids_size() == 0);
}
