// A vehicle's plan in time: when it arrives at, serves and leaves each stop, and how much later
// each arrival may get without breaking a promise (see "Time model" and "Promises" in
// dispatcher.h).
#include <algorithm>

#include "arith.h"
#include "nebuta/dispatch/dispatcher.h"

namespace nebuta::dispatch {

using detail::inf;
using detail::t64;

namespace {

instant clamp_time(t64 t) { return std::clamp<t64>(t, -no_time, no_time); }
seconds_t clamp_duration(t64 t) { return static_cast<seconds_t>(std::clamp<t64>(t, 0, detail::unreachable_s)); }

}  // namespace

bool dispatcher::waiting_at_pos(vehicle_state const& v, instant now) const {
  if (v.stops.empty()) return true;
  auto const& s = v.stops.front();
  return !s.arrived && static_cast<t64>(now) <= static_cast<t64>(s.begin) - v.leg[0];
}

instant dispatcher::start_time(vehicle_state const& v, instant now) const {
  auto const t = std::max(v.pos_time, v.spec.shift_start);
  return waiting_at_pos(v, now) ? std::max(t, now) : t;
}

// A vehicle that still waits at `pos` is there now: its plan restarts from now, which moves no
// service begin (waiting covered the travel time) but keeps planned arrivals out of the past.
void dispatcher::touch(vehicle_state& v, instant now) const {
  if (waiting_at_pos(v, now)) v.pos_time = std::max(v.pos_time, now);
}

// At the start of every command but add_vehicle. A vehicle standing at a stop it reported has not
// served it before now: its plan (and with it every slack that later insertions use) starts from
// now. For a rider who does not come this is what makes the no-show wait use up the slack of the
// later promises instead of overrunning it. Vehicles whose shift is over with nothing planned, and
// requests that can no longer change, drop out of the lists later commands go through.
void dispatcher::advance_to(instant now) {
  std::erase_if(active_, [&](vehicle_idx vi) {
    auto const& v = vehicles_[vi];
    return v.stops.empty() && v.spec.shift_end <= now;
  });
  for (auto const vi : active_) {
    auto& v = vehicles_[vi];
    if (v.stops.empty() || !v.stops.front().arrived || v.pos_time >= now) continue;
    v.pos_time = now;
    recompute(vi);
  }
  while (first_open_.v() < requests_.size()) {
    auto const& q = requests_[first_open_];
    auto const open = q.status == request_status::assigned || q.status == request_status::on_board ||
                      (q.status == request_status::offered && q.expires >= now);
    if (open) break;
    ++first_open_;
  }
}

instant dispatcher::no_show_time(vehicle_idx vi) const {
  auto const& v = vehicles_[vi];
  if (v.stops.empty()) return no_time;
  auto const& s = v.stops.front();
  if (s.kind != stop_kind::pickup || !s.arrived) return no_time;
  auto const& rq = requests_[s.request];
  auto const policy = t64{std::max(s.arrived_at, rq.window_start)} + rules_.no_show_wait;
  return clamp_time(std::min<t64>(policy, v.latest_front_begin));
}

// Times, loads and slack of a vehicle's plan.
void dispatcher::recompute(vehicle_idx vi) {
  auto& v = vehicles_[vi];
  auto const n = v.stops.size();
  v.leg.resize(n + 1);
  v.max_shift.resize(n + 1);
  v.seats_after.resize(n);
  v.wheelchairs_after.resize(n);
  v.partner.assign(n, -1);
  v.ride_room.resize(n);
  auto const* prev = &v.pos;
  int seats = v.seats_used, wc = v.wheelchairs_used;
  for (std::size_t k = 0; k < n; ++k) {
    auto const& s = v.stops[k];
    auto const& rq = requests_[s.request];
    v.leg[k] = travel(*prev, s.loc);
    prev = &s.loc;
    auto const sign = s.kind == stop_kind::pickup ? 1 : -1;
    seats += sign * (rq.spec.passengers - rq.spec.wheelchair_users);
    wc += sign * rq.spec.wheelchair_users;
    v.seats_after[k] = static_cast<std::uint16_t>(seats);
    v.wheelchairs_after[k] = static_cast<std::uint16_t>(wc);
    if (s.kind == stop_kind::dropoff) {
      for (auto j = k; j-- > 0;) {
        if (v.stops[j].request == s.request) {
          v.partner[k] = static_cast<std::int32_t>(j);
          break;
        }
      }
    }
  }
  v.leg[n] = travel(*prev, v.depot);

  // Earliest times first; then, while a ride is too long and waiting at stops between its pickup
  // and drop-off leaves room, the pickup is delayed just enough (the least such plan: it is never
  // later than any plan that keeps the ride limits, so no other promise gets broken by it).
  not_before_.assign(n, -inf);
  plan_times(v, 0);
  std::size_t n_delays = 0;
  for (std::size_t k = 0; k < n; ++k) {
    auto const q = v.partner[k];
    if (v.stops[k].kind != stop_kind::dropoff || q < 0) continue;
    auto const& pickup = v.stops[static_cast<std::size_t>(q)];
    auto const need = t64{v.stops[k].arrival} - (t64{pickup.begin} + rules_.dwell + requests_[pickup.request].max_ride);
    if (need <= 0) continue;
    t64 room = 0;
    for (auto m = static_cast<std::size_t>(q) + 1; m < k; ++m) room += t64{v.stops[m].begin} - v.stops[m].arrival;
    auto const delay = std::min(need, room);
    if (delay <= 0 || ++n_delays > 4 * n + 16) continue;  // (late by telemetry: the plan is the limit)
    not_before_[static_cast<std::size_t>(q)] = t64{pickup.begin} + delay;
    plan_times(v, static_cast<std::size_t>(q));
    k = static_cast<std::size_t>(q);  // check again every drop-off after the delayed pickup
  }
  plan_slack(v);
}

void dispatcher::plan_times(vehicle_state& v, std::size_t from) {
  auto const n = v.stops.size();
  t64 t = from == 0 ? std::max(v.pos_time, v.spec.shift_start) : t64{v.stops[from - 1].departure};
  for (auto k = from; k < n; ++k) {
    auto& s = v.stops[k];
    t64 const arr = t + v.leg[k];
    t64 begin = arr;
    if (s.kind == stop_kind::pickup) begin = std::max({arr, t64{requests_[s.request].window_start}, not_before_[k]});
    s.arrival = clamp_time(arr);
    s.begin = clamp_time(begin);
    s.departure = clamp_time(begin + rules_.dwell);
    t = s.departure;
  }
  v.depot_arrival = clamp_time(t + v.leg[n]);
}

// max_shift[k]: the largest delay of the arrival at stop k that keeps every promise. A delay
// travels along the plan, shrunk by the waiting at each stop; it must fit the window end of each
// later pickup, the latest drop-off of each later drop-off, the shift end at the depot, and the
// ride limit of each later drop-off whose rider was picked up before stop k (a rider picked up at
// or after k is delayed at both ends, and a delay never grows along the plan).
void dispatcher::plan_slack(vehicle_state& v) {
  auto const n = v.stops.size();
  wait_.assign(n, 0);
  limit_.assign(n, 0);
  for (std::size_t k = 0; k < n; ++k) {
    auto const& s = v.stops[k];
    auto const& rq = requests_[s.request];
    wait_[k] = t64{s.begin} - s.arrival;
    if (s.kind == stop_kind::pickup) {
      limit_[k] = std::max<t64>(rq.window_end, s.begin) - s.begin;  // a stop late already: its plan is its limit
      v.ride_room[k] = detail::unreachable_s;
    } else {
      limit_[k] = std::max<t64>(rq.latest_dropoff, s.arrival) - s.arrival;
      auto const picked_up =
          v.partner[k] >= 0 ? t64{v.stops[static_cast<std::size_t>(v.partner[k])].begin} : t64{rq.picked_up_at};
      v.ride_room[k] = clamp_duration(picked_up + rules_.dwell + rq.max_ride - s.arrival);
    }
  }
  auto const depot_slack = std::max<t64>(0, t64{v.spec.shift_end} - v.depot_arrival);
  // Delay allowed at the arrival at stop k, counting the ride limits of riders picked up before
  // stop `cut`.
  auto const slack_from = [&](std::size_t k, std::int32_t cut) {
    t64 best = inf, waited = 0;
    for (auto m = k; m < n; ++m) {
      waited += wait_[m];
      auto limit = limit_[m];
      if (v.stops[m].kind == stop_kind::dropoff && v.partner[m] < cut) limit = std::min<t64>(limit, v.ride_room[m]);
      best = std::min(best, waited + limit);
    }
    return std::min(best, waited + depot_slack);
  };
  for (std::size_t k = 0; k <= n; ++k) v.max_shift[k] = clamp_duration(slack_from(k, static_cast<std::int32_t>(k)));
  // The first stop's service may begin later by as much as the arrival at the next one may: its own
  // rider's ride does not count (delaying the pickup does not lengthen it).
  v.latest_front_begin = n == 0 ? no_time : clamp_time(t64{v.stops.front().begin} + slack_from(1, 0));
}

std::vector<broken_promise> dispatcher::broken_promises() const {
  std::vector<broken_promise> out;
  for (auto const& v : vehicles_) {
    for (std::size_t k = 0; k < v.stops.size(); ++k) {
      auto const& s = v.stops[k];
      auto const& rq = requests_[s.request];
      if (s.kind == stop_kind::pickup) {
        auto const came = s.arrived ? std::min(s.arrived_at, s.begin) : s.begin;
        if (came > rq.window_end) out.push_back({s.request, broken_promise::kind::late_pickup, came, rq.window_end});
        continue;
      }
      if (s.arrival > rq.latest_dropoff)
        out.push_back({s.request, broken_promise::kind::late_dropoff, s.arrival, rq.latest_dropoff});
      auto const up = v.partner[k] >= 0 ? v.stops[static_cast<std::size_t>(v.partner[k])].begin : rq.picked_up_at;
      auto const limit = t64{rq.max_ride} + rules_.dwell;
      if (s.arrival - up > limit) out.push_back({s.request, broken_promise::kind::long_ride, s.arrival - up, limit});
    }
  }
  return out;
}

}  // namespace nebuta::dispatch
