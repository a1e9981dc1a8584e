// The realtime overlay: one immutable state per applied update, never a change to the timetable.
//
// Per trip and service day that realtime touches, the state holds the realtime arrival and
// departure at every stop of the trip (in the timetable's frame: seconds from the service day's
// noon minus 12 h), which stops are skipped or closed, the assigned stop, and whether the trip
// is cancelled; added trips (NEW, REPLACEMENT, DUPLICATED) carry their own stops and times.
//
// For RAPTOR the state also lays realtime out route by route (route_day): a RAPTOR route needs
// its trips not to overtake one another at any stop. A trip whose realtime times would overtake
// a neighbour, whose stop pattern changed (skipped, closed or assigned stops) or which was added
// runs in the overlay as a route of its own (extra_route), and is removed from its static
// route for that day. route_day blocks keep the timetable's layout (stop-major, all trips of the
// route), so a router reads them exactly as it reads the timetable.
//
// A state is built by build_state() (build.h) and shared as std::shared_ptr<state const>.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "nebuta/rt/updates.h"
#include "nebuta/timetable/timetable.h"

namespace nebuta::rt {

class context;

namespace stop_flags {
inline constexpr std::uint8_t arrival_rt = 1;    // realtime arrival (given or propagated)
inline constexpr std::uint8_t departure_rt = 2;  // realtime departure (given or propagated)
inline constexpr std::uint8_t given = 4;         // a stop_time_update named this stop with times
inline constexpr std::uint8_t skipped = 8;       // SKIPPED: passes without stopping
inline constexpr std::uint8_t no_pickup = 16;    // no boarding (pickup NONE, or a NO_SERVICE alert)
inline constexpr std::uint8_t no_drop_off = 32;  // no alighting
inline constexpr std::uint8_t assigned = 64;     // the stop differs from the schedule's
inline constexpr std::uint8_t closed = 128;      // a NO_SERVICE alert covers this stop time
}  // namespace stop_flags

struct stop_time {
  seconds_t arrival{0}, departure{0};  // service-day seconds
  seconds_t sched_arrival{0}, sched_departure{0};
  stop_idx stop{stop_idx::invalid()};  // served stop (assigned_stop_id, else the scheduled one)
  std::uint8_t flags{0};
  bool can_board() const { return (flags & (stop_flags::skipped | stop_flags::no_pickup | stop_flags::closed)) == 0U; }
  bool can_alight() const {
    return (flags & (stop_flags::skipped | stop_flags::no_drop_off | stop_flags::closed)) == 0U;
  }
};

enum class trip_status : std::uint8_t {
  updated,   // runs with the realtime times
  canceled,  // CANCELED, or every stop closed by NO_SERVICE
  deleted,   // DELETED: removed and not shown
  replaced,  // REPLACEMENT: the static trip does not run; an added trip runs instead
  added,     // NEW / ADDED, REPLACEMENT, DUPLICATED: runs with its own stops and times
};

struct trip_state {
  trip_idx trip{trip_idx::invalid()};  // static trip (copied / replaced one for added trips, or invalid)
  day_idx day{};                       // service day of the times
  trip_status status{trip_status::updated};
  trip_relationship relationship{trip_relationship::scheduled};
  bool estimated{false};   // from VehiclePositions
  bool alert_only{false};  // no realtime times, only NO_SERVICE closures
  std::uint16_t source{0};
  std::uint32_t first{0}, n{0};  // into state::times()
  std::uint32_t added{none_};    // into state::added() for status added
  std::optional<unix_time> timestamp;
  static constexpr std::uint32_t none_ = 0xFFFFFFFFU;
};

struct added_trip {
  std::string trip_id;
  line_idx line{line_idx::invalid()};
  std::string headsign, short_name, vehicle_id;
};

// A RAPTOR route's trips on one service day with realtime applied, laid out like the
// timetable's route block and the router's trip-major copy of it:
// stop-major [pos * n_trips + trip_in_route] (all trips at one stop, to find the trip to
// board) and trip-major [trip_in_route * n_stops + pos] (one trip along its stops).
struct route_day {
  route_idx route;
  day_idx day;
  std::uint32_t n_trips{0}, n_stops{0};
  std::vector<seconds_t> arrivals, departures;                  // stop-major
  std::vector<seconds_t> arrivals_by_trip, departures_by_trip;  // trip-major
  std::vector<std::uint8_t> removed;  // per trip in route: cancelled, replaced or moved to an extra route
};

// A trip running as a route of its own on one service day (one trip, so its stop-major and
// trip-major layouts coincide): state::extra_stops() etc. [first, first + n).
struct extra_route {
  day_idx day;
  std::uint32_t trip_state{0};  // index into state::trips()
  line_idx line{line_idx::invalid()};
  std::uint32_t first{0}, n{0};
};

struct build_stats {
  skip_counts skipped;
  std::uint64_t trip_updates{0};  // trip updates considered
  std::uint64_t applied{0};       // trip-days with a realtime state
  std::uint64_t canceled{0}, added{0};
  std::uint64_t overtaking{0};       // trips moved to a route of their own because of order
  std::uint64_t pattern_changes{0};  // trips moved because of skipped, closed or assigned stops
  std::uint64_t corrected_times{0};  // stop times moved so that times never go backwards
};

// What answers attach alerts to (state::alerts_informing).
struct informed_stop {
  stop_idx stop;
  std::optional<time_range> during;  // when the rider is there (none: whatever the periods)
};
struct informed_target {
  std::span<informed_stop const> stops;  // a ride's boarding and alighting stops, a departure's stop
  line_idx line{line_idx::invalid()};
  trip_idx trip{trip_idx::invalid()};
  std::optional<date_t> trip_date;   // the trip's service date
  std::optional<time_range> during;  // the ride, the departure (none: whatever the periods)
};

class state {
 public:
  state() = default;

  std::span<trip_state const> trips() const { return trips_; }
  std::span<stop_time const> times(trip_state const& t) const { return {times_.data() + t.first, t.n}; }
  std::span<added_trip const> added() const { return added_; }
  std::span<route_day const> route_days() const { return route_days_; }
  std::span<extra_route const> extra_routes() const { return extra_routes_; }
  std::span<alert const> alerts() const { return alerts_; }
  build_stats const& stats() const { return stats_; }
  std::optional<unix_time> feed_time() const { return feed_time_; }  // newest header timestamp
  // Unique per state built in this process (never 0): a router caches what it derives from a
  // state under this number, which, unlike the state's address, is never reused.
  std::uint64_t serial() const { return serial_; }

  // The realtime state of a static trip on a service day, or nullptr (no realtime: schedule).
  trip_state const* find(trip_idx t, day_idx d) const;
  // The route_day of route r on day d, or nullptr (the timetable's block applies).
  route_day const* find(route_idx r, day_idx d) const;
  // The extra routes of a service day, and those serving a stop.
  std::span<extra_route const> extra_routes_on(day_idx d) const;
  std::span<std::uint32_t const> extra_routes_at(stop_idx s) const;  // indices into extra_routes()
  // An extra route's stops, boarding flags (stop_time::flags) and times, for a route scan.
  std::span<stop_idx const> extra_stops(extra_route const& e) const { return {extra_stops_.data() + e.first, e.n}; }
  std::span<std::uint8_t const> extra_flags(extra_route const& e) const { return {extra_flags_.data() + e.first, e.n}; }
  std::span<seconds_t const> extra_arrivals(extra_route const& e) const { return {extra_arr_.data() + e.first, e.n}; }
  std::span<seconds_t const> extra_departures(extra_route const& e) const { return {extra_dep_.data() + e.first, e.n}; }

  // How much faster than the timetable realtime makes any one ride (the largest drop of arrival
  // minus departure between two stops of an updated trip): a router's lower bounds on travel
  // times computed from the timetable stay valid once lowered by this much per ride still to
  // take. None when added trips exist (they may connect stops the timetable never does): lower
  // bounds must not be used.
  std::optional<seconds_t> lower_bound_slack() const { return lb_slack_; }

  // Alerts informing a stop, a line or a trip (NO_SERVICE and display alike), as indices.
  std::vector<std::uint32_t> alerts_for(timetable const& tt, stop_idx s, line_idx l, trip_idx t,
                                        std::optional<unix_time> at = std::nullopt) const;
  // Alerts informing a ride, a departure or a stop (`informed_target`), as indices: an entity
  // informs it when every field the entity gives matches (its stop one of `stops`, or their
  // parent station; its trip, and trip_start_date the trip's date when known; its route, agency
  // or route type the line's) and the alert is active at some instant of the time it names: the
  // `during` of the matching stop for an entity with a stop, else the target's `during`.
  // direction_id is not checked (the state has no directions): it informs both.
  std::vector<std::uint32_t> alerts_informing(timetable const& tt, informed_target const& x) const;

  // Internal invariants: times never go backwards along a trip, route_days are FIFO over their
  // running trips, extra routes reference valid trips. Empty when valid; tests call it.
  std::vector<std::string> validate(context const& ctx) const;

 private:
  friend class state_builder;
  std::vector<trip_state> trips_;  // static trips sorted by (trip, day), then added trips
  std::uint32_t n_static_{0};
  std::vector<stop_time> times_;
  std::vector<added_trip> added_;
  std::vector<route_day> route_days_;      // sorted by (route, day)
  std::vector<extra_route> extra_routes_;  // sorted by day
  std::vector<std::uint32_t> extra_at_offsets_, extra_at_;
  std::vector<stop_idx> extra_stops_;
  std::vector<std::uint8_t> extra_flags_;
  std::vector<seconds_t> extra_arr_, extra_dep_;
  std::optional<seconds_t> lb_slack_{0};
  std::vector<alert> alerts_;
  build_stats stats_;
  std::optional<unix_time> feed_time_;
  static std::uint64_t next_serial() {
    static std::atomic<std::uint64_t> counter{0};
    return counter.fetch_add(1, std::memory_order_relaxed) + 1;
  }
  std::uint64_t serial_{next_serial()};
};

}  // namespace nebuta::rt
