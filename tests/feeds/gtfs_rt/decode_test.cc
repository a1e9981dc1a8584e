// The GTFS-RT samples of ../shared/data decoded and applied: counts, and delays at named stops
// checked by hand against the .pb files (read here with the generated classes, independently of
// feeds/gtfs_rt). Unmatched samples and mutated bytes are counted, never fatal.
#include <algorithm>
#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "gtfs-realtime.pb.h"
#include "nebuta/rt/build.h"
#include "nebuta/rt/export.h"
#include "rt_sample.h"
#include "shared_data.h"

namespace pb = transit_realtime;
using namespace nebuta;

namespace {

constexpr seconds_t hms(int h, int m, int s) { return h * 3600 + m * 60 + s; }

pb::TripUpdate_StopTimeUpdate const* stu_of(pb::FeedMessage const& m, std::string const& trip, std::string const& stop) {
  for (auto const& e : m.entity()) {
    if (!e.has_trip_update() || e.trip_update().trip().trip_id() != trip) continue;
    for (auto const& s : e.trip_update().stop_time_update()) {
      if (s.stop_id() == stop) return &s;
    }
  }
  return nullptr;
}

std::shared_ptr<rt::state const> apply(test::rt_sample const& s, rt::feed_message const& m) {
  rt::build_input in;
  for (auto const& u : m.trip_updates) in.trip_updates.push_back({&u, 0, m.timestamp});
  for (auto const& a : m.alerts) in.alerts.push_back(&a);
  in.feed_time = m.timestamp;
  in.now = m.timestamp.value_or(0);
  return rt::build_state(*s.ctx, in);
}

rt::stop_time const& at(test::rt_sample const& s, rt::state const& st, std::string const& trip, date_t d,
                        std::size_t pos) {
  auto const* ts = st.find(s.trip(trip), *s.tt().day_of(d));
  REQUIRE(ts != nullptr);
  REQUIRE(pos < ts->n);
  return st.times(*ts)[pos];
}

}  // namespace

TEST_CASE("BART 2019-08-07 10:45 PDT: 91 trip updates, 65 matched, 8 added, 18 unknown", "[gtfs_rt][bart]") {
  NEBUTA_REQUIRE_DATASET(dir, "rt-samples/us-bart");
  test::rt_sample const s{dir / "gtfs", "bart"};
  auto const bytes = test::read_bytes(dir / "bart-trip-updates.pb");

  pb::FeedMessage raw;
  REQUIRE(raw.ParseFromString(bytes));
  CHECK(raw.header().timestamp() == 1565199921U);  // 2019-08-07T17:45:21Z
  CHECK(raw.entity_size() == 91);
  // Hand-read off the file: trip 1011112WKDY at Daly City arrives 11:12:06 PDT (sched. 11:12:00)
  // and departs 11:13:46; at Balboa Park 11:16:42 / 11:17:00 (sched. 11:16:00). The delay
  // fields (29, 0) disagree with the times: the specification says time wins.
  auto const* daly = stu_of(raw, "1011112WKDY", "DALY");
  REQUIRE(daly != nullptr);
  CHECK(daly->arrival().time() == 1565201526);
  CHECK(daly->departure().time() == 1565201626);
  CHECK(daly->arrival().delay() == 29);

  auto const decoded = gtfs_rt::decode(bytes, *s.ids);
  REQUIRE(decoded.message);
  auto const& m = *decoded.message;
  CHECK(m.entities == 91);
  CHECK(m.timestamp == 1565199921);
  CHECK(m.skipped[rt::skip_reason::unknown_trip] == 18);
  CHECK(m.trip_updates.size() == 73);
  CHECK(std::count_if(m.trip_updates.begin(), m.trip_updates.end(),
                      [](auto const& u) { return u.relationship == rt::trip_relationship::new_trip; }) == 8);

  auto const st = apply(s, m);
  CHECK(st->validate(*s.ctx).empty());
  CHECK(st->stats().added == 8);
  auto const d = date_t{std::chrono::year{2019} / 8 / 7};
  auto const& x0 = at(s, *st, "1011112WKDY", d, 0);  // DALY
  CHECK(x0.stop == s.stop("DALY"));
  CHECK(x0.sched_arrival == hms(11, 12, 0));
  CHECK(x0.arrival == hms(11, 12, 6));
  CHECK(x0.departure == hms(11, 13, 46));
  auto const& x1 = at(s, *st, "1011112WKDY", d, 1);  // BALB
  CHECK(x1.arrival == hms(11, 16, 42));
  CHECK(x1.departure == hms(11, 17, 0));
  // Every one of the 65 matched trips has a realtime state on the 7th.
  auto matched = 0;
  for (auto const& u : m.trip_updates) {
    if (u.relationship == rt::trip_relationship::scheduled && st->find(u.trip, *s.tt().day_of(d)) != nullptr) ++matched;
  }
  CHECK(matched == 65);
}

TEST_CASE("BART Memorial Day 2019-05-27: weekday trip ids on a Sunday schedule are not running", "[gtfs_rt][bart]") {
  NEBUTA_REQUIRE_DATASET(dir, "rt-samples/us-bart");
  test::rt_sample const s{dir / "gtfs", "bart"};
  auto const bytes = test::read_bytes(dir / "bart-trip-updates-20190528.pb");
  pb::FeedMessage raw;
  REQUIRE(raw.ParseFromString(bytes));
  CHECK(raw.entity_size() == 26);
  // 2211905WKDY at 12TH: 19:01:23 PDT, while calendar_dates.txt removes WKDY on 2019-05-27
  // (SUN runs): the update names a trip that does not run that day.
  auto const* x = stu_of(raw, "2211905WKDY", "12TH");
  REQUIRE(x != nullptr);
  CHECK(x->arrival().time() == 1559008883);

  auto const decoded = gtfs_rt::decode(bytes, *s.ids);
  REQUIRE(decoded.message);
  CHECK(decoded.message->trip_updates.size() == 26);  // all 26 trip ids exist
  auto const st = apply(s, *decoded.message);
  CHECK(st->stats().skipped[rt::skip_reason::not_running] == 26);
  CHECK(st->trips().empty());
}

TEST_CASE("Caltrain 2023-11-07 17:05 PST: trip updates, positions and empty alerts", "[gtfs_rt][caltrain]") {
  NEBUTA_REQUIRE_DATASET(dir, "rt-samples/us-caltrain");
  test::rt_sample const s{dir / "gtfs", "caltrain"};
  auto const tu = test::read_bytes(dir / "ct-trip-updates.pb");
  pb::FeedMessage raw;
  REQUIRE(raw.ParseFromString(tu));
  CHECK(raw.entity_size() == 19);
  // Trip 124 (Tamien, 15:37): departs 70232 (seq. 20, sched. 17:03) at 17:05:04 PST, then
  // 17:10:01 at 70242 (17:09), 17:16:16 at 70262 (17:16), arrives 70272 (17:21) at 17:21:58.
  auto const* x = stu_of(raw, "124", "70232");
  REQUIRE(x != nullptr);
  CHECK(x->departure().time() == 1699405504);
  CHECK(!x->has_arrival());

  auto const decoded = gtfs_rt::decode(tu, *s.ids);
  REQUIRE(decoded.message);
  CHECK(decoded.message->skipped.total() == 0);
  CHECK(decoded.message->trip_updates.size() == 19);
  auto const st = apply(s, *decoded.message);
  CHECK(st->validate(*s.ctx).empty());
  CHECK(st->stats().skipped.total() == 0);
  auto const d = date_t{std::chrono::year{2023} / 11 / 7};
  auto const& s20 = at(s, *st, "124", d, 19);
  CHECK(s20.stop == s.stop("70232"));
  CHECK(s20.sched_departure == hms(17, 3, 0));
  CHECK(s20.departure == hms(17, 5, 4));
  CHECK(s20.arrival == hms(17, 3, 0));  // not given, nothing upstream: the schedule
  CHECK(at(s, *st, "124", d, 20).arrival == hms(17, 10, 1));
  CHECK(at(s, *st, "124", d, 21).departure == hms(17, 16, 16));
  auto const& s23 = at(s, *st, "124", d, 22);
  CHECK(s23.arrival == hms(17, 21, 58));
  CHECK(s23.departure == hms(17, 21, 58));  // arrival only, late: departs with its delay
  // Stops before the first update keep the schedule.
  CHECK(at(s, *st, "124", d, 0).departure == hms(15, 37, 0));

  auto const vp = gtfs_rt::decode(test::read_bytes(dir / "ct-vehicle-positions.pb"), *s.ids);
  REQUIRE(vp.message);
  CHECK(vp.message->vehicles.size() == 14);
  CHECK(std::all_of(vp.message->vehicles.begin(), vp.message->vehicles.end(),
                    [](rt::vehicle_position const& v) { return v.trip.valid() && v.position.has_value(); }));

  auto const alerts = gtfs_rt::decode(test::read_bytes(dir / "ct-service-alerts.pb"), *s.ids);
  REQUIRE(alerts.message);
  CHECK(alerts.message->entities == 0);
  CHECK(alerts.message->timestamp == 1699405546);
}

TEST_CASE("BART alert: informed agency, cause, effect, translated texts", "[gtfs_rt][bart]") {
  NEBUTA_REQUIRE_DATASET(dir, "rt-samples/us-bart");
  test::rt_sample const s{dir / "gtfs", "bart"};
  auto const decoded = gtfs_rt::decode(test::read_bytes(dir / "bart-alerts.pb"), *s.ids);
  REQUIRE(decoded.message);
  REQUIRE(decoded.message->alerts.size() == 1);
  auto const& a = decoded.message->alerts.front();
  CHECK(a.id == "BSA_187874");
  CHECK(a.cause == rt::alert_cause::medical_emergency);
  CHECK(a.effect == rt::alert_effect::significant_delays);
  REQUIRE(a.informed.size() == 1);
  CHECK(a.informed[0].agency == s.ids->agency("BART"));
  REQUIRE(a.header.size() == 1);
  CHECK(a.header[0].language == "en-US");
  CHECK(a.header[0].text.starts_with("There is a major delay at Montgomery St."));
  CHECK(a.url[0].text == "http://www.bart.gov/schedules/advisories");
  CHECK(a.active_periods.empty());  // active while in the feed
}

TEST_CASE("unmatched samples: King County positions and SEPTA updates are counted, nothing applied",
          "[gtfs_rt][unmatched]") {
  NEBUTA_REQUIRE_DATASET(dir, "rt-samples");
  test::rt_sample const s{dir / "us-bart/gtfs", "bart"};
  auto const kcm = gtfs_rt::decode(test::read_bytes(dir / "unmatched/king-county-metro-vehicle-positions-1.pb"), *s.ids);
  REQUIRE(kcm.message);
  CHECK(kcm.message->entities == 627);
  CHECK(kcm.message->version == "2.0");
  CHECK(std::none_of(kcm.message->vehicles.begin(), kcm.message->vehicles.end(),
                     [](rt::vehicle_position const& v) { return v.trip.valid(); }));
  auto const septa = gtfs_rt::decode(test::read_bytes(dir / "unmatched/septa-trip-updates.pb"), *s.ids);
  REQUIRE(septa.message);
  CHECK(septa.message->entities == 35);
  CHECK(septa.message->skipped[rt::skip_reason::unknown_trip] == 35);
  CHECK(septa.message->trip_updates.empty());
}

TEST_CASE("mutated .pb files: decoded or refused, never a crash, every state valid", "[gtfs_rt][mutation]") {
  NEBUTA_REQUIRE_DATASET(dir, "rt-samples");
  test::rt_sample const bart{dir / "us-bart/gtfs", "bart"};
  test::rt_sample const ct{dir / "us-caltrain/gtfs", "caltrain"};
  struct input {
    test::rt_sample const* s;
    char const* file;
  };
  input const inputs[] = {{&bart, "us-bart/bart-trip-updates.pb"},
                          {&bart, "us-bart/bart-alerts.pb"},
                          {&ct, "us-caltrain/ct-trip-updates.pb"},
                          {&ct, "us-caltrain/ct-vehicle-positions.pb"},
                          {&bart, "unmatched/septa-trip-updates.pb"}};
  std::mt19937 rng{14};
  auto refused = 0, decoded = 0;
  for (auto const& in : inputs) {
    auto const original = test::read_bytes(dir / in.file);
    for (auto k = 0; k < 120; ++k) {
      auto b = original;
      auto const n_edits = 1 + static_cast<int>(rng() % 8);
      for (auto e = 0; e < n_edits && !b.empty(); ++e) {
        auto const pos = rng() % b.size();
        switch (rng() % 4) {
          case 0: b[pos] = static_cast<char>(rng()); break;                                       // flip a byte
          case 1: b.resize(pos); break;                                                           // truncate
          case 2: b.insert(b.begin() + static_cast<long>(pos), static_cast<char>(rng())); break;  // insert
          default: b[pos] = static_cast<char>(b[pos] ^ (1 << (rng() % 8))); break;                // flip a bit
        }
      }
      auto const r = gtfs_rt::decode(b, *in.s->ids);
      if (!r.message) {
        ++refused;
        CHECK(!r.error.empty());
        continue;
      }
      ++decoded;
      auto const st = apply(*in.s, *r.message);
      auto const problems = st->validate(*in.s->ctx);
      CHECK(problems.empty());
    }
  }
  CHECK(refused + decoded == 600);
  CHECK(refused > 0);
  CHECK(decoded > 0);
}

TEST_CASE("the merged state republished as GTFS-RT applies back to the same times", "[gtfs_rt][export]") {
  NEBUTA_REQUIRE_DATASET(dir, "rt-samples/us-bart");
  test::rt_sample const s{dir / "gtfs", "bart"};
  auto const decoded = gtfs_rt::decode(test::read_bytes(dir / "bart-trip-updates.pb"), *s.ids);
  REQUIRE(decoded.message);
  auto const first = apply(s, *decoded.message);
  auto const bytes = gtfs_rt::encode(rt::export_state(*first, *s.ctx), s.tt());
  pb::FeedMessage raw;
  REQUIRE(raw.ParseFromString(bytes));  // a valid FeedMessage, required fields included
  auto const again = gtfs_rt::decode(bytes, *s.ids);
  REQUIRE(again.message);
  CHECK(again.message->skipped.total() == 0);
  auto const second = apply(s, *again.message);
  CHECK(second->stats().skipped.total() == 0);
  REQUIRE(second->trips().size() == first->trips().size());
  for (auto i = 0U; i < first->trips().size(); ++i) {
    auto const& a = first->trips()[i];
    auto const& b = second->trips()[i];
    CHECK(a.trip == b.trip);
    CHECK(a.day == b.day);
    CHECK(a.status == b.status);
    auto const ta = first->times(a), tb = second->times(b);
    REQUIRE(ta.size() == tb.size());
    for (auto p = 0U; p < ta.size(); ++p) {
      CHECK(ta[p].arrival == tb[p].arrival);
      CHECK(ta[p].departure == tb[p].departure);
      CHECK(ta[p].stop == tb[p].stop);
    }
  }
}
