#include "nebuta/rt/context.h"

#include "nebuta/timetable/shapes.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <stdexcept>

namespace nebuta::rt {
namespace {

using geo::cumulative_m;
using geo::nearest_on_segment;

}  // namespace

// ------------------------------------------------------------------------------------ extras

schedule_extras_builder::schedule_extras_builder(timetable const& tt)
    : tt_{tt},
      seqs_(tt.n_trips()),
      block_(tt.n_trips(), none),
      direction_(tt.n_trips(), -1),
      pending_block_(tt.n_trips()) {}

void schedule_extras_builder::set_trip(trip_idx t, std::string_view block_id, std::int8_t direction,
                                       std::span<std::pair<std::uint32_t, stop_idx> const> rows) {
  if (t.v() >= tt_.n_trips()) return;
  auto const stops = tt_.route_stops[tt_.trip_route[t]];
  auto& seq = seqs_[t.v()];
  seq.assign(stops.size(), no_sequence);
  // The timetable keeps the rows it could use, in order; align by stop, skipping dropped rows.
  auto j = 0U;
  for (auto p = 0U; p < stops.size(); ++p) {
    auto k = j;
    while (k < rows.size() && rows[k].second != stops[p]) ++k;
    if (k == rows.size()) continue;
    seq[p] = rows[k].first;
    j = k + 1;
  }
  direction_[t.v()] = direction;
  pending_block_[t.v()] = std::string{block_id};
}

schedule_extras schedule_extras_builder::finish() {
  schedule_extras out;
  for (auto t = trip_idx{0}; t.v() < tt_.n_trips(); ++t) out.stop_sequences.emplace_back(seqs_[t.v()]);
  std::map<std::string, std::uint32_t> blocks;
  for (auto t = 0U; t < tt_.n_trips(); ++t) {
    if (!pending_block_[t].empty()) {
      auto const [it, added] = blocks.emplace(pending_block_[t], static_cast<std::uint32_t>(blocks.size()));
      (void)added;
      block_[t] = it->second;
    }
  }
  out.trip_block = std::move(block_);
  out.trip_direction = std::move(direction_);
  return out;
}

// ------------------------------------------------------------------------------------ path

latlon path::at(double s) const { return geo::point_at(points, along, s); }

path::projection path::project(latlon p, double lo, double hi) const {
  projection best{std::clamp(0.0, lo, hi), std::numeric_limits<double>::infinity()};
  if (points.size() < 2) {
    if (!points.empty()) best = {0.0, haversine_m(p, points.front())};
    return best;
  }
  auto i = static_cast<std::size_t>(std::lower_bound(along.begin(), along.end(), lo) - along.begin());
  i = i == 0 ? 0 : i - 1;
  for (; i + 1 < points.size() && along[i] <= hi; ++i) {
    auto const seg = along[i + 1] - along[i];
    auto [f, d] = nearest_on_segment(p, points[i], points[i + 1]);
    auto s = along[i] + f * seg;
    if (s < lo || s > hi) {  // the nearest point of the part of the segment inside [lo, hi]
      s = std::clamp(s, lo, hi);
      d = haversine_m(p, at(s));
    }
    if (d < best.offset_m) best = {s, d};
  }
  return best;
}

std::vector<path::projection> path::candidates(latlon p, double max_offset_m) const {
  std::vector<projection> out;
  if (points.size() < 2) {
    if (!points.empty() && haversine_m(p, points.front()) <= max_offset_m)
      out.push_back({0.0, haversine_m(p, points.front())});
    return out;
  }
  // Local minima of the distance along the path: a path passing the place twice (a loop, or out
  // and back on one road) gives one candidate per pass, even where the passes are contiguous.
  auto const n = points.size() - 1;
  std::vector<projection> seg(n);
  for (auto i = 0U; i < n; ++i) {
    auto const [f, d] = nearest_on_segment(p, points[i], points[i + 1]);
    seg[i] = {along[i] + f * (along[i + 1] - along[i]), d};
  }
  for (auto i = 0U; i < n; ++i) {
    if (seg[i].offset_m > max_offset_m) continue;
    if (i > 0 && seg[i - 1].offset_m < seg[i].offset_m) continue;
    if (i + 1 < n && seg[i + 1].offset_m < seg[i].offset_m) continue;
    if (!out.empty() && std::abs(out.back().along - seg[i].along) < 1.0) continue;  // a shared vertex
    out.push_back(seg[i]);
  }
  std::sort(out.begin(), out.end(), [](projection const& a, projection const& b) { return a.offset_m < b.offset_m; });
  return out;
}

// ------------------------------------------------------------------------------------ context

context::context(timetable const& tt, schedule_extras extras) : tt_{tt}, extras_{std::move(extras)}, nearby_stops_{tt} {
  auto const n_trips = tt.n_trips();
  if (extras_.has_sequences() && extras_.stop_sequences.size() != n_trips) extras_ = {};
  if (extras_.trip_block.size() != n_trips) extras_.trip_block.clear();
  if (extras_.trip_direction.size() != n_trips) extras_.trip_direction.clear();

  // Time zones: one per distinct agency_timezone; an unknown zone falls back to UTC (the
  // timetable loader already reported it).
  std::map<std::string, std::uint32_t> by_name;
  zone_of_agency_.resize(tt.n_agencies(), 0U);
  for (auto a = agency_idx{0}; a.v() < tt.n_agencies(); ++a) {
    auto name = std::string{tt.strings[tt.agency_timezones[a]]};
    if (!civil::time_zone::known(name)) name = "UTC";
    auto const [it, added] = by_name.emplace(name, static_cast<std::uint32_t>(zones_.size()));
    if (added) zones_.push_back(civil::time_zone::locate(name));
    zone_of_agency_[a.v()] = it->second;
  }
  if (zones_.empty()) zones_.push_back(civil::time_zone::utc());
  bases_.resize(zones_.size() * tt.n_days);
  for (auto z = 0U; z < zones_.size(); ++z) {
    for (auto d = 0U; d < tt.n_days; ++d) {
      bases_[static_cast<std::size_t>(z) * tt.n_days + d] = zones_[z].service_time_to_unix(tt.date_of(day_idx{d}), 0);
    }
  }
  zone_of_trip_.resize(n_trips);
  for (auto t = trip_idx{0}; t.v() < n_trips; ++t) zone_of_trip_[t.v()] = zone_of_line(tt.trip_line[t]);

  // Paths: the timetable's (one per route and shape), else one per route through its stops.
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> path_index;
  path_of_trip_.resize(n_trips);
  for (auto t = trip_idx{0}; t.v() < n_trips; ++t) {
    auto const r = tt.trip_route[t];
    auto const shaped = tt.path_of(t);
    auto const [it, added] = path_index.emplace(std::pair{r.v(), shaped.v()}, static_cast<std::uint32_t>(paths_.size()));
    path_of_trip_[t.v()] = it->second;
    if (!added) continue;
    path p;
    if (shaped.valid()) {
      p.points = shape_polyline(tt, tt.path_shape[shaped]);
      p.from_shape = true;
      p.along = cumulative_m(p.points);
      auto const at = tt.path_stop_along[shaped];
      p.stop_at.assign(at.begin(), at.end());
    } else {
      auto last = 0.0;
      for (auto const s : tt.route_stops[r]) {
        if (tt.stop_has_coords[s] != 0U) {
          if (!p.points.empty()) last += haversine_m(p.points.back(), tt.stop_coords[s]);
          p.points.push_back(tt.stop_coords[s]);
          p.along.push_back(last);
        }
        p.stop_at.push_back(last);
      }
    }
    paths_.push_back(std::move(p));
  }

  // Trips by block and by line, by first departure.
  auto const group = [&](auto key_of, std::size_t n_keys, std::vector<std::uint32_t>& offsets,
                         std::vector<trip_idx>& data) {
    std::vector<std::vector<trip_idx>> lists(n_keys);
    for (auto t = trip_idx{0}; t.v() < n_trips; ++t) {
      auto const k = key_of(t);
      if (k < n_keys) lists[k].push_back(t);
    }
    offsets.assign(1, 0U);
    for (auto& l : lists) {
      std::stable_sort(l.begin(), l.end(), [&](trip_idx a, trip_idx b) { return departure(a, 0) < departure(b, 0); });
      data.insert(data.end(), l.begin(), l.end());
      offsets.push_back(static_cast<std::uint32_t>(data.size()));
    }
  };
  std::size_t n_blocks = 0;
  for (auto const b : extras_.trip_block) {
    if (b != none) n_blocks = std::max<std::size_t>(n_blocks, b + 1U);
  }
  group([&](trip_idx t) { return static_cast<std::size_t>(block_of(t)); }, n_blocks, block_offsets_, block_trips_);
  group([&](trip_idx t) { return static_cast<std::size_t>(tt.trip_line[t].v()); }, tt.n_lines(), line_offsets_,
        line_trips_);
}

std::optional<day_idx> context::local_day(std::uint32_t zone, unix_time t) const {
  return tt_.day_of(zones_[zone].local_date(t));
}

std::optional<std::uint32_t> context::position_of_sequence(trip_idx t, std::uint32_t seq) const {
  if (!extras_.has_sequences()) return std::nullopt;
  auto const s = extras_.stop_sequences[t];
  auto const it = std::find(s.begin(), s.end(), seq);
  if (it == s.end()) return std::nullopt;
  return static_cast<std::uint32_t>(it - s.begin());
}

std::uint32_t context::sequence_at(trip_idx t, std::uint32_t pos) const {
  if (!extras_.has_sequences()) return no_sequence;
  auto const s = extras_.stop_sequences[t];
  return pos < s.size() ? s[pos] : no_sequence;
}

bool context::same_station(stop_idx a, stop_idx b) const {
  if (a == b) return true;
  auto const pa = tt_.stop_parent[a], pb = tt_.stop_parent[b];
  return (pa.valid() && (pa == pb || pa == b)) || (pb.valid() && pb == a);
}

std::optional<std::uint32_t> context::position_of_stop(trip_idx t, stop_idx s, std::uint32_t from) const {
  auto const st = stops(t);
  for (auto p = from; p < st.size(); ++p) {
    if (st[p] == s) return p;
  }
  for (auto p = from; p < st.size(); ++p) {
    if (same_station(st[p], s)) return p;
  }
  return std::nullopt;
}

std::span<trip_idx const> context::block_trips(std::uint32_t block) const {
  if (block == none || block + 1U >= block_offsets_.size()) return {};
  return {block_trips_.data() + block_offsets_[block], block_trips_.data() + block_offsets_[block + 1]};
}

std::span<trip_idx const> context::line_trips(line_idx l) const {
  if (!l.valid() || l.v() + 1U >= line_offsets_.size()) return {};
  return {line_trips_.data() + line_offsets_[l.v()], line_trips_.data() + line_offsets_[l.v() + 1]};
}

void context::stops_near(latlon c, double radius_m, std::vector<stop_idx>& out) const {
  out.clear();
  nearby_stops_.for_each_near(c, radius_m, [&](stop_idx s, double) { out.push_back(s); });
}

}  // namespace nebuta::rt
