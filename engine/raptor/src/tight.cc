#include "nebuta/raptor/tight.h"

namespace nebuta::raptor {

void tight_journeys(router& r, place const& from, place const& to, date_t date, seconds_t time, bool arrive_by,
                    options const& opt, std::vector<journey>& out) {
  out.clear();
  auto const first =
      arrive_by ? r.latest_departure(from, to, date, time, opt) : r.earliest_arrival(from, to, date, time, opt);
  if (!first.reachable) return;
  // The result's span and the router's labels are overwritten by the next query: reconstruct
  // every journey first.
  std::vector<unsigned> legs;
  for (auto const& e : first.pareto) {
    journey j;
    if (r.reconstruct(e.legs, j)) {
      out.push_back(std::move(j));
      legs.push_back(e.legs);
    }
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto& j = out[i];
    if (j.rides == 0) continue;  // walking only: nothing to wait for
    auto o = opt;
    o.max_legs = legs[i];
    // The journey itself bounds the pass: only what departs no earlier (arrives no later) is
    // searched for.
    auto const back = arrive_by ? r.earliest_arrival(from, to, date, j.departure, o, j.arrival)
                                : r.latest_departure(from, to, date, j.arrival, o, j.departure);
    if (!back.reachable) continue;
    // The last Pareto point has the most rides (at most k) and the best time.
    journey better;
    if (!r.reconstruct(back.pareto.back().legs, better)) continue;
    // Equal or better on both ends, or the forward journey stays (a safety net: both searches
    // share their semantics, so this should always hold).
    if (better.departure >= j.departure && better.arrival <= j.arrival && better.rides <= j.rides)
      j = std::move(better);
  }
}

}  // namespace nebuta::raptor
