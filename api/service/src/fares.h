// Fares in /v1/plan answers (docs/fares.md): the fare of each journey from engine/fare, the
// request's fare options (sort=fare, max_fare), and the LegFare / JourneyFare fields.
#pragma once

#include <vector>

#include "nebuta/api_service/service.h"
#include "nebuta/fare/compute.h"

namespace nebuta::api_service::detail {

struct journey_fares {
  fare::journey_fare journey;
  std::vector<fare::leg_fare> legs;  // one per ride leg
};

journey_fares fares_of(timetable const& tt, raptor::journey const& j, date_t date);

// The request's sort ("" / "departure" / "fare") and max_fare, checked (400 when malformed).
struct fare_options {
  bool by_fare{false};
  std::optional<double> max_fare;
};
fare_options fare_options_of(v1::PlanRequest const& req);

// With by_fare: cheapest known total first, unknown last, stable otherwise.
void order_by_fare(timetable const& tt, std::vector<raptor::journey>& journeys, date_t date);
// Sorts (by_fare) and drops journeys over max_fare; nothing to do with default options.
void apply_fare_options(timetable const& tt, fare_options const& o, std::vector<raptor::journey>& journeys, date_t date);

// Journey.fare and, per ride leg, Leg.fare (legs of `mj` in the order of j.legs).
void set_fares(timetable const& tt, raptor::journey const& j, date_t date, v1::Journey& mj);

}  // namespace nebuta::api_service::detail
