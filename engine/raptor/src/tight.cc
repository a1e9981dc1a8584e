// Tight journeys: the forward search, then one backward pass per Pareto journey, pruned by the
// forward search's own labels (router::keep_first_pass).
#include "nebuta/raptor/tight.h"

#include <algorithm>
#include <utility>

#include "internal.h"

namespace nebuta::raptor {

using detail::inf;

void router::keep_first_pass(unsigned rounds) {
  forget_first_pass();
  if (first_ride_.size() != ride_.size()) {
    first_ride_.assign(ride_.size(), inf);
    first_foot_.assign(foot_.size(), inf);
  }
  // The search's labels move aside whole (no copy): the passes that follow write into labels
  // that were all unreachable, and written_ restores what they wrote, as it did before.
  std::swap(ride_, first_ride_);
  std::swap(foot_, first_foot_);
  std::swap(written_, first_written_);
  written_.set_capacity(2 * ride_.size());  // as ensure_rounds sizes it
  first_rounds_ = std::min(rounds, rounds_cap_);
}

void router::forget_first_pass() {
  clear_labels(first_written_, first_ride_, first_foot_);
  first_rounds_ = 0;
}

seconds_t router::latest_trip_departure() {
  if (latest_departure_ >= 0) return latest_departure_;
  seconds_t latest = 0;
  for (auto r = route_idx{0}; r.v() < tt_.n_routes(); ++r) {
    auto const times = idx_.times(r);
    auto const n = static_cast<std::size_t>(times.n_trips) * tt_.route_stops[r].size();
    for (auto i = std::size_t{0}; i < n; ++i) latest = std::max(latest, times.dep_by_stop[i]);
  }
  latest_departure_ = latest;
  return latest;
}

void tight_journeys(router& r, place const& from, place const& to, date_t date, seconds_t time, bool arrive_by,
                    options const& opt, std::vector<journey>& out) {
  out.clear();
  auto const first =
      arrive_by ? r.latest_departure(from, to, date, time, opt) : r.earliest_arrival(from, to, date, time, opt);
  if (!first.reachable) return;
  // The result's span and the router's labels are overwritten by the next query: reconstruct
  // every journey first.
  std::vector<unsigned> legs;
  auto max_legs = 0U;
  for (auto const& e : first.pareto) {
    journey j;
    if (r.reconstruct(e.legs, j)) {
      out.push_back(std::move(j));
      legs.push_back(e.legs);
      max_legs = std::max(max_legs, e.legs);
    }
  }
  // The forward search's labels bound the backward passes: a backward label after k rides at a
  // stop the origin cannot reach in time with the other max_legs - k rides leads to no journey
  // of the pass. Each pass reads the forward rounds below its own legs, which the forward search
  // left exact for every journey arriving by the pass's arrival (its bounds then were the
  // arrivals with fewer legs, all later). Not for arrive-by queries, realtime overlays (whose
  // added trips the bound is not checked against), nor when a backward pass may ride trips of
  // two days before, which the forward search does not (they would depart 48 hours into their day).
  auto const prune =
      !arrive_by && opt.realtime == nullptr && max_legs > 0U && r.latest_trip_departure() < 2 * seconds_per_day + time;
  if (prune) r.keep_first_pass(max_legs);
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
  if (prune) r.forget_first_pass();
}

}  // namespace nebuta::raptor
