// Checks of an on-demand service's configuration before it starts, and the fingerprint of its
// travel model.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "nebuta/dispatch/fleet_calendar.h"
#include "nebuta/dispatch/types.h"

namespace nebuta::drt_config {

// What the travel times depend on, as text stored with the journal: "straight_line detour=1.3
// speed_kmh=30", or for an OSM extract "osm car sha256=<the file's SHA-256>". Throws config_error
// when the file cannot be read.
std::string travel_model_fingerprint(std::filesystem::path const& osm, double detour_factor, double speed_kmh);

// A sentence for each thing that lies outside the service area (nothing without one): a depot of
// the fleet, meeting points, stops of the feed the planner loaded (empty: none loaded). A start
// with such warnings usually means the wrong rules, fleet or feed.
std::vector<std::string> area_warnings(dispatch::rules const& rules, std::span<dispatch::shift_pattern const> fleet,
                                       std::span<latlon const> feed_stops);

}  // namespace nebuta::drt_config
