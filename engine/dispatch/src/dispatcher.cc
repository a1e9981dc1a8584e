#include "nebuta/dispatch/dispatcher.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>

#include "arith.h"
#include "insertion.h"

namespace nebuta::dispatch {

using detail::inf;
using detail::secs;
using detail::t64;

namespace {

bool valid_coord(latlon c) {
  return std::isfinite(c.lat) && std::isfinite(c.lon) && std::abs(c.lat) <= 90.0 && std::abs(c.lon) <= 180.0;
}

// Whether the vehicle has room all along its stops when the stop at `first` is served before
// all others (a driver serving a pickup out of order): the riders on board now, then each stop's
// boarding or alighting in the new order.
bool room_when_first(vehicle_state const& v, std::vector<stop>::const_iterator first,
                     vecmap<request_idx, request_state> const& requests) {
  int seats = v.seats_used, wheelchairs = v.wheelchairs_used;
  auto const fits = [&](stop const& s) {
    auto const& spec = requests[s.request].spec;
    auto const sign = s.kind == stop_kind::pickup ? 1 : -1;
    seats += sign * (spec.passengers - spec.wheelchair_users);
    wheelchairs += sign * spec.wheelchair_users;
    return seats <= v.spec.seats && wheelchairs <= v.spec.wheelchairs;
  };
  if (!fits(*first)) return false;
  for (auto it = v.stops.begin(); it != v.stops.end(); ++it) {
    if (it != first && !fits(*it)) return false;
  }
  return true;
}

}  // namespace

// An accepted (or offered) request keeps the promise it was given, wherever it is inserted.
dispatcher::ride dispatcher::promised_ride(request_state const& rq) {
  return {rq.pickup,
          rq.dropoff,
          rq.window_start,
          rq.window_end,
          rq.latest_dropoff,
          rq.max_ride,
          rq.earliest,
          static_cast<std::uint16_t>(rq.spec.passengers - rq.spec.wheelchair_users),
          rq.spec.wheelchair_users};
}

dispatcher::dispatcher(road::travel_model const& model, rules r) : model_{model}, rules_{std::move(r)} {}

seconds_t dispatcher::travel(road::snapped_point const& a, road::snapped_point const& b) const {
  auto const c = model_.cost(a, b);
  return c ? c->seconds : detail::unreachable_s;
}

std::optional<dispatcher::insertion> dispatcher::best_insertion(ride const& x, instant now,
                                                                std::span<vehicle_idx const> candidates,
                                                                insertion const* forced, double* forced_cost) {
  if (forced_cost != nullptr) *forced_cost = static_cast<double>(inf);

  // Collect the points of every vehicle that could take the ride: [pos, stops..., depot].
  pts_.clear();
  base_.clear();
  cand_.clear();
  for (auto const vi : candidates) {
    auto const& v = vehicles_[vi];
    if (v.spec.seats < x.seats || v.spec.wheelchairs < x.wheelchairs) continue;
    if (t64{v.spec.shift_end} <= x.ws || start_time(v, now) > x.we) continue;
    cand_.push_back(vi);
    base_.push_back(static_cast<std::uint32_t>(pts_.size()));
    pts_.push_back(v.pos);
    for (auto const& s : v.stops) pts_.push_back(s.loc);
    pts_.push_back(v.depot);
  }
  if (cand_.empty()) return std::nullopt;
  auto const np = pts_.size();
  pd_.assign({x.p, x.d});
  to_pd_.assign(np * 2, std::nullopt);
  from_pd_.assign(np * 2, std::nullopt);
  model_.many_to_many(pts_, pd_, to_pd_);
  model_.many_to_many(pd_, pts_, from_pd_);
  auto const tt_pd = secs(model_.cost(x.p, x.d));
  if (tt_pd >= inf) return std::nullopt;

  auto const dwell = t64{rules_.dwell};
  auto const w = rules_.passenger_weight;
  std::optional<insertion> best;

  for (std::size_t ci = 0; ci < cand_.size(); ++ci) {
    auto const vi = cand_[ci];
    auto const& v = vehicles_[vi];
    auto const& st = v.stops;
    auto const n = static_cast<std::uint32_t>(st.size());
    auto const b = base_[ci];
    // Point k: 0 = pos, 1..n = stops[k-1], n+1 = depot.
    auto const to_p = [&](std::uint32_t k) { return secs(to_pd_[(b + k) * 2]); };
    auto const to_d = [&](std::uint32_t k) { return secs(to_pd_[(b + k) * 2 + 1]); };
    auto const from_p = [&](std::uint32_t k) { return secs(from_pd_[b + k]); };
    auto const from_d = [&](std::uint32_t k) { return secs(from_pd_[np + b + k]); };

    bool const at_pos = waiting_at_pos(v, now);
    t64 const t0 = start_time(v, now);
    t64 const depot_arr = n == 0 ? t0 + v.leg[0] : t64{v.depot_arrival};
    t64 const end_shift = n == 0 ? std::max<t64>(0, t64{v.spec.shift_end} - depot_arr) : t64{v.max_shift[n]};
    auto const old_arr = [&](std::uint32_t k) { return k < n ? t64{st[k].arrival} : depot_arr; };
    auto const max_shift = [&](std::uint32_t k) { return k < n ? t64{v.max_shift[k]} : end_shift; };
    auto const cap_ok = [&](int seats, int wc) {
      return seats + x.seats <= v.spec.seats && wc + x.wheelchairs <= v.spec.wheelchairs;
    };
    // Sum of the arrival shifts at drop-offs from stop k on, given the arrival shift at k.
    auto const propagate = [&](std::uint32_t k, t64 shift) {
      t64 sum = 0;
      for (; k < n && shift != 0; ++k) {
        auto const& s = st[k];
        t64 const arr = t64{s.arrival} + shift;
        if (s.kind == stop_kind::dropoff) {
          sum += shift;
          shift = arr - s.arrival;
        } else {
          shift = std::max<t64>(arr, s.begin) - s.begin;  // the waiting there absorbs part of it
        }
      }
      return sum;
    };
    auto const consider = [&](std::uint32_t i, std::uint32_t j, t64 drive, t64 pass, t64 p_begin, t64 d_arr) {
      auto const cost = static_cast<double>(drive) + w * static_cast<double>(pass);
      if (forced != nullptr && forced_cost != nullptr && forced->v == vi && forced->i == i && forced->j == j) {
        *forced_cost = cost;
      }
      if (!best || cost < best->cost) best = insertion{vi, i, j, cost, p_begin, d_arr};
    };

    for (std::uint32_t i = at_pos ? 0 : 1; i <= n; ++i) {
      int const seats_before = i == 0 ? v.seats_used : v.seats_after[i - 1];
      int const wc_before = i == 0 ? v.wheelchairs_used : v.wheelchairs_after[i - 1];
      if (!cap_ok(seats_before, wc_before)) continue;
      t64 const prev_dep = i == 0 ? t0 : t64{st[i - 1].departure};
      t64 const p_arr = prev_dep + to_p(i);
      if (p_arr > x.we) continue;
      t64 const p_begin = std::max(p_arr, x.ws);
      t64 const p_dep = p_begin + dwell;

      // Drop-off right after the pickup.
      {
        t64 const d_arr = p_dep + tt_pd;
        if (d_arr <= x.latest_drop && d_arr - p_dep <= x.max_ride) {
          t64 const shift = d_arr + dwell + from_d(i + 1) - old_arr(i);
          if (shift <= max_shift(i)) {
            t64 const drive = to_p(i) + tt_pd + from_d(i + 1) - v.leg[i];
            consider(i, i, drive, (d_arr - x.t0) + propagate(i, shift), p_begin, d_arr);
          }
        }
      }
      if (i == n) continue;

      // Drop-off after original stop k (k >= i): stops i..k carry the new rider.
      t64 const drive_p = to_p(i) + from_p(i + 1) - v.leg[i];
      t64 shift = p_dep + from_p(i + 1) - old_arr(i);
      t64 drop_delays = 0;
      for (std::uint32_t k = i; k < n; ++k) {
        auto const& s = st[k];
        auto const& rq = requests_[s.request];
        t64 const arr = t64{s.arrival} + shift;
        t64 begin = arr;
        if (s.kind == stop_kind::pickup) {
          begin = std::max<t64>(arr, s.begin);
          if (begin > std::max<t64>(rq.window_end, s.begin)) break;
        } else {
          if (arr > std::max<t64>(rq.latest_dropoff, s.arrival)) break;
          // A rider picked up before the new one is delayed at the drop-off only.
          if (v.partner[k] < static_cast<std::int32_t>(i) && shift > v.ride_room[k]) break;
          drop_delays += shift;
        }
        if (!cap_ok(v.seats_after[k], v.wheelchairs_after[k])) break;
        t64 const dep = begin + dwell;
        if (dep - p_dep > x.max_ride || dep > x.latest_drop) break;
        t64 const d_arr = dep + to_d(k + 1);
        if (d_arr <= x.latest_drop && d_arr - p_dep <= x.max_ride) {
          t64 const shift2 = d_arr + dwell + from_d(k + 2) - old_arr(k + 1);
          if (shift2 <= max_shift(k + 1)) {
            t64 const drive = drive_p + to_d(k + 1) + from_d(k + 2) - v.leg[k + 1];
            consider(i, k + 1, drive, (d_arr - x.t0) + drop_delays + propagate(k + 1, shift2), p_begin, d_arr);
          }
        }
        shift = dep - s.departure;
      }
    }
  }
  return best;
}

void dispatcher::insert(vehicle_idx vi, request_idx r, insertion const& ins, instant now) {
  auto& v = vehicles_[vi];
  touch(v, now);
  auto const& rq = requests_[r];
  v.stops.insert(v.stops.begin() + ins.i, stop{r, stop_kind::pickup, rq.pickup});
  v.stops.insert(v.stops.begin() + ins.j + 1, stop{r, stop_kind::dropoff, rq.dropoff});
  requests_[r].vehicle = vi;
  recompute(vi);
}

vehicle_idx dispatcher::add_vehicle(instant now, vehicle_spec spec) {
  auto const vi = vehicles_.next_idx();
  vehicle_state v;
  v.depot = model_.snap(spec.depot);
  v.pos = v.depot;
  v.pos_time = now;
  v.spec = std::move(spec);
  vehicles_.push_back(std::move(v));
  active_.push_back(vi);
  recompute(vi);
  record(add_vehicle_cmd{now, vehicles_[vi].spec});
  return vi;
}

offer_result dispatcher::request_offer(instant now, request_spec spec) {
  advance_to(now);
  auto const r = requests_.next_idx();
  request_state rq;
  rq.spec = spec;
  rq.requested_at = now;
  rq.status = request_status::rejected;
  auto result = [&]() -> offer_result {
    auto const reject = [&](reject_reason why) {
      rq.reason = why;
      return offer_result{r, why, {}};
    };
    if (spec.passengers == 0 || spec.wheelchair_users > spec.passengers || !valid_coord(spec.pickup) ||
        !valid_coord(spec.dropoff)) {
      return reject(reject_reason::invalid_request);
    }
    if (spec.passengers > rules_.max_passengers) return reject(reject_reason::too_many_passengers);
    rq.earliest = std::max(spec.earliest_pickup, now);
    if (t64{rq.earliest} - now > rules_.max_booking_ahead) return reject(reject_reason::too_far_ahead);
    if (!rules_.service_area.empty() &&
        (!inside_area(rules_.service_area, spec.pickup) || !inside_area(rules_.service_area, spec.dropoff))) {
      return reject(reject_reason::outside_area);
    }
    auto p = spec.pickup, d = spec.dropoff;
    if (!rules_.meeting_points.empty()) {
      auto const mp = nearest_meeting_point(rules_.meeting_points, p, rules_.max_walk_m);
      auto const md = nearest_meeting_point(rules_.meeting_points, d, rules_.max_walk_m);
      if (!mp || !md) return reject(reject_reason::no_meeting_point);
      p = *mp;
      d = *md;
    }
    if (p == d) return reject(reject_reason::invalid_request);
    rq.pickup = model_.snap(p);
    rq.dropoff = model_.snap(d);
    if (!rq.pickup.valid || !rq.dropoff.valid) return reject(reject_reason::unreachable);
    auto const direct = model_.cost(rq.pickup, rq.dropoff);
    if (!direct) return reject(reject_reason::unreachable);
    rq.direct = direct->seconds;
    rq.direct_m = direct->metres;
    // Rounded down: the promise is never looser than the rule alpha x direct + beta.
    rq.max_ride = static_cast<seconds_t>(std::floor(rules_.ride_alpha * rq.direct)) + rules_.ride_beta;

    std::uint16_t const seats = spec.passengers - spec.wheelchair_users;
    t64 const ws = rq.earliest, we = ws + rules_.max_wait;
    bool fits = false, in_service = false;
    for (auto const vi : active_) {
      auto const& v = vehicles_[vi];
      if (v.spec.seats < seats || v.spec.wheelchairs < spec.wheelchair_users) continue;
      fits = true;
      in_service = in_service || (v.spec.shift_end > ws && v.spec.shift_start <= we);
    }
    if (active_.empty()) return reject(reject_reason::no_vehicle_in_service);
    if (!fits) return reject(reject_reason::too_many_passengers);
    if (!in_service) return reject(reject_reason::no_vehicle_in_service);

    // A connection's drop-off limit is part of the ride from the start (issue 16).
    ride const x{rq.pickup, rq.dropoff, ws, we, spec.latest_dropoff, rq.max_ride, ws, seats, spec.wheelchair_users};
    auto const best = best_insertion(x, now, active_);
    if (!best) return reject(reject_reason::no_feasible_insertion);

    rq.status = request_status::offered;
    rq.vehicle = best->v;
    rq.window_start = rq.earliest;
    rq.window_end = std::min<t64>(we, best->p_begin + rules_.promise_slack);
    rq.latest_dropoff = std::min<t64>(best->p_begin + rules_.dwell + rq.max_ride, spec.latest_dropoff);
    rq.expires = now + rules_.offer_ttl;
    return offer_result{r, reject_reason::none,
                        offer{r, best->v, p, d, best->p_begin, rq.window_start, rq.window_end, best->d_arr,
                              rq.latest_dropoff, rq.expires, best->cost}};
  }();
  requests_.push_back(std::move(rq));
  record(offer_cmd{now, spec});
  return result;
}

// Inserts an offered request with promise `x` (the offered vehicle first); the caller has checked
// its state and expiry.
accept_result dispatcher::accept_one(instant now, request_idx r, ride const& x) {
  auto& rq = requests_[r];
  vehicle_idx const offered[] = {rq.vehicle};
  auto best = best_insertion(x, now, offered);
  if (!best) best = best_insertion(x, now, active_);
  if (!best) return {command_status::no_longer_feasible, {}};
  rq.status = request_status::assigned;
  insert(best->v, r, *best, now);
  return {command_status::ok, best->v};
}

accept_result dispatcher::accept(instant now, request_idx r) {
  advance_to(now);
  auto const result = [&]() -> accept_result {
    if (!r.valid() || r.v() >= requests_.size()) return {command_status::unknown_request, {}};
    auto& rq = requests_[r];
    if (rq.status != request_status::offered) return {command_status::wrong_state, {}};
    if (now > rq.expires) return {command_status::expired, {}};
    return accept_one(now, r, promised_ride(rq));
  }();
  record(accept_cmd{now, r});
  return result;
}

command_status dispatcher::cancel(instant now, request_idx r, cancelled_by by) {
  advance_to(now);
  auto const result = cancel_one(now, r, by);
  record(cancel_cmd{now, r, by});
  return result;
}

command_status dispatcher::cancel_one(instant now, request_idx r, cancelled_by by) {
  {
    if (!r.valid() || r.v() >= requests_.size()) return command_status::unknown_request;
    auto& rq = requests_[r];
    if (rq.status == request_status::offered) {
      rq.status = request_status::cancelled;
      rq.cancelled = by;
      return command_status::ok;
    }
    if (rq.status != request_status::assigned) return command_status::wrong_state;
    auto& v = vehicles_[rq.vehicle];
    // The vehicle is on its way to this pickup: it is assumed to get there as planned and to go on
    // from there, which never makes a later stop later than planned.
    if (!v.stops.empty() && v.stops.front().request == r && !waiting_at_pos(v, now)) {
      v.pos = v.stops.front().loc;
      v.pos_time = v.stops.front().arrived ? std::max(v.pos_time, now) : v.stops.front().arrival;
      rq.pickup_reached_at = v.pos_time;
    } else {
      touch(v, now);
    }
    std::erase_if(v.stops, [&](stop const& s) { return s.request == r; });
    recompute(rq.vehicle);
    rq.status = request_status::cancelled;
    rq.cancelled = by;
    return command_status::ok;
  }
}

command_status dispatcher::update_position(instant now, vehicle_idx vi, latlon position) {
  advance_to(now);
  auto const result = [&]() -> command_status {
    if (!vi.valid() || vi.v() >= vehicles_.size()) return command_status::unknown_vehicle;
    auto const snapped = valid_coord(position) ? model_.snap(position) : road::snapped_point{};
    if (!snapped.valid) return command_status::invalid_position;
    auto& v = vehicles_[vi];
    v.pos = snapped;
    v.pos_time = std::max(v.pos_time, now);
    recompute(vi);
    return command_status::ok;
  }();
  record(position_cmd{now, vi, position});
  return result;
}

command_status dispatcher::stop_event(instant now, vehicle_idx vi, request_idx r, stop_event_kind kind) {
  advance_to(now);
  auto const result = [&]() -> command_status {
    if (!vi.valid() || vi.v() >= vehicles_.size()) return command_status::unknown_vehicle;
    if (!r.valid() || r.v() >= requests_.size()) return command_status::unknown_request;
    auto& rq = requests_[r];
    auto& v = vehicles_[vi];
    if (rq.status != request_status::assigned && rq.status != request_status::on_board) {
      return command_status::wrong_state;
    }
    if (rq.vehicle != vi) return command_status::wrong_vehicle;
    auto const want = rq.status == request_status::assigned ? stop_kind::pickup : stop_kind::dropoff;
    auto const it =
        std::find_if(v.stops.begin(), v.stops.end(), [&](stop const& s) { return s.request == r && s.kind == want; });
    assert(it != v.stops.end());
    auto const seats = rq.spec.passengers - rq.spec.wheelchair_users;
    // A pickup served before stops planned ahead of it must leave room for everyone on board
    // until then: the dispatcher refuses the event rather than hold a plan over capacity.
    if (want == stop_kind::pickup && it != v.stops.begin() && kind != stop_event_kind::no_show &&
        !room_when_first(v, it, requests_)) {
      return command_status::wrong_state;
    }
    switch (kind) {
      case stop_event_kind::arrived: {
        std::rotate(v.stops.begin(), it, it + 1);  // served out of order: it becomes the next stop
        auto& s = v.stops.front();
        s.arrived = true;
        s.arrived_at = now;
        if (s.kind == stop_kind::pickup) rq.pickup_reached_at = now;
        v.pos = s.loc;
        v.pos_time = std::max(v.pos_time, now);
        break;
      }
      case stop_event_kind::picked_up:
      case stop_event_kind::dropped_off: {
        auto const boarding = kind == stop_event_kind::picked_up;
        if (boarding != (want == stop_kind::pickup)) return command_status::wrong_state;
        v.pos = it->loc;
        v.stops.erase(it);
        v.pos_time = std::max(v.pos_time, now + rules_.dwell);
        if (boarding) {
          v.seats_used = static_cast<std::uint16_t>(v.seats_used + seats);
          v.wheelchairs_used = static_cast<std::uint16_t>(v.wheelchairs_used + rq.spec.wheelchair_users);
          rq.status = request_status::on_board;
          rq.picked_up_at = now;
        } else {
          v.seats_used = static_cast<std::uint16_t>(v.seats_used - seats);
          v.wheelchairs_used = static_cast<std::uint16_t>(v.wheelchairs_used - rq.spec.wheelchair_users);
          rq.status = request_status::completed;
          rq.dropped_off_at = now;
        }
        break;
      }
      case stop_event_kind::no_show: {
        if (want != stop_kind::pickup || !it->arrived) return command_status::wrong_state;
        if (now < no_show_time(vi)) return command_status::too_early;
        v.pos = it->loc;
        v.pos_time = std::max(v.pos_time, now);
        std::erase_if(v.stops, [&](stop const& s) { return s.request == r; });
        rq.status = request_status::no_show;
        rq.no_show_at = now;
        break;
      }
    }
    recompute(vi);
    return command_status::ok;
  }();
  record(stop_event_cmd{now, vi, r, kind});
  return result;
}

reoptimise_result dispatcher::reoptimise(instant now) {
  advance_to(now);
  reoptimise_result res;
  std::vector<stop> saved;
  for (auto r = first_open_; r.v() < requests_.size(); ++r) {
    auto const& rq = requests_[r];
    if (rq.status != request_status::assigned) continue;
    auto const vi = rq.vehicle;
    auto& v = vehicles_[vi];
    auto const n = v.stops.size();
    std::uint32_t pi = 0, di = 0;
    for (std::uint32_t k = 0; k < n; ++k) {
      if (v.stops[k].request != r) continue;
      (v.stops[k].kind == stop_kind::pickup ? pi : di) = k;
    }
    if (v.stops[pi].arrived || (pi == 0 && !waiting_at_pos(v, now))) continue;  // locked
    ++res.n_considered;
    touch(v, now);
    saved = v.stops;
    auto const saved_pos_time = v.pos_time;
    std::erase_if(v.stops, [&](stop const& s) { return s.request == r; });
    recompute(vi);
    auto const x = promised_ride(rq);
    // In the shortened schedule the drop-off sat before original stop di-1 (the pickup is gone).
    insertion const original{vi, pi, di - 1, 0.0, 0, 0};
    double original_cost = 0.0;
    auto const best = best_insertion(x, now, active_, &original, &original_cost);
    if (best && best->cost < original_cost) {
      res.cost_saved += original_cost >= static_cast<double>(inf) ? 0.0 : original_cost - best->cost;
      ++res.n_moved;
      insert(best->v, r, *best, now);
    } else {
      v.stops = saved;
      v.pos_time = saved_pos_time;
      recompute(vi);
    }
  }
  record(reoptimise_cmd{now});
  return res;
}

bool dispatcher::restore(std::vector<vehicle_state> vehicles, std::vector<request_state> requests,
                         std::vector<journey_state> journeys) {
  if (vehicles_.size() != 0 || requests_.size() != 0 || journeys_.size() != 0) return false;
  for (auto const& q : requests)
    if (q.journey.valid() && q.journey.v() >= journeys.size()) return false;
  for (auto const& j : journeys)
    for (auto const& l : j.legs)
      if (!l.request.valid() || l.request.v() >= requests.size()) return false;
  for (auto const& q : requests) {
    auto const booked = q.status == request_status::assigned || q.status == request_status::on_board;
    if (booked && (!q.vehicle.valid() || q.vehicle.v() >= vehicles.size())) return false;
  }
  for (std::size_t vi = 0; vi < vehicles.size(); ++vi) {
    for (auto const& s : vehicles[vi].stops) {
      if (!s.request.valid() || s.request.v() >= requests.size()) return false;
      auto const& q = requests[s.request.v()];
      auto const want = s.kind == stop_kind::pickup ? request_status::assigned : q.status;
      if (q.vehicle.v() != vi || q.status != want ||
          (q.status != request_status::assigned && q.status != request_status::on_board)) {
        return false;
      }
    }
  }
  for (auto& v : vehicles) vehicles_.push_back(std::move(v));
  for (auto& q : requests) requests_.push_back(std::move(q));
  for (auto& j : journeys) journeys_.push_back(std::move(j));
  for (auto vi = vehicle_idx{0}; vi.v() < vehicles_.size(); ++vi) {
    active_.push_back(vi);
    recompute(vi);
  }
  return true;
}

command_result dispatcher::apply(command const& c) {
  return std::visit(
      [&](auto const& cmd) -> command_result {
        using T = std::decay_t<decltype(cmd)>;
        if constexpr (std::is_same_v<T, add_vehicle_cmd>) return add_vehicle(cmd.now, cmd.spec);
        else if constexpr (std::is_same_v<T, offer_cmd>) return request_offer(cmd.now, cmd.spec);
        else if constexpr (std::is_same_v<T, accept_cmd>) return accept(cmd.now, cmd.request);
        else if constexpr (std::is_same_v<T, cancel_cmd>) return cancel(cmd.now, cmd.request, cmd.by);
        else if constexpr (std::is_same_v<T, position_cmd>) return update_position(cmd.now, cmd.vehicle, cmd.position);
        else if constexpr (std::is_same_v<T, stop_event_cmd>)
          return stop_event(cmd.now, cmd.vehicle, cmd.request, cmd.kind);
        else if constexpr (std::is_same_v<T, accept_journey_cmd>) return accept_journey(cmd.now, cmd.legs);
        else if constexpr (std::is_same_v<T, cancel_journey_cmd>) return cancel_journey(cmd.now, cmd.journey, cmd.by);
        else if constexpr (std::is_same_v<T, move_cmd>)
          return move(cmd.now, cmd.request, cmd.earliest_pickup, cmd.latest_dropoff);
        else return reoptimise(cmd.now);
      },
      c);
}

request_eta dispatcher::eta(request_idx r) const {
  request_eta e;
  auto const& rq = requests_[r];
  if (rq.status != request_status::assigned && rq.status != request_status::on_board) return e;
  for (auto const& s : vehicles_[rq.vehicle].stops) {
    if (s.request != r) continue;
    (s.kind == stop_kind::pickup ? e.pickup : e.dropoff) = s.kind == stop_kind::pickup ? s.begin : s.arrival;
  }
  return e;
}

std::string dispatcher::dump() const {
  std::string out;
  char buf[512];
  auto const pt = [](road::snapped_point const& p) {
    char b[128];
    std::snprintf(b, sizeof(b), "(%.9f,%.9f,%u,%d,%d)", p.coord.lat, p.coord.lon, p.node, p.offset_s, p.valid ? 1 : 0);
    return std::string{b};
  };
  auto const ll = [](instant t) { return static_cast<long long>(t); };
  for (auto vi = vehicle_idx{0}; vi.v() < vehicles_.size(); ++vi) {
    auto const& v = vehicles_[vi];
    std::snprintf(buf, sizeof(buf), "V%u %s seats=%u wc=%u shift=%lld-%lld pos_time=%lld used=%u/%u depot=", vi.v(),
                  v.spec.name.c_str(), v.spec.seats, v.spec.wheelchairs, ll(v.spec.shift_start), ll(v.spec.shift_end),
                  ll(v.pos_time), v.seats_used, v.wheelchairs_used);
    out += buf + pt(v.depot) + " pos=" + pt(v.pos) + "\n";
    for (auto const& s : v.stops) {
      std::snprintf(buf, sizeof(buf),
                    "  %c R%u arr=%lld begin=%lld dep=%lld arrived=%d@%lld at=", s.kind == stop_kind::pickup ? 'P' : 'D',
                    s.request.v(), ll(s.arrival), ll(s.begin), ll(s.departure), s.arrived ? 1 : 0, ll(s.arrived_at));
      out += buf + pt(s.loc) + "\n";
    }
  }
  for (auto r = request_idx{0}; r.v() < requests_.size(); ++r) {
    auto const& q = requests_[r];
    std::snprintf(buf, sizeof(buf),
                  "R%u %s %s n=%u wc=%u req=%lld earliest=%lld direct=%d/%.3f max_ride=%d window=%lld-%lld latest=%lld "
                  "exp=%lld V%u up=%lld down=%lld by=%d reached=%lld absent=%lld p=",
                  r.v(), to_string(q.status), to_string(q.reason), q.spec.passengers, q.spec.wheelchair_users,
                  ll(q.requested_at), ll(q.earliest), q.direct, q.direct_m, q.max_ride, ll(q.window_start),
                  ll(q.window_end), ll(q.latest_dropoff), ll(q.expires), q.vehicle.v(), ll(q.picked_up_at),
                  ll(q.dropped_off_at), static_cast<int>(q.cancelled), ll(q.pickup_reached_at), ll(q.no_show_at));
    out += buf + pt(q.pickup) + " d=" + pt(q.dropoff);
    if (q.spec.latest_dropoff != no_time || q.journey.valid() || q.connection_lost) {
      std::snprintf(buf, sizeof(buf), " limit=%lld J%d lost=%d", ll(q.spec.latest_dropoff),
                    q.journey.valid() ? static_cast<int>(q.journey.v()) : -1, q.connection_lost ? 1 : 0);
      out += buf;
    }
    out += "\n";
  }
  for (auto j = journey_idx{0}; j.v() < journeys_.size(); ++j) {
    auto const& jy = journeys_[j];
    std::snprintf(buf, sizeof(buf), "J%u booked=%lld cancelled=%d@%lld", j.v(), ll(jy.booked_at), jy.cancelled ? 1 : 0,
                  ll(jy.cancelled_at));
    out += buf;
    for (auto const& l : jy.legs) {
      std::snprintf(buf, sizeof(buf), " R%u/%d/%lld/%d/", l.request.v(), static_cast<int>(l.link.k),
                    ll(l.link.scheduled), l.link.buffer);
      out += buf + l.link.trip_id + "/" + l.link.stop_id;
    }
    out += "\n";
  }
  return out;
}

char const* to_string(reject_reason r) {
  switch (r) {
    case reject_reason::none: return "none";
    case reject_reason::invalid_request: return "invalid_request";
    case reject_reason::too_many_passengers: return "too_many_passengers";
    case reject_reason::too_far_ahead: return "too_far_ahead";
    case reject_reason::outside_area: return "outside_area";
    case reject_reason::no_meeting_point: return "no_meeting_point";
    case reject_reason::unreachable: return "unreachable";
    case reject_reason::no_vehicle_in_service: return "no_vehicle_in_service";
    case reject_reason::no_feasible_insertion: return "no_feasible_insertion";
  }
  return "?";
}

char const* to_string(request_status s) {
  switch (s) {
    case request_status::rejected: return "rejected";
    case request_status::offered: return "offered";
    case request_status::assigned: return "assigned";
    case request_status::on_board: return "on_board";
    case request_status::completed: return "completed";
    case request_status::cancelled: return "cancelled";
    case request_status::no_show: return "no_show";
  }
  return "?";
}

char const* to_string(command_status s) {
  switch (s) {
    case command_status::ok: return "ok";
    case command_status::unknown_vehicle: return "unknown_vehicle";
    case command_status::unknown_request: return "unknown_request";
    case command_status::wrong_state: return "wrong_state";
    case command_status::expired: return "expired";
    case command_status::no_longer_feasible: return "no_longer_feasible";
    case command_status::wrong_vehicle: return "wrong_vehicle";
    case command_status::too_early: return "too_early";
    case command_status::invalid_position: return "invalid_position";
    case command_status::connection_not_kept: return "connection_not_kept";
    case command_status::unknown_journey: return "unknown_journey";
  }
  return "?";
}

}  // namespace nebuta::dispatch
