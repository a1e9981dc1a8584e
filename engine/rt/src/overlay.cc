// The state laid out for RAPTOR: per touched (route, day) a copy of the route's block with
// realtime times, FIFO restored by moving trips to routes of their own (extra routes).
#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <tuple>

#include "nebuta/rt/context.h"
#include "state_builder.h"

namespace nebuta::rt {
namespace {

constexpr std::uint8_t pattern_flags =
    stop_flags::skipped | stop_flags::no_pickup | stop_flags::no_drop_off | stop_flags::assigned | stop_flags::closed;

}  // namespace

void state_builder::build_routes() {
  auto const& tt = ctx_.tt();
  auto& s = *s_;
  std::vector<std::uint32_t> order(s.n_static_);
  for (auto i = 0U; i < s.n_static_; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    auto const& x = s.trips_[a];
    auto const& y = s.trips_[b];
    return std::tuple{tt.trip_route[x.trip], x.day, x.trip} < std::tuple{tt.trip_route[y.trip], y.day, y.trip};
  });

  std::vector<std::uint32_t> moved;    // trip states that run as extra routes
  std::vector<std::int32_t> state_of;  // per trip in route: trip state index, -1 none
  std::vector<std::uint32_t> kept;
  for (auto g = 0U; g < order.size();) {
    auto const r = tt.trip_route[s.trips_[order[g]].trip];
    auto const day = s.trips_[order[g]].day;
    auto h = g;
    while (h < order.size() && tt.trip_route[s.trips_[order[h]].trip] == r && s.trips_[order[h]].day == day) ++h;

    route_day rd;
    rd.route = r;
    rd.day = day;
    rd.n_trips = tt.route_n_trips[r];
    rd.n_stops = static_cast<std::uint32_t>(tt.route_stops[r].size());
    auto const base = tt.route_time_base[r];
    auto const size = static_cast<std::size_t>(rd.n_trips) * rd.n_stops;
    rd.arrivals.assign(tt.arrivals.begin() + base, tt.arrivals.begin() + base + size);
    rd.departures.assign(tt.departures.begin() + base, tt.departures.begin() + base + size);
    rd.removed.assign(rd.n_trips, 0U);
    state_of.assign(rd.n_trips, -1);
    for (auto k = g; k < h; ++k) {
      auto const& st = s.trips_[order[k]];
      auto const j = ctx_.trip_in_route(st.trip);
      if (st.status != trip_status::updated) {
        rd.removed[j] = 1U;
        continue;
      }
      auto const times = s.times(st);
      auto const changed =
          std::any_of(times.begin(), times.end(), [](stop_time const& x) { return (x.flags & pattern_flags) != 0U; });
      if (changed) {
        rd.removed[j] = 1U;
        moved.push_back(order[k]);
        ++s.stats_.pattern_changes;
        continue;
      }
      for (auto p = 0U; p < rd.n_stops; ++p) {
        rd.arrivals[static_cast<std::size_t>(p) * rd.n_trips + j] = times[p].arrival;
        rd.departures[static_cast<std::size_t>(p) * rd.n_trips + j] = times[p].departure;
      }
      state_of[j] = static_cast<std::int32_t>(order[k]);
    }

    // FIFO over the trips running that day: a trip whose realtime times overtake (or are
    // overtaken by) its kept predecessor leaves the route; of two such trips the one with
    // realtime leaves, the later one when both have it.
    auto const violates = [&](std::uint32_t a, std::uint32_t b) {
      for (auto p = 0U; p < rd.n_stops; ++p) {
        auto const i = static_cast<std::size_t>(p) * rd.n_trips;
        if (rd.arrivals[i + b] < rd.arrivals[i + a] || rd.departures[i + b] < rd.departures[i + a]) return true;
      }
      return false;
    };
    kept.clear();
    auto const first = tt.route_first_trip[r].v();
    for (auto j = 0U; j < rd.n_trips; ++j) {
      if (rd.removed[j] != 0U || !tt.trip_active(trip_idx{first + j}, day.v())) continue;
      auto keep_j = true;
      while (!kept.empty() && violates(kept.back(), j)) {
        auto const top = kept.back();
        if (state_of[j] >= 0) {
          keep_j = false;  // the realtime trip j overtakes: its own route
          break;
        }
        if (state_of[top] < 0) break;  // two static trips: the timetable guarantees their order
        kept.pop_back();               // the realtime trip before j is overtaken by j: its own route
        rd.removed[top] = 1U;
        moved.push_back(static_cast<std::uint32_t>(state_of[top]));
        ++s.stats_.overtaking;
      }
      if (keep_j) {
        kept.push_back(j);
      } else {
        rd.removed[j] = 1U;
        moved.push_back(static_cast<std::uint32_t>(state_of[j]));
        ++s.stats_.overtaking;
      }
    }
    rd.arrivals_by_trip.resize(size);
    rd.departures_by_trip.resize(size);
    for (auto j = 0U; j < rd.n_trips; ++j) {
      for (auto p = 0U; p < rd.n_stops; ++p) {
        rd.arrivals_by_trip[static_cast<std::size_t>(j) * rd.n_stops + p] =
            rd.arrivals[static_cast<std::size_t>(p) * rd.n_trips + j];
        rd.departures_by_trip[static_cast<std::size_t>(j) * rd.n_stops + p] =
            rd.departures[static_cast<std::size_t>(p) * rd.n_trips + j];
      }
    }
    s.route_days_.push_back(std::move(rd));
    g = h;
  }

  // Extra routes: moved static trips and every added trip that runs, laid out for a route scan
  // (the timetable's pickup / drop-off restrictions kept as flags).
  std::vector<std::pair<std::uint32_t, line_idx>> extra;
  for (auto const i : moved) extra.emplace_back(i, tt.trip_line[s.trips_[i].trip]);
  for (auto i = s.n_static_; i < s.trips_.size(); ++i) {
    auto const& st = s.trips_[i];
    if (st.status == trip_status::added && st.n != 0) extra.emplace_back(i, s.added_[st.added].line);
  }
  std::stable_sort(extra.begin(), extra.end(),
                   [&](auto const& a, auto const& b) { return s.trips_[a.first].day < s.trips_[b.first].day; });
  for (auto const& [i, line] : extra) {
    auto const& st = s.trips_[i];
    extra_route e{st.day, i, line, static_cast<std::uint32_t>(s.extra_stops_.size()), st.n};
    auto const r = st.trip.valid() && st.status != trip_status::added ? tt.trip_route[st.trip] : route_idx::invalid();
    for (auto p = 0U; p < st.n; ++p) {
      auto const& x = s.times_[st.first + p];
      auto flags = x.flags;
      if (r.valid() && !tt.can_board(r, p)) flags |= stop_flags::no_pickup;
      if (r.valid() && !tt.can_alight(r, p)) flags |= stop_flags::no_drop_off;
      s.extra_stops_.push_back(x.stop);
      s.extra_flags_.push_back(flags);
      s.extra_arr_.push_back(x.arrival);
      s.extra_dep_.push_back(x.departure);
    }
    s.extra_routes_.push_back(e);
  }

  // Lower bounds: how much faster than the timetable any ride became.
  s.lb_slack_ = 0;
  for (auto i = 0U; i < s.trips_.size(); ++i) {
    auto const& st = s.trips_[i];
    if (st.status == trip_status::added) {
      s.lb_slack_.reset();
      break;
    }
    if (st.status != trip_status::updated) continue;
    // max over i < j of (departure delay at i - arrival delay at j)
    auto best_dep_delay = std::numeric_limits<seconds_t>::min();
    for (auto p = 0U; p < st.n; ++p) {
      auto const& x = s.times_[st.first + p];
      if (p > 0) *s.lb_slack_ = std::max(*s.lb_slack_, best_dep_delay - (x.arrival - x.sched_arrival));
      best_dep_delay = std::max(best_dep_delay, x.departure - x.sched_departure);
    }
  }

  // Stop → extra routes serving it.
  std::vector<std::uint32_t> count(tt.n_stops() + 1, 0U);
  for (auto const& e : s.extra_routes_) {
    for (auto const stop : s.extra_stops(e)) {
      if (stop.v() < tt.n_stops()) ++count[stop.v() + 1];
    }
  }
  for (auto i = 1U; i < count.size(); ++i) count[i] += count[i - 1];
  s.extra_at_offsets_ = count;
  s.extra_at_.resize(count.back());
  for (auto k = 0U; k < s.extra_routes_.size(); ++k) {
    for (auto const stop : s.extra_stops(s.extra_routes_[k])) {
      if (stop.v() < tt.n_stops()) s.extra_at_[count[stop.v()]++] = k;
    }
  }
  // (A route visiting a stop twice is listed twice there, like the timetable's occurrences.)
}

route_day const* state::find(route_idx r, day_idx d) const {
  auto const it = std::lower_bound(route_days_.begin(), route_days_.end(), std::pair{r, d},
                                   [](route_day const& x, std::pair<route_idx, day_idx> const& k) {
                                     return std::tie(x.route, x.day) < std::tie(k.first, k.second);
                                   });
  if (it == route_days_.end() || it->route != r || it->day != d) return nullptr;
  return &*it;
}

std::span<extra_route const> state::extra_routes_on(day_idx d) const {
  auto const lo = std::lower_bound(extra_routes_.begin(), extra_routes_.end(), d,
                                   [](extra_route const& e, day_idx x) { return e.day < x; });
  auto const hi = std::upper_bound(lo, extra_routes_.end(), d, [](day_idx x, extra_route const& e) { return x < e.day; });
  return {extra_routes_.data() + (lo - extra_routes_.begin()), static_cast<std::size_t>(hi - lo)};
}

std::span<std::uint32_t const> state::extra_routes_at(stop_idx s) const {
  if (s.v() + 1U >= extra_at_offsets_.size()) return {};
  return {extra_at_.data() + extra_at_offsets_[s.v()], extra_at_.data() + extra_at_offsets_[s.v() + 1]};
}

std::vector<std::string> state::validate(context const& ctx) const {
  auto const& tt = ctx.tt();
  std::vector<std::string> out;
  for (auto i = 0U; i < trips_.size(); ++i) {
    auto const& t = trips_[i];
    if (static_cast<std::size_t>(t.first) + t.n > times_.size()) {
      out.push_back("trip state " + std::to_string(i) + ": times out of range");
      continue;
    }
    if (i < n_static_ && (!t.trip.valid() || t.n != ctx.n_stops(t.trip))) {
      out.push_back("trip state " + std::to_string(i) + ": stop count differs from its trip");
    }
    if (i > 0 && i < n_static_ && std::tie(trips_[i - 1].trip, trips_[i - 1].day) >= std::tie(t.trip, t.day)) {
      out.push_back("trip states not sorted at " + std::to_string(i));
    }
    auto prev = std::numeric_limits<seconds_t>::min();
    for (auto p = 0U; p < t.n; ++p) {
      auto const& x = times_[t.first + p];
      if (x.arrival < prev || x.departure < x.arrival) {
        out.push_back("trip state " + std::to_string(i) + ": time goes backwards at stop " + std::to_string(p));
        break;
      }
      prev = x.departure;
    }
  }
  for (auto const& rd : route_days_) {
    auto const first = tt.route_first_trip[rd.route].v();
    std::optional<std::uint32_t> last;
    for (auto j = 0U; j < rd.n_trips; ++j) {
      if (rd.removed[j] != 0U || !tt.trip_active(trip_idx{first + j}, rd.day.v())) continue;
      if (last) {
        for (auto p = 0U; p < rd.n_stops; ++p) {
          auto const b = static_cast<std::size_t>(p) * rd.n_trips;
          if (rd.arrivals[b + j] < rd.arrivals[b + *last] || rd.departures[b + j] < rd.departures[b + *last]) {
            out.push_back("route " + std::to_string(rd.route.v()) + " day " + std::to_string(rd.day.v()) + ": trip " +
                          std::to_string(j) + " overtakes trip " + std::to_string(*last));
            break;
          }
        }
      }
      last = j;
    }
  }
  for (auto const& e : extra_routes_) {
    if (e.trip_state >= trips_.size() || trips_[e.trip_state].day != e.day)
      out.push_back("extra route with a bad trip state");
    if (static_cast<std::size_t>(e.first) + e.n > extra_stops_.size()) {
      out.push_back("extra route out of range");
      continue;
    }
    for (auto p = 0U; p < e.n; ++p) {
      if (extra_dep_[e.first + p] < extra_arr_[e.first + p] ||
          (p > 0 && extra_arr_[e.first + p] < extra_dep_[e.first + p - 1])) {
        out.push_back("extra route: time goes backwards");
        break;
      }
    }
  }
  for (auto const& rd : route_days_) {
    for (auto j = 0U; j < rd.n_trips; ++j) {
      for (auto p = 0U; p < rd.n_stops; ++p) {
        if (rd.arrivals_by_trip[static_cast<std::size_t>(j) * rd.n_stops + p] !=
                rd.arrivals[static_cast<std::size_t>(p) * rd.n_trips + j] ||
            rd.departures_by_trip[static_cast<std::size_t>(j) * rd.n_stops + p] !=
                rd.departures[static_cast<std::size_t>(p) * rd.n_trips + j]) {
          out.push_back("route day: trip-major copy differs");
          j = rd.n_trips;
          break;
        }
      }
    }
  }
  return out;
}

}  // namespace nebuta::rt
