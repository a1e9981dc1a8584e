// The dispatcher's private insertion types, shared by its source files (not a public header).
#pragma once

#include "arith.h"
#include "nebuta/dispatch/dispatcher.h"

namespace nebuta::dispatch {

// What is inserted: a new request or one being moved, with the limits it must keep.
struct dispatcher::ride {
  road::snapped_point p, d;
  detail::t64 ws, we, latest_drop, max_ride, t0;
  std::uint16_t seats, wheelchairs;
};

struct dispatcher::insertion {
  vehicle_idx v;
  std::uint32_t i{0}, j{0};  // pickup before original stop i, drop-off before original stop j (j >= i)
  double cost{0.0};
  detail::t64 p_begin{0}, d_arr{0};
};

}  // namespace nebuta::dispatch
