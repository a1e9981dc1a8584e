// The on-demand service's state behind drt_service (drt_api.h), shared by the files of the
// /v1/drt/ API: the dispatcher and its journal, the clock, the vehicle index, the mapping of
// dispatcher state to messages (drt_messages.cc) and the background re-optimisation.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <variant>
#include <vector>

#include "gtfs-realtime.pb.h"
#include "nebuta/api_server/drt_api.h"
#include "nebuta/dispatch/dispatcher.h"
#include "nebuta/storage/journal.h"
#include "nebuta/v1/drt.pb.h"

namespace nebuta::api_server {

struct drt_error {
  int status;
  std::string code;
  std::string message;
  std::string allow{};
};

struct drt_state {
  drt_state(std::unique_ptr<road::travel_model> m, dispatch::rules r, drt_options o)
      : model{std::move(m)}, disp{*model, std::move(r)}, opt{std::move(o)} {}

  struct posted_position {
    latlon coord{};
    seconds_t at{0};
    bool valid{false};
  };

  std::unique_ptr<road::travel_model> model;
  dispatch::dispatcher disp;
  drt_options opt;
  service_clock sclock;
  std::string secret;
  std::unique_ptr<storage::sqlite_journal> journal;
  std::size_t n_replayed{0};

  mutable std::mutex mutex;  // guards everything below and the dispatcher
  seconds_t last_now{std::numeric_limits<seconds_t>::min()};
  bool failed{false};
  std::unordered_map<std::string, dispatch::vehicle_idx> vehicle_by_name;
  std::vector<posted_position> positions;  // by vehicle index

  std::thread background;
  std::condition_variable wake;
  bool stopping{false};

  std::int64_t unix_now() const {
    if (opt.clock) return opt.clock();
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  // Caller holds the mutex.
  seconds_t now() {
    last_now = std::max(last_now, sclock.to_service(unix_now()));
    return last_now;
  }

  void observe(dispatch::command const& c, dispatch::command_result const& res) {
    std::visit([&](auto const& cmd) { last_now = std::max(last_now, cmd.now); }, c);
    if (auto const* add = std::get_if<dispatch::add_vehicle_cmd>(&c)) {
      auto const v = std::get<dispatch::vehicle_idx>(res);
      vehicle_by_name.try_emplace(add->spec.name, v);
      positions.resize(disp.vehicles().size());
    } else if (auto const* p = std::get_if<dispatch::position_cmd>(&c)) {
      if (std::get<dispatch::command_status>(res) == dispatch::command_status::ok)
        positions[p->vehicle.v()] = {p->position, p->now, true};
    }
  }

  std::string token(std::uint32_t request) const;  // the rider token of a request (drt_token.cc)

  // Runs a state-changing call; a throwing journal makes the service read-only.
  template <typename F>
  auto write(F&& f) {
    if (failed) throw drt_error{503, "storage_unavailable", "storage failed earlier; the service is read-only until restarted"};
    try {
      return f();
    } catch (std::exception const& e) {
      failed = true;
      std::fprintf(stderr, "nebuta dispatch: storage failure, refusing further writes: %s\n", e.what());
      throw drt_error{503, "storage_unavailable", "the command could not be stored; the service is read-only until restarted"};
    }
  }

  void background_loop();

  // Message mapping (drt_messages.cc); callers hold the mutex.
  v1::DrtTime* set_time(v1::DrtTime* t, seconds_t s) const {
    t->set_seconds(s);
    t->set_time(sclock.iso(s));
    return t;
  }
  static void set_latlon(v1::LatLon* out, latlon p) {
    out->set_lat(p.lat);
    out->set_lon(p.lon);
  }
  std::string const& vehicle_name(dispatch::vehicle_idx v) const { return disp.vehicle(v).spec.name; }
  v1::DrtRequestStatus request_status(dispatch::request_idx r) const;
  v1::DrtVehicle vehicle_message(dispatch::vehicle_idx vi) const;
  v1::DrtVehicleStops stops_message(dispatch::vehicle_idx vi) const;
  transit_realtime::FeedMessage vehicle_positions() const;
};

// drt_messages.cc
std::string reject_text(dispatch::reject_reason r);
drt_error status_error(dispatch::command_status s);

}  // namespace nebuta::api_server
