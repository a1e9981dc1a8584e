// What the v1 and v2 pricers share: each ride resolved once to its line, agency, feed and stops.
#pragma once

#include "nebuta/fare/compute.h"

namespace nebuta::fare::detail {

struct ride_info {
  route_idx route;
  line_idx line;
  agency_idx agency;
  feed_idx feed;
  stop_idx from, to;
};

// Prices rides [begin, end) of one v1 feed into legs[begin, end).
void price_v1(timetable const& tt, std::span<ride const> rides, std::span<ride_info const> info, std::size_t begin,
              std::size_t end, std::span<leg_fare> legs);

// Prices rides [begin, end) of one v2 feed into legs[begin, end).
void price_v2(timetable const& tt, std::span<ride const> rides, std::span<ride_info const> info, std::size_t begin,
              std::size_t end, std::int64_t day, std::span<leg_fare> legs);

}  // namespace nebuta::fare::detail
