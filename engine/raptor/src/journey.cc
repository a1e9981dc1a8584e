// Legs as data (ride_stops) and as text (to_string).
#include "nebuta/raptor/journey.h"

#include <cmath>
#include <cstdio>

#include "nebuta/rt/state.h"

namespace nebuta::raptor {

void ride_stops(timetable const& tt, leg const& ride, std::vector<stop_visit>& out, bool include_ends) {
  out.clear();
  if (ride.kind != leg_kind::ride) return;
  auto const stops = tt.route_stops[ride.route];
  auto const shift = static_cast<seconds_t>(ride.day_offset) * seconds_per_day;
  auto const first = include_ends ? ride.board_pos : ride.board_pos + 1;
  auto const last = include_ends ? ride.alight_pos + 1 : ride.alight_pos;
  for (auto p = first; p < last; ++p) {
    auto const a = tt.arrival(ride.route, p, ride.trip_in_route) + shift;
    auto const d = tt.departure(ride.route, p, ride.trip_in_route) + shift;
    out.push_back({stops[p], p, a, d, a, d, stops[p], 0U});
  }
}

void ride_stops(timetable const& tt, rt::state const* realtime, date_t date, leg const& ride,
                std::vector<stop_visit>& out, bool include_ends) {
  if (realtime == nullptr || !ride.realtime) return ride_stops(tt, ride, out, include_ends);
  out.clear();
  if (ride.kind != leg_kind::ride) return;
  auto const d = (date - tt.first_date).count() + ride.day_offset;
  if (d < 0 || d >= static_cast<std::int64_t>(tt.n_days)) return ride_stops(tt, ride, out, include_ends);
  auto const day = day_idx{static_cast<std::uint16_t>(d)};
  rt::trip_state const* ts = nullptr;
  if (ride.extra_route != leg::no_extra_route) {
    ts = &realtime->trips()[realtime->extra_routes()[ride.extra_route].trip_state];
  } else if (ride.trip.valid()) {
    ts = realtime->find(ride.trip, day);
  }
  if (ts == nullptr) return ride_stops(tt, ride, out, include_ends);
  auto const times = realtime->times(*ts);
  auto const shift = static_cast<seconds_t>(ride.day_offset) * seconds_per_day;
  auto const first = include_ends ? ride.board_pos : ride.board_pos + 1;
  auto const last = std::min<std::uint32_t>(include_ends ? ride.alight_pos + 1 : ride.alight_pos,
                                            static_cast<std::uint32_t>(times.size()));
  // The stop the timetable gives at a position: the static trip's, when the trip has one with
  // that many stops (an added trip has none: its own stops are its schedule).
  auto const r = ts->trip.valid() ? tt.trip_route[ts->trip] : route_idx::invalid();
  for (auto p = first; p < last; ++p) {
    auto const& x = times[p];
    auto const sched = r.valid() && p < tt.route_stops[r].size() && ts->status != rt::trip_status::added
                           ? tt.route_stops[r][p]
                           : x.stop;
    out.push_back({x.stop, p, x.arrival + shift, x.departure + shift, x.sched_arrival + shift,
                   x.sched_departure + shift, sched, x.flags});
  }
}

namespace {

// "HH:MM" ("HH:MM:SS" when the seconds are not 0) of the time's own day, "+Nd" / "-Nd" when
// that is not the query date.
std::string clock(seconds_t t) {
  auto day = t / seconds_per_day;
  auto rem = t % seconds_per_day;
  if (rem < 0) {
    rem += seconds_per_day;
    --day;
  }
  char buf[32];
  auto const h = rem / 3600, m = rem % 3600 / 60, sec = rem % 60;
  auto n = sec != 0 ? std::snprintf(buf, sizeof(buf), "%02d:%02d:%02d", h, m, sec)
                    : std::snprintf(buf, sizeof(buf), "%02d:%02d", h, m);
  if (day != 0) std::snprintf(buf + n, sizeof(buf) - static_cast<std::size_t>(n), "%+dd", day);
  return buf;
}

char const* walk_name(walk_kind k) {
  switch (k) {
    case walk_kind::access: return "access";
    case walk_kind::egress: return "egress";
    case walk_kind::direct: return "direct";
    case walk_kind::footpath: return "footpath";
    case walk_kind::walk_link: return "walk_link";
  }
  return "?";
}

}  // namespace

std::string to_string(timetable const& tt, journey const& j) {
  auto const stop = [&](stop_idx s) { return s.valid() ? tt.external_stop_id(s) : std::string{"(place)"}; };
  std::string out = clock(j.departure) + "-" + clock(j.arrival) + ", " + std::to_string(j.rides) +
                    (j.rides == 1U ? " ride\n" : " rides\n");
  for (auto const& l : j.legs) {
    out += "  " + clock(l.start) + "-" + clock(l.end) + " ";
    switch (l.kind) {
      case leg_kind::ride:
        out += "ride " + (l.trip.valid() ? tt.external_trip_id(l.trip) : std::string{"(added)"});
        if (l.day_offset != 0) out += (l.day_offset > 0 ? "@+" : "@") + std::to_string(l.day_offset) + "d";
        if (l.stay_seated) out += " (stay seated)";
        out += " ";
        break;
      case leg_kind::walk: out += std::string{"walk "} + walk_name(l.walk) + " "; break;
      case leg_kind::access: out += "access tag " + std::to_string(l.access_tag) + " "; break;
    }
    out += stop(l.from) + " -> " + stop(l.to);
    if (l.kind != leg_kind::ride) out += " " + std::to_string(std::lround(l.distance_m)) + " m";
    out += "\n";
  }
  return out;
}

}  // namespace nebuta::raptor
