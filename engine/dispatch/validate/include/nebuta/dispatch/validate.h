// Independent checker of a fleet's planned schedules. It shares no code with the dispatcher's
// insertion: it takes plain descriptions of vehicles, promises and planned stops and recomputes
// every constraint from the travel model.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "nebuta/road/travel_model.h"

namespace nebuta::dispatch::validate {

struct vehicle {
  int seats{0};
  int wheelchairs{0};
  latlon depot{};
  std::int64_t shift_start{0}, shift_end{0};  // times: seconds since any one epoch
  latlon start{};                             // where the plan starts
  std::int64_t start_time{0};                 // when the vehicle may leave `start`
};

struct rider {
  int seats{0};        // passengers without wheelchair
  int wheelchairs{0};  // wheelchair users
  latlon pickup{}, dropoff{};
  std::int64_t window_start{0}, window_end{0}, latest_dropoff{0};  // the promise ...
  std::int32_t max_ride{0};      // ... and the longest ride: service begin at the pickup to arrival at the drop-off
  bool on_board{false};          // picked up already: only its drop-off remains
  std::int64_t picked_up_at{0};  // when on board: the moment of the pickup
  std::uint32_t vehicle{0};
  // A train connection of a journey (issue 16), kept apart from the promise above: the drop-off
  // arrives by `connection_dropoff` (the train's departure less the transfer buffer), the pickup
  // begins from `connection_pickup` on (its arrival plus the buffer).
  std::int64_t connection_dropoff{std::numeric_limits<std::int64_t>::max()};
  std::int64_t connection_pickup{std::numeric_limits<std::int64_t>::min()};
};

struct planned_stop {
  std::uint32_t rider{0};
  bool pickup{true};
  std::int64_t arrival{0}, begin{0}, departure{0};
  // The vehicle reported arriving here (at arrived_at). A pickup's window is then kept when the
  // vehicle came inside it: a rider not there yet is late, not the vehicle.
  bool arrived{false};
  std::int64_t arrived_at{0};
};

struct fleet_plan {
  std::int32_t dwell{0};
  std::vector<vehicle> vehicles;
  std::vector<rider> riders;                         // every accepted ride that is not finished
  std::vector<std::vector<planned_stop>> schedules;  // one per vehicle
};

// Every broken rule as one line of text; empty when the plan is valid.
std::vector<std::string> check(fleet_plan const& plan, road::travel_model const& model);

}  // namespace nebuta::dispatch::validate
