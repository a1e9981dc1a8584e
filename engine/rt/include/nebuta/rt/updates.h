// The realtime updates the engine accepts: GTFS-Realtime's TripUpdates, VehiclePositions and
// Alerts as plain values with ids already resolved to timetable indices. feeds/gtfs_rt produces
// them from protobuf bytes; tests and the simulator build them directly. Nothing here knows
// protobuf.
//
// Times are POSIX seconds (unix_time) as in GTFS-RT; the overlay converts them to the
// timetable's service-day seconds through the agency's time zone (engine/core).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nebuta/timetable/types.h"

namespace nebuta::rt {

using unix_time = std::int64_t;  // seconds since 1970-01-01T00:00:00Z

// Why an entity (or a part of it) was not applied. Every skip is counted by its reason; none is
// fatal for the rest of the feed.
enum class skip_reason : std::uint8_t {
  unknown_trip,       // trip_id not in the static feed (and not a NEW / ADDED trip)
  unknown_stop,       // stop_id not in the static feed
  unknown_route,      // route_id not in the static feed
  bad_sequence,       // stop_time_updates out of trip order, or stop not on the trip
  stale_timestamp,    // older than what was already applied (feed, trip or vehicle)
  bad_time,           // unparsable or implausible time or date
  outside_timetable,  // service date outside the timetable's days
  not_running,        // the trip does not run on the service date
  ambiguous_trip,     // descriptor matches several trip instances
  unsupported,        // frequency-based (UNSCHEDULED) trips, trip modifications
  empty_entity,       // none of trip_update, vehicle, alert
  no_position,        // VehiclePosition without a usable position
  unmatched_vehicle,  // position matches no trip running near it
  position_jump,      // implausible speed or backward move from the vehicle's last position
  off_route,          // position too far from the trip's path
  bad_entity,         // anything else that makes the entity unusable
};
inline constexpr std::size_t n_skip_reasons = 16;

inline constexpr std::array<std::string_view, n_skip_reasons> skip_reason_names{
    "unknown_trip",      "unknown_stop",  "unknown_route",  "bad_sequence", "stale_timestamp", "bad_time",
    "outside_timetable", "not_running",   "ambiguous_trip", "unsupported",  "empty_entity",    "no_position",
    "unmatched_vehicle", "position_jump", "off_route",      "bad_entity"};

inline std::string_view name(skip_reason r) { return skip_reason_names[static_cast<std::size_t>(r)]; }

struct skip_counts {
  std::array<std::uint64_t, n_skip_reasons> n{};
  void add(skip_reason r, std::uint64_t k = 1) { n[static_cast<std::size_t>(r)] += k; }
  std::uint64_t operator[](skip_reason r) const { return n[static_cast<std::size_t>(r)]; }
  std::uint64_t total() const {
    std::uint64_t s = 0;
    for (auto const x : n) s += x;
    return s;
  }
  skip_counts& operator+=(skip_counts const& o) {
    for (auto i = 0U; i < n_skip_reasons; ++i) n[i] += o.n[i];
    return *this;
  }
};

// GTFS-RT TripDescriptor.ScheduleRelationship. ADDED (deprecated, behaviour unspecified) is
// read as NEW, as the specification now recommends.
enum class trip_relationship : std::uint8_t {
  scheduled,
  canceled,     // removed, shown as cancelled
  deleted,      // removed, not shown
  new_trip,     // NEW or ADDED: a trip of its own with the stops and times of the update
  replacement,  // replaces the static trip by the stops and times of the update
  duplicated,   // a copy of the static trip at another date / start time
  unscheduled,  // frequency-based exact_times = 0: not supported
};

enum class stop_relationship : std::uint8_t { scheduled, skipped, no_data, unscheduled };

struct stop_event {
  std::optional<std::int32_t> delay;
  std::optional<unix_time> time;  // takes precedence over delay
  std::optional<std::int32_t> uncertainty;
  bool given() const { return delay.has_value() || time.has_value(); }
};

enum class pickup_change : std::uint8_t { none, regular, no_service };

struct stop_time_update {
  std::optional<std::uint32_t> stop_sequence;
  stop_idx stop{stop_idx::invalid()};  // stop_id, when given and known
  stop_event arrival, departure;
  stop_relationship relationship{stop_relationship::scheduled};
  stop_idx assigned_stop{stop_idx::invalid()};  // StopTimeProperties.assigned_stop_id
  pickup_change pickup{pickup_change::none}, drop_off{pickup_change::none};
};

struct trip_update {
  std::string entity_id;
  trip_relationship relationship{trip_relationship::scheduled};
  // The static trip: the updated one, or the one duplicated / replaced. Invalid for NEW trips.
  trip_idx trip{trip_idx::invalid()};
  std::string trip_id;                 // as written (NEW trips, messages)
  line_idx line{line_idx::invalid()};  // route_id when given (required for NEW trips to be shown with a line)
  std::optional<std::uint8_t> direction;
  std::optional<date_t> start_date;
  std::optional<seconds_t> start_time;
  std::string vehicle_id;
  std::optional<unix_time> timestamp;
  std::optional<std::int32_t> delay;  // trip-level delay (experimental field)
  std::vector<stop_time_update> stops;
  // TripProperties (DUPLICATED: the copy's trip id, date and start time; NEW: headsign, ...).
  std::string new_trip_id;
  std::optional<date_t> new_start_date;
  std::optional<seconds_t> new_start_time;
  std::string headsign, short_name;
  bool estimated{false};  // made from VehiclePositions by the vehicle tracker
};

enum class vehicle_status : std::uint8_t { incoming_at, stopped_at, in_transit_to };

struct vehicle_position {
  std::string entity_id;
  std::string vehicle_id, label;
  trip_idx trip{trip_idx::invalid()};  // from the descriptor, when it names a known trip
  std::string trip_id;
  line_idx line{line_idx::invalid()};
  std::optional<std::uint8_t> direction;
  std::optional<date_t> start_date;
  std::optional<seconds_t> start_time;
  std::optional<latlon> position;
  std::optional<float> bearing, speed;
  std::optional<std::uint32_t> current_stop_sequence;
  stop_idx stop{stop_idx::invalid()};
  vehicle_status status{vehicle_status::in_transit_to};
  std::optional<unix_time> timestamp;
};

// Alerts: see alerts.h for what the overlay derives from them.
struct time_range {
  std::optional<unix_time> start, end;  // active when start <= t < end; missing bound = open
  bool contains(unix_time t) const { return (!start || *start <= t) && (!end || t < *end); }
};

struct translation {
  std::string language;  // BCP 47, may be empty
  std::string text;
};
using translated_text = std::vector<translation>;

// The text for a reader whose languages are `chain`, most wanted first (GTFS-RT's
// TranslatedString resolution): the first translation in the first language of the chain that
// has one, exactly ("en-US" for "en-us") or by language prefix ("en-US" for "en"); else the
// translation without language; else the first. Empty when there is none.
std::string_view pick(translated_text const& t, std::span<std::string const> chain);

// Every given field must match (GTFS-RT EntitySelector). An id that does not resolve makes the
// selector inform nothing (`unresolved`); it is kept for display.
struct informed_entity {
  agency_idx agency{agency_idx::invalid()};
  line_idx line{line_idx::invalid()};
  std::optional<std::int16_t> route_type;
  trip_idx trip{trip_idx::invalid()};
  std::optional<date_t> trip_start_date;
  stop_idx stop{stop_idx::invalid()};
  std::optional<std::uint8_t> direction;
  bool unresolved{false};
};

// GTFS-RT Alert.Cause / Effect / SeverityLevel, numbered as in the specification.
enum class alert_cause : std::uint8_t {
  unknown = 1,
  other,
  technical_problem,
  strike,
  demonstration,
  accident,
  holiday,
  weather,
  maintenance,
  construction,
  police_activity,
  medical_emergency
};
enum class alert_effect : std::uint8_t {
  no_service = 1,
  reduced_service,
  significant_delays,
  detour,
  additional_service,
  modified_service,
  other,
  unknown,
  stop_moved,
  no_effect,
  accessibility_issue
};
enum class alert_severity : std::uint8_t { unknown = 1, info, warning, severe };

struct alert {
  std::string id;
  std::vector<time_range> active_periods;  // none: active while in the feed
  std::vector<informed_entity> informed;
  alert_cause cause{alert_cause::unknown};
  alert_effect effect{alert_effect::unknown};
  alert_severity severity{alert_severity::unknown};
  translated_text url, header, description, tts_header, tts_description, cause_detail, effect_detail;
  bool active_at(unix_time t) const {
    if (active_periods.empty()) return true;
    for (auto const& p : active_periods) {
      if (p.contains(t)) return true;
    }
    return false;
  }
};

// One fetch of one feed (FeedMessage), decoded.
struct feed_message {
  std::string version;       // gtfs_realtime_version
  bool differential{false};  // FeedHeader.incrementality
  std::optional<unix_time> timestamp;
  std::vector<trip_update> trip_updates;
  std::vector<vehicle_position> vehicles;
  std::vector<alert> alerts;
  std::vector<std::string> deleted_entities;  // is_deleted entities of a DIFFERENTIAL feed
  skip_counts skipped;                        // entities (or stop_time_updates) left out while decoding
  std::uint64_t entities{0};                  // FeedEntity count
};

}  // namespace nebuta::rt
