// A service date's records as the simulator writes them (drt_day.h).
#include "drt_day.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "nebuta/core/civil_time.h"

namespace nebuta::api_server {

namespace d = nebuta::dispatch;

date_t request_date(drt_state const& m, d::request_state const& rq) {
  return m.sclock.service_date(rq.status == d::request_status::rejected ? rq.spec.earliest_pickup : rq.earliest);
}

std::optional<date_t> date_param(call const& c) {
  auto const text = c.param_or_empty("date");
  if (text.empty()) return std::nullopt;
  auto const day = civil::parse_date(text);
  if (!day) throw api_error{400, "invalid_date", {"date", text.substr(0, 100)}};
  return day;
}

namespace {

sim::request_outcome outcome_of(d::request_status s) {
  switch (s) {
    case d::request_status::rejected: return sim::request_outcome::rejected;
    case d::request_status::offered: return sim::request_outcome::declined;  // never accepted
    case d::request_status::assigned:
    case d::request_status::on_board: return sim::request_outcome::open;
    case d::request_status::completed: return sim::request_outcome::served;
    case d::request_status::cancelled: return sim::request_outcome::cancelled;
    case d::request_status::no_show: return sim::request_outcome::no_show;
  }
  return sim::request_outcome::rejected;
}

// What a vehicle reported at one of its stops.
struct stop_done {
  d::instant at{0};
  sim::event_kind kind{sim::event_kind::pickup};
  std::int32_t record{-1};  // index into result::requests
  road::snapped_point where{};
  std::uint16_t persons{0};
  bool event{true};  // false: a pickup reached for a rider who then cancelled (a leg, no event)
};

// Drop-offs first at one instant, so that the count on board never overstates.
int order_at_instant(sim::event_kind k) {
  return k == sim::event_kind::dropoff ? 0 : k == sim::event_kind::no_show ? 1 : 2;
}

}  // namespace

day_records records_of_day(drt_state const& m, date_t day, d::instant now) {
  auto const t0 = m.sclock.day_start(day);
  auto const rel = [&](d::instant t) { return static_cast<seconds_t>(t - t0); };
  day_records out;
  auto& run = out.run;

  std::unordered_map<std::uint32_t, std::int32_t> record_of_vehicle;  // dispatcher vehicle -> run.vehicles
  std::vector<d::vehicle_idx> shift_of;                               // and back
  std::vector<std::vector<stop_done>> done;
  auto const add_vehicle = [&](d::vehicle_idx vi) {
    auto const [it, fresh] = record_of_vehicle.try_emplace(vi.v(), static_cast<std::int32_t>(run.vehicles.size()));
    if (fresh) {
      auto const& spec = m.disp.vehicle(vi).spec;
      sim::vehicle_record rec;
      rec.id = spec.name;
      rec.seats = spec.seats;
      rec.wheelchair_spaces = spec.wheelchairs;
      rec.shift_start = rel(spec.shift_start);
      rec.shift_end = rel(spec.shift_end);
      rec.hours_in_service = static_cast<double>(std::max<d::instant>(0, spec.shift_end - spec.shift_start)) / 3600.0;
      run.vehicles.push_back(std::move(rec));
      shift_of.push_back(vi);
      done.emplace_back();
    }
    return it->second;
  };
  for (auto vi = d::vehicle_idx{0}; vi.v() < m.disp.vehicles().size(); ++vi)
    if (m.sclock.service_date(m.disp.vehicle(vi).spec.shift_start) == day) add_vehicle(vi);

  for (auto r = d::request_idx{0}; r.v() < m.disp.requests().size(); ++r) {
    auto const& rq = m.disp.request(r);
    if (request_date(m, rq) != day) continue;
    sim::request_record rec;
    rec.request.id = std::to_string(r.v());
    rec.request.requested_at = rel(rq.requested_at);
    auto const earliest =
        rq.status == d::request_status::rejected ? std::max(rq.spec.earliest_pickup, rq.requested_at) : rq.earliest;
    rec.request.earliest_pickup = rel(earliest);
    rec.request.origin = rq.spec.pickup;
    rec.request.destination = rq.spec.dropoff;
    rec.request.passengers = rq.spec.passengers;
    rec.request.wheelchair_users = rq.spec.wheelchair_users;
    rec.outcome = outcome_of(rq.status);
    auto const index = static_cast<std::int32_t>(run.requests.size());
    if (rq.status == d::request_status::rejected) {
      rec.reject_reason = d::to_string(rq.reason);
    } else if (rq.vehicle.valid() && rq.vehicle.v() < m.disp.vehicles().size()) {
      rec.vehicle = add_vehicle(rq.vehicle);
      rec.promised_pickup_start = rel(rq.window_start);
      rec.promised_pickup_end = rel(rq.window_end);
      rec.promised_dropoff_by = rel(rq.latest_dropoff);
      rec.direct_s = rq.direct;
      rec.direct_m = rq.direct_m;
      auto& stops = done[static_cast<std::size_t>(rec.vehicle)];
      if (rq.picked_up_at != d::no_time) {
        rec.pickup_at = rel(rq.picked_up_at);
        stops.push_back({rq.picked_up_at, sim::event_kind::pickup, index, rq.pickup, rq.spec.passengers});
      }
      if (rq.dropped_off_at != d::no_time) {
        rec.dropoff_at = rel(rq.dropped_off_at);
        stops.push_back({rq.dropped_off_at, sim::event_kind::dropoff, index, rq.dropoff, rq.spec.passengers});
      }
      if (rq.no_show_at != d::no_time) stops.push_back({rq.no_show_at, sim::event_kind::no_show, index, rq.pickup, 0});
      if (rq.status == d::request_status::cancelled && rq.pickup_reached_at != d::no_time)
        stops.push_back({rq.pickup_reached_at, sim::event_kind::no_show, index, rq.pickup, 0, false});
    }
    run.requests.push_back(std::move(rec));
  }

  // Each vehicle's way: from the depot through the stops it reported, then what is still planned.
  auto const dwell = m.disp.service_rules().dwell;
  for (std::size_t k = 0; k < run.vehicles.size(); ++k) {
    auto& rec = run.vehicles[k];
    auto const& v = m.disp.vehicle(shift_of[k]);
    auto& stops = done[k];
    std::stable_sort(stops.begin(), stops.end(), [](stop_done const& a, stop_done const& b) {
      return a.at != b.at ? a.at < b.at : order_at_instant(a.kind) < order_at_instant(b.kind);
    });
    auto const vehicle = static_cast<std::uint32_t>(k);
    auto at = v.depot;
    auto away = false;
    std::uint16_t onboard = 0;
    d::instant occupied_since = 0, free_from = v.spec.shift_start;
    std::vector<std::int32_t> aboard;
    auto const drive = [&](road::snapped_point const& to) {
      auto const leg = m.model->cost(at, to);
      if (!leg) return;
      auto const km = leg->metres / 1000.0;
      rec.km_driven += km;
      if (onboard == 0) rec.km_empty += km;
      rec.passenger_km += km * onboard;
    };
    for (auto const& s : stops) {
      if (!away) {
        if (auto const leg = m.model->cost(at, s.where); leg && leg->metres > 0.0) {
          away = true;
          run.events.push_back({rel(s.at - leg->seconds), vehicle, -1, sim::event_kind::depart_depot, v.depot.coord, 0});
        }
      }
      drive(s.where);
      at = s.where;
      free_from = s.at + (s.event && s.kind != sim::event_kind::no_show ? dwell : 0);
      if (!s.event) continue;
      if (s.kind == sim::event_kind::pickup) {
        if (onboard == 0) occupied_since = s.at;
        onboard = static_cast<std::uint16_t>(onboard + s.persons);
        aboard.push_back(s.record);
        if (aboard.size() >= 2)
          for (auto const other : aboard) run.requests[static_cast<std::size_t>(other)].shared = true;
      } else if (s.kind == sim::event_kind::dropoff) {
        onboard = static_cast<std::uint16_t>(onboard - std::min(onboard, s.persons));
        std::erase(aboard, s.record);
        if (onboard == 0) rec.hours_occupied += static_cast<double>(s.at - occupied_since) / 3600.0;
        rec.passengers_carried += s.persons;
      }
      run.events.push_back({rel(s.at), vehicle, s.record, s.kind, s.where.coord, onboard});
    }
    // What is still planned: the remaining stops, then home.
    auto planned_from = at;
    for (auto const& s : v.stops) {
      if (auto const leg = m.model->cost(planned_from, s.loc)) out.planned_km += leg->metres / 1000.0;
      planned_from = s.loc;
    }
    if (!away && v.stops.empty()) continue;
    auto const home = m.model->cost(planned_from, v.depot);
    if (!home) continue;
    auto const leave = std::max(free_from, v.spec.shift_end - home->seconds);
    if (v.stops.empty() && leave + home->seconds <= now) {
      drive(v.depot);
      run.events.push_back({rel(leave + home->seconds), vehicle, -1, sim::event_kind::return_depot, v.depot.coord, 0});
    } else {
      out.planned_km += home->metres / 1000.0;
    }
  }
  for (auto& q : run.requests)
    if (q.outcome != sim::request_outcome::served) q.shared = false;
  std::stable_sort(run.events.begin(), run.events.end(),
                   [](sim::vehicle_event const& a, sim::vehicle_event const& b) { return a.time < b.time; });

  sim::scenario costs_unknown;  // the live service has no cost model: cost and fare figures are n/a
  run.k = sim::compute_kpis(run, costs_unknown);
  run.k.cost_per_passenger.reset();
  run.k.farebox_recovery.reset();
  return out;
}

}  // namespace nebuta::api_server
