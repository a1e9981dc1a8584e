// access.html of `nebuta accessibility` (access_report.h). Drawn like report.html's map: an
// equirectangular projection, north up, a scale bar, legends with counts; every cell carries its
// numbers in data-* attributes so tests and readers can check the figures.
#include "nebuta/report/access_report.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "svg.h"

namespace nebuta::report {

namespace {

using namespace detail;

// Every word of the page, in English and Japanese.
struct words {
  std::string_view title, intro_fmt, weighted_fmt, unweighted, method, summary, cutoff_col, reach_col, cannot_col,
      with_col, gain_col, sentence_fmt, sentence_with_fmt, map_title_fmt, map_caption, saved_title_fmt, saved_caption,
      coverage, coverage_title, coverage_caption, coverage_table_class, coverage_gap, coverage_few, coverage_served,
      unreachable, minutes_unit, people_unit, cells_unit, dep_unit, metres_unit, km_unit, unchanged, newly, saved_fmt,
      stops, destinations, service_area, service_fmt_straight, service_fmt_osm, no_service, range_fmt, below_fmt,
      above_fmt, coverage_rule_fmt, total;
};

constexpr words en{
    "Accessibility and coverage of public transport",
    "Travel times by public transport and walking from every cell to the nearest place of each destination set, for "
    "every departure minute from {from} to {to} on {date}; the maps show the {p} over those minutes.",
    "People: {source}; the tables count residents.",
    "No population statistics were given: every cell counts as one, and the tables count cells, not people.",
    "Method: range RAPTOR (one rRAPTOR search per cell over the window, R5/Conveyal percentiles: one travel time per "
    "departure minute, waiting at the origin included, walking all the way when faster).",
    "Summary",
    "within",
    "reach",
    "cannot reach",
    "with on-demand",
    "more",
    "{n} {unit} cannot reach {set} within {m} minutes departing {from}-{to} ({p}).",
    "With the on-demand service: {n} {unit}.",
    "Travel time to {set}",
    "Cells by travel time class (the reported percentile over the departure minutes); grey: not reachable within the "
    "maximum duration. Stops of the feed as dots, the destinations as black diamonds.",
    "Minutes saved by the on-demand service: {set}",
    "Cells by the minutes the on-demand service saves; cells not changed are left light.",
    "Coverage of the fixed network",
    "Transit gaps (交通空白)",
    "Gap: farther than {stop} from a bus stop and farther than {station} from a station. Few departures: fewer than "
    "{min} departures a day within {radius}.",
    "class",
    "gap (交通空白)",
    "few departures",
    "served",
    "not reachable",
    "min",
    "residents",
    "cells",
    "departures/day",
    "m",
    "km",
    "unchanged",
    "newly reachable",
    "{a}-{b} min saved",
    "stops",
    "destinations",
    "on-demand service area",
    "On-demand service: expected wait {wait} min, rides to stops up to {ride} away, straight-line driving times "
    "(detour {detour}, {speed} km/h), the service running through the window.",
    "On-demand service: expected wait {wait} min, rides to stops up to {ride} away, driving times on the road network "
    "(OSM), the service running through the window.",
    "",
    "{a}-{b} min",
    "under {b} min",
    "{a} min or more",
    "{stop} from a bus stop, {station} from a station, {min} departures a day within {radius}",
    "total"};

constexpr words ja{
    "アクセシビリティと公共交通のカバー状況",
    "{date}の{from}から{to}までの毎分の出発について、各セルから各目的地群の最寄りの地点までの公共交通と徒歩による所要時間"
    "を求めました。地図は出発時刻ごとの所要時間の{p}を示します。",
    "人口：{source}。表の数字は住民数です。",
    "人口統計が与えられていないため、各セルを1として数えます。表の数字は人数ではなくセル数です。",
    "計算方法：レンジRAPTOR（セルごとに時間帯全体を1回のrRAPTOR探索で計算。R5/Conveyalと同じ百分位：出発時刻1分ごとに1つ"
    "の所要時間、出発地での待ち時間を含み、歩くほうが早ければ徒歩のみ）。",
    "概要",
    "所要時間",
    "到達できる",
    "到達できない",
    "デマンド交通あり",
    "増加",
    "{from}〜{to}に出発して{m}分以内に{set}へ行けない{unit}：{n}（{p}）。",
    "デマンド交通があれば：{n}。",
    "{set}までの所要時間",
    "所要時間の階級別のセル（出発時刻ごとの所要時間の百分位）。灰色は最大所要時間内に到達できないセル。点はバス停、"
    "黒い菱形は目的地。",
    "デマンド交通による短縮時間：{set}",
    "デマンド交通により短縮される時間別のセル。変わらないセルは薄い色。",
    "公共交通のカバー状況",
    "交通空白地域",
    "交通空白：バス停から{stop}超かつ駅から{station}超。交通不便：半径{radius}以内の運行本数が1日{min}未満。",
    "区分",
    "交通空白",
    "交通不便（運行本数が少ない）",
    "カバーされている",
    "到達不可",
    "分",
    "住民",
    "セル",
    "本/日",
    "メートル",
    "キロメートル",
    "変化なし",
    "新たに到達可能",
    "{a}〜{b}分短縮",
    "バス停",
    "目的地",
    "デマンド交通の運行区域",
    "デマンド交通：平均待ち時間{wait}分、{ride}以内のバス停まで送迎、直線距離による走行時間（迂回係数{detour}、時速{speed}"
    "キロメートル）、時間帯全体で運行。",
    "デマンド交通：平均待ち時間{wait}分、{ride}以内のバス停まで送迎、道路網（OSM）による走行時間、時間帯全体で運行。",
    "",
    "{a}〜{b}分",
    "{b}分未満",
    "{a}分以上",
    "バス停から{stop}、駅から{station}、半径{radius}以内で1日{min}",
    "合計"};

std::string fill(std::string_view pattern, std::vector<std::pair<std::string_view, std::string>> const& values) {
  std::string s{pattern};
  for (auto const& [key, value] : values) {
    std::string const k = "{" + std::string{key} + "}";
    for (auto pos = s.find(k); pos != std::string::npos; pos = s.find(k, pos + value.size()))
      s.replace(pos, k.size(), value);
  }
  return s;
}

// 12400 → "12,400".
std::string grouped(double v) {
  auto digits = fixed(std::round(v), 0);
  std::string out;
  auto const neg = !digits.empty() && digits[0] == '-';
  if (neg) digits.erase(0, 1);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return neg ? "-" + out : out;
}

struct page {
  access_report_input const& in;
  words const& w;
  bool ja;

  std::string count_text(double n) const {
    if (ja) return grouped(n) + (in.weighted ? "人" : "セル");
    return grouped(n) + " " + std::string{in.weighted ? w.people_unit : w.cells_unit};
  }
  std::string metres(double m) const {
    if (m >= 1000 && std::fmod(m, 1000) == 0) return compact(m / 1000, 1) + (ja ? "" : " ") + std::string{w.km_unit};
    return compact(m, 0) + (ja ? "" : " ") + std::string{w.metres_unit};
  }
  std::string percentile_text() const {
    if (in.percentile == 50) return ja ? "中央値" : "median";
    return ja ? compact(in.percentile, 1) + "パーセンタイル値" : compact(in.percentile, 1) + "th percentile";
  }
  std::string minutes(int m) const { return std::to_string(m) + (ja ? "" : " ") + std::string{w.minutes_unit}; }
};

// The map frame: an equirectangular projection fitted to the cells (and the service area).
struct projection {
  double lat_min{90}, lat_max{-90}, lon_min{180}, lon_max{-180}, k{1}, scale{1}, x_offset{0}, pad{8};
  double map_width{0}, map_height{0}, width{720};
  void extend(latlon p) {
    lat_min = std::min(lat_min, p.lat);
    lat_max = std::max(lat_max, p.lat);
    lon_min = std::min(lon_min, p.lon);
    lon_max = std::max(lon_max, p.lon);
  }
  void finish() {
    k = std::max(std::cos((lat_min + lat_max) / 2 * std::numbers::pi / 180), 0.01);
    auto const margin = 0.03 * std::max((lon_max - lon_min) * k, lat_max - lat_min) + 0.0005;
    lat_min -= margin;
    lat_max += margin;
    lon_min -= margin / k;
    lon_max += margin / k;
    auto const ex = (lon_max - lon_min) * k, ey = lat_max - lat_min;
    scale = std::min((width - 2 * pad) / ex, 600.0 / ey);
    map_width = ex * scale;
    map_height = ey * scale;
    x_offset = pad + (width - 2 * pad - map_width) / 2;
  }
  double x(latlon p) const { return x_offset + (p.lon - lon_min) * k * scale; }
  double y(latlon p) const { return pad + (lat_max - p.lat) * scale; }
};

projection make_projection(access_report_input const& in) {
  projection pr;
  for (auto const& c : in.cells) {
    pr.extend({c.south, c.west});
    pr.extend({c.north, c.east});
  }
  for (auto const& r : in.service_area) {
    for (auto const p : r) pr.extend(p);
  }
  pr.finish();
  return pr;
}

constexpr std::array<std::string_view, 7> time_colours{"#1a9850", "#66bd63", "#a6d96a", "#fee08b",
                                                       "#fdae61", "#f46d43", "#d73027"};
constexpr std::string_view unreachable_colour = "#bdbdbd";

std::string cell_shape(projection const& pr, access_cell const& c, std::string_view fill_colour,
                       std::string const& attrs) {
  if (c.north > c.south) {
    auto const x0 = pr.x({c.north, c.west}), y0 = pr.y({c.north, c.west});
    auto const x1 = pr.x({c.south, c.east}), y1 = pr.y({c.south, c.east});
    return "<rect x=\"" + fixed(x0, 1) + "\" y=\"" + fixed(y0, 1) + "\" width=\"" + fixed(x1 - x0 + 0.3, 1) +
           "\" height=\"" + fixed(y1 - y0 + 0.3, 1) + "\" fill=\"" + std::string{fill_colour} + "\" data-id=\"" +
           escape(c.id) + "\"" + attrs + "/>\n";
  }
  return "<circle cx=\"" + fixed(pr.x(c.at), 1) + "\" cy=\"" + fixed(pr.y(c.at), 1) + "\" r=\"4\" fill=\"" +
         std::string{fill_colour} + "\" data-id=\"" + escape(c.id) + "\"" + attrs + "/>\n";
}

// Stops, the service area, the destinations and a scale bar over the cells.
std::string overlays(page const& pg, projection const& pr, std::vector<latlon> const& destinations) {
  std::string s = "<g class=\"stops\" fill=\"#333333\" data-count=\"" + std::to_string(pg.in.stops.size()) + "\">";
  for (auto const p : pg.in.stops) {
    if (p.lat < pr.lat_min || p.lat > pr.lat_max || p.lon < pr.lon_min || p.lon > pr.lon_max) continue;  // off the map
    s += "<circle cx=\"" + fixed(pr.x(p), 1) + "\" cy=\"" + fixed(pr.y(p), 1) + "\" r=\"0.9\"/>";
  }
  s += "</g>\n";
  if (!pg.in.service_area.empty()) {
    std::string d;
    for (auto const& ring : pg.in.service_area) {
      for (std::size_t j = 0; j < ring.size(); ++j)
        d += (j == 0 ? "M" : "L") + fixed(pr.x(ring[j]), 1) + "," + fixed(pr.y(ring[j]), 1);
      if (!ring.empty()) d += "Z";
    }
    s += "<path class=\"service-area\" d=\"" + d +
         "\" fill=\"none\" stroke=\"#0072b2\" stroke-width=\"2\" stroke-dasharray=\"6 3\" fill-rule=\"evenodd\"/>\n";
  }
  s += "<g class=\"destinations\" data-count=\"" + std::to_string(destinations.size()) + "\">";
  for (auto const p : destinations) {
    auto const x = pr.x(p), y = pr.y(p);
    s += "<path d=\"M" + fixed(x, 1) + "," + fixed(y - 6, 1) + "L" + fixed(x + 5, 1) + "," + fixed(y, 1) + "L" +
         fixed(x, 1) + "," + fixed(y + 6, 1) + "L" + fixed(x - 5, 1) + "," + fixed(y, 1) +
         "Z\" fill=\"#000\" stroke=\"#fff\"/>";
  }
  s += "</g>\n";
  auto const km_per_px = 1 / pr.scale * (geo::earth_radius_m / 1000) * std::numbers::pi / 180;
  auto bar_km = 0.001;
  for (double m = 0.001; m / km_per_px <= 150; m *= 10) {
    for (double const f : {1.0, 2.0, 5.0}) {
      if (m * f / km_per_px <= 150) bar_km = m * f;
    }
  }
  auto const bar_px = bar_km / km_per_px;
  auto const bar_y = pr.pad + pr.map_height - 12, bar_x = pr.x_offset + 12;
  s += "<g class=\"scale-bar\"><rect x=\"" + fixed(bar_x - 4, 1) + "\" y=\"" + fixed(bar_y - 18, 1) + "\" width=\"" +
       fixed(bar_px + 8, 1) + "\" height=\"26\" fill=\"#ffffff\" fill-opacity=\"0.8\"/><line x1=\"" + fixed(bar_x, 1) +
       "\" y1=\"" + fixed(bar_y, 1) + "\" x2=\"" + fixed(bar_x + bar_px, 1) + "\" y2=\"" + fixed(bar_y, 1) +
       "\" stroke=\"#222\" stroke-width=\"3\"/><text x=\"" + fixed(bar_x, 1) + "\" y=\"" + fixed(bar_y - 6, 1) + "\">" +
       escape(pg.metres(bar_km * 1000)) + "</text></g>\n";
  return s;
}

struct legend_entry {
  std::string colour, label;
  std::size_t cells{0};
  double people{0};
};

std::string map_figure(page const& pg, projection const& pr, std::string const& id, std::string const& title,
                       std::string const& cells_svg, std::vector<legend_entry> const& legend,
                       std::vector<latlon> const& destinations, std::string const& caption) {
  auto const rows = (legend.size() + 2) / 3;
  auto const height = pr.map_height + 2 * pr.pad + 24.0 * static_cast<double>(rows + 1) + 8;
  std::string s = "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"" + escape(id) + "\" viewBox=\"0 0 " +
                  compact(pr.width, 1) + " " + fixed(height, 1) + "\" role=\"img\"><title>" + escape(title) +
                  "</title>\n";
  s += "<rect x=\"" + fixed(pr.x_offset, 1) + "\" y=\"" + fixed(pr.pad, 1) + "\" width=\"" + fixed(pr.map_width, 1) +
       "\" height=\"" + fixed(pr.map_height, 1) + "\" fill=\"#fafafa\" stroke=\"#bbb\"/>\n";
  s += "<g class=\"cells\" data-count=\"" + std::to_string(pg.in.cells.size()) + "\">\n" + cells_svg + "</g>\n";
  s += overlays(pg, pr, destinations);
  auto const ly = pr.pad + pr.map_height + 20;
  for (std::size_t i = 0; i < legend.size(); ++i) {
    auto const& e = legend[i];
    auto const x = pr.pad + 236.0 * static_cast<double>(i % 3);
    auto const y = ly + 24.0 * static_cast<double>(i / 3);
    s += "<g class=\"legend\" data-cells=\"" + std::to_string(e.cells) + "\" data-people=\"" + fixed(e.people, 1) +
         "\">" +
         legend_swatch(x, y, e.colour,
                       e.label + " (" + pg.count_text(pg.in.weighted ? e.people : static_cast<double>(e.cells)) + ")") +
         "</g>";
  }
  auto const y = ly + 24.0 * static_cast<double>(rows);
  s += "<circle cx=\"" + fixed(pr.pad + 6, 1) + "\" cy=\"" + fixed(y, 1) + "\" r=\"2\" fill=\"#333\"/><text x=\"" +
       fixed(pr.pad + 17, 1) + "\" y=\"" + fixed(y, 1) + "\" dominant-baseline=\"middle\">" + escape(pg.w.stops) +
       "</text>";
  s += "<path d=\"M" + fixed(pr.pad + 242, 1) + "," + fixed(y - 6, 1) + "l5,6l-5,6l-5,-6Z\" fill=\"#000\"/><text x=\"" +
       fixed(pr.pad + 253, 1) + "\" y=\"" + fixed(y, 1) + "\" dominant-baseline=\"middle\">" +
       escape(pg.w.destinations) + "</text>";
  if (!pg.in.service_area.empty()) {
    s += "<line x1=\"" + fixed(pr.pad + 472, 1) + "\" y1=\"" + fixed(y, 1) + "\" x2=\"" + fixed(pr.pad + 490, 1) +
         "\" y2=\"" + fixed(y, 1) + "\" stroke=\"#0072b2\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/><text x=\"" +
         fixed(pr.pad + 496, 1) + "\" y=\"" + fixed(y, 1) + "\" dominant-baseline=\"middle\">" +
         escape(pg.w.service_area) + "</text>";
  }
  s += "\n</svg>\n<figcaption>" + escape(caption) + "</figcaption>\n</figure>\n";
  return s;
}

double weight(page const& pg, std::size_t i) { return pg.in.weighted ? pg.in.cells[i].people : 1.0; }

// Travel-time classes: [0, c1), [c1, c2), ..., [c_last, ...), not reachable.
std::size_t time_class(std::vector<int> const& cutoffs, std::int16_t m) {
  if (m < 0) return cutoffs.size() + 1;
  std::size_t c = 0;
  while (c < cutoffs.size() && m >= cutoffs[c]) ++c;
  return c;
}

std::string time_map(page const& pg, projection const& pr, access_set const& set, std::size_t index) {
  auto const& cut = pg.in.cutoffs;
  std::vector<legend_entry> legend(cut.size() + 2);
  for (std::size_t c = 0; c <= cut.size(); ++c) {
    legend[c].colour = std::string{time_colours[std::min(
        c * (time_colours.size() - 1) / std::max<std::size_t>(cut.size(), 1), time_colours.size() - 1)]};
    legend[c].label = c == 0 ? fill(pg.w.below_fmt, {{"b", std::to_string(cut[0])}})
                      : c == cut.size()
                          ? fill(pg.w.above_fmt, {{"a", std::to_string(cut.back())}})
                          : fill(pg.w.range_fmt, {{"a", std::to_string(cut[c - 1])}, {"b", std::to_string(cut[c])}});
  }
  legend.back().colour = std::string{unreachable_colour};
  legend.back().label = std::string{pg.w.unreachable};
  std::string cells;
  for (std::size_t i = 0; i < pg.in.cells.size(); ++i) {
    auto const m = set.minutes[i];
    auto const c = time_class(cut, m);
    legend[c].cells += 1;
    legend[c].people += pg.in.cells[i].people;
    cells +=
        cell_shape(pr, pg.in.cells[i], legend[c].colour,
                   " data-minutes=\"" + (m < 0 ? std::string{"unreachable"} : std::to_string(m)) + "\" data-people=\"" +
                       fixed(pg.in.cells[i].people, 1) + "\" data-class=\"" + std::to_string(c) + "\"");
  }
  auto const title = fill(pg.w.map_title_fmt, {{"set", set.label}});
  return map_figure(pg, pr, "map-time-" + std::to_string(index), title, cells, legend, set.points,
                    std::string{pg.w.map_caption});
}

std::string saved_map(page const& pg, projection const& pr, access_set const& set, std::size_t index) {
  constexpr std::array<std::string_view, 5> colours{"#f2f2f2", "#c6dbef", "#6baed6", "#2171b5", "#cc79a7"};
  std::vector<legend_entry> legend(5);
  legend[0].label = std::string{pg.w.unchanged};
  legend[1].label = fill(pg.w.saved_fmt, {{"a", "1"}, {"b", "9"}});
  legend[2].label = fill(pg.w.saved_fmt, {{"a", "10"}, {"b", "19"}});
  legend[3].label = fill(pg.w.above_fmt, {{"a", "20"}});
  legend[4].label = std::string{pg.w.newly};
  for (std::size_t c = 0; c < 5; ++c) legend[c].colour = std::string{colours[c]};
  std::string cells;
  for (std::size_t i = 0; i < pg.in.cells.size(); ++i) {
    auto const a = set.minutes[i], b = set.with_service[i];
    std::size_t c = 0;
    int saved = 0;
    if (b >= 0 && a < 0) {
      c = 4;
    } else if (a >= 0 && b >= 0 && b < a) {
      saved = a - b;
      c = saved < 10 ? 1 : saved < 20 ? 2 : 3;
    }
    legend[c].cells += 1;
    legend[c].people += pg.in.cells[i].people;
    cells += cell_shape(pr, pg.in.cells[i], colours[c],
                        " data-minutes=\"" + (a < 0 ? std::string{"unreachable"} : std::to_string(a)) +
                            "\" data-with=\"" + (b < 0 ? std::string{"unreachable"} : std::to_string(b)) +
                            "\" data-saved=\"" + (c == 4 ? std::string{"new"} : std::to_string(saved)) +
                            "\" data-people=\"" + fixed(pg.in.cells[i].people, 1) + "\"");
  }
  auto const title = fill(pg.w.saved_title_fmt, {{"set", set.label}});
  return "<h3>" + escape(title) + "</h3>\n" +
         map_figure(pg, pr, "map-saved-" + std::to_string(index), title, cells, legend, set.points,
                    std::string{pg.w.saved_caption});
}

std::string summary(page const& pg) {
  auto const has_with =
      std::any_of(pg.in.sets.begin(), pg.in.sets.end(), [](auto const& s) { return !s.with_service.empty(); });
  std::string s;
  std::string sentences;
  std::string table = "<table id=\"summary\">\n<tr><th></th><th>" + escape(pg.w.cutoff_col) + "</th><th>" +
                      escape(pg.w.reach_col) + "</th><th>" + escape(pg.w.cannot_col) + "</th>";
  if (has_with) table += "<th>" + escape(pg.w.with_col) + "</th><th>" + escape(pg.w.gain_col) + "</th>";
  table += "</tr>\n";
  for (auto const& set : pg.in.sets) {
    for (auto const cutoff : pg.in.cutoffs) {
      double total = 0, reached = 0, reached_with = 0;
      for (std::size_t i = 0; i < pg.in.cells.size(); ++i) {
        auto const wgt = weight(pg, i);
        total += wgt;
        if (set.minutes[i] >= 0 && set.minutes[i] < cutoff) reached += wgt;
        if (!set.with_service.empty() && set.with_service[i] >= 0 && set.with_service[i] < cutoff) reached_with += wgt;
      }
      table += "<tr data-set=\"" + escape(set.label) + "\" data-cutoff=\"" + std::to_string(cutoff) +
               "\" data-total=\"" + fixed(total, 1) + "\" data-reached=\"" + fixed(reached, 1) + "\"";
      if (!set.with_service.empty()) table += " data-reached-with=\"" + fixed(reached_with, 1) + "\"";
      table += "><td>" + escape(set.label) + "</td><td class=\"num\">" + escape(pg.minutes(cutoff)) +
               "</td><td class=\"num\">" + escape(pg.count_text(reached)) + "</td><td class=\"num\">" +
               escape(pg.count_text(total - reached)) + "</td>";
      if (has_with) {
        if (set.with_service.empty()) {
          table += "<td></td><td></td>";
        } else {
          table += "<td class=\"num\">" + escape(pg.count_text(reached_with)) + "</td><td class=\"num\">" +
                   escape(pg.count_text(reached_with - reached)) + "</td>";
        }
      }
      table += "</tr>\n";
      if (cutoff == pg.in.cutoffs.back() || pg.in.cutoffs.size() == 1) {
        // English: "340 residents cannot ..."; Japanese: "...行けない住民：340人".
        auto const n_text = [&](double n) { return pg.ja ? pg.count_text(n) : grouped(n); };
        auto sentence =
            fill(pg.w.sentence_fmt, {{"n", n_text(total - reached)},
                                     {"unit", std::string{pg.in.weighted ? pg.w.people_unit : pg.w.cells_unit}},
                                     {"set", set.label},
                                     {"m", std::to_string(cutoff)},
                                     {"from", pg.in.window_from},
                                     {"to", pg.in.window_to},
                                     {"p", pg.percentile_text()}});
        if (!set.with_service.empty()) {
          sentence += " " + fill(pg.w.sentence_with_fmt,
                                 {{"n", n_text(total - reached_with)},
                                  {"unit", std::string{pg.in.weighted ? pg.w.people_unit : pg.w.cells_unit}}});
        }
        sentences += "<p class=\"answer\" data-set=\"" + escape(set.label) + "\" data-cannot=\"" +
                     fixed(total - reached, 1) + "\">" + escape(sentence) + "</p>\n";
      }
    }
  }
  table += "</table>\n";
  s += sentences + table;
  return s;
}

std::string coverage_section(page const& pg, projection const& pr) {
  auto const& in = pg.in;
  std::string s = "<h2>" + escape(pg.w.coverage) + "</h2>\n";
  auto const rule = fill(pg.w.coverage_caption, {{"stop", pg.metres(in.gap_stop_m)},
                                                 {"station", pg.metres(in.gap_station_m)},
                                                 {"min", std::to_string(in.min_departures)},
                                                 {"radius", pg.metres(in.departures_radius_m)}});
  std::vector<legend_entry> legend(3);
  legend[0] = {"#d55e00", std::string{pg.w.coverage_gap}, 0, 0};
  legend[1] = {"#e69f00", std::string{pg.w.coverage_few}, 0, 0};
  legend[2] = {"#cfe8d8", std::string{pg.w.coverage_served}, 0, 0};
  std::string cells;
  for (std::size_t i = 0; i < in.cells.size(); ++i) {
    auto const& k = in.coverage[i];
    auto const c = k.gap ? 0U : k.few_departures ? 1U : 2U;
    legend[c].cells += 1;
    legend[c].people += in.cells[i].people;
    auto const m = [](std::optional<double> v) { return v ? fixed(*v, 0) : std::string{"none"}; };
    cells += cell_shape(pr, in.cells[i], legend[c].colour,
                        " data-nearest-stop-m=\"" + m(k.nearest_bus_stop_m) + "\" data-nearest-station-m=\"" +
                            m(k.nearest_station_m) + "\" data-departures=\"" + std::to_string(k.departures) +
                            "\" data-people=\"" + fixed(in.cells[i].people, 1) + "\" data-class=\"" +
                            std::to_string(c) + "\"");
  }
  s += map_figure(pg, pr, "map-coverage", std::string{pg.w.coverage_title}, cells, legend, {}, rule);
  s += "<table id=\"coverage\">\n<tr><th>" + escape(pg.w.coverage_table_class) + "</th><th>" +
       escape(pg.in.weighted ? pg.w.people_unit : pg.w.cells_unit) + "</th></tr>\n";
  double total = 0;
  for (auto const& e : legend) {
    auto const n = in.weighted ? e.people : static_cast<double>(e.cells);
    total += n;
    s += "<tr data-cells=\"" + std::to_string(e.cells) + "\" data-people=\"" + fixed(e.people, 1) + "\"><td>" +
         escape(e.label) + "</td><td class=\"num\">" + escape(pg.count_text(n)) + "</td></tr>\n";
  }
  s += "<tr><td>" + escape(pg.w.total) + "</td><td class=\"num\">" + escape(pg.count_text(total)) +
       "</td></tr>\n</table>\n";
  return s;
}

}  // namespace

std::string access_report_html(access_report_input const& in) {
  if (in.lang != "en" && in.lang != "ja") throw std::invalid_argument{"report language must be en or ja"};
  if (in.cutoffs.empty()) throw std::invalid_argument{"no cutoffs"};
  for (auto const& s : in.sets) {
    if (s.minutes.size() != in.cells.size() || (!s.with_service.empty() && s.with_service.size() != in.cells.size())) {
      throw std::invalid_argument{"travel times do not match the cells"};
    }
  }
  if (!in.coverage.empty() && in.coverage.size() != in.cells.size())
    throw std::invalid_argument{"coverage does not match the cells"};
  auto const ja_page = in.lang == "ja";
  page const pg{in, ja_page ? ja : en, ja_page};
  auto html = page_begin(pg.w.title);
  if (ja_page) {
    auto const pos = html.find("<html lang=\"en\">");
    if (pos != std::string::npos) html.replace(pos, 16, "<html lang=\"ja\">");
  }
  html += "<h1>" + escape(pg.w.title) + "</h1>\n";
  html += "<p class=\"note\">" +
          escape(fill(pg.w.intro_fmt,
                      {{"from", in.window_from}, {"to", in.window_to}, {"date", in.date}, {"p", pg.percentile_text()}})) +
          "</p>\n";
  html +=
      "<p class=\"note\" id=\"population\" data-weighted=\"" + std::string{in.weighted ? "true" : "false"} + "\">" +
      escape(in.weighted ? fill(pg.w.weighted_fmt, {{"source", in.population_source}}) : std::string{pg.w.unweighted}) +
      "</p>\n";
  html += "<p class=\"note\">" + escape(pg.w.method) + "</p>\n";
  if (!in.service_area.empty()) {
    auto const wait = compact(static_cast<double>(in.service_wait_s) / 60.0, 1);
    html += "<p class=\"note\" id=\"service\">" +
            escape(fill(in.service_osm ? pg.w.service_fmt_osm : pg.w.service_fmt_straight,
                        {{"wait", wait},
                         {"ride", pg.metres(in.service_max_ride_m)},
                         {"detour", compact(in.service_detour, 2)},
                         {"speed", compact(in.service_speed_kmh, 1)}})) +
            "</p>\n";
  }
  html += "<h2>" + escape(pg.w.summary) + "</h2>\n" + summary(pg);
  if (!in.cells.empty()) {
    auto const pr = make_projection(in);
    for (std::size_t i = 0; i < in.sets.size(); ++i) {
      html += "<h2>" + escape(fill(pg.w.map_title_fmt, {{"set", in.sets[i].label}})) + "</h2>\n";
      html += time_map(pg, pr, in.sets[i], i);
      if (!in.sets[i].with_service.empty()) html += saved_map(pg, pr, in.sets[i], i);
    }
    if (!in.coverage.empty()) html += coverage_section(pg, pr);
  }
  html += page_end();
  return html;
}

}  // namespace nebuta::report
