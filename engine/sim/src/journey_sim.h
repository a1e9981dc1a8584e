// Inside the simulation: the journeys of a journeys run (journeys.h), planned, booked and followed.
// The event loop (simulation.cc) owns the clock, the dispatcher and the vehicles; it calls in here
// when a journey is asked for and when a vehicle drops off or misses one of its riders. Not
// installed.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "nebuta/dispatch/dispatcher.h"
#include "nebuta/sim/simulation.h"

namespace nebuta::sim::detail {

struct journey_hooks {
  std::function<void(char const*)> after_command;  // after every dispatcher command
  std::function<void()> sync_vehicles;             // after a cancellation (vehicles' positions)
};

// A booked leg's train connection as the simulation planned it from the timetable (not the
// dispatcher's promise): drop-off by (first mile) and pickup from (last mile).
struct connection_limits {
  std::int64_t dropoff_by{std::numeric_limits<std::int64_t>::max()};
  std::int64_t pickup_from{std::numeric_limits<std::int64_t>::min()};
};

class journey_sim {
 public:
  journey_sim(scenario const& sc, road::travel_model const& model, journey_options const& o);
  ~journey_sim();
  journey_sim(journey_sim const&) = delete;
  journey_sim& operator=(journey_sim const&) = delete;

  // Journey k of res.journeys at `now`: plans it, asks the dispatcher for its legs and books the
  // chosen variant. Every request made gets a record in res.requests and an entry in ready_at
  // (when the rider is at the pickup; no_time: never).
  void plan_and_book(std::size_t k, dispatch::dispatcher& d, dispatch::instant now, result& res,
                     std::vector<dispatch::instant>& ready_at, journey_hooks const& h);
  // A vehicle dropped off / gave up on request r at `now`.
  void dropped_off(std::uint32_t r, dispatch::dispatcher& d, dispatch::instant now, result& res, journey_hooks const& h);
  void no_show(std::uint32_t r, dispatch::dispatcher& d, dispatch::instant now, result& res, journey_hooks const& h);
  // Outcomes of legs that never ran.
  void finish(result& res) const;

  std::optional<connection_limits> connection_of(std::uint32_t r) const;

 private:
  struct impl;
  std::unique_ptr<impl> p_;
};

// The journey KPIs of a finished journeys run.
journey_kpis compute_journey_kpis(result const& r);

}  // namespace nebuta::sim::detail
