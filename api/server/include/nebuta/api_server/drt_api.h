// The on-demand dispatch API (/v1/drt/): HTTP requests → dispatcher commands, answered only once
// the command is durable in the SQLite journal.
//
// Concurrency. The dispatcher is single-threaded; one mutex serialises every request and the
// background re-optimisation. Each command is journaled (one synced SQLite commit) inside the
// dispatcher call, so an answer leaves only after its command is on disk. When the journal
// throws (disk full, I/O error), the in-memory state may be ahead of the disk: the service
// answers that request and every later write with 503 storage_unavailable (reads still work)
// until it is restarted, which rebuilds the state from the journal.
//
// Time. The dispatcher works on Unix instants and runs any number of days; service_clock turns
// them into the service zone's dates and times. Every command uses max(now, the largest `now`
// seen so far), so a clock that steps back never makes time run backwards inside the dispatcher.
//
// Fleet. Each dated shift of the fleet's patterns (fleet_calendar.h) is a dispatcher vehicle of
// its own; the service registers those of every date up to its booking horizon (at start, then as
// days pass), each once. A vehicle id names all its shifts; its telemetry goes to its current one
// (the first with stops left, else the first not over yet).
//
// Journal. Start-up restores the latest snapshot and replays the commands after it; the service
// compacts the journal every `compact_every` commands and when it stops, so start-up stays short
// however long it runs. The travel model's fingerprint is kept in the database: another model is
// refused unless accept_new_travel_model, which re-plans the open bookings under it and reports
// the promises that can no longer be kept (startup_notes).
//
// Auth. Operator endpoints need `Authorization: Bearer <operator token>` (compared through
// SHA-256 digests in constant time). An offer answer carries a rider token, HMAC-SHA256 of the
// request id under a secret created once per database, so tokens stay valid across restarts; it
// authorises GET, accept and cancel of that request only. Offers, /v1/drt/info and the GTFS-RT
// feed are public.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "nebuta/api_server/journey_token.h"
#include "nebuta/api_server/server.h"
#include "nebuta/core/time_zone.h"
#include "nebuta/dispatch/fleet_calendar.h"
#include "nebuta/dispatch/types.h"
#include "nebuta/intermodal/settings.h"
#include "nebuta/road/travel_model.h"
#include "nebuta/timetable/timetable.h"

namespace nebuta::intermodal {
class stop_catalog;
}

namespace nebuta::api_server {

// POSIX seconds now; tests inject their own.
using unix_clock = std::function<std::int64_t()>;

// Instants ↔ the dates and times people read, in the service's zone. A time of a service date
// counts GTFS's way: seconds from noon minus 12 h of that date (local midnight except on a day
// whose clock change comes before noon), so the planner's and the dispatcher's times of a day agree.
// ISO output carries the zone's offset at each instant (nebuta/core/time_zone.h).
struct service_clock {
  std::string timezone;
  civil::time_zone zone{civil::time_zone::utc()};

  // Throws std::invalid_argument for an unknown zone.
  static service_clock make(std::string const& timezone);

  date_t service_date(dispatch::instant t) const;          // the local date of an instant
  dispatch::instant day_start(date_t d) const;             // time 0 of a service date
  std::int64_t seconds_of_day(dispatch::instant t) const;  // of its service date
  std::string iso(dispatch::instant t) const;              // "2026-11-22T09:30:00+09:00"
  // ISO 8601 with an offset, that instant; without one, the wall time in the service's zone; "H:MM",
  // "HH:MM", "HH:MM:SS" (hours may exceed 23) or whole seconds, that time of the service date of
  // `now`. nullopt when malformed or outside 1970..2200.
  std::optional<dispatch::instant> parse(std::string const& text, dispatch::instant now) const;
};

// A stop of the loaded timetable as riders and drivers read it.
struct stop_label {
  std::string stop_id, name, platform_code;
};

// What the server knows of a journey connection's transit ride now (serve's realtime state): its
// expected time at the connection's stop (departure or arrival, as the connection's kind says),
// whether it is cancelled, and the next departure of the same route from that stop after it
// (0: not known).
struct connection_realtime {
  std::int64_t expected_unix{0};
  bool cancelled{false};
  std::int64_t next_departure_unix{0};
};
// nullopt: no realtime for that ride (the schedule holds).
using connection_lookup = std::function<std::optional<connection_realtime>(dispatch::connection const&)>;
// The lookup of `nebuta serve`: the ride's expected time in the realtime sources' published state
// (drt_journeys_rt.cc); `rt` must outlive it.
class realtime;
connection_lookup realtime_connection_lookup(realtime const& rt);

// Where a rider whose last-mile connection is lost stands (issue 16): at the connection's stop
// (`from`) from `at` (the ride's realtime arrival plus the buffer), bound for the leg's drop-off.
struct alternative_ask {
  latlon from{}, to{};
  std::int64_t at{0};
  bool wheelchair{false};
  std::vector<std::string> langs;
};
// The next alternative from there: a journey of a plan answer (by bus or train, or with an
// on-demand re-offer and its journey token), nullopt when there is none.
using alternative_finder = std::function<std::optional<v1::Journey>(alternative_ask const&)>;

struct drt_options {
  std::filesystem::path db;             // a SQLite file, or a PostgreSQL URI (postgresql://...)
  std::string service_area{"default"};  // keys the rows of a PostgreSQL database several areas share
  std::string advertise;                // this process's address, recorded when it leads (a standby names it)
  std::string timezone{"Asia/Tokyo"};
  std::string operator_token;       // empty: operator endpoints always answer 401/403
  unsigned reoptimise_every_s{30};  // background re-optimisation period; 0: off
  std::string travel_model_name{"straight_line"};
  std::string travel_model_fingerprint;  // kept in the database; empty: not checked
  bool accept_new_travel_model{false};
  std::int64_t compact_every{20'000};           // commands between two snapshots of the journal
  std::vector<dispatch::shift_pattern> shifts;  // the fleet, registered up to the booking horizon
  dispatch::holiday_calendar holidays;
  // Input checks: an earliest pickup this far in the past is invalid_time; a position farther than
  // max_off_area_m from the service area, or farther from the last one than max_speed_kmh allows
  // (plus position_jitter_m), is implausible_position.
  seconds_t past_pickup_tolerance_s{300};
  double max_off_area_m{5'000.0};
  double max_speed_kmh{150.0};
  double position_jitter_m{300.0};
  unix_clock clock;  // empty: the system clock
  // The loaded timetable's stops (empty functions: none loaded). A stop id or a stop name in any
  // language → the stop's coordinate, found as the journey planner finds places (a station: its
  // first platform); nullopt: no such stop; throws the planner's api_service::api_error when it
  // cannot decide (ambiguous_place, with its candidates). And the stop
  // at a meeting point (within 5 m), named in a language chain.
  std::function<std::optional<latlon>(std::string const& text, std::vector<std::string> const& langs)> stop_lookup;
  std::function<std::optional<stop_label>(latlon at, std::vector<std::string> const& langs)> stop_at;
  double walk_speed_kmh{4.8};  // riders' walk to and from meeting points
  // The realtime of journeys' transit rides (issue 16); empty: none (journeys show the schedule and
  // their legs are never moved).
  connection_lookup transit_realtime;
  // The next alternative of a rider whose connection is lost (GET /v1/journeys/{id}); empty: the
  // next departure of the same route, when the lookup knows it.
  alternative_finder next_alternative;
  // Who publishes the service as GTFS-Flex (GET /v1/drt/gtfs-flex.zip, docs/flex.md).
  struct publication {
    std::string name{"On-demand"};  // the zone's, the meeting points' and the route's name
    std::string agency_name{"Nebuta on-demand"}, agency_url{"https://example.org/"}, agency_lang;
    std::string phone, info_url, booking_url, message;  // of the booking rule
  } publish;
  // On-demand legs inside /v1/plan (the rules' "intermodal" object, docs/maas.md).
  intermodal::settings intermodal{};
};

// One on-demand leg of a planned journey the planner asks an offer for (docs/maas.md).
struct on_demand_ask {
  latlon pickup{}, dropoff{};
  // The rider is ready (first mile: the time asked; last mile: the train's arrival + buffer). With
  // a latest_dropoff and pickup_late, the pickup asked for is the later of this and what the
  // dispatcher's promise needs to end by latest_dropoff (plan_on_demand_drt.cc): a first mile
  // leaves no earlier than the train needs; a last mile (pickup_late false) from the train.
  dispatch::instant earliest_pickup{0};
  bool pickup_late{true};
  dispatch::instant latest_dropoff{dispatch::no_time};  // the connection's hard limit, or none
  std::uint16_t passengers{1}, wheelchair_users{0};
};

struct drt_state;  // drt_state.h
struct call;       // pipeline.h

class drt_service {
 public:
  // Opens (or creates) the database, replays its journal, then journals every new command.
  // Throws storage::journal_error / std::invalid_argument with context on start-up problems.
  drt_service(std::unique_ptr<road::travel_model> model, dispatch::rules rules, drt_options opt);
  ~drt_service();
  drt_service(drt_service const&) = delete;
  drt_service& operator=(drt_service const&) = delete;

  // Registers the fleet's shifts of every date up to the booking horizon that are not registered
  // yet; returns how many it added (the service also does this itself as days pass).
  std::size_t register_shifts();

  // Starts / stops the background re-optimisation thread (no-op when the period is 0).
  void start_background();
  void stop_background();

  bool owns(std::string_view target) const;  // /v1/drt, /v1/journeys and below
  // Re-plans the booked journeys' legs whose transit ride runs at another time than their booking
  // assumes (move commands; see drt_journeys.cc); returns how many moves it issued. The background
  // thread does it every period; a server calls it after each new realtime state, for the legs
  // whose connection `touched` says that state may have changed (empty: every leg).
  std::size_t check_connections(std::function<bool(dispatch::connection const&)> const& touched = {});
  // Sets the realtime lookup of journey connections (before start_background).
  void set_transit_realtime(connection_lookup lookup);
  // Sets how the next alternative of a lost connection is found (connect_journeys).
  void set_next_alternative(alternative_finder finder);
  // The answer of the route of the call (the pipeline's router calls this for the server), or
  // nullopt when the on-demand API has no route of that path.
  std::optional<http_response> route_call(call& c);
  // The whole pipeline with the on-demand API's routes alone and the default limits (tests,
  // fuzzing).
  http_response handle(http_request const& req, endpoint& ep);

  std::size_t n_replayed() const;  // commands applied after the snapshot at start-up
  std::size_t n_vehicles() const;  // dated shifts registered
  service_clock const& clock() const;
  // What start-up found worth saying: the snapshot restored, a new travel model and the promises
  // it breaks.
  std::vector<std::string> const& startup_notes() const;
  // Counters of the on-demand API for /metrics (Prometheus text).
  std::string prometheus_text() const;
  // The rider token of a request id (what the offer answer carried).
  std::string rider_token(std::uint32_t request) const;
  // The signed token of a planned journey's on-demand legs (journey_token.h), under the same
  // secret as rider tokens: what /v1/plan hands out and POST /v1/journeys takes back.
  std::string journey_token(journey_offer const& j) const;

  // The MaaS planner's side (/v1/plan with on_demand, plan_on_demand_drt.cc, docs/maas.md).
  intermodal::settings const& intermodal_settings() const;
  road::travel_model const& travel_model() const;  // thread-safe, like every travel model's const calls
  // The stops on-demand legs may serve in `tt` (built on first use, then shared read-only).
  std::shared_ptr<intermodal::stop_catalog const> stop_catalog(timetable const& tt) const;
  // An offer for one on-demand leg of a planned journey, journaled like POST /v1/drt/offers. The
  // caller drops it when its promised drop-off is later than ask.latest_dropoff.
  dispatch::offer_result on_demand_offer(on_demand_ask const& ask);
  // A copy: the vehicle table may grow once the lock is released.
  std::string vehicle_name(dispatch::vehicle_idx v) const;

 private:
  std::unique_ptr<drt_state> state_;
  mutable std::mutex catalog_mutex_;
  mutable std::shared_ptr<intermodal::stop_catalog const> catalog_;
  mutable timetable const* catalog_tt_{nullptr};
};

// Ties the service's journeys to `nebuta serve`'s planner and realtime (drt_journeys_rt.cc): the
// realtime lookup of connections, a check of the journeys each newly published realtime state
// touches (and one now), and the next alternative of a lost connection planned by `svc` (with
// `rt`'s state when given, and on-demand re-offers of `drt`). `svc`, `rt` and `drt` must outlive
// the realtime sources' polling and the server; `rt` may be null (no realtime: nothing moves).
void connect_journeys(drt_service& drt, api_service::service const& svc, realtime* rt);

}  // namespace nebuta::api_server
