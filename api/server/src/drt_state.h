// The on-demand service's state behind drt_service (drt_api.h), shared by the files of the
// /v1/drt/ API: the dispatcher and its journal, the clock, the vehicle index, the mapping of
// dispatcher state to messages (drt_messages.cc) and the background re-optimisation.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <variant>
#include <vector>

#include "gtfs-realtime.pb.h"
#include "nebuta/api_server/drt_api.h"
#include "nebuta/api_service/errors.h"
#include "nebuta/dispatch/dispatcher.h"
#include "nebuta/storage/journal.h"
#include "nebuta/storage/store.h"
#include "nebuta/v1/drt.pb.h"
#include "nebuta/v1/journeys.pb.h"

namespace nebuta::api_server {

struct drt_state {
  drt_state(std::unique_ptr<road::travel_model> m, dispatch::rules r, drt_options o)
      : model{std::move(m)}, disp{*model, std::move(r)}, opt{std::move(o)} {}

  struct posted_position {
    latlon coord{};
    dispatch::instant at{0};
    bool valid{false};
  };

  std::unique_ptr<road::travel_model> model;
  dispatch::dispatcher disp;
  drt_options opt;
  service_clock sclock;
  std::string secret;
  std::unique_ptr<storage::journal_store> store;      // SQLite file or PostgreSQL database
  std::unique_ptr<storage::durable_journal> journal;  // its writer
  std::size_t n_replayed{0};
  std::vector<std::string> startup_notes;

  mutable std::mutex mutex;  // guards everything below and the dispatcher
  dispatch::instant last_now{0};
  bool failed{false};
  // A vehicle id's shifts (dispatcher vehicles), by shift start.
  std::unordered_map<std::string, std::vector<dispatch::vehicle_idx>> vehicle_by_name;
  std::vector<posted_position> positions;  // by dispatcher vehicle (shift)
  date_t shifts_registered_until{};        // the fleet's shifts are registered up to this date
  std::atomic<std::uint64_t> n_implausible_positions{0}, n_invalid_times{0}, n_compactions{0};

  // A standby (drt_standby.cc): not leading, it follows the leader's journal, answers reads and
  // refuses writes until it takes the leadership over.
  std::atomic<bool> leading{true};
  std::int64_t applied_seq{0};  // the journal's last command applied here (a shared store)
  void start_as_follower();
  std::size_t catch_up();  // applies the commands after applied_seq; callers hold the mutex
  void follow_loop();      // the standby's thread: follow, take over, then background_loop

  std::thread background;
  std::condition_variable wake;
  bool stopping{false};

  std::int64_t unix_now() const {
    if (opt.clock) return opt.clock();
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  }

  // Caller holds the mutex.
  dispatch::instant now() {
    last_now = std::max(last_now, unix_now());
    return last_now;
  }

  // Keeps the service's indices in step with a command the dispatcher applied (also in replays).
  void observe(dispatch::command const& c, dispatch::command_result const& res) {
    std::visit([&](auto const& cmd) { last_now = std::max(last_now, cmd.now); }, c);
    if (std::holds_alternative<dispatch::add_vehicle_cmd>(c)) {
      index_shift(std::get<dispatch::vehicle_idx>(res));
    } else if (auto const* p = std::get_if<dispatch::position_cmd>(&c)) {
      if (std::get<dispatch::command_status>(res) == dispatch::command_status::ok)
        positions[p->vehicle.v()] = {p->position, p->now, true};
    }
  }

  // drt_fleet.cc; callers hold the mutex.
  void index_shift(dispatch::vehicle_idx v);
  std::optional<dispatch::vehicle_idx> current_shift(std::string const& name, dispatch::instant now) const;
  std::size_t register_shifts(dispatch::instant now);
  void compact_if_due(bool force);
  std::string encode_extra() const;
  void decode_extra(std::string_view extra);
  void start_up();  // drt_startup.cc: the journal, the fingerprint, the fleet
  // The pickup to ask for so that the promise ends by spec.latest_dropoff (plan_on_demand_drt.cc).
  dispatch::instant pickup_for_dropoff_by(dispatch::request_spec const& spec) const;

  std::string token(std::uint32_t request) const;  // the rider token of a request (drt_token.cc)
  // drt_journeys.cc: a journey's rider token, its message, and the move commands for legs whose
  // transit ride runs at another time (returns how many); callers hold the mutex.
  std::string journey_token(std::uint32_t journey) const;
  v1::BookedJourney journey_message(dispatch::journey_idx j, std::vector<std::string> const& chain) const;
  std::size_t check_connections(dispatch::instant now,
                                std::function<bool(dispatch::connection const&)> const& touched = {});
  // The rider's point of a journey's lost last-mile connection, and the alternative last found
  // from there (kept while that point and time stay and its offers are valid).
  std::optional<alternative_ask> alternative_ask_of(dispatch::journey_idx j) const;
  struct found_alternative {
    std::int64_t at{0}, until{0};
    std::optional<v1::Journey> journey;
  };
  std::unordered_map<std::uint32_t, found_alternative> alternatives;

  // Runs a state-changing call; a throwing journal makes the service read-only.
  template <typename F>
  auto write(F&& f) {
    if (failed) throw api_service::api_error{503, "storage_unavailable"};
    try {
      return f();
    } catch (std::exception const& e) {
      failed = true;
      std::fprintf(stderr, "nebuta dispatch: storage failure, refusing further writes: %s\n", e.what());
      throw api_service::api_error{503, "storage_unavailable"};
    }
  }

  void background_loop();

  // Message mapping (drt_messages.cc); callers hold the mutex.
  v1::DrtTime* set_time(v1::DrtTime* t, dispatch::instant s) const;
  static void set_latlon(v1::LatLon* out, latlon p) {
    out->set_lat(p.lat);
    out->set_lon(p.lon);
  }
  std::string const& vehicle_name(dispatch::vehicle_idx v) const { return disp.vehicle(v).spec.name; }
  using langs = std::vector<std::string>;
  v1::DrtRequestStatus request_status(dispatch::request_idx r, langs const& chain) const;
  v1::DrtVehicle vehicle_message(dispatch::vehicle_idx vi) const;
  v1::DrtVehicleStops stops_message(dispatch::vehicle_idx vi, langs const& chain) const;
  // A meeting point `at` for a rider who asked for `asked`: the stop there, the walk.
  void set_point(v1::DrtMeetingPoint* out, latlon asked, latlon at, langs const& chain) const;
  transit_realtime::FeedMessage vehicle_positions() const;
};

// drt_messages.cc: the catalogue id of a refusal's message ("rejected.outside_area"), and the
// error of a command the dispatcher refused.
std::string reject_message_id(dispatch::reject_reason r);
api_service::api_error status_error(dispatch::command_status s);

struct call;  // pipeline.h
// drt_standby.cc: GET /v1/drt/leader (200 when this process leads, 503 otherwise, with the
// leader's address), and a standby's 503 not_leader to every other request that is not a GET.
std::optional<http_response> standby_answer(drt_state& m, call& c);

}  // namespace nebuta::api_server
