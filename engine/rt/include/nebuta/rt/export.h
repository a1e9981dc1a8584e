// The merged realtime state as GTFS-RT content: what Nebuta applied (after matching, propagation,
// estimates from VehiclePositions and NO_SERVICE closures), so that other consumers see what the
// planner sees (GET /v1/gtfs-rt/trip-updates, /alerts through feeds/gtfs_rt's encoder).
#pragma once

#include "nebuta/rt/context.h"
#include "nebuta/rt/state.h"
#include "nebuta/rt/updates.h"

namespace nebuta::rt {

// Every realtime trip-day as a TripUpdate with absolute times and delays at every stop
// (SKIPPED stops, assigned stops and pickup / drop-off closures included), cancelled and deleted
// trips, added trips (NEW, REPLACEMENT, DUPLICATED); and every alert. The header timestamp is
// the newest feed time.
feed_message export_state(state const& s, context const& ctx);

}  // namespace nebuta::rt
