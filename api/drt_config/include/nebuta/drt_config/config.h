// Configuration files of the on-demand service, read at the edge and turned into engine values:
// the service rules (JSON, with a GeoJSON service area and meeting points), the fleet (CSV) and
// the travel model (OSM extract or straight-line parameters). Shared by `nebuta dispatch`,
// `nebuta serve` and `nebuta simulate` (whose scenario embeds the same rules object).
//
// Error policy: a file that cannot be read, or JSON that is not an object, throws config_error
// with "file: reason". Inside a file, a bad value throws config_error naming the file and the key
// path (rules are small and must be right; half a rule set is worse than none). Fleet CSV rows
// are different: a bad row is reported as "file:line: reason", skipped and counted, like feeds.
//
// Rules JSON keys (all optional; defaults are dispatch::rules' defaults):
//   max_wait_s, ride_factor (alpha), ride_offset_s (beta), dwell_s, offer_ttl_s, no_show_wait_s,
//   promise_slack_s, max_booking_ahead_s, max_passengers, passenger_weight, max_walk_m,
//   service_area:   a GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection of those
//                   (inline object), or a string: path of a .geojson file relative to the JSON file;
//   meeting_points: an array of [lat, lon] pairs, or {"gtfs": "path/to/feed"} (every stop of the
//                   feed with location_type 0 or empty becomes a meeting point), or a string path of
//                   a GeoJSON file of Points;
//   holidays:       the service's holidays (for the fleet's `days`): a holiday list file or GTFS
//                   feed path, {"gtfs": path}, an array of "YYYY-MM-DD", or null (calendar.h);
//   intermodal:     on-demand legs inside /v1/plan and the rule that shows them (docs/maas.md):
//                   an object of intermodal::settings' fields (enabled, max_stops_per_side, ...,
//                   and the mixer's show_only_way, min_time_saving_s, ...), read into
//                   `intermodal` when given (checked either way).
// Times are whole seconds, 0 to 366 days; ride_factor >= 1; passenger_weight, max_walk_m >= 0;
// max_passengers 1..65535; numbers finite; an unknown key is an error. GeoJSON rings must be
// closed (stored without the closing position); null service_area / meeting_points = none.
// rules_to_json writes every key back (defaults filled in; service area as a Polygon or
// MultiPolygon, rings closed, in stored order; meeting points as [lat, lon]).
//
// Fleet CSV columns: vehicle_id, seats, wheelchair_spaces (optional, 0), depot_lat, depot_lon,
// shift_start, shift_end (HH:MM or HH:MM:SS, hours may exceed 23; or integer seconds: times of the
// service date, GTFS's way), days (optional, "daily": on which dates the shift runs, calendar.h).
// A vehicle may have several rows (e.g. a weekday and a weekend shift); its seats, wheelchair
// spaces and depot must then be the same on each.
#pragma once

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "nebuta/dispatch/fleet_calendar.h"
#include "nebuta/dispatch/types.h"
#include "nebuta/intermodal/settings.h"

namespace nebuta::drt_config {

struct config_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// `base_dir` resolves relative paths inside the object (service_area file, GTFS feed);
// `source_name` names the object in error messages (usually the file name).
// The "holidays" key is read into `holidays` when given (and checked either way).
struct holiday_list;
dispatch::rules parse_rules(nlohmann::json const& j, std::filesystem::path const& base_dir,
                            std::string const& source_name, holiday_list* holidays = nullptr,
                            intermodal::settings* intermodal = nullptr);
dispatch::rules load_rules(std::filesystem::path const& file, holiday_list* holidays = nullptr,
                           intermodal::settings* intermodal = nullptr);
nlohmann::json rules_to_json(dispatch::rules const& r);

struct fleet {
  std::vector<dispatch::shift_pattern> shifts;   // one per row
  std::vector<dispatch::vehicle_spec> vehicles;  // one per row: shift times in seconds of the service date
  std::vector<std::string> errors;               // "file:line: reason" for every skipped row
  std::size_t n_skipped{0};
};
fleet load_fleet_csv(std::filesystem::path const& file);

}  // namespace nebuta::drt_config
