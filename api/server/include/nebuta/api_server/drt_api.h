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
// Time. The dispatcher counts seconds from local midnight of the service date (see
// service_clock). Every command uses max(now, the largest `now` seen so far), so a clock that
// steps back never makes time run backwards inside the dispatcher.
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
#include <optional>
#include <span>
#include <string>

#include "nebuta/api_server/server.h"
#include "nebuta/core/time_zone.h"
#include "nebuta/dispatch/types.h"
#include "nebuta/road/travel_model.h"

namespace nebuta::api_server {

// POSIX seconds now; tests inject their own.
using unix_clock = std::function<std::int64_t()>;

// Wall clock ↔ service-day seconds, GTFS's way: s = unix - the unix time of "noon minus 12 h"
// of the service date in the service's zone (local midnight except on a day whose clock change
// comes before noon), so the planner's and the dispatcher's seconds of a day are the same.
// ISO output carries the zone's offset at each instant (nebuta/core/time_zone.h).
struct service_clock {
  std::string timezone;
  std::string service_date;     // YYYY-MM-DD
  std::int64_t midnight_unix{0};  // the service day's time 0 ("noon minus 12 h")
  std::int32_t utc_offset_s{0};   // at time 0
  civil::time_zone zone{civil::time_zone::utc()};

  // Throws std::invalid_argument for an unknown zone or a malformed date.
  static service_clock make(std::string const& timezone, std::string const& service_date);
  static std::string today(std::string const& timezone, std::int64_t unix_now);

  seconds_t to_service(std::int64_t unix) const;
  std::int64_t to_unix(seconds_t s) const { return midnight_unix + s; }
  std::string iso(seconds_t s) const;  // "2026-11-22T09:30:00+09:00"
  // "H:MM", "HH:MM", "HH:MM:SS", whole seconds, or ISO 8601 (with offset; without one, the wall
  // time in the service's zone). nullopt when malformed.
  std::optional<seconds_t> parse(std::string const& text) const;
};

struct drt_options {
  std::filesystem::path db;
  std::string timezone{"Asia/Tokyo"};
  std::string service_date;          // used when the database is created; empty: today in `timezone`
  std::string operator_token;        // empty: operator endpoints always answer 401/403
  unsigned reoptimise_every_s{30};   // background re-optimisation period; 0: off
  std::string travel_model_name{"straight_line"};
  std::size_t max_body_bytes{64 * 1024};
  unix_clock clock;                  // empty: the system clock
  // Stop id of the loaded timetable → coordinate (empty: stop ids are not accepted).
  std::function<std::optional<latlon>(std::string const&)> stop_lookup;
};

struct drt_state;  // drt_state.h

class drt_service {
 public:
  // Opens (or creates) the database, replays its journal, then journals every new command.
  // Throws storage::journal_error / std::invalid_argument with context on start-up problems.
  drt_service(std::unique_ptr<road::travel_model> model, dispatch::rules rules, drt_options opt);
  ~drt_service();
  drt_service(drt_service const&) = delete;
  drt_service& operator=(drt_service const&) = delete;

  // Registers every vehicle whose name (vehicle_id) is not in the fleet yet; returns how many.
  std::size_t add_missing_vehicles(std::span<dispatch::vehicle_spec const> fleet);

  // Starts / stops the background re-optimisation thread (no-op when the period is 0).
  void start_background();
  void stop_background();

  bool owns(std::string_view target) const;  // /v1/drt and below
  http_response handle(http_request const& req, endpoint& ep);

  std::size_t n_replayed() const;
  std::size_t n_vehicles() const;
  service_clock const& clock() const;
  // The rider token of a request id (what the offer answer carried).
  std::string rider_token(std::uint32_t request) const;

 private:
  std::unique_ptr<drt_state> state_;
};

}  // namespace nebuta::api_server
