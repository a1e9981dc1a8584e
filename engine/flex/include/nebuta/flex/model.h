// GTFS-Flex v2 (as adopted into the GTFS reference in 2024) as the engine holds it: zones
// (locations.geojson), location groups (sets of stops), booking rules, and flex trips, each a
// sequence of windows (a stop_time with a zone, a group or a stop and a time window). Built once
// by flex::builder, then const. External ids are kept for output only; everything inside is
// addressed by the strong indices below.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nebuta/core/geo.h"
#include "nebuta/core/strong_idx.h"
#include "nebuta/core/time.h"

namespace nebuta::flex {

using zone_idx = strong_idx<struct zone_tag>;
using stop_idx = strong_idx<struct stop_tag>;
using group_idx = strong_idx<struct group_tag>;
using booking_rule_idx = strong_idx<struct booking_rule_tag>;
using service_idx = strong_idx<struct service_tag>;
using trip_idx = strong_idx<struct trip_tag>;
using window_idx = strong_idx<struct window_tag>;

// A Polygon or MultiPolygon of locations.geojson. Rings as the dispatcher's service area holds
// them (outer rings and holes, without the closing position), tested with the same even-odd rule.
struct zone {
  std::string id, name;
  std::vector<std::vector<latlon>> rings;
  latlon min{90.0, 180.0}, max{-90.0, -180.0};  // bounding box, for a cheap first test
};

// A stop a flex trip serves: a member of a location group, or a fixed stop of a deviated route.
struct stop {
  std::string id, name;
  latlon pos;
};

struct group {
  std::string id, name;
  std::vector<stop_idx> stops;
};

enum class booking_type : std::uint8_t { real_time = 0, same_day = 1, prior_days = 2 };

// booking_rules.txt. Durations in minutes and day counts as in the file; times of day in seconds.
struct booking_rule {
  std::string id;
  booking_type type{booking_type::real_time};
  std::optional<std::int32_t> prior_notice_duration_min, prior_notice_duration_max;  // minutes
  std::optional<std::int32_t> prior_notice_last_day, prior_notice_start_day;         // days before
  std::optional<seconds_t> prior_notice_last_time, prior_notice_start_time;
  service_idx prior_notice_service{service_idx::invalid()};  // days counted are its service days
  std::string message, pickup_message, drop_off_message, phone_number, info_url, booking_url;
};

// calendar.txt + calendar_dates.txt for one service_id, kept as the rule the feed states.
struct service {
  std::string id;
  std::uint8_t weekdays{0};  // bit 0 = Monday ... bit 6 = Sunday
  std::optional<date_t> start, end;
  std::vector<date_t> added, removed;  // sorted
  bool runs_on(date_t day) const;
};

enum class location_kind : std::uint8_t { zone, group, stop };

// Where a window picks up or drops off: one of the three tables, by index.
struct location_ref {
  location_kind kind{location_kind::stop};
  std::uint32_t index{0};
  static location_ref of(zone_idx z) { return {location_kind::zone, z.v()}; }
  static location_ref of(group_idx g) { return {location_kind::group, g.v()}; }
  static location_ref of(stop_idx s) { return {location_kind::stop, s.v()}; }
  zone_idx zone() const { return zone_idx{index}; }
  group_idx group() const { return group_idx{index}; }
  stop_idx stop() const { return stop_idx{index}; }
  bool operator==(location_ref const&) const = default;
};

// GTFS pickup_type / drop_off_type values.
enum class service_kind : std::uint8_t { regular = 0, none = 1, phone_agency = 2, coordinate_with_driver = 3 };

// One stop_time of a flex trip: a zone or group with [start, end] =
// start/end_pickup_drop_off_window, or a fixed stop with [arrival, departure].
struct window {
  location_ref where;
  seconds_t start{0}, end{0};
  service_kind pickup{service_kind::regular}, drop_off{service_kind::regular};
  booking_rule_idx pickup_rule{booking_rule_idx::invalid()}, drop_off_rule{booking_rule_idx::invalid()};
  std::uint32_t stop_sequence{0};
  bool is_time_window{false};  // from start/end_pickup_drop_off_window (else a timed stop)
};

struct trip {
  std::string id, route_id;
  service_idx service{service_idx::invalid()};
  window_idx first_window{0};
  std::uint32_t n_windows{0};
};

class model {
 public:
  vecmap<zone_idx, zone> zones;
  vecmap<stop_idx, stop> stops;
  vecmap<group_idx, group> groups;
  vecmap<booking_rule_idx, booking_rule> booking_rules;
  vecmap<service_idx, service> services;
  vecmap<trip_idx, trip> trips;
  vecmap<window_idx, window> windows;  // trip after trip, in stop_sequence order

  std::span<window const> windows_of(trip_idx t) const {
    auto const& tr = trips[t];
    return {windows.raw().data() + tr.first_window.v(), tr.n_windows};
  }
  std::size_t n_time_windows() const;  // windows from start/end_pickup_drop_off_window

  // By external id (linear: for tests and output, not for the query path).
  std::optional<zone_idx> find_zone(std::string_view id) const;
  std::optional<group_idx> find_group(std::string_view id) const;
  std::optional<trip_idx> find_trip(std::string_view id) const;
  std::optional<booking_rule_idx> find_booking_rule(std::string_view id) const;

  // Internal consistency (indices in range, windows ordered, start <= end); empty when sound.
  std::vector<std::string> validate() const;
};

// Point-in-zone with the dispatcher's even-odd ring test (dispatch::inside_area).
bool contains(zone const& z, latlon p);

// Appends things and hands out their indices; finish() returns the model (sorted dates, bounding
// boxes). Trips are added with all their windows at once, so a trip's windows stay contiguous.
class builder {
 public:
  zone_idx add_zone(zone z);
  stop_idx add_stop(stop s) { return m_.stops.push_back(std::move(s)); }
  group_idx add_group(group g) { return m_.groups.push_back(std::move(g)); }
  booking_rule_idx add_booking_rule(booking_rule r) { return m_.booking_rules.push_back(std::move(r)); }
  service_idx add_service(service s) { return m_.services.push_back(std::move(s)); }
  // Windows are sorted by stop_sequence here.
  trip_idx add_trip(trip t, std::vector<window> windows);
  // Filled in place while reading (calendar_dates.txt after calendar.txt, group members).
  service& service_at(service_idx i) { return m_.services[i]; }
  group& group_at(group_idx i) { return m_.groups[i]; }
  model const& peek() const { return m_; }
  model finish() &&;

 private:
  model m_;
};

}  // namespace nebuta::flex
