// Where an on-demand leg may meet the timetable: the stops of the service area a vehicle can
// drop a rider at (first mile) or pick one up from (last mile), and for one query the few of them
// nearest by road.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "nebuta/intermodal/settings.h"
#include "nebuta/road/travel_model.h"
#include "nebuta/timetable/timetable.h"

namespace nebuta::intermodal {

enum class side : std::uint8_t {
  first_mile,  // the place -> a stop
  last_mile    // a stop -> the place
};

// The stops an on-demand leg may serve, built once per timetable and service, then read-only
// (any number of threads). A stop qualifies when it lies inside the service area (all stops when
// the area is empty), is served by a route, can be reached by road, and is a transfer hub (a
// platform of a station, or served by settings::hub_min_routes routes) or lies within
// meeting_point_m of a meeting point.
class stop_catalog {
 public:
  stop_catalog(timetable const& tt, road::travel_model const& model, std::span<std::vector<latlon> const> area,
               std::span<latlon const> meeting_points, settings const& s, double meeting_point_m = 30.0);

  std::size_t size() const { return stops_.size(); }
  std::span<stop_idx const> stops() const { return stops_; }
  std::span<road::snapped_point const> snapped() const { return snapped_; }
  std::span<latlon const> coords() const { return coords_; }
  bool inside(latlon p) const;  // inside the service area (true when it has none)
  // The transfer buffer between a vehicle and a train at stop `st` (settings::stop_buffers_s,
  // else settings::transfer_buffer_s): what a journey's edge lasts beyond the road time, and what
  // the promise leaves between the drop-off and the departure or the arrival and the pickup.
  seconds_t buffer_at(stop_idx st) const;

 private:
  std::vector<std::vector<latlon>> area_;
  seconds_t default_buffer_{300};
  std::vector<std::pair<stop_idx, seconds_t>> buffers_;  // the stops with their own, by stop
  std::vector<stop_idx> stops_;
  std::vector<road::snapped_point> snapped_;
  std::vector<latlon> coords_;
};

struct candidate {
  stop_idx stop;
  seconds_t road_s{0};
  float road_m{0.0F};
  seconds_t buffer_s{0};  // stop_catalog::buffer_at(stop)
};

// Per-query scratch of find_candidates, owned by the caller and reused.
struct candidate_scratch {
  std::vector<std::pair<double, std::uint32_t>> near;  // (straight-line metres, catalog position)
  std::vector<road::snapped_point> points;
  std::vector<std::optional<road::travel_cost>> costs;
};

// Up to s.max_stops_per_side stops of the catalog for an on-demand leg from (first mile) or to
// (last mile) `place`, nearest by road time, at most s.max_road_s away, by increasing road time.
// Nothing when the place lies outside the service area or off the road network.
void find_candidates(stop_catalog const& catalog, road::travel_model const& model, latlon place, side which,
                     settings const& s, candidate_scratch& scratch, std::vector<candidate>& out);

}  // namespace nebuta::intermodal
