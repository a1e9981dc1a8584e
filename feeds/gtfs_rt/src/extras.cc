// The schedule facts realtime needs and the timetable does not keep, read from the static feeds.
#include <algorithm>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "nebuta/gtfs/reader.h"
#include "nebuta/gtfs_rt/gtfs_rt.h"

namespace nebuta::gtfs_rt {

rt::schedule_extras read_schedule_extras(std::vector<gtfs_import::feed_spec> const& feeds, timetable const& tt) {
  rt::schedule_extras_builder b{tt};
  for (auto const& spec : feeds) {
    std::optional<feed_idx> f;
    for (auto i = feed_idx{0}; i.v() < tt.n_feeds(); ++i) {
      if (tt.strings[tt.feed_names[i]] == spec.name) f = i;
    }
    if (!f) throw gtfs::feed_error{"feed '" + spec.name + "' is not part of the timetable"};
    gtfs::read_options opt;
    opt.fares = false;
    opt.jp_extensions = false;
    opt.shapes = false;  // the timetable keeps them
    auto const feed = gtfs::read_feed(spec.path, opt);

    std::unordered_map<std::string_view, std::vector<trip_idx>> trips;
    for (auto t = trip_idx{0}; t.v() < tt.n_trips(); ++t) {
      if (tt.line_feed[tt.trip_line[t]] == *f) trips[tt.strings[tt.trip_ids[t]]].push_back(t);
    }
    std::unordered_map<std::string_view, stop_idx> stops;
    for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
      if (tt.stop_feed[s] == *f) stops.emplace(tt.strings[tt.stop_ids[s]], s);
    }
    std::unordered_map<std::string_view, std::vector<std::pair<std::uint32_t, stop_idx>>> rows;
    for (auto const& st : feed.stop_times) {
      auto const s = stops.find(st.stop_id);
      rows[st.trip_id].emplace_back(st.stop_sequence, s == stops.end() ? stop_idx::invalid() : s->second);
    }
    for (auto& [id, r] : rows)
      std::stable_sort(r.begin(), r.end(), [](auto const& a, auto const& c) { return a.first < c.first; });
    auto const prefix = std::to_string(f->v()) + ":";
    for (auto const& trip : feed.trips) {
      auto const it = trips.find(trip.trip_id);
      if (it == trips.end()) continue;
      auto const r = rows.find(trip.trip_id);
      std::span<std::pair<std::uint32_t, stop_idx> const> trip_rows;
      if (r != rows.end()) trip_rows = r->second;
      auto const block = trip.block_id.empty() ? std::string{} : prefix + std::string{trip.block_id};
      for (auto const t : it->second) b.set_trip(t, block, trip.direction_id, trip_rows);
    }
  }
  return b.finish();
}

}  // namespace nebuta::gtfs_rt
