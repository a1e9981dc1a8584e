// Two routers asked the same query, their answers compared whole: for tests that check a faster
// way of searching (a table of bounds, the rides bound) against the plain one.
#pragma once

#include <string>
#include <vector>

#include "nebuta/raptor/journey.h"
#include "nebuta/raptor/router.h"

namespace nebuta::test {

// The same search on routers a and b (forward: earliest arrival, else latest departure): the
// same Pareto set, and each of its journeys the same, as text. Sets whether a was reachable.
inline bool same_search(timetable const& tt, raptor::router& a, raptor::router& b, bool fwd, raptor::place const& from,
                        raptor::place const& to, date_t date, seconds_t t, raptor::options const& opt, bool& reachable) {
  auto const x = fwd ? a.earliest_arrival(from, to, date, t, opt) : a.latest_departure(from, to, date, t, opt);
  std::vector<raptor::pareto_entry> const px{x.pareto.begin(), x.pareto.end()};
  auto const y = fwd ? b.earliest_arrival(from, to, date, t, opt) : b.latest_departure(from, to, date, t, opt);
  std::vector<raptor::pareto_entry> const py{y.pareto.begin(), y.pareto.end()};
  reachable = x.reachable;
  if (px.size() != py.size()) return false;
  raptor::journey ja, jb;
  for (std::size_t i = 0; i < px.size(); ++i) {
    if (px[i].legs != py[i].legs || px[i].time != py[i].time || !a.reconstruct(px[i].legs, ja) ||
        !b.reconstruct(py[i].legs, jb) || to_string(tt, ja) != to_string(tt, jb)) {
      return false;
    }
  }
  return true;
}

// The same range query on a and b: the same entries in the same order.
inline bool same_range(raptor::router& a, raptor::router& b, raptor::place const& from, raptor::place const& to,
                       date_t date, seconds_t t0, seconds_t t1, raptor::options const& opt) {
  std::vector<raptor::range_entry> ra, rb;
  a.range(from, to, date, t0, t1, opt, ra);
  b.range(from, to, date, t0, t1, opt, rb);
  if (ra.size() != rb.size()) return false;
  for (std::size_t i = 0; i < ra.size(); ++i) {
    if (ra[i].departure != rb[i].departure || ra[i].arrival != rb[i].arrival || ra[i].legs != rb[i].legs) return false;
  }
  return true;
}

}  // namespace nebuta::test
