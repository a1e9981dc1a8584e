// Random days of riders booking journeys (issue 16) for a dispatcher over any travel model: each
// journey is one or two on-demand legs hanging on a synthetic train (a first mile to a station by
// its departure less the buffer, a last mile from a station after its arrival plus the buffer),
// booked all at once; some trains run late (the last-mile leg is moved), some journeys are
// cancelled, other riders book plain rides, vehicles follow their plans. After every command the
// independent validator checks every schedule, with the train connections the test itself
// recorded (not the dispatcher's promises); at the end a replay of the journal reaches the same
// state.
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <random>
#include <vector>

#include "nebuta/dispatch/dispatcher.h"
#include "plan_of.h"
#include "random_day.h"  // recorder

namespace nebuta::dispatch::test {

// The validator's view with each booked leg's connection as the test knows it.
struct connection_truth {
  std::int64_t dropoff_by{std::numeric_limits<std::int64_t>::max()};
  std::int64_t pickup_from{std::numeric_limits<std::int64_t>::min()};
};

inline std::vector<std::string> check_with_connections(dispatcher const& d, road::travel_model const& model,
                                                       std::map<std::uint32_t, connection_truth> const& truth) {
  auto plan = plan_of(d);
  std::size_t rider = 0;
  for (std::size_t r = 0; r < d.requests().size(); ++r) {
    auto const& q = d.requests()[r];
    if (q.status != request_status::assigned && q.status != request_status::on_board) continue;
    if (auto const it = truth.find(static_cast<std::uint32_t>(r)); it != truth.end()) {
      plan.riders[rider].connection_dropoff = it->second.dropoff_by;
      plan.riders[rider].connection_pickup = it->second.pickup_from;
    }
    ++rider;
  }
  return validate::check(plan, model);
}

struct journey_day_stats {
  std::size_t n_journeys{0}, n_failed{0}, n_moves{0}, n_lost{0}, n_cancelled{0}, n_checks{0};
};

// One on-demand leg of a journey a rider wants: what to ask the dispatcher, the train it connects
// to, and that connection as the test knows it (for the validator).
struct planned_leg {
  request_spec spec;
  connection link;
  connection_truth truth;
};
// The legs of the journey of rider `i` at `now` (home: a random place; station: a random one of the
// stations); it may draw from rng.
using journey_maker = std::function<std::vector<planned_leg>(std::mt19937_64& rng, int i, instant now, double what,
                                                             latlon home, latlon station)>;

// The synthetic journeys: a first mile home → station for a train departing in 20-50 min, and/or
// a last mile station → home after a train arriving in 10-60 min, with a buffer of 2-7 min.
inline std::vector<planned_leg> synthetic_journey(std::mt19937_64& rng, int i, instant now, double what, latlon home,
                                                  latlon station) {
  std::uniform_real_distribution<double> u01(0.0, 1.0);
  auto const buffer = static_cast<seconds_t>(120 + u01(rng) * 300);
  std::vector<planned_leg> out;
  if (what < 0.75) {
    auto const dep = now + static_cast<instant>(1200 + u01(rng) * 1800);
    request_spec spec{home, station, 1, 0, now};
    spec.latest_dropoff = dep - buffer;
    out.push_back({spec,
                   {connection::kind::before_departure, "T" + std::to_string(i), "S", dep, buffer},
                   {dep - buffer, std::numeric_limits<std::int64_t>::min()}});
  }
  if (what >= 0.6) {
    auto const arr = now + static_cast<instant>(600 + u01(rng) * 3000);
    out.push_back({{station, home, 1, 0, arr + buffer},
                   {connection::kind::after_arrival, "U" + std::to_string(i), "S", arr, buffer},
                   {std::numeric_limits<std::int64_t>::max(), arr + buffer}});
  }
  return out;
}

// `stations`: where trains stop (and the vehicles' depots); `places`: riders' homes; `make`: the
// journeys riders book (synthetic_journey, or planned on a real timetable).
inline journey_day_stats run_journey_day(road::travel_model const& model, std::vector<latlon> const& stations,
                                         std::function<latlon(std::mt19937_64&)> const& place_of, std::uint64_t seed,
                                         instant day0, int n_vehicles, int n_riders,
                                         journey_maker const& make = synthetic_journey) {
  std::mt19937_64 rng{seed};
  rules r;
  r.offer_ttl = 120;
  recorder rec;
  dispatcher d{model, r};
  d.set_journal(&rec);
  journey_day_stats st;
  std::map<std::uint32_t, connection_truth> truth;
  auto const check = [&] {
    ++st.n_checks;
    auto const errors = check_with_connections(d, model, truth);
    INFO("seed " << seed << " after command " << rec.log.size() << " of kind "
                 << (rec.log.empty() ? -1 : static_cast<int>(rec.log.back().index())) << "\n"
                 << joined(errors) << d.dump());
    REQUIRE(errors.empty());
  };
  std::uniform_int_distribution<int> pick_station(0, static_cast<int>(stations.size()) - 1);
  for (int v = 0; v < n_vehicles; ++v)
    d.add_vehicle(day0, {"V" + std::to_string(v), 4, 1, stations[static_cast<std::size_t>(pick_station(rng))],
                         day0 + 6 * 3600, day0 + 14 * 3600});
  instant now = day0 + 7 * 3600;
  struct booked {
    journey_idx j;
    std::vector<journey_leg> legs;
  };
  std::vector<booked> journeys;

  // Vehicles follow their plans up to `until`: the earliest next event of all vehicles first
  // (arrive at a stop, then pick up or drop off at its planned service begin).
  auto const drive_until = [&](instant until) {
    for (;;) {
      auto best = vehicle_idx::invalid();
      instant best_t = no_time;
      for (auto vi = vehicle_idx{0}; vi.v() < d.vehicles().size(); ++vi) {
        auto const& v = d.vehicle(vi);
        if (v.stops.empty()) continue;
        auto const t = v.stops.front().arrived ? v.stops.front().begin : v.stops.front().arrival;
        if (t < best_t) {
          best_t = t;
          best = vi;
        }
      }
      if (!best.valid() || best_t > until) return;
      REQUIRE(best_t >= now);  // vehicles are never behind their plans
      now = best_t;
      auto const& s = d.vehicle(best).stops.front();
      auto const kind = !s.arrived                    ? stop_event_kind::arrived
                        : s.kind == stop_kind::pickup ? stop_event_kind::picked_up
                                                      : stop_event_kind::dropped_off;
      REQUIRE(d.stop_event(now, best, s.request, kind) == command_status::ok);
      check();
    }
  };
  auto const plans = [&] {
    std::vector<std::pair<std::uint32_t, int>> out;
    for (auto const& v : d.vehicles()) {
      for (auto const& s : v.stops) out.emplace_back(s.request.v(), static_cast<int>(s.kind));
      out.emplace_back(~0U, 0);
    }
    return out;
  };

  std::uniform_real_distribution<double> u01(0.0, 1.0);
  for (int i = 0; i < n_riders; ++i) {
    auto const next = now + static_cast<instant>(30 + u01(rng) * 240);
    drive_until(next);  // the vehicles' events up to then happen at their own times
    now = next;
    auto const what = u01(rng);
    auto const home = place_of(rng);
    auto const station = stations[static_cast<std::size_t>(pick_station(rng))];
    if (what < 0.25) {  // a plain ride
      auto const o = d.request_offer(now, {home, place_of(rng), 1, 0, now});
      check();
      if (o.ok()) {
        d.accept(now, o.request);
        check();
      }
      continue;
    }
    if (what < 0.35 && !journeys.empty()) {  // a late train: the last mile of a journey moves
      auto const& b = journeys[static_cast<std::size_t>(u01(rng) * static_cast<double>(journeys.size()))];
      for (auto const& l : b.legs) {
        if (l.link.k != connection::kind::after_arrival) continue;
        auto const& q = d.request(l.request);
        if (q.status != request_status::assigned) continue;
        auto const late = static_cast<instant>(60 + u01(rng) * 1200);
        auto const new_earliest = q.spec.earliest_pickup + late;
        auto const res = d.move(now, l.request, new_earliest, q.spec.latest_dropoff);
        ++st.n_moves;
        if (res == command_status::ok) {
          truth[l.request.v()].pickup_from = new_earliest;
        } else {
          REQUIRE(res == command_status::connection_not_kept);
          REQUIRE(d.request(l.request).connection_lost);
          ++st.n_lost;
        }
        check();
      }
      continue;
    }
    if (what < 0.42 && !journeys.empty()) {  // a rider cancels a journey
      auto const& b = journeys[static_cast<std::size_t>(u01(rng) * static_cast<double>(journeys.size()))];
      auto const res = d.cancel_journey(now, b.j, cancelled_by::rider);
      REQUIRE((res == command_status::ok || res == command_status::wrong_state));
      st.n_cancelled += res == command_status::ok;
      check();
      continue;
    }
    // A journey: each leg offered, the journey booked if at least one leg is.
    std::vector<journey_leg> legs;
    std::vector<connection_truth> truths;
    for (auto const& p : make(rng, i, now, what, home, station)) {
      auto const o = d.request_offer(now, p.spec);
      check();
      if (!o.ok()) continue;
      if (p.spec.latest_dropoff != no_time) REQUIRE(o.o.latest_dropoff <= p.spec.latest_dropoff);
      legs.push_back({o.request, p.link});
      truths.push_back(p.truth);
    }
    if (legs.empty()) continue;
    auto const booking = now + static_cast<instant>(u01(rng) * 20);
    drive_until(booking);
    now = booking;
    // Sometimes the fleet moves on between offer and booking: one leg may no longer fit.
    auto const before = plans();
    auto const res = d.accept_journey(now, legs);
    if (res.ok()) {
      ++st.n_journeys;
      journeys.push_back({res.journey, legs});
      for (std::size_t k = 0; k < legs.size(); ++k) truth[legs[k].request.v()] = truths[k];
      for (auto const& l : legs) REQUIRE(d.request(l.request).status == request_status::assigned);
    } else {
      ++st.n_failed;
      // All or nothing: no leg is booked, no vehicle's plan changed.
      for (auto const& l : legs) REQUIRE(d.request(l.request).status != request_status::assigned);
      REQUIRE(plans() == before);
    }
    check();
  }
  drive_until(day0 + 15 * 3600);

  dispatcher fresh{model, r};
  for (auto const& c : rec.log) fresh.apply(c);
  REQUIRE(fresh.dump() == d.dump());
  return st;
}

}  // namespace nebuta::dispatch::test
