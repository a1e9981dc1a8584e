// Journeys and connections (issue 16): several offers accepted as one command, all or none; a
// journey cancelled as one; a booking whose train connection moved, re-planned (see
// "Connections" in dispatcher.h).
#include <algorithm>

#include "arith.h"
#include "insertion.h"

namespace nebuta::dispatch {

using detail::t64;

namespace {

// A leg's promise tightened to its connection: drop-off by the departure less the buffer, pickup
// from the arrival plus the buffer.
void tighten(connection const& c, t64& window_start, t64& latest_drop) {
  if (c.k == connection::kind::before_departure) latest_drop = std::min<t64>(latest_drop, c.scheduled - c.buffer);
  if (c.k == connection::kind::after_arrival) window_start = std::max<t64>(window_start, c.scheduled + c.buffer);
}

}  // namespace

bool dispatcher::locked_pickup(vehicle_state const& v, request_idx r, instant now) const {
  for (std::size_t k = 0; k < v.stops.size(); ++k) {
    if (v.stops[k].request != r || v.stops[k].kind != stop_kind::pickup) continue;
    return v.stops[k].arrived || (k == 0 && !waiting_at_pos(v, now));
  }
  return true;  // no pickup left: the rider is on board
}

journey_result dispatcher::accept_journey(instant now, std::vector<journey_leg> legs) {
  advance_to(now);
  auto const result = [&]() -> journey_result {
    if (legs.empty()) return {command_status::wrong_state, {}, 0};
    for (std::uint32_t i = 0; i < legs.size(); ++i) {
      auto const r = legs[i].request;
      if (!r.valid() || r.v() >= requests_.size()) return {command_status::unknown_request, {}, i};
      for (std::uint32_t k = 0; k < i; ++k)
        if (legs[k].request == r) return {command_status::wrong_state, {}, i};  // the same offer twice
      auto const& rq = requests_[r];
      if (rq.status != request_status::offered) return {command_status::wrong_state, {}, i};
      if (now > rq.expires) return {command_status::expired, {}, i};
    }
    // Every vehicle and request as it was before the first change, to undo a partial booking.
    std::vector<std::pair<vehicle_idx, vehicle_state>> saved_vehicles;
    std::vector<request_state> saved_requests;
    auto const undo = [&](std::uint32_t failed, command_status why) {
      for (auto& [vi, v] : saved_vehicles) vehicles_[vi] = std::move(v);
      for (std::size_t k = 0; k < saved_requests.size(); ++k) requests_[legs[k].request] = std::move(saved_requests[k]);
      return journey_result{why, {}, failed};
    };
    auto const j = journeys_.next_idx();
    for (std::uint32_t i = 0; i < legs.size(); ++i) {
      auto const r = legs[i].request;
      saved_requests.push_back(requests_[r]);
      auto& rq = requests_[r];
      auto x = promised_ride(rq);
      tighten(legs[i].link, x.ws, x.latest_drop);
      if (x.ws > x.we) return undo(i, command_status::no_longer_feasible);
      vehicle_idx const offered[] = {rq.vehicle};
      auto best = best_insertion(x, now, offered);
      if (!best) best = best_insertion(x, now, active_);
      if (!best) return undo(i, command_status::no_longer_feasible);
      auto const seen =
          std::any_of(saved_vehicles.begin(), saved_vehicles.end(), [&](auto const& s) { return s.first == best->v; });
      if (!seen) saved_vehicles.emplace_back(best->v, vehicles_[best->v]);
      rq.window_start = x.ws;
      rq.latest_dropoff = x.latest_drop;
      rq.status = request_status::assigned;
      rq.journey = j;
      insert(best->v, r, *best, now);
    }
    journeys_.push_back(journey_state{legs, now, false, no_time});
    return {command_status::ok, j, 0};
  }();
  record(accept_journey_cmd{now, std::move(legs)});
  return result;
}

command_status dispatcher::cancel_journey(instant now, journey_idx j, cancelled_by by) {
  advance_to(now);
  auto const result = [&]() -> command_status {
    if (!j.valid() || j.v() >= journeys_.size()) return command_status::unknown_journey;
    auto& jy = journeys_[j];
    if (jy.cancelled) return command_status::wrong_state;
    for (auto const& l : jy.legs) {
      auto const st = requests_[l.request].status;
      if (st == request_status::offered || st == request_status::assigned) cancel_one(now, l.request, by);
    }
    jy.cancelled = true;
    jy.cancelled_at = now;
    return command_status::ok;
  }();
  record(cancel_journey_cmd{now, j, by});
  return result;
}

command_status dispatcher::move(instant now, request_idx r, instant earliest_pickup, instant latest_dropoff) {
  advance_to(now);
  auto const result = [&]() -> command_status {
    if (!r.valid() || r.v() >= requests_.size()) return command_status::unknown_request;
    auto& rq = requests_[r];
    if (rq.status != request_status::assigned && rq.status != request_status::on_board)
      return command_status::wrong_state;
    auto const old = rq;
    auto const vi = rq.vehicle;
    auto& v = vehicles_[vi];
    // The new promise: a later pickup moves the whole window and the latest drop-off with it; an
    // earlier one only opens the window earlier; a drop-off limit is never looser than the
    // promise already given.
    t64 ws = rq.window_start, we = rq.window_end, ld = rq.latest_dropoff;
    if (rq.status == request_status::assigned) {
      auto const delta = t64{earliest_pickup} - ws;
      if (delta > 0) {
        ws += delta;
        we += delta;
        ld += delta;
      } else {
        ws = earliest_pickup;
      }
    }
    ld = std::min<t64>(ld, latest_dropoff);
    rq.spec.earliest_pickup = earliest_pickup;
    rq.spec.latest_dropoff = latest_dropoff;
    auto const lost = [&] {
      auto const spec = rq.spec;
      rq = old;
      rq.spec = spec;
      rq.connection_lost = true;
      recompute(vi);
      return command_status::connection_not_kept;
    };
    auto const set_promise = [&] {
      rq.window_start = ws;
      rq.window_end = we;
      rq.latest_dropoff = ld;
      if (rq.status == request_status::assigned) rq.earliest = std::max<t64>(ws, 0);
      rq.connection_lost = false;
    };
    if (locked_pickup(v, r, now)) {
      // Nothing can move: the plan as it stands must keep the new promise (checked before the
      // promise changes: a later window start would make the vehicle wait and delay later stops).
      for (auto const& s : v.stops) {
        if (s.request != r) continue;
        if (s.kind == stop_kind::pickup && (s.begin < ws || s.begin > we)) return lost();
        if (s.kind == stop_kind::dropoff && s.arrival > ld) return lost();
      }
      set_promise();
      recompute(vi);
      return command_status::ok;
    }
    set_promise();
    touch(v, now);
    auto const saved = v.stops;
    auto const saved_pos_time = v.pos_time;
    std::erase_if(v.stops, [&](stop const& s) { return s.request == r; });
    recompute(vi);
    auto const best = best_insertion(promised_ride(rq), now, active_);
    if (!best) {
      v.stops = saved;
      v.pos_time = saved_pos_time;
      return lost();
    }
    insert(best->v, r, *best, now);
    return command_status::ok;
  }();
  record(move_cmd{now, r, earliest_pickup, latest_dropoff});
  return result;
}

}  // namespace nebuta::dispatch
