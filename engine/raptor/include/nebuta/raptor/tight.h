// Journeys the way a rider wants them listed: none shows a wait that a later departure avoids.
// RAPTOR's earliest-arrival Pareto set fixes, per number of rides, the earliest arrival, but the
// journey it reconstructs may board its first vehicle long before it must (a three-hour wait at
// a transfer). The backward pass that OpenTripPlanner and MOTIS run fixes that: for each point
// (arrival A, at most k rides) a latest-departure search arriving by A with at most k rides
// gives the journey that leaves latest. Arrive-by queries are tightened the other way (for each
// departure, the earliest arrival). Depart-at queries prune their backward passes with the
// forward search's round labels (router::keep_first_pass): the same departures and arrivals,
// at a fraction of the passes' work.
#pragma once

#include <vector>

#include "nebuta/raptor/router.h"

namespace nebuta::raptor {

// The Pareto journeys of the query (by increasing rides), each tightened; a journey whose
// backward pass finds nothing better is kept as the forward search gave it.
void tight_journeys(router& r, place const& from, place const& to, date_t date, seconds_t time, bool arrive_by,
                    options const& opt, std::vector<journey>& out);

}  // namespace nebuta::raptor
