// Legs as data (ride_stops) and as text (to_string).
#include "nebuta/raptor/journey.h"

#include <cmath>
#include <cstdio>

namespace nebuta::raptor {

void ride_stops(timetable const& tt, leg const& ride, std::vector<stop_visit>& out,
                bool include_ends) {
  out.clear();
  if (ride.kind != leg_kind::ride) return;
  auto const stops = tt.route_stops[ride.route];
  auto const shift = static_cast<seconds_t>(ride.day_offset) * seconds_per_day;
  auto const first = include_ends ? ride.board_pos : ride.board_pos + 1;
  auto const last = include_ends ? ride.alight_pos + 1 : ride.alight_pos;
  for (auto p = first; p < last; ++p) {
    out.push_back({stops[p], p, tt.arrival(ride.route, p, ride.trip_in_route) + shift,
                   tt.departure(ride.route, p, ride.trip_in_route) + shift});
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
        out += "ride " + tt.external_trip_id(l.trip);
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
