// libFuzzer target: the GTFS-Realtime decoder (feeds/gtfs_rt) on arbitrary bytes, and what the
// engine does with what it decodes, against a small inline timetable (stops S1-S5, trips A and B
// of route L, trip C of route M, all on 2024-05-15).
// Beyond "no crash, no hang": every decoded message applies (positions through the vehicle
// tracker, updates and alerts through the store) to a state whose invariants hold (times never
// go backwards, route blocks FIFO); and the message re-encoded decodes to as many trip updates,
// vehicles and alerts again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>

#include "nebuta/gtfs_rt/gtfs_rt.h"
#include "nebuta/rt/store.h"
#include "nebuta/timetable/builder.h"

namespace {

using namespace nebuta;

void require(bool ok) {
  if (!ok) std::abort();
}

timetable make_timetable() {
  build::feed f;
  f.name = "fuzz";
  f.agencies.push_back({{1}, "AG", "Agency", "Asia/Tokyo", "", "ja"});
  f.lines.push_back({{1}, "L", "AG", "1", "Line", "", "", 3});
  f.lines.push_back({{2}, "M", "AG", "2", "Other", "", "", 3});
  for (auto const* id : {"S1", "S2", "S3", "S4", "S5"}) {
    build::stop s;
    s.id = id;
    s.name = id;
    s.coord = latlon{35.0 + 0.01 * (id[1] - '0'), 139.0};
    f.stops.push_back(s);
  }
  f.calendars.push_back({{1}, "all", 0x7F, std::chrono::year{2024} / 5 / 1, std::chrono::year{2024} / 5 / 31});
  auto const trip = [&](std::string_view id, std::string_view line, int start_min) {
    f.trips.push_back({{1}, id, line, "all", "H", "", 0, "", ""});
    auto seq = 10U;
    for (auto const* s : {"S1", "S2", "S3", "S4", "S5"}) {
      build::stop_time st;
      st.trip_id = id;
      st.stop_id = s;
      st.stop_sequence = seq;
      st.arrival = start_min * 60 + static_cast<seconds_t>(seq - 10) * 60;
      st.departure = *st.arrival + 30;
      seq += 10;
      f.stop_times.push_back(st);
    }
  };
  trip("A", "L", 8 * 60);
  trip("B", "L", 8 * 60 + 5);
  trip("C", "M", 9 * 60);
  return build::compile({f}, {}, [](build::problem const&) {});
}

struct world {
  timetable tt = make_timetable();
  std::unique_ptr<rt::context> ctx;
  std::unique_ptr<gtfs_rt::resolver> ids;
  world() {
    rt::schedule_extras_builder b{tt};
    for (auto t = trip_idx{0}; t.v() < tt.n_trips(); ++t) {
      std::vector<std::pair<std::uint32_t, stop_idx>> rows;
      auto const stops = tt.route_stops[tt.trip_route[t]];
      for (auto i = 0U; i < stops.size(); ++i) rows.emplace_back(10 * (i + 1), stops[i]);
      b.set_trip(t, t.v() == 2 ? "" : "blk", 0, rows);
    }
    ctx = std::make_unique<rt::context>(tt, b.finish());
    ids = std::make_unique<gtfs_rt::resolver>(*ctx);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  static world const w;
  auto const r = gtfs_rt::decode(std::span{reinterpret_cast<char const*>(data), size}, *w.ids);
  if (!r.message) {
    require(!r.error.empty());
    return 0;
  }
  auto const& m = *r.message;
  require(m.trip_updates.size() + m.vehicles.size() + m.alerts.size() <= 3 * m.entities);

  auto const again = gtfs_rt::decode(gtfs_rt::encode(m, w.tt), *w.ids);
  require(again.message.has_value());
  require(again.message->trip_updates.size() == m.trip_updates.size());
  require(again.message->vehicles.size() == m.vehicles.size());
  require(again.message->alerts.size() == m.alerts.size());

  rt::store st{*w.ctx};
  auto const src = st.add_source("fuzz");
  auto const now = w.ctx->day_base(trip_idx{0}, day_idx{14}) + 8 * 3600;  // 2024-05-15 08:00
  st.apply(src, m, m.timestamp.value_or(now));
  auto const state = st.current();
  require(state->validate(*w.ctx).empty());
  return 0;
}
