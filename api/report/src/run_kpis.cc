// The summary that states the answer, and the KPI table of report.html.
#include <cmath>
#include <string>

#include "input.h"
#include "nebuta/report/report.h"
#include "run_data.h"
#include "svg.h"

namespace nebuta::report::detail {

namespace {

enum class unit : std::uint8_t { count, rate, duration, factor, occupancy, ratio, money, hours, km };

struct kpi_line {
  std::string_view key;
  std::string_view label;
  unit u;
  bool optional;  // absent from older kpis.json, and without a timetable or bus lines
};

constexpr kpi_line kpi_lines[] = {
    {"requests", "requests", unit::count, false},
    {"served", "served", unit::count, false},
    {"served_rate", "served rate", unit::rate, false},
    {"wait_mean_s", "wait, mean", unit::duration, false},
    {"wait_p50_s", "wait, median", unit::duration, false},
    {"wait_p95_s", "wait, 95th percentile", unit::duration, false},
    {"wait_max_s", "wait, maximum", unit::duration, false},
    {"ride_mean_s", "ride time, mean", unit::duration, false},
    {"detour_mean", "detour factor, mean", unit::factor, false},
    {"detour_p95", "detour factor, 95th percentile", unit::factor, false},
    {"occupancy", "occupancy", unit::occupancy, false},
    {"pooling_rate", "pooling rate (shared rides)", unit::rate, false},
    {"empty_km_share", "empty km share", unit::rate, false},
    {"vehicle_utilisation", "vehicle utilisation", unit::rate, false},
    {"passengers_per_vehicle_hour", "passengers per vehicle-hour", unit::ratio, false},
    {"cost", "cost", unit::money, true},
    {"fare_revenue", "fare revenue", unit::money, true},
    {"cost_per_passenger", "cost per passenger", unit::money, false},
    {"public_cost_per_passenger", "public cost per passenger", unit::money, true},
    {"farebox_recovery", "farebox recovery", unit::rate, false},
    {"bus_vehicle_km", "bus vehicle-km", unit::km, true},
    {"bus_vehicle_hours", "bus vehicle-hours", unit::hours, true},
    {"bus_cost_per_passenger", "bus cost per passenger", unit::money, true},
    {"bus_public_cost_per_passenger", "bus public cost per passenger", unit::money, true},
    {"bus_farebox_recovery", "bus farebox recovery", unit::rate, true},
    {"transit_no_option_share", "requests with no transit option that day", unit::rate, true},
    {"transit_unreachable_share", "requests without transit within the limit", unit::rate, true},
    {"transit_duration_mean_s", "transit door to door, mean", unit::duration, true},
    {"transit_rides_mean", "transit rides, mean", unit::ratio, true},
    {"door_to_door_on_demand_mean_s", "door to door on demand, mean", unit::duration, true},
    {"door_to_door_transit_mean_s", "door to door by transit, mean", unit::duration,
     true},  // A journeys run (docs/simulation.md, "Journeys").
    {"journeys", "journeys", unit::count, true},
    {"journeys_transit_only", "journeys by transit only", unit::count, true},
    {"journeys_first_mile", "journeys with an on-demand first mile", unit::count, true},
    {"journeys_last_mile", "journeys with an on-demand last mile", unit::count, true},
    {"journeys_first_and_last", "journeys with an on-demand first and last mile", unit::count, true},
    {"journeys_door_to_door", "journeys on demand door to door", unit::count, true},
    {"journeys_no_option", "journeys with no option", unit::count, true},
    {"on_demand_share", "share of journeys using on demand", unit::rate, true},
    {"first_mile_share", "share with an on-demand first mile", unit::rate, true},
    {"last_mile_share", "share with an on-demand last mile", unit::rate, true},
    {"door_to_door_share", "share on demand door to door", unit::rate, true},
    {"connections", "train connections booked (first mile)", unit::count, true},
    {"connections_kept", "connections kept", unit::count, true},
    {"connections_kept_rate", "connections kept, share", unit::rate, true},
    {"connections_no_show", "connections missed: rider not at the pickup", unit::count, true},
    {"connections_missed", "connections missed: dropped off too late", unit::count, true},
    {"journeys_only_way", "on-demand journeys transit cannot make", unit::count, true},
    {"journey_door_to_door_mean_s", "journeys with on demand, door to door, mean", unit::duration, true},
    {"journey_transit_only_mean_s", "the same journeys by transit only, mean", unit::duration, true},
    {"journey_time_saved_mean_s", "time saved per journey, mean", unit::duration, true},
    {"connected_riders", "riders connected to transit", unit::count, true},
    {"vehicle_km_per_connected_rider", "vehicle-km per connected rider", unit::km, true},
};

std::string format(unit u, double v, std::string const& currency, words const& w) {
  switch (u) {
    case unit::count: return with_separators(v);
    case unit::rate: return fixed(v * 100, 1) + " %";
    case unit::duration: return w.duration(v);
    case unit::factor: return fixed(v, 2) + (w.ja() ? " 倍 (直行比)" : " × direct");
    case unit::occupancy: return fixed(v, 2) + (w.ja() ? " 人キロ / 車両キロ" : " passenger-km / vehicle-km");
    case unit::ratio: return fixed(v, 2);
    case unit::money: return currency.empty() ? fixed(v, 2) : w.money(v, currency);
    case unit::hours: return fixed(v, 1) + (w.ja() ? " 時間" : " h");
    case unit::km: return fixed(v, 1) + " km";
  }
  return fixed(v, 2);
}

std::string currency_of(run_data const& run) {
  return run.kpis.contains("currency") && run.kpis["currency"].is_string() ? run.kpis["currency"].get<std::string>()
                                                                           : std::string{};
}

std::optional<double> number_at(json const& o, std::string const& key) {
  if (!o.is_object() || !o.contains(key) || !o[key].is_number()) return std::nullopt;
  return o[key].get<double>();
}

}  // namespace

std::string kpi_table(run_data const& run, std::string const& kpi_file, words const& w) {
  auto const currency = currency_of(run);
  auto const* across = run.kpis.contains("across_seeds") ? &run.kpis["across_seeds"] : nullptr;
  std::string s = "<table id=\"kpis\">\n<tr><th>" + escape(w("indicator")) + "</th><th>" + escape(w("value")) + "</th>";
  if (across != nullptr) {
    s += "<th>" + escape(w("mean")) + " (" + std::to_string((*across)["seeds"].size()) + " seeds)</th><th>" +
         escape(w("range 5-95 %")) + "</th>";
  }
  s += "</tr>\n";
  for (auto const& line : kpi_lines) {
    std::string const key{line.key};
    if (!run.kpis.contains(key)) {
      if (line.optional) continue;
      throw report_error{kpi_file + ": missing key '" + key + "'"};
    }
    auto const& v = run.kpis[key];
    std::string text;
    if (v.is_null()) {
      text = "n/a";
    } else if (v.is_number()) {
      text = format(line.u, v.get<double>(), currency, w);
    } else {
      throw report_error{kpi_file + ": '" + key + "' must be a number or null"};
    }
    s += "<tr data-kpi=\"" + escape(key) + "\"><td>" + escape(w(line.label)) + "</td><td class=\"num\">" +
         escape(text) + "</td>";
    if (across != nullptr) {
      auto const mean = number_at((*across)["mean"], key);
      auto const lo = number_at((*across)["p5"], key), hi = number_at((*across)["p95"], key);
      s += "<td class=\"num\"" + (mean ? " data-mean=\"" + compact(*mean, 6) + "\"" : std::string{}) + ">" +
           (mean ? escape(format(line.u, *mean, currency, w)) : "") + "</td><td class=\"num\"" +
           (lo && hi ? " data-p5=\"" + compact(*lo, 6) + "\" data-p95=\"" + compact(*hi, 6) + "\"" : std::string{}) +
           ">" + (lo && hi ? escape(format(line.u, *lo, currency, w) + " – " + format(line.u, *hi, currency, w)) : "") +
           "</td>";
    }
    s += "</tr>\n";
    if (key == "served") {
      if (!run.kpis.contains("rejected_by_reason") || !run.kpis["rejected_by_reason"].is_object()) {
        throw report_error{kpi_file + ": 'rejected_by_reason' must be an object reason → count"};
      }
      for (auto const& [reason, count] : run.kpis["rejected_by_reason"].items()) {
        if (!count.is_number()) throw report_error{kpi_file + ": rejected_by_reason." + reason + " must be a number"};
        s += "<tr data-kpi=\"rejected_by_reason\"><td>" + escape(w("rejected")) + ": " + escape(reason) +
             "</td><td class=\"num\">" + escape(with_separators(count.get<double>())) + "</td></tr>\n";
      }
    }
  }
  s += "</table>\n";
  return s;
}

// One paragraph an official can quote: fleet, served share, wait, cost per passenger against the
// bus, and the trip by bus against on demand; with several seeds, the range of each.
std::string summary_section(run_data const& run, run_extras const& extras, words const& w) {
  auto const& k = run.kpis;
  auto const currency = currency_of(run);
  auto const* across = k.contains("across_seeds") ? &k["across_seeds"] : nullptr;
  auto const value = [&](std::string const& key) { return number_at(k, key); };
  auto const range = [&](std::string const& key, unit u) -> std::string {
    if (across == nullptr) return {};
    auto const lo = number_at((*across)["p5"], key), hi = number_at((*across)["p95"], key);
    if (!lo || !hi) return {};
    return (w.ja() ? "（5〜95 %: " : " (5–95 %: ") + format(u, *lo, currency, w) + " – " + format(u, *hi, currency, w) +
           (w.ja() ? "）" : ")");
  };
  std::string items;
  auto const item = [&](std::string const& key, std::string const& text) {
    items += "<li data-summary=\"" + escape(key) + "\">" + escape(text) + "</li>\n";
  };
  auto const vehicles = static_cast<double>(run.vehicles.size());
  if (w.ja()) item("fleet", "車両 " + with_separators(vehicles) + " 台で運行。");
  else item("fleet", "Fleet: " + with_separators(vehicles) + " vehicles.");
  if (auto const v = value("served_rate")) {
    auto const r = value("requests").value_or(0), s = value("served").value_or(0);
    item("served_rate",
         w.ja() ? "依頼 " + with_separators(r) + " 件のうち " + with_separators(s) + " 件 (" +
                      format(unit::rate, *v, currency, w) + ") が乗車" + range("served_rate", unit::rate) + "。"
                : with_separators(s) + " of " + with_separators(r) + " requests served (" +
                      format(unit::rate, *v, currency, w) + ")" + range("served_rate", unit::rate) + ".");
  }
  if (auto const m = value("wait_mean_s"), p = value("wait_p95_s"); m && p) {
    item("wait", w.ja() ? "待ち時間は平均 " + w.minutes(*m) + "、95 %の利用者が " + w.minutes(*p) + " 以内" +
                              range("wait_p95_s", unit::duration) + "。"
                        : "Wait: " + w.minutes(*m) + " on average, " + w.minutes(*p) + " for 95 % of riders" +
                              range("wait_p95_s", unit::duration) + ".");
  }
  if (auto const c = value("cost_per_passenger")) {
    std::string text = w.ja() ? "1人当たり費用 " + format(unit::money, *c, currency, w)
                              : "Cost per passenger: " + format(unit::money, *c, currency, w);
    if (auto const pub = value("public_cost_per_passenger")) {
      text += w.ja() ? "（公的負担 " + format(unit::money, *pub, currency, w) + "）"
                     : " (public cost " + format(unit::money, *pub, currency, w) + ")";
    }
    if (auto const b = value("bus_cost_per_passenger")) {
      text += w.ja() ? "、対する路線バスは " + format(unit::money, *b, currency, w)
                     : "; by the bus lines compared: " + format(unit::money, *b, currency, w);
      if (auto const bp = value("bus_public_cost_per_passenger")) {
        text += w.ja() ? "（公的負担 " + format(unit::money, *bp, currency, w) + "）"
                       : " (public cost " + format(unit::money, *bp, currency, w) + ")";
      }
    }
    item("cost", text + (w.ja() ? "。" : "."));
  }
  if (auto const d = value("door_to_door_on_demand_mean_s"), t = value("door_to_door_transit_mean_s"); d && t) {
    item("door_to_door",
         w.ja() ? "同じ移動の所要時間: デマンド交通 " + w.minutes(*d) + "、公共交通 " + w.minutes(*t) + "。"
                : "The same trips door to door: " + w.minutes(*d) + " on demand, " + w.minutes(*t) + " by transit.");
  }
  if (auto const n = value("transit_unreachable_share")) {
    item("transit_unreachable",
         w.ja() ? "公共交通では上限時間内に行けない依頼: " + format(unit::rate, *n, currency, w) + "。"
                : "Requests transit cannot serve within the limit: " + format(unit::rate, *n, currency, w) + ".");
  }
  // A journeys run: how many used on demand and how, the train connections, the time against
  // transit only, and the vehicle-km it took.
  if (auto const n = value("journeys"), od = value("on_demand_share"); n && od) {
    auto const pct = [&](char const* key) { return format(unit::rate, value(key).value_or(0.0), currency, w); };
    item("journeys", w.ja() ? "移動 " + with_separators(*n) + " 件のうちデマンド交通を使う移動 " + pct("on_demand_share") +
                                  "（ファーストマイル " + pct("first_mile_share") + "、ラストマイル " +
                                  pct("last_mile_share") + "、ドア・ツー・ドア " + pct("door_to_door_share") + "）。"
                            : with_separators(*n) + " journeys, " + pct("on_demand_share") +
                                  " of them with on demand (first mile " + pct("first_mile_share") + ", last mile " +
                                  pct("last_mile_share") + ", door to door " + pct("door_to_door_share") + ").");
  }
  if (auto const c = value("connections"), kept = value("connections_kept"); c && kept && *c > 0) {
    item("connections", w.ja() ? "列車・バスへの乗り継ぎ " + with_separators(*c) + " 件のうち " +
                                     with_separators(*kept) + " 件 (" + format(unit::rate, *kept / *c, currency, w) +
                                     ") で発車時刻 − 乗り継ぎ余裕までに到着。"
                               : with_separators(*kept) + " of " + with_separators(*c) + " connections kept (" +
                                     format(unit::rate, *kept / *c, currency, w) +
                                     "): dropped off by the departure less the transfer buffer.");
  }
  if (auto const d = value("journey_door_to_door_mean_s"), t = value("journey_transit_only_mean_s"); d && t) {
    item("journey_time", w.ja() ? "デマンド交通を使う移動の所要時間 " + w.minutes(*d) + "、同じ移動を公共交通だけで " +
                                      w.minutes(*t) + "。"
                                : "Journeys with on demand take " + w.minutes(*d) + " door to door, " + w.minutes(*t) +
                                      " by transit only.");
  }
  if (auto const v = value("vehicle_km_per_connected_rider")) {
    item("vehicle_km_per_connected_rider", w.ja() ? "公共交通に接続した利用者1人当たり走行 " + fixed(*v, 1) + " km。"
                                                  : fixed(*v, 1) + " vehicle-km per rider connected to transit.");
  }
  (void)extras;
  return "<section id=\"summary\" data-lang=\"" + std::string{w.lang()} + "\">\n<h2>" + escape(w("Summary")) +
         "</h2>\n<ul>\n" + items + "</ul>\n</section>\n";
}

}  // namespace nebuta::report::detail
