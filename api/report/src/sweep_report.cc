// sweep.html: every run of a parameter sweep in one table, and the main KPIs against the first
// swept key with one line per combination of the other swept keys.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "input.h"
#include "labels.h"
#include "nebuta/report/report.h"
#include "svg.h"

namespace nebuta::report {

namespace {

using namespace detail;
using nlohmann::json;

struct sweep_data {
  csv_table table;
  std::size_t c_run, c_dir;
  std::vector<std::size_t> key_columns;  // swept keys, in command-line order
};

sweep_data read_sweep(std::filesystem::path const& file) {
  sweep_data sweep{.table = read_csv(file), .c_run = 0, .c_dir = 0, .key_columns = {}};
  auto const& t = sweep.table;
  sweep.c_run = t.column("run");
  sweep.c_dir = t.column("dir");
  auto const c_seed = t.column("seed");
  if (c_seed < sweep.c_dir) throw report_error{t.file + ":1: column 'seed' must come after 'dir'"};
  for (auto c = sweep.c_dir + 1; c < c_seed; ++c) sweep.key_columns.push_back(c);
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    if (t.text(r, sweep.c_dir).empty()) t.fail(r, "column 'dir' is empty");
  }
  return sweep;
}

// A relative link to dir/report.html that survives spaces and non-ASCII names.
std::string report_href(std::filesystem::path const& out_dir, std::string const& dir) {
  std::filesystem::path p{dir};
  if (p.is_absolute()) {
    auto const relative = p.lexically_relative(out_dir);
    if (!relative.empty()) p = relative;
  }
  auto const raw = (p / "report.html").generic_string();
  std::string href;
  for (auto const c : raw) {
    auto const u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      href += c;
    } else {
      constexpr char hex[] = "0123456789ABCDEF";
      href += '%';
      href += hex[u >> 4];
      href += hex[u & 15];
    }
  }
  return href;
}

bool is_rate(std::string_view column) {
  return column == "served_rate" || column == "pooling_rate" || column == "empty_km_share" ||
         column == "vehicle_utilisation" || column == "farebox_recovery";
}

// A column's name in the report's language (the KPI labels of report.html), else as in sweep.csv.
std::string column_label(std::string const& column, words const& w) {
  static std::map<std::string, std::string> const en{
      {"requests", "requests"},
      {"served", "served"},
      {"served_rate", "served rate"},
      {"wait_mean_s", "wait, mean"},
      {"wait_p95_s", "wait, 95th percentile"},
      {"ride_mean_s", "ride time, mean"},
      {"detour_mean", "detour factor, mean"},
      {"occupancy", "occupancy"},
      {"pooling_rate", "pooling rate (shared rides)"},
      {"empty_km_share", "empty km share"},
      {"vehicle_utilisation", "vehicle utilisation"},
      {"passengers_per_vehicle_hour", "passengers per vehicle-hour"},
      {"cost_per_passenger", "cost per passenger"},
      {"farebox_recovery", "farebox recovery"},
      {"public_cost_per_passenger", "public cost per passenger"},
      {"bus_cost_per_passenger", "bus cost per passenger"},
      {"bus_public_cost_per_passenger", "bus public cost per passenger"},
      {"bus_farebox_recovery", "bus farebox recovery"},
      {"transit_unreachable_share", "requests without transit within the limit"},
      {"door_to_door_on_demand_mean_s", "door to door on demand, mean"},
      {"door_to_door_transit_mean_s", "door to door by transit, mean"},
      {"fleet", "vehicles"}};
  if (!w.ja()) return column;
  auto const it = en.find(column);
  if (it != en.end()) return w(it->second);
  for (auto const* suffix : {"_p5", "_p95"}) {
    if (column.ends_with(suffix)) {
      auto const base = en.find(column.substr(0, column.size() - std::string_view{suffix}.size()));
      if (base != en.end()) return w(base->second) + (std::string_view{suffix} == "_p5" ? " 5%" : " 95%");
    }
  }
  return column;
}

bool is_money(std::string_view column) { return column.find("cost") != std::string_view::npos; }

std::string cell_text(std::string_view column, std::string const& value) {
  if (value.empty()) return "n/a";
  auto const v = parse_number(value);
  if (!v) return value;
  if (is_rate(column)) return fixed(*v * 100, 1) + " %";
  if (column.ends_with("_s")) return fixed(*v / 60, 1) + " min";
  if (column == "requests" || column == "served") return compact(*v, 0);
  return compact(*v, 2);
}

std::string runs_table(sweep_data const& sweep, std::filesystem::path const& out_dir, std::string const& suggested,
                       words const& w) {
  auto const& t = sweep.table;
  std::string s = "<table id=\"runs\">\n<tr>";
  for (auto const& h : t.header) s += "<th>" + escape(column_label(h, w)) + "</th>";
  s += "</tr>\n";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    auto const& dir = t.text(r, sweep.c_dir);
    auto const currency = t.find_column("currency");
    s += dir == suggested ? "<tr class=\"suggested\" data-dir=\"" + escape(dir) + "\">" : std::string{"<tr>"};
    for (std::size_t c = 0; c < t.header.size(); ++c) {
      auto const& value = t.text(r, c);
      if (c == sweep.c_run) {
        s += "<td class=\"num\"><a href=\"" + escape(report_href(out_dir, t.text(r, sweep.c_dir))) + "\">" +
             escape(value) + "</a></td>";
      } else if (c == sweep.c_dir ||
                 std::find(sweep.key_columns.begin(), sweep.key_columns.end(), c) != sweep.key_columns.end()) {
        s += "<td>" + escape(value) + "</td>";
      } else {
        auto text = cell_text(t.header[c], value);
        if (is_money(t.header[c]) && currency && !value.empty() && !t.text(r, *currency).empty()) {
          text = w.money(*parse_number(value), t.text(r, *currency));
        }
        s += "<td class=\"num\">" + escape(text) + "</td>";
      }
    }
    s += "</tr>\n";
  }
  return s + "</table>\n";
}

// targets.json of `--target` (written by nebuta simulate beside sweep.csv), as a paragraph that
// names the smallest fleet meeting them; the run is marked in the table.
std::string targets_section(std::filesystem::path const& file, std::string& suggested_dir, words const& w) {
  if (!std::filesystem::exists(file)) return {};
  auto const j = read_json_object(file);
  std::string list;
  for (auto const& t : j.value("targets", json::array())) {
    list += (list.empty() ? "" : ", ") + escape(column_label(t.value("kpi", ""), w)) + " " + escape(t.value("op", "")) +
            " " + compact(t.value("value", 0.0), 6);
  }
  auto const& fleet = j.contains("suggested_fleet") ? j["suggested_fleet"] : json{};
  suggested_dir =
      j.contains("suggested_dir") && j["suggested_dir"].is_string() ? j["suggested_dir"].get<std::string>() : "";
  std::string text;
  if (fleet.is_number()) {
    auto const n = compact(fleet.get<double>(), 0);
    text = w.ja() ? "目標 (" + list + ") を満たす最小の車両数: <strong>" + n + " 台</strong>（" +
                        escape(suggested_dir) + "）。"
                  : "Smallest fleet meeting every target (" + list + "): <strong>" + n + " vehicles</strong> (" +
                        escape(suggested_dir) + ").";
  } else {
    text = w.ja() ? "目標 (" + list + ") を満たすケースはありません。" : "No run meets every target (" + list + ").";
  }
  return "<section id=\"summary\" data-suggested-fleet=\"" + (fleet.is_number() ? compact(fleet.get<double>(), 0) : "") +
         "\">\n<h2>" + escape(w("Summary")) + "</h2>\n<p>" + text + "</p>\n</section>\n";
}

struct series {
  std::string label;
  std::map<double, std::pair<double, std::size_t>> points;  // x → (sum of y, runs)
};

struct metric {
  std::string_view column;
  std::string_view title;
  std::string_view y_title;
  double display_factor;  // value × factor is what the axis shows
};

constexpr metric chart_metrics[] = {
    {"served_rate", "Served rate", "served (%)", 100.0},
    {"cost_per_passenger", "Cost per passenger", "cost per passenger", 1.0},
    {"wait_p95_s", "Wait, 95th percentile", "wait p95 (minutes)", 1.0 / 60},
};

std::string line_chart(sweep_data const& sweep, metric const& m, words const& w) {
  auto const& t = sweep.table;
  auto const c_metric = t.column(m.column);
  // x: the first swept key, numeric when every value is a number, else categories in order of
  // first appearance; without swept keys, the run number.
  auto const c_x = sweep.key_columns.empty() ? sweep.c_run : sweep.key_columns.front();
  auto const& x_name = t.header[c_x];
  bool numeric_x = true;
  for (std::size_t r = 0; r < t.rows.size(); ++r) numeric_x = numeric_x && parse_number(t.text(r, c_x)).has_value();
  std::vector<std::string> categories;
  auto const x_of = [&](std::size_t r) -> double {
    if (numeric_x) return *parse_number(t.text(r, c_x));
    auto const it = std::find(categories.begin(), categories.end(), t.text(r, c_x));
    if (it != categories.end()) return static_cast<double>(it - categories.begin());
    categories.push_back(t.text(r, c_x));
    return static_cast<double>(categories.size() - 1);
  };

  std::vector<series> lines;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    auto const x = x_of(r);
    std::string label;
    for (std::size_t k = 1; k < sweep.key_columns.size(); ++k) {
      if (!label.empty()) label += ", ";
      label += t.header[sweep.key_columns[k]] + "=" + t.text(r, sweep.key_columns[k]);
    }
    if (label.empty()) label = "all runs";
    auto it = std::find_if(lines.begin(), lines.end(), [&](series const& s) { return s.label == label; });
    if (it == lines.end()) {
      lines.push_back({label, {}});
      it = std::prev(lines.end());
    }
    auto const y = t.optional_number(r, c_metric);
    if (!y) continue;  // n/a, e.g. no passengers: no cost per passenger
    auto& [sum, n] = it->points[x];
    sum += *y;
    ++n;
  }

  double x_min = 0, x_max = 0, y_max = 0, y_min = 0;
  bool any = false;
  for (auto const& l : lines) {
    for (auto const& [x, p] : l.points) {
      auto const y = p.first / static_cast<double>(p.second) * m.display_factor;
      if (!any) x_min = x_max = x;
      x_min = std::min(x_min, x);
      x_max = std::max(x_max, x);
      y_min = std::min(y_min, y);
      y_max = std::max(y_max, y);
      any = true;
    }
  }
  std::string const title = w(m.title);
  std::string s = "<h2>" + escape(title) + "</h2>\n";
  if (!any) return s + "<p class=\"note\">No values.</p>\n";
  if (x_max <= x_min) {
    x_min -= 0.5;
    x_max += 0.5;
  }
  auto const legend_rows = (lines.size() + 1) / 2;
  frame f{.x_min = x_min,
          .x_max = x_max,
          .height = 300 + 22 * static_cast<double>(legend_rows),
          .bottom = 60 + 22 * static_cast<double>(legend_rows)};
  auto const y_values = nice_ticks(y_min, y_max > y_min ? y_max : y_min + 1, 5);
  f.y_min = y_values.front();
  f.y_max = y_values.back();
  std::vector<tick> y_ticks;
  for (auto const v : y_values) y_ticks.push_back({v, compact(v, 3)});
  std::vector<tick> x_ticks;
  if (numeric_x) {
    std::vector<double> xs;
    for (auto const& l : lines) {
      for (auto const& [x, p] : l.points) xs.push_back(x);
    }
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
    if (xs.size() > 16) xs = nice_ticks(x_min, x_max, 8);
    for (auto const x : xs) {
      if (x >= x_min && x <= x_max) x_ticks.push_back({x, compact(x, 3)});
    }
  } else {
    for (std::size_t i = 0; i < categories.size(); ++i) x_ticks.push_back({static_cast<double>(i), categories[i]});
  }
  auto const id = "chart-" + std::string{m.column};
  std::string svg = svg_begin(f, title + (w.ja() ? " (横軸: " + x_name + ")" : " against " + x_name), id);
  svg += axes(f, x_ticks, y_ticks, x_name, m.y_title);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto const colour = series_colour(i);
    auto const dash = series_dash(i);
    std::string data;
    std::string points;
    std::string markers;
    for (auto const& [x, p] : lines[i].points) {
      auto const y = p.first / static_cast<double>(p.second);
      if (!data.empty()) data += ' ';
      data += compact(x, 6) + ":" + compact(y, 6);
      auto const px = fixed(f.px(x), 1);
      auto const py = fixed(f.py(y * m.display_factor), 1);
      if (!points.empty()) points += ' ';
      points += px + "," + py;
      markers += "<circle cx=\"" + px + "\" cy=\"" + py + "\" r=\"3\" fill=\"" + std::string{colour} + "\"><title>" +
                 escape(lines[i].label) + ", " + escape(x_name) + "=" + compact(x, 6) + ": " +
                 compact(y * m.display_factor, 3) +
                 (p.second > 1 ? " (mean of " + std::to_string(p.second) + " runs)" : "") + "</title></circle>";
    }
    svg += "<polyline class=\"series\" data-series=\"" + escape(lines[i].label) + "\" data-points=\"" + data +
           "\" points=\"" + points + "\" fill=\"none\" stroke=\"" + std::string{colour} + "\" stroke-width=\"2\"";
    if (!dash.empty()) svg += " stroke-dasharray=\"" + std::string{dash} + "\"";
    svg += "/>\n" + markers + "\n";
    auto const lx = f.left + (i % 2 == 0 ? 0 : 330);
    auto const ly = f.top + f.plot_height() + 60 + 22 * static_cast<double>(i / 2);
    svg += legend_swatch(lx, ly, colour, lines[i].label, true, dash);
  }
  svg += "</svg>\n";
  return s + "<figure>\n" + svg + "<figcaption>" + escape(title) + " against " + escape(x_name) +
         ", one line per combination of the other swept keys; several runs at one point (other seeds) are "
         "averaged.</figcaption>\n</figure>\n";
}

}  // namespace

void write_sweep_report(std::filesystem::path const& out_dir, options const& opt) {
  auto const sweep = read_sweep(out_dir / "sweep.csv");
  std::string keys;
  for (auto const c : sweep.key_columns) keys += (keys.empty() ? "" : ", ") + sweep.table.header[c];
  words const w{opt.lang};
  std::string suggested;
  auto const targets = targets_section(out_dir / "targets.json", suggested, w);
  std::string html = page_begin(w("Sweep report"), w.lang());
  html += "<h1>" + escape(w("Sweep report")) + "</h1>\n" + targets + "<p class=\"note\">" +
          std::to_string(sweep.table.rows.size()) +
          " runs; swept: " + escape(keys.empty() ? std::string{"nothing"} : keys) +
          ". Each run number links to its own report.</p>\n";
  for (auto const& m : chart_metrics) html += line_chart(sweep, m, w);
  html += "<h2>" + escape(w("All runs")) + "</h2>\n" + runs_table(sweep, out_dir, suggested, w);
  html += page_end();
  write_text(out_dir / "sweep.html", html);
}

}  // namespace nebuta::report
