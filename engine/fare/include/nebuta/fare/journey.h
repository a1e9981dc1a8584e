// The rides of a RAPTOR journey as fare::compute takes them (times relative to the query date,
// the journey's reference day).
#pragma once

#include <span>

#include "nebuta/fare/compute.h"
#include "nebuta/raptor/router.h"

namespace nebuta::fare {

// Writes one ride per vehicle leg of `j` into `out` (at most out.size()); returns how many.
inline std::size_t rides_of(timetable const& tt, raptor::journey const& j, std::span<ride> out) {
  std::size_t n = 0;
  for (auto const& l : j.legs) {
    if (l.kind != raptor::leg_kind::ride || n == out.size()) continue;
    if (l.extra_route != raptor::leg::no_extra_route) {
      // A realtime extra route (overtaking, changed stops, added trip): its served stops; an
      // added trip has no line of the timetable and is priced as unknown.
      out[n++] = {.line = l.trip.valid() ? tt.trip_line[l.trip] : line_idx::invalid(),
                  .from = l.from,
                  .to = l.to,
                  .board = l.start,
                  .alight = l.end};
      continue;
    }
    out[n++] = trip_ride(tt, l.trip, l.board_pos, l.alight_pos, l.start, l.end);
  }
  return n;
}

}  // namespace nebuta::fare
