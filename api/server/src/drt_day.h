// A service date of the live service as the simulator's records (engine/sim's `result`): the
// operator's views (drt_summary.cc) count vehicle km from them and the day export
// (drt_export.cc) writes them with the simulator's own writers, so that `nebuta report --run`
// draws a real day as it draws a simulated one.
#pragma once

#include <optional>

#include "drt_state.h"
#include "nebuta/sim/simulation.h"
#include "pipeline.h"

namespace nebuta::api_server {

// The date a request belongs to: that of its earliest pickup.
date_t request_date(drt_state const& m, dispatch::request_state const& rq);

// The date= parameter, or nullopt (today); 400 invalid_date when malformed.
std::optional<date_t> date_param(call const& c);

struct day_records {
  // Times in seconds from the start of the date. Requests: those of the date, ids are the API's
  // request ids; status open = booked or on board at `now`. Vehicles: the shifts starting on the
  // date and any other shift serving one of its requests. Events: pickups, drop-offs and no-shows
  // as the vehicles reported them; a vehicle's depart_depot is derived (its first stop's time less
  // the leg from the depot), its return_depot too (the last stop's departure, or the shift end
  // less the leg home, plus that leg), written once it lies before `now`. km are the travel
  // model's legs between those points, from the depot and (once returned) back.
  sim::result run;
  double planned_km{0.0};  // the legs still planned at `now`: the remaining stops and the way home
};

// Caller holds the mutex.
day_records records_of_day(drt_state const& m, date_t day, dispatch::instant now);

}  // namespace nebuta::api_server
