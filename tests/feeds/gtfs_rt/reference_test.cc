// The overlay's realtime times on the real BART and Caltrain snapshots against an independent
// reference: the .pb read with the generated classes, the static stop times read from the GTFS
// records (not the timetable), the test's own stop matching and time arithmetic (fixed UTC
// offsets of the snapshot days), and the test's own propagation (tests/engine/rt/reference_rt.h).
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "../../engine/rt/reference_rt.h"
#include "gtfs-realtime.pb.h"
#include "nebuta/gtfs/reader.h"
#include "nebuta/rt/build.h"
#include "rt_sample.h"
#include "shared_data.h"

namespace pb = transit_realtime;
using namespace nebuta;

namespace {

struct static_stop {
  std::uint32_t sequence;
  std::string stop;
  std::int64_t arrival, departure;
};

// trip_id → its stop times in stop_sequence order, from stop_times.txt.
std::map<std::string, std::vector<static_stop>> read_stop_times(std::filesystem::path const& dir) {
  gtfs::read_options opt;
  opt.shapes = false;
  opt.fares = false;
  auto const feed = gtfs::read_feed(dir, opt);
  std::map<std::string, std::vector<static_stop>> out;
  for (auto const& st : feed.stop_times) {
    out[std::string{st.trip_id}].push_back(
        {st.stop_sequence, std::string{st.stop_id}, *st.arrival_time, *st.departure_time});
  }
  for (auto& [id, v] : out)
    std::sort(v.begin(), v.end(), [](auto const& a, auto const& b) { return a.sequence < b.sequence; });
  return out;
}

// Compares every SCHEDULED trip update of `file` for `day` (service day starting at local
// midnight `midnight_utc`) with the state. Returns the number of trips compared.
int compare(test::rt_sample const& s, std::filesystem::path const& gtfs_dir, std::filesystem::path const& file,
            date_t day, std::int64_t midnight_utc) {
  auto const static_times = read_stop_times(gtfs_dir);
  pb::FeedMessage raw;
  REQUIRE(raw.ParseFromString(test::read_bytes(file)));

  auto const decoded = gtfs_rt::decode(test::read_bytes(file), *s.ids);
  REQUIRE(decoded.message);
  rt::build_input in;
  for (auto const& u : decoded.message->trip_updates) in.trip_updates.push_back({&u, 0, decoded.message->timestamp});
  in.now = *decoded.message->timestamp;
  auto const st = rt::build_state(*s.ctx, in);
  auto const d = *s.tt().day_of(day);

  auto compared = 0;
  for (auto const& e : raw.entity()) {
    if (!e.has_trip_update()) continue;
    auto const& tu = e.trip_update();
    if (tu.trip().schedule_relationship() != pb::TripDescriptor::SCHEDULED) continue;
    auto const it = static_times.find(tu.trip().trip_id());
    if (it == static_times.end()) continue;  // unknown trip: counted by the decoder
    auto const& stops = it->second;
    std::vector<std::int64_t> sa, sd;
    for (auto const& x : stops) {
      sa.push_back(x.arrival);
      sd.push_back(x.departure);
    }
    // The reference's matching: updates sorted by stop_sequence; the sequence names the stop
    // unless its stop_id disagrees, then the stop_id after the previous update's stop.
    std::vector<pb::TripUpdate_StopTimeUpdate> stus{tu.stop_time_update().begin(), tu.stop_time_update().end()};
    std::stable_sort(stus.begin(), stus.end(),
                     [](auto const& a, auto const& b) { return a.stop_sequence() < b.stop_sequence(); });
    std::vector<test::ref_rt::update> ups;
    std::int64_t prev = -1;
    auto ok = true;
    for (auto const& x : stus) {
      std::int64_t pos = -1;
      for (auto i = 0U; i < stops.size(); ++i) {
        if (stops[i].sequence == x.stop_sequence() && (x.stop_id().empty() || stops[i].stop == x.stop_id())) pos = i;
      }
      if (pos < 0) {
        for (auto i = static_cast<std::size_t>(prev + 1); i < stops.size(); ++i) {
          if (stops[i].stop == x.stop_id()) {
            pos = static_cast<std::int64_t>(i);
            break;
          }
        }
      }
      if (pos < 0) continue;
      if (pos <= prev) {
        ok = false;
        break;
      }
      prev = pos;
      test::ref_rt::update u;
      u.pos = static_cast<std::size_t>(pos);
      u.what = x.schedule_relationship() == pb::TripUpdate_StopTimeUpdate::SKIPPED ? test::ref_rt::update::kind::skipped
               : x.schedule_relationship() == pb::TripUpdate_StopTimeUpdate::NO_DATA
                   ? test::ref_rt::update::kind::no_data
                   : test::ref_rt::update::kind::scheduled;
      auto const event = [&](pb::TripUpdate_StopTimeEvent const& ev, std::int64_t sched) -> std::optional<std::int64_t> {
        if (ev.has_time()) return ev.time() - midnight_utc;
        if (ev.has_delay()) return sched + ev.delay();
        return std::nullopt;
      };
      if (x.has_arrival()) u.arrival = event(x.arrival(), sa[u.pos]);
      if (x.has_departure()) u.departure = event(x.departure(), sd[u.pos]);
      ups.push_back(u);
    }
    if (!ok || ups.empty()) continue;
    auto const ref = test::ref_rt::propagate(sa, sd, ups);
    auto const* ts = st->find(s.trip(tu.trip().trip_id()), d);
    INFO("trip " << tu.trip().trip_id());
    REQUIRE(ts != nullptr);
    auto const times = st->times(*ts);
    REQUIRE(times.size() == stops.size());
    for (auto i = 0U; i < times.size(); ++i) {
      INFO("stop " << i << " " << stops[i].stop);
      CHECK(times[i].stop == s.stop(stops[i].stop));
      CHECK(times[i].arrival == ref.arrival[i]);
      CHECK(times[i].departure == ref.departure[i]);
    }
    ++compared;
  }
  return compared;
}

}  // namespace

TEST_CASE("BART 2019-08-07: realtime times equal the reference's at every stop of every matched trip",
          "[gtfs_rt][reference]") {
  NEBUTA_REQUIRE_DATASET(dir, "rt-samples/us-bart");
  test::rt_sample const s{dir / "gtfs", "bart"};
  // Local midnight of 2019-08-07 in San Francisco (PDT, UTC-7) = 2019-08-07T07:00:00Z.
  auto const n = compare(s, dir / "gtfs", dir / "bart-trip-updates.pb", std::chrono::year{2019} / 8 / 7, 1565161200);
  CHECK(n == 65);
}

TEST_CASE("Caltrain 2023-11-07: realtime times equal the reference's at every stop of every trip",
          "[gtfs_rt][reference]") {
  NEBUTA_REQUIRE_DATASET(dir, "rt-samples/us-caltrain");
  test::rt_sample const s{dir / "gtfs", "caltrain"};
  // Local midnight of 2023-11-07 (PST, UTC-8) = 2023-11-07T08:00:00Z.
  auto const n = compare(s, dir / "gtfs", dir / "ct-trip-updates.pb", std::chrono::year{2023} / 11 / 7, 1699344000);
  CHECK(n == 19);
}
