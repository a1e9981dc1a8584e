// The commands that change a dispatcher's state. Every state change goes through exactly one of
// them, so a journal that stores the sequence of commands (in order, with their `now`) can rebuild
// the state by replaying it into a fresh dispatcher built with the same rules and travel model.
#pragma once

#include <variant>

#include "nebuta/dispatch/types.h"

namespace nebuta::dispatch {

struct add_vehicle_cmd {
  instant now{0};
  vehicle_spec spec;
};
struct offer_cmd {
  instant now{0};
  request_spec spec;
};
struct accept_cmd {
  instant now{0};
  request_idx request;
};
struct cancel_cmd {
  instant now{0};
  request_idx request;
  cancelled_by by{cancelled_by::rider};
};
struct position_cmd {
  instant now{0};
  vehicle_idx vehicle;
  latlon position{};
};
struct stop_event_cmd {
  instant now{0};
  vehicle_idx vehicle;
  request_idx request;
  stop_event_kind kind{stop_event_kind::arrived};
};
struct reoptimise_cmd {
  instant now{0};
};
// Accepts every leg's offer, or none (issue 16).
struct accept_journey_cmd {
  instant now{0};
  std::vector<journey_leg> legs;
};
struct cancel_journey_cmd {
  instant now{0};
  journey_idx journey;
  cancelled_by by{cancelled_by::rider};
};
// A booking's connection moved (a train late or early): its pickup may begin from
// `earliest_pickup`, its drop-off must be by `latest_dropoff` (no_time: no limit).
struct move_cmd {
  instant now{0};
  request_idx request;
  instant earliest_pickup{0};
  instant latest_dropoff{no_time};
};

using command = std::variant<add_vehicle_cmd, offer_cmd, accept_cmd, cancel_cmd, position_cmd, stop_event_cmd,
                             reoptimise_cmd, accept_journey_cmd, cancel_journey_cmd, move_cmd>;

struct reoptimise_result {
  std::uint32_t n_considered{0};
  std::uint32_t n_moved{0};
  double cost_saved{0.0};
};

using command_result =
    std::variant<vehicle_idx, offer_result, accept_result, command_status, reoptimise_result, journey_result>;

// Receives every command after it was applied (also the ones answered with an error or a
// rejection: they allocate request indices, so a replay needs them too).
class journal {
 public:
  virtual ~journal() = default;
  virtual void record(command const&) = 0;
};

}  // namespace nebuta::dispatch
