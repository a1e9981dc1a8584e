// Range queries: every journey departing in a window that no other journey of the window
// dominates, by rounds whose labels carry over from one departure to the next (rRAPTOR).
#include "nebuta/raptor/router.h"

#include <algorithm>
#include <cassert>
#include <tuple>
#include <utility>
#include <vector>

#include "for_each_access.h"
#include "internal.h"

namespace nebuta::raptor {

using detail::inf;

void router::range(place const& from, place const& to, date_t date, seconds_t from_t, seconds_t to_t,
                   options const& opt, std::vector<range_entry>& out) {
  out.clear();
  init_query<true>(from, to, date, opt);
  auto const valid = [&](place const& p) { return !p.is_stop() || p.stop.v() < n_stops_; };
  if (!valid(from) || !valid(to)) return;

  // Candidate departures from the origin: boarding times at the stops reachable from it on foot,
  // minus the walk, each with the stop, route and position it leaves from (realtime states: the
  // stop alone). In a pass after the first, round 1 only needs the stops where a trip leaves at
  // the new departure.
  range_deps_.clear();
  auto const add_stop = [&](stop_idx s, seconds_t walk) {
    if (!stop_ok(s)) return;
    if (rt_ != nullptr) return add_rt_departures(s, walk, from_t, to_t);
    for (auto const [r, pos] : idx_.occurrences(s)) {
      if (!tt_.can_board(r, pos)) continue;
      auto const deps = tt_.route_departures_at(r, pos);
      auto const first = tt_.route_first_trip[r];
      for (auto o = 0U; o < n_offsets_; ++o) {
        auto const off = offsets_[o] * seconds_per_day;
        auto it = std::lower_bound(deps.begin(), deps.end(), from_t + walk - off);
        for (; it != deps.end() && *it + off - walk <= to_t; ++it) {
          auto const ti = static_cast<std::uint32_t>(it - deps.begin());
          if (trip_ok(first.v() + ti, o)) range_deps_.push_back({*it + off - walk, s, {r, pos}});
        }
      }
    }
  };
  for_each_access<true>(from, [&](foot_parent const& p, stop_idx s) { add_stop(s, static_cast<seconds_t>(p.duration)); });
  std::sort(range_deps_.begin(), range_deps_.end(), [](auto const& a, auto const& b) { return a.tau > b.tau; });
  auto const narrow = rt_ == nullptr;

  // One pass of rounds per departure, latest first, on labels that carry over (rRAPTOR, Delling
  // et al. 2012): what a later departure reached with at most k legs an earlier one reaches too
  // (it can wait), so a pass only explores what the earlier departure improves. A departure
  // lists the numbers of legs whose best arrival it improved: exactly its Pareto journeys that
  // no later departure matches with as few legs.
  auto walk = seconds_t{-1};
  std::array<seconds_t, max_legs_limit + 1> before{};
  auto first_pass = true;
  for (auto ds = range_deps_.begin(); ds != range_deps_.end();) {
    auto const tau = ds->tau;
    pending_ = inf;
    before = target_round_;
    start<true, true>(from, to, tau);
    // This pass's stops: those some trip leaves at the new departure (plus its walk).
    auto const ds_begin = ds;
    while (ds != range_deps_.end() && ds->tau == tau) ++ds;
    if (narrow && !first_pass) {
      // An earlier start improves every access stop's round-0 label, but where no trip leaves
      // between it and the last pass's (no departure lies between the two), the first trip
      // catchable is the one that pass rode, whose labels it kept and whose improvements it
      // explored, under a bound no lower than now: riding it again improves nothing.
      next_marked_list_.keep_if([&](stop_idx s) {
        if (std::any_of(ds_begin, ds, [&](auto const& d) { return d.s == s; })) return true;
        next_marked_[s.v()] = 0U;
        return false;
      });
    }
    first_round_narrow_ = narrow && !first_pass;
    first_round_only_ = {ds_begin, ds};
    first_pass = false;
    run_rounds<true, true>();
    if (direct_walk_s_ >= 0) walk = direct_walk_s_;
    for (auto k = 1U; k <= max_k_; ++k) {
      if (target_round_[k] < before[k] && target_round_[k] < target_round_[k - 1]) {
        out.push_back({tau, target_round_[k], k});
      }
    }
  }
  first_round_narrow_ = false;
  first_round_only_ = {};
  reset();  // leave no monotone labels behind for reconstruct()
  direct_walk_s_ = walk;
}

}  // namespace nebuta::raptor
