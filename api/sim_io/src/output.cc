#include "nebuta/sim_io/output.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "scenario_internal.h"

namespace nebuta::sim_io {

void detail::write_file(fs::path const& p, std::string const& data) {
  std::ofstream out{p, std::ios::binary | std::ios::trunc};
  if (!out) throw std::runtime_error{p.string() + ": cannot write"};
  out << data;
  if (!out.flush()) throw std::runtime_error{p.string() + ": write failed"};
}

using json = nlohmann::json;
namespace fs = std::filesystem;

using detail::write_file;

namespace {

std::string fmt(char const* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), f, v);
  return buf;
}

std::string csv_field(std::string const& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (auto const c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string opt_int(std::optional<seconds_t> const& v) { return v ? std::to_string(*v) : std::string{}; }

// Rounded so that files stay readable; the same double always prints the same.
json rounded(std::optional<double> const& v, int decimals) {
  if (!v) return nullptr;
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, *v);
  return std::strtod(buf, nullptr);  // the double nearest to the printed value: dumps as printed
}

}  // namespace

json kpis_to_json(sim::kpis const& k) {
  json by_reason = json::object();
  for (auto const& [reason, n] : k.rejected_by_reason) by_reason[reason] = n;
  json j;
  j["requests"] = k.requests;
  j["served"] = k.served;
  j["served_rate"] = rounded(k.served_rate, 6);
  j["rejected_by_reason"] = by_reason;
  j["wait_mean_s"] = rounded(k.wait_mean_s, 1);
  j["wait_p50_s"] = rounded(k.wait_p50_s, 0);
  j["wait_p95_s"] = rounded(k.wait_p95_s, 0);
  j["wait_max_s"] = rounded(k.wait_max_s, 0);
  j["ride_mean_s"] = rounded(k.ride_mean_s, 1);
  j["detour_mean"] = rounded(k.detour_mean, 4);
  j["detour_p95"] = rounded(k.detour_p95, 4);
  j["occupancy"] = rounded(k.occupancy, 4);
  j["pooling_rate"] = rounded(k.pooling_rate, 4);
  j["empty_km_share"] = rounded(k.empty_km_share, 4);
  j["vehicle_utilisation"] = rounded(k.vehicle_utilisation, 4);
  j["passengers_per_vehicle_hour"] = rounded(k.passengers_per_vehicle_hour, 4);
  j["cost_per_passenger"] = rounded(k.cost_per_passenger, 2);
  j["farebox_recovery"] = rounded(k.farebox_recovery, 4);
  j["currency"] = k.currency;
  j["cost"] = rounded(k.cost, 2);
  j["fare_revenue"] = rounded(k.fare_revenue, 2);
  j["public_cost_per_passenger"] = rounded(k.public_cost_per_passenger, 2);
  if (k.bus_cost) {
    j["bus_vehicle_km"] = rounded(k.bus_vehicle_km, 3);
    j["bus_vehicle_hours"] = rounded(k.bus_vehicle_hours, 3);
    j["bus_cost"] = rounded(k.bus_cost, 2);
    j["bus_cost_per_passenger"] = rounded(k.bus_cost_per_passenger, 2);
    j["bus_public_cost_per_passenger"] = rounded(k.bus_public_cost_per_passenger, 2);
    j["bus_farebox_recovery"] = rounded(k.bus_farebox_recovery, 4);
  }
  if (k.transit_planned > 0) {
    j["transit_planned"] = k.transit_planned;
    j["transit_no_option_share"] = rounded(k.transit_no_option_share, 6);
    j["transit_unreachable_share"] = rounded(k.transit_unreachable_share, 6);
    j["transit_duration_mean_s"] = rounded(k.transit_duration_mean_s, 1);
    j["transit_rides_mean"] = rounded(k.transit_rides_mean, 4);
    j["door_to_door_compared"] = k.door_to_door_compared;
    j["door_to_door_on_demand_mean_s"] = rounded(k.door_to_door_on_demand_mean_s, 1);
    j["door_to_door_transit_mean_s"] = rounded(k.door_to_door_transit_mean_s, 1);
  }
  if (k.journeys) {
    auto const& x = *k.journeys;
    j["journeys"] = x.journeys;
    j["journeys_no_option"] = x.no_option;
    j["journeys_transit_only"] = x.transit_only;
    j["journeys_first_mile"] = x.first_mile;
    j["journeys_last_mile"] = x.last_mile;
    j["journeys_first_and_last"] = x.first_and_last;
    j["journeys_door_to_door"] = x.door_to_door;
    j["journeys_booking_failed"] = x.booking_failed;
    j["on_demand_share"] = rounded(x.on_demand_share, 6);
    j["first_mile_share"] = rounded(x.first_mile_share, 6);
    j["last_mile_share"] = rounded(x.last_mile_share, 6);
    j["door_to_door_share"] = rounded(x.door_to_door_share, 6);
    j["connections"] = x.connections;
    j["connections_kept"] = x.connections_kept;
    j["connections_missed"] = x.connections_missed;
    j["connections_no_show"] = x.connections_no_show;
    j["connections_kept_rate"] = rounded(x.connections_kept_rate, 6);
    j["journeys_only_way"] = x.only_way;
    j["journey_time_compared"] = x.time_compared;
    j["journey_door_to_door_mean_s"] = rounded(x.door_to_door_mean_s, 1);
    j["journey_transit_only_mean_s"] = rounded(x.transit_only_mean_s, 1);
    j["journey_time_saved_mean_s"] = rounded(x.time_saved_mean_s, 1);
    j["connected_riders"] = x.connected_riders;
    j["vehicle_km"] = rounded(x.vehicle_km, 3);
    j["vehicle_km_per_connected_rider"] = rounded(x.vehicle_km_per_connected_rider, 4);
  }
  return j;
}

std::string journeys_csv(sim::result const& r) {
  std::string out =
      "journey_id,requested_at,depart,passengers,origin_lat,origin_lon,dest_lat,dest_lon,mode,shown_reason,"
      "variants_shown,variants_dropped,booking_failed,first_leg,first_trip,first_stop,first_departure,dropoff_by,"
      "first_dropoff_at,connection,last_leg,last_trip,last_stop,last_arrival,pickup_from,door_leg,planned_departure,"
      "planned_arrival,replanned,arrival,door_to_door_s,transit_arrival,transit_duration_s,transit_rides,"
      "transit_reachable\n";
  auto const leg_id = [&](std::int32_t i) {
    return i >= 0 ? csv_field(r.requests[static_cast<std::size_t>(i)].request.id) : std::string{};
  };
  auto const when = [](bool has, seconds_t t) { return has ? std::to_string(t) : std::string{}; };
  for (auto const& j : r.journeys) {
    auto const& q = j.request;
    auto const first = j.first_leg >= 0, last = j.last_leg >= 0;
    auto const booked = j.mode != sim::journey_mode::no_option;
    out += csv_field(q.id) + ',' + std::to_string(q.requested_at) + ',' + std::to_string(q.earliest_pickup) + ',' +
           std::to_string(q.passengers) + ',' + fmt("%.6f", q.origin.lat) + ',' + fmt("%.6f", q.origin.lon) + ',' +
           fmt("%.6f", q.destination.lat) + ',' + fmt("%.6f", q.destination.lon) + ',' + sim::to_string(j.mode) + ',' +
           j.shown_reason + ',' + std::to_string(j.variants_shown) + ',' + std::to_string(j.variants_dropped) + ',' +
           (j.booking_failed ? "1" : "0") + ',' + leg_id(j.first_leg) + ',' + (first ? csv_field(j.first_trip) : "") +
           ',' + (first ? csv_field(j.first_stop) : "") + ',' + when(first, j.first_departure) + ',' +
           when(first, j.dropoff_by) + ',' + opt_int(j.first_dropoff_at) + ',' + sim::to_string(j.connection) + ',' +
           leg_id(j.last_leg) + ',' + (last ? csv_field(j.last_trip) : "") + ',' + (last ? csv_field(j.last_stop) : "") +
           ',' + when(last, j.last_arrival) + ',' + when(last, j.pickup_from) + ',' + leg_id(j.door_leg) + ',' +
           when(booked, j.planned_departure) + ',' + when(booked, j.planned_arrival) + ',' + (j.replanned ? "1" : "0") +
           ',' + opt_int(j.arrival) + ',' + (j.arrival ? std::to_string(*j.arrival - q.earliest_pickup) : "") + ',';
    auto const& x = j.transit;
    out += x.found ? std::to_string(x.arrival) + ',' + std::to_string(x.duration_s) + ',' + std::to_string(x.rides) + ','
                   : std::string{",,,"};
    out += std::string{x.reachable ? "1" : "0"} + '\n';
  }
  return out;
}

std::string requests_csv(sim::result const& r) {
  std::string req =
      "request_id,requested_at,earliest_pickup,passengers,wheelchair,origin_lat,origin_lon,dest_lat,dest_lon,status,"
      "reject_reason,vehicle_id,promised_pickup_start,promised_pickup_end,promised_dropoff_by,pickup_at,dropoff_at,"
      "wait_s,ride_s,direct_s,detour_factor,shared,transit_arrival,transit_duration_s,transit_rides,transit_walk_m,"
      "transit_reachable\n";
  for (auto const& q : r.requests) {
    auto const& t = q.request;
    auto const served = q.outcome == sim::request_outcome::served;
    req += csv_field(t.id) + ',' + std::to_string(t.requested_at) + ',' + std::to_string(t.earliest_pickup) + ',' +
           std::to_string(t.passengers) + ',' + std::to_string(t.wheelchair_users) + ',' + fmt("%.6f", t.origin.lat) +
           ',' + fmt("%.6f", t.origin.lon) + ',' + fmt("%.6f", t.destination.lat) + ',' +
           fmt("%.6f", t.destination.lon) + ',' + sim::to_string(q.outcome) + ',' + q.reject_reason + ',' +
           (q.vehicle >= 0 ? csv_field(r.vehicles[static_cast<std::size_t>(q.vehicle)].id) : std::string{}) + ',' +
           opt_int(q.promised_pickup_start) + ',' + opt_int(q.promised_pickup_end) + ',' +
           opt_int(q.promised_dropoff_by) + ',' + opt_int(q.pickup_at) + ',' + opt_int(q.dropoff_at) + ',';
    if (served) {
      auto const ride = *q.dropoff_at - *q.pickup_at;
      req += std::to_string(*q.pickup_at - t.earliest_pickup) + ',' + std::to_string(ride) + ',' + opt_int(q.direct_s) +
             ',' + (q.direct_s && *q.direct_s > 0 ? fmt("%.4f", static_cast<double>(ride) / *q.direct_s) : "") + ',' +
             (q.shared ? "1" : "0");
    } else {
      req += ",," + opt_int(q.direct_s) + ",,";
    }
    // The fixed-route alternative: empty without a timetable; arrival empty when none was found.
    if (!q.transit) {
      req += ",,,,,\n";
    } else if (!q.transit->found) {
      req += ",,,,,0\n";
    } else {
      auto const& x = *q.transit;
      req += ',' + std::to_string(x.arrival) + ',' + std::to_string(x.duration_s) + ',' + std::to_string(x.rides) +
             ',' + fmt("%.0f", x.walk_m) + ',' + (x.reachable ? "1" : "0") + '\n';
    }
  }
  return req;
}

std::string vehicles_csv(sim::result const& r) {
  std::string veh = "vehicle_id,seats,wheelchair_spaces,km_driven,km_empty,hours_in_service,passengers_carried\n";
  for (auto const& v : r.vehicles) {
    veh += csv_field(v.id) + ',' + std::to_string(v.seats) + ',' + std::to_string(v.wheelchair_spaces) + ',' +
           fmt("%.3f", v.km_driven) + ',' + fmt("%.3f", v.km_empty) + ',' + fmt("%.3f", v.hours_in_service) + ',' +
           std::to_string(v.passengers_carried) + '\n';
  }
  return veh;
}

std::string events_csv(sim::result const& r) {
  std::string ev = "time,vehicle_id,request_id,kind,lat,lon,onboard\n";
  for (auto const& e : r.events) {
    ev += std::to_string(e.time) + ',' + csv_field(r.vehicles[e.vehicle].id) + ',' +
          (e.request >= 0 ? csv_field(r.requests[static_cast<std::size_t>(e.request)].request.id) : std::string{}) +
          ',' + sim::to_string(e.kind) + ',' + fmt("%.6f", e.at.lat) + ',' + fmt("%.6f", e.at.lon) + ',' +
          std::to_string(e.onboard) + '\n';
  }
  return ev;
}

void write_run(fs::path const& dir, json const& scenario_as_run, sim::result const& r) {
  fs::create_directories(dir);
  write_file(dir / "scenario.json", scenario_as_run.dump(2) + "\n");
  write_file(dir / "requests.csv", requests_csv(r));
  write_file(dir / "vehicles.csv", vehicles_csv(r));
  write_file(dir / "events.csv", events_csv(r));
  write_file(dir / "kpis.json", kpis_to_json(r.k).dump(2) + "\n");
  if (r.k.journeys) write_file(dir / "journeys.csv", journeys_csv(r));
}

namespace {

// The KPI columns of sweep.csv after requests and served, in order.
std::vector<char const*> const& sweep_kpi_columns() {
  static std::vector<char const*> const cols{"served_rate",
                                             "wait_mean_s",
                                             "wait_p95_s",
                                             "ride_mean_s",
                                             "detour_mean",
                                             "occupancy",
                                             "pooling_rate",
                                             "empty_km_share",
                                             "vehicle_utilisation",
                                             "passengers_per_vehicle_hour",
                                             "cost_per_passenger",
                                             "farebox_recovery",
                                             "public_cost_per_passenger",
                                             "bus_cost_per_passenger",
                                             "bus_public_cost_per_passenger",
                                             "bus_farebox_recovery",
                                             "transit_unreachable_share",
                                             "door_to_door_on_demand_mean_s",
                                             "door_to_door_transit_mean_s"};
  return cols;
}

std::string cell(json const& j, char const* key) {
  if (!j.contains(key)) return {};
  auto const& x = j[key];
  return x.is_number() ? x.dump() : std::string{};
}

}  // namespace

std::string sweep_csv_header(std::vector<std::string> const& keys, bool seed_ranges) {
  std::string h = "run,dir";
  for (auto const& k : keys) h += ',' + k;
  h += ",seed,requests,served";
  for (auto const* c : sweep_kpi_columns()) h += std::string{","} + c;
  h += ",currency";
  if (seed_ranges) {
    h += ",seeds";
    for (auto const* c : {"requests", "served"}) h += std::string{","} + c + "_p5," + c + "_p95";
    for (auto const* c : sweep_kpi_columns()) h += std::string{","} + c + "_p5," + c + "_p95";
  }
  return h + '\n';
}

std::string sweep_csv_row(std::size_t run, std::string const& dir, std::vector<std::string> const& labels,
                          std::uint64_t seed, json const& kpis) {
  auto const across = kpis.contains("across_seeds") ? &kpis["across_seeds"] : nullptr;
  auto const& values = across != nullptr ? (*across)["mean"] : kpis;
  std::string row = std::to_string(run) + ',' + dir;
  for (auto const& l : labels) row += ',' + l;
  row += ',' + std::to_string(seed) + ',' + cell(values, "requests") + ',' + cell(values, "served");
  for (auto const* c : sweep_kpi_columns()) row += ',' + cell(values, c);
  row += ',' + csv_field(kpis.value("currency", ""));
  if (across != nullptr) {
    row += ',' + std::to_string((*across)["seeds"].size());
    for (auto const* c : {"requests", "served"})
      row += ',' + cell((*across)["p5"], c) + ',' + cell((*across)["p95"], c);
    for (auto const* c : sweep_kpi_columns()) row += ',' + cell((*across)["p5"], c) + ',' + cell((*across)["p95"], c);
  }
  return row + '\n';
}

std::string sweep_csv_row(std::size_t run, std::string const& dir, std::vector<std::string> const& labels,
                          std::uint64_t seed, sim::kpis const& k) {
  return sweep_csv_row(run, dir, labels, seed, kpis_to_json(k));
}

}  // namespace nebuta::sim_io
