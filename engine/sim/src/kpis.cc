#include <algorithm>
#include <cmath>

#include "nebuta/sim/simulation.h"

namespace nebuta::sim {

std::optional<double> percentile(std::vector<double> values, double p) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  auto const n = values.size();
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(n)));
  rank = std::clamp<std::size_t>(rank, 1, n);
  return values[rank - 1];
}

namespace {

std::optional<double> ratio(double num, double den) {
  if (den <= 0.0) return std::nullopt;
  return num / den;
}

std::optional<double> mean(std::vector<double> const& v) {
  if (v.empty()) return std::nullopt;
  double sum = 0.0;
  for (auto const x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

// The fixed-route alternative against on demand (docs/simulation.md, "Transit alternative").
void add_transit_kpis(result const& r, kpis& k) {
  std::size_t no_option = 0, unreachable = 0;
  std::vector<double> durations, rides, d2d_on_demand, d2d_transit;
  for (auto const& q : r.requests) {
    if (!q.transit) continue;
    ++k.transit_planned;
    auto const& t = *q.transit;
    no_option += t.same_day ? 0 : 1;
    unreachable += t.reachable ? 0 : 1;
    if (!t.reachable) continue;
    durations.push_back(t.duration_s);
    rides.push_back(t.rides);
    if (q.outcome == request_outcome::served) {
      d2d_on_demand.push_back(static_cast<double>(*q.dropoff_at - q.request.earliest_pickup));
      d2d_transit.push_back(t.duration_s);
    }
  }
  if (k.transit_planned == 0) return;
  auto const n = static_cast<double>(k.transit_planned);
  k.transit_no_option_share = static_cast<double>(no_option) / n;
  k.transit_unreachable_share = static_cast<double>(unreachable) / n;
  k.transit_duration_mean_s = mean(durations);
  k.transit_rides_mean = mean(rides);
  k.door_to_door_compared = d2d_on_demand.size();
  k.door_to_door_on_demand_mean_s = mean(d2d_on_demand);
  k.door_to_door_transit_mean_s = mean(d2d_transit);
}

}  // namespace

kpis compute_kpis(result const& r, scenario const& sc) {
  kpis k;
  k.requests = r.requests.size();
  std::vector<double> waits, rides, detours;
  std::size_t shared = 0;
  double persons = 0.0, revenue = 0.0;
  for (auto const& q : r.requests) {
    if (q.outcome == request_outcome::rejected) ++k.rejected_by_reason[q.reject_reason];
    if (q.outcome != request_outcome::served) continue;
    ++k.served;
    waits.push_back(*q.pickup_at - q.request.earliest_pickup);
    auto const ride = static_cast<double>(*q.dropoff_at - *q.pickup_at);
    rides.push_back(ride);
    if (q.direct_s && *q.direct_s > 0) detours.push_back(ride / *q.direct_s);
    shared += q.shared ? 1 : 0;
    persons += q.request.passengers;
    revenue += q.request.passengers * (sc.costs.fare_base + sc.costs.fare_per_km * q.direct_m / 1000.0);
  }
  double km = 0.0, km_empty = 0.0, pkm = 0.0, hours = 0.0, occupied = 0.0;
  for (auto const& v : r.vehicles) {
    km += v.km_driven;
    km_empty += v.km_empty;
    pkm += v.passenger_km;
    hours += v.hours_in_service;
    occupied += v.hours_occupied;
  }
  auto const cost = sc.costs.per_vehicle_hour * hours + sc.costs.per_km * km + sc.costs.fixed_per_day * sc.days;

  k.served_rate = ratio(static_cast<double>(k.served), static_cast<double>(k.requests));
  k.wait_mean_s = mean(waits);
  k.wait_p50_s = percentile(waits, 50.0);
  k.wait_p95_s = percentile(waits, 95.0);
  k.wait_max_s = percentile(waits, 100.0);
  k.ride_mean_s = mean(rides);
  k.detour_mean = mean(detours);
  k.detour_p95 = percentile(detours, 95.0);
  k.occupancy = ratio(pkm, km);
  k.pooling_rate = ratio(static_cast<double>(shared), static_cast<double>(k.served));
  k.empty_km_share = ratio(km_empty, km);
  k.vehicle_utilisation = ratio(occupied, hours);
  k.passengers_per_vehicle_hour = ratio(persons, hours);
  k.cost_per_passenger = ratio(cost, persons);
  k.farebox_recovery = ratio(revenue, cost);
  k.currency = sc.costs.currency;
  k.cost = cost;
  k.fare_revenue = revenue;
  k.public_cost_per_passenger = ratio(cost - revenue, persons);
  if (sc.bus) {
    auto const& b = *sc.bus;
    auto const days = static_cast<double>(sc.days);
    k.bus_vehicle_km = b.vehicle_km_per_day * days;
    k.bus_vehicle_hours = b.vehicle_hours_per_day * days;
    auto const bus_cost = b.per_vehicle_km * *k.bus_vehicle_km + b.per_vehicle_hour * *k.bus_vehicle_hours;
    auto const bus_revenue = b.fare_revenue_per_day * days;
    auto const riders = b.passengers_per_day * days;
    k.bus_cost = bus_cost;
    k.bus_cost_per_passenger = ratio(bus_cost, riders);
    k.bus_public_cost_per_passenger = ratio(bus_cost - bus_revenue, riders);
    k.bus_farebox_recovery = ratio(bus_revenue, bus_cost);
  }
  add_transit_kpis(r, k);
  return k;
}

}  // namespace nebuta::sim
