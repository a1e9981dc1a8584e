// Demand generation: deterministic for a seed (own PRNG, see random.h).
#pragma once

#include <cstdint>
#include <vector>

#include "nebuta/sim/random.h"
#include "nebuta/sim/scenario.h"

namespace nebuta::sim {

// Requests of `days` days, sorted by requested_at (ties: by desired pickup, then generation
// order), with ids "g1", "g2", ... in that order. Pre-booked requests are never made before
// time 0.
std::vector<trip_request> generate_demand(demand_model const& m, int days, std::uint64_t seed);

// One place drawn from the distribution (which must not be empty).
latlon draw_place(place_distribution const& d, rng& r);

}  // namespace nebuta::sim
