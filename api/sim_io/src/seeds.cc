#include "nebuta/sim_io/seeds.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "nebuta/sim/simulation.h"
#include "nebuta/sim_io/scenario_file.h"

namespace nebuta::sim_io {

using json = nlohmann::json;

std::vector<std::string> const& numeric_kpis() {
  static std::vector<std::string> const keys{"requests",
                                             "served",
                                             "served_rate",
                                             "wait_mean_s",
                                             "wait_p50_s",
                                             "wait_p95_s",
                                             "wait_max_s",
                                             "ride_mean_s",
                                             "detour_mean",
                                             "detour_p95",
                                             "occupancy",
                                             "pooling_rate",
                                             "empty_km_share",
                                             "vehicle_utilisation",
                                             "passengers_per_vehicle_hour",
                                             "cost",
                                             "fare_revenue",
                                             "cost_per_passenger",
                                             "public_cost_per_passenger",
                                             "farebox_recovery",
                                             "bus_cost_per_passenger",
                                             "bus_public_cost_per_passenger",
                                             "bus_farebox_recovery",
                                             "transit_no_option_share",
                                             "transit_unreachable_share",
                                             "transit_duration_mean_s",
                                             "door_to_door_on_demand_mean_s",
                                             "door_to_door_transit_mean_s"};
  return keys;
}

// The numeric KPIs of a journeys run (docs/simulation.md, "Journeys"), after numeric_kpis() in a
// journeys run's seed statistics; also targets.
std::vector<std::string> const& journey_kpis() {
  static std::vector<std::string> const keys{"journeys",
                                             "journeys_transit_only",
                                             "journeys_first_mile",
                                             "journeys_last_mile",
                                             "journeys_first_and_last",
                                             "journeys_door_to_door",
                                             "journeys_no_option",
                                             "on_demand_share",
                                             "first_mile_share",
                                             "last_mile_share",
                                             "door_to_door_share",
                                             "connections",
                                             "connections_kept",
                                             "connections_kept_rate",
                                             "journeys_only_way",
                                             "journey_door_to_door_mean_s",
                                             "journey_transit_only_mean_s",
                                             "journey_time_saved_mean_s",
                                             "connected_riders",
                                             "vehicle_km_per_connected_rider"};
  return keys;
}

namespace {

// The keys of a run's seed statistics: the journey KPIs too when its runs have them.
std::vector<std::string> keys_of(std::vector<json> const& kpis) {
  auto keys = numeric_kpis();
  if (!kpis.empty() && kpis.front().contains("journeys")) {
    keys.insert(keys.end(), journey_kpis().begin(), journey_kpis().end());
  }
  return keys;
}

json rounded(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return std::strtod(buf, nullptr);
}

std::string number_text(json const& v) { return v.is_number() ? v.dump() : std::string{}; }

}  // namespace

json across_seeds(std::vector<std::uint64_t> const& seeds, std::vector<json> const& kpis) {
  json mean = json::object(), p5 = json::object(), p95 = json::object();
  for (auto const& key : keys_of(kpis)) {
    std::vector<double> values;
    for (auto const& k : kpis) {
      if (k.contains(key) && k[key].is_number()) values.push_back(k[key].get<double>());
    }
    if (values.empty()) {
      bool const present = std::any_of(kpis.begin(), kpis.end(), [&](json const& k) { return k.contains(key); });
      if (present) mean[key] = p5[key] = p95[key] = nullptr;
      continue;
    }
    double sum = 0.0;
    for (auto const v : values) sum += v;
    mean[key] = rounded(sum / static_cast<double>(values.size()));
    p5[key] = rounded(*sim::percentile(values, 5.0));
    p95[key] = rounded(*sim::percentile(values, 95.0));
  }
  return {{"seeds", seeds}, {"mean", mean}, {"p5", p5}, {"p95", p95}};
}

void write_seed_summary(std::filesystem::path const& dir, std::vector<std::uint64_t> const& seeds,
                        std::vector<json> const& kpis) {
  auto first = kpis.front();
  first["across_seeds"] = across_seeds(seeds, kpis);
  auto const keys = keys_of(kpis);
  std::string csv = "seed";
  for (auto const& key : keys) csv += "," + key;
  csv += "\n";
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    csv += std::to_string(seeds[i]);
    for (auto const& key : keys) csv += "," + (kpis[i].contains(key) ? number_text(kpis[i][key]) : "");
    csv += "\n";
  }
  for (auto const& [name, text] : {std::pair{"kpis.json", first.dump(2) + "\n"}, std::pair{"seeds.csv", csv}}) {
    std::ofstream out{dir / name, std::ios::binary | std::ios::trunc};
    if (!(out << text) || !out.flush()) throw std::runtime_error{(dir / name).string() + ": cannot write"};
  }
}

bool target::met_by(std::optional<double> x) const {
  if (!x) return false;
  if (op == ">=") return *x >= value;
  if (op == "<=") return *x <= value;
  if (op == ">") return *x > value;
  return *x < value;
}

target parse_target(std::string const& text) {
  auto const fail = [&](std::string const& why) -> void { throw scenario_error{"--target '" + text + "': " + why}; };
  target t;
  t.text = text;
  auto const at = text.find_first_of("<>");
  if (at == std::string::npos) fail("needs an operator: KPI>=x, KPI<=x, KPI>x or KPI<x");
  t.kpi = text.substr(0, at);
  auto rest = text.substr(at);
  t.op = rest.size() > 1 && rest[1] == '=' ? rest.substr(0, 2) : rest.substr(0, 1);
  auto const number = rest.substr(t.op.size());
  auto keys = numeric_kpis();
  keys.insert(keys.end(), journey_kpis().begin(), journey_kpis().end());
  if (std::find(keys.begin(), keys.end(), t.kpi) == keys.end()) {
    std::string list;
    for (auto const& k : keys) list += (list.empty() ? "" : ", ") + k;
    fail("unknown KPI '" + t.kpi + "' (known: " + list + ")");
  }
  char* end = nullptr;
  t.value = number.empty() ? 0.0 : std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || !std::isfinite(t.value)) {
    fail("'" + number + "' is not a number");
  }
  return t;
}

std::optional<std::size_t> smallest_fleet_meeting(std::vector<target> const& targets, std::vector<json> const& rows,
                                                  std::vector<double> const& fleet) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto const ok = std::all_of(targets.begin(), targets.end(), [&](target const& t) {
      auto const& v = rows[i].contains(t.kpi) ? rows[i][t.kpi] : json{};
      return t.met_by(v.is_number() ? std::optional<double>{v.get<double>()} : std::nullopt);
    });
    if (ok && (!best || fleet[i] < fleet[*best])) best = i;
  }
  return best;
}

}  // namespace nebuta::sim_io
