// GET /v1/drt/export/{file}?date= (operator): a service date in the simulator's output files
// (docs/simulation.md), written by the simulator's own writers (api/sim_io), so that
// `nebuta report --run DIR` draws the prefecture's report from a real day as from a simulated one.
// One file per call: scenario.json, requests.csv, vehicles.csv, events.csv, kpis.json.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "drt_day.h"
#include "drt_handlers.h"
#include "nebuta/core/civil_time.h"
#include "nebuta/drt_config/config.h"
#include "nebuta/road/travel_model.h"
#include "nebuta/sim_io/output.h"

namespace nebuta::api_server {

namespace {

constexpr std::array<std::string_view, 5> export_files{"scenario.json", "requests.csv", "vehicles.csv", "events.csv",
                                                       "kpis.json"};

// scenario.json as the report and the promise checker read it: the name, the rules, the travel
// model (its parameters where it has any), and which day of which service this is.
nlohmann::json scenario_of(drt_state const& m, date_t day, dispatch::instant now) {
  nlohmann::json travel{{"model", m.opt.travel_model_name}};
  if (auto const* straight = dynamic_cast<road::straight_line_model const*>(m.model.get())) {
    travel["detour_factor"] = straight->detour_factor();
    travel["speed_kmh"] = straight->speed_kmh();
  }
  auto const date = civil::format_date(day);
  return {{"name", "nebuta dispatch " + date},
          {"service_date", date},
          {"timezone", m.sclock.timezone},
          {"day_start", m.sclock.iso(m.sclock.day_start(day))},
          {"exported_at", m.sclock.iso(now)},
          {"rules", drt_config::rules_to_json(m.disp.service_rules())},
          {"travel", travel}};
}

}  // namespace

http_response drt_export(drt_state& m, call& c) {
  require_operator(m, c);
  auto const asked = date_param(c);
  auto const& file = c.seg[3];
  if (std::find(export_files.begin(), export_files.end(), file) == export_files.end())
    throw api_error{404, "not_found", {std::string{c.path.substr(0, 200)}}};
  std::lock_guard const lock{m.mutex};
  auto const now = m.now();
  auto const day = asked.value_or(m.sclock.service_date(now));
  http_response out;
  out.content_type = file.ends_with(".csv") ? "text/csv; charset=utf-8" : "application/json";
  out.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file + "\"");
  if (file == "scenario.json") {
    out.body = scenario_of(m, day, now).dump(2) + "\n";
    return out;
  }
  auto const records = records_of_day(m, day, now);
  if (file == "requests.csv") out.body = sim_io::requests_csv(records.run);
  else if (file == "vehicles.csv") out.body = sim_io::vehicles_csv(records.run);
  else if (file == "events.csv") out.body = sim_io::events_csv(records.run);
  else out.body = sim_io::kpis_to_json(records.run.k).dump(2) + "\n";
  return out;
}

}  // namespace nebuta::api_server
