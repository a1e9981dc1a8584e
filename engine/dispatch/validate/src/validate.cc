#include "nebuta/dispatch/validate.h"

#include <algorithm>
#include <cstdio>

namespace nebuta::dispatch::validate {

namespace {

template <typename... Args>
std::string fmt(char const* f, Args... args) {
  char buf[256];
  std::snprintf(buf, sizeof(buf), f, args...);
  return buf;
}

long long ll(std::int64_t t) { return static_cast<long long>(t); }

}  // namespace

std::vector<std::string> check(fleet_plan const& plan, road::travel_model const& model) {
  std::vector<std::string> errors;
  auto const n_riders = plan.riders.size();
  std::vector<int> n_pickups(n_riders, 0), n_dropoffs(n_riders, 0);
  if (plan.schedules.size() != plan.vehicles.size()) {
    errors.push_back("schedule count differs from vehicle count");
    return errors;
  }

  for (std::size_t vi = 0; vi < plan.vehicles.size(); ++vi) {
    auto const& veh = plan.vehicles[vi];
    auto const& sched = plan.schedules[vi];
    std::vector<char> aboard(n_riders, 0);
    std::vector<long long> boarded(n_riders, 0);
    int seats = 0, wheelchairs = 0;
    for (std::size_t r = 0; r < n_riders; ++r) {
      if (plan.riders[r].on_board && plan.riders[r].vehicle == vi) {
        aboard[r] = 1;
        boarded[r] = plan.riders[r].picked_up_at;
        seats += plan.riders[r].seats;
        wheelchairs += plan.riders[r].wheelchairs;
      }
    }
    if (seats > veh.seats || wheelchairs > veh.wheelchairs) {
      errors.push_back(fmt("V%zu: over capacity before its first stop", vi));
    }

    auto here = model.snap(veh.start);
    long long free_at = veh.start_time > veh.shift_start ? veh.start_time : veh.shift_start;
    for (std::size_t k = 0; k < sched.size(); ++k) {
      auto const& s = sched[k];
      if (s.rider >= n_riders) {
        errors.push_back(fmt("V%zu stop %zu: unknown rider %u", vi, k, s.rider));
        continue;
      }
      auto const& rd = plan.riders[s.rider];
      auto const place = model.snap(s.pickup ? rd.pickup : rd.dropoff);
      auto const leg = model.cost(here, place);
      if (!leg) {
        errors.push_back(fmt("V%zu stop %zu: unreachable", vi, k));
      } else if (s.arrival < free_at + leg->seconds) {
        errors.push_back(fmt("V%zu stop %zu (R%u): arrival %lld before %lld (departure + %d s travel)", vi, k, s.rider,
                             ll(s.arrival), free_at + leg->seconds, leg->seconds));
      }
      if (s.begin < s.arrival) errors.push_back(fmt("V%zu stop %zu: service begins before arrival", vi, k));
      if (s.departure < s.begin + plan.dwell) errors.push_back(fmt("V%zu stop %zu: dwell too short", vi, k));
      if (rd.vehicle != vi) errors.push_back(fmt("V%zu stop %zu: R%u belongs to V%u", vi, k, s.rider, rd.vehicle));

      if (s.pickup) {
        ++n_pickups[s.rider];
        if (rd.on_board) errors.push_back(fmt("V%zu stop %zu: pickup of R%u who is on board", vi, k, s.rider));
        if (aboard[s.rider]) errors.push_back(fmt("V%zu stop %zu: R%u picked up twice", vi, k, s.rider));
        auto const came = s.arrived ? std::min(s.arrived_at, s.begin) : s.begin;
        if (s.begin < rd.window_start || came > rd.window_end) {
          errors.push_back(fmt("V%zu stop %zu: pickup of R%u at %lld outside promised window [%lld, %lld]", vi, k,
                               s.rider, ll(came), ll(rd.window_start), ll(rd.window_end)));
        }
        if (s.begin < rd.connection_pickup) {
          errors.push_back(fmt("V%zu stop %zu: pickup of R%u at %lld before its train arrives (%lld with the buffer)",
                               vi, k, s.rider, ll(s.begin), ll(rd.connection_pickup)));
        }
        aboard[s.rider] = 1;
        boarded[s.rider] = s.begin;
        seats += rd.seats;
        wheelchairs += rd.wheelchairs;
        if (seats > veh.seats) errors.push_back(fmt("V%zu stop %zu: %d seats used of %d", vi, k, seats, veh.seats));
        if (wheelchairs > veh.wheelchairs) {
          errors.push_back(fmt("V%zu stop %zu: %d wheelchair spaces used of %d", vi, k, wheelchairs, veh.wheelchairs));
        }
      } else {
        ++n_dropoffs[s.rider];
        if (!aboard[s.rider]) errors.push_back(fmt("V%zu stop %zu: drop-off of R%u before its pickup", vi, k, s.rider));
        if (s.arrival > rd.latest_dropoff) {
          errors.push_back(fmt("V%zu stop %zu: drop-off of R%u at %lld after promised %lld", vi, k, s.rider,
                               ll(s.arrival), ll(rd.latest_dropoff)));
        }
        if (s.arrival > rd.connection_dropoff) {
          errors.push_back(fmt("V%zu stop %zu: drop-off of R%u at %lld misses its train (by %lld with the buffer)", vi,
                               k, s.rider, ll(s.arrival), ll(rd.connection_dropoff)));
        }
        if (aboard[s.rider] && s.arrival - boarded[s.rider] > rd.max_ride) {
          errors.push_back(fmt("V%zu stop %zu: ride of R%u from %lld to %lld is longer than %d s", vi, k, s.rider,
                               boarded[s.rider], ll(s.arrival), rd.max_ride));
        }
        aboard[s.rider] = 0;
        seats -= rd.seats;
        wheelchairs -= rd.wheelchairs;
      }
      here = place;
      free_at = s.departure;
    }
    if (!sched.empty()) {
      auto const home = model.cost(here, model.snap(veh.depot));
      if (!home || free_at + home->seconds > veh.shift_end) {
        errors.push_back(fmt("V%zu: back at depot at %lld after shift end %lld", vi,
                             home ? free_at + home->seconds : -1LL, ll(veh.shift_end)));
      }
    }
    for (std::size_t r = 0; r < n_riders; ++r) {
      if (aboard[r]) errors.push_back(fmt("V%zu: R%zu is never dropped off", vi, r));
    }
  }

  for (std::size_t r = 0; r < n_riders; ++r) {
    auto const want_pickups = plan.riders[r].on_board ? 0 : 1;
    if (n_pickups[r] != want_pickups || n_dropoffs[r] != 1) {
      errors.push_back(fmt("R%zu: %d pickups and %d drop-offs planned", r, n_pickups[r], n_dropoffs[r]));
    }
  }
  return errors;
}

}  // namespace nebuta::dispatch::validate
