// Coverage of the fixed network per origin: how far the nearest stop and station are, how many
// departures a day are within reach, and the usual Japanese definitions of a transit gap
// (交通空白地域) built on them.
//
// The definitions vary between documents, so the distances are parameters: MLIT's 地域公共交通
// づくりハンドブック counts as a gap, in the regions, more than 1,000 m from a station and more than
// 500 m from a bus stop (in cities 500 m and 300 m); the 地域公共交通確保維持改善事業 subsidy rules
// count settlements with no bus stop, station, port or airport within 1 km. Municipalities add a
// service level ("fewer than N buses a day": 交通不便地域), which `min_departures` is.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "nebuta/access/grid.h"
#include "nebuta/raptor/index.h"
#include "nebuta/timetable/timetable.h"

namespace nebuta::access {

// Stops (with coordinates) sorted by latitude, for "which stops are near" and "which is nearest".
class stop_locator {
 public:
  stop_locator(timetable const& tt, std::function<bool(stop_idx)> const& keep = {});
  // The nearest kept stop and its distance, or nothing when there is none.
  std::optional<std::pair<stop_idx, double>> nearest(latlon c) const;
  bool empty() const { return by_lat_.empty(); }

 private:
  timetable const& tt_;
  std::vector<std::pair<double, stop_idx>> by_lat_;
};

// True for GTFS route types that run on rails (tram, subway, rail, cable tram, funicular,
// monorail, and the extended types 100-199, 400-499, 900-999).
bool is_rail_route_type(int route_type);

struct coverage_options {
  date_t date{};
  double departures_radius_m{500.0};
  double gap_stop_m{500.0};          // a gap: no bus stop within this ...
  double gap_station_m{1000.0};      // ... and no station within this
  double any_stop_m{1000.0};         // the subsidy rules' "nothing within 1 km"
  std::uint32_t min_departures{30};  // fewer departures a day within departures_radius_m: 交通不便
};

struct coverage {
  std::optional<double> nearest_stop_m;      // any stop
  std::optional<double> nearest_bus_stop_m;  // a stop served by no rail route
  std::optional<double> nearest_station_m;   // a rail stop of the feed, or an extra station point
  std::uint32_t departures{0};               // trips of the day that can be boarded within departures_radius_m
                                             // (a trip stopping at two of those stops counts once)
  bool gap{false};                           // > gap_stop_m from a bus stop and > gap_station_m from a station
  bool gap_1km{false};                       // nothing (stop or station) within any_stop_m
  bool few_departures{false};                // departures < min_departures
};

// Coverage of every origin. `extra_stations`: stations the feed does not have (a bus feed's
// railway stations).
std::vector<coverage> compute_coverage(raptor::index const& idx, std::span<origin const> origins,
                                       std::span<latlon const> extra_stations, coverage_options const& opt);

}  // namespace nebuta::access
