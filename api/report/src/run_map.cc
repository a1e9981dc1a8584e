// The map of report.html: the transit network as its base layer, the service area, meeting
// points inside it, pickups and drop-offs, and the origins not served on top, clustered.
#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

#include "run_data.h"
#include "svg.h"

namespace nebuta::report::detail {

namespace {

struct box {
  double lat_min, lat_max, lon_min, lon_max;
  bool contains(latlon p) const { return p.lat >= lat_min && p.lat <= lat_max && p.lon >= lon_min && p.lon <= lon_max; }
};

// Routes as grey lines (each route's own colour when the feed gives one), the main stations as
// white dots with their names; clipped to the map. Numbers in data attributes.
template <typename PX, typename PY>
std::string network_layer(run_extras const& extras, PX const& px, PY const& py, box const& b) {
  if (extras.lines.empty() && extras.stations.empty()) return {};
  std::string s =
      "<g class=\"network\" clip-path=\"url(#map-clip)\" data-routes=\"" + std::to_string(extras.lines.size()) + "\">\n";
  for (auto const& l : extras.lines) {
    std::string pts;
    for (auto const p : l.points) pts += (pts.empty() ? "" : " ") + fixed(px(p), 1) + "," + fixed(py(p), 1);
    auto const colour = l.colour.size() == 6 ? "#" + l.colour : std::string{"#9a9a9a"};
    s += "<polyline class=\"route\" data-route=\"" + escape(l.id) + "\" data-points=\"" +
         std::to_string(l.points.size()) + "\" points=\"" + pts + "\" fill=\"none\" stroke=\"" + escape(colour) +
         "\" stroke-opacity=\"0.55\" stroke-width=\"2\"><title>" + escape(l.name) + "</title></polyline>\n";
  }
  s += "</g>\n";
  std::size_t shown = 0;
  std::string st;
  for (auto const& x : extras.stations) {
    if (!b.contains(x.at)) continue;
    ++shown;
    st += "<g class=\"station\" data-departures=\"" + compact(x.departures, 0) + "\"><circle cx=\"" +
          fixed(px(x.at), 1) + "\" cy=\"" + fixed(py(x.at), 1) +
          "\" r=\"4.5\" fill=\"#ffffff\" stroke=\"#333\" stroke-width=\"1.5\"/><text x=\"" + fixed(px(x.at) + 7, 1) +
          "\" y=\"" + fixed(py(x.at) - 6, 1) +
          "\" font-size=\"11\" paint-order=\"stroke\" stroke=\"#ffffff\" stroke-width=\"3\">" + escape(x.name) +
          "</text></g>\n";
  }
  return s + "<g class=\"stations\" data-count=\"" + std::to_string(shown) + "\">\n" + st + "</g>\n";
}

// Origins not served, merged per 16 px cell: one circle per cell at the mean position, its
// radius growing with the count, the count written inside when more than one.
template <typename PX, typename PY>
std::string unserved_layer(std::vector<latlon> const& points, PX const& px, PY const& py) {
  struct cluster {
    double x{0}, y{0};
    std::size_t n{0};
  };
  std::map<std::pair<long long, long long>, cluster> cells;
  for (auto const p : points) {
    auto& c = cells[{static_cast<long long>(std::floor(px(p) / 16)), static_cast<long long>(std::floor(py(p) / 16))}];
    c.x += px(p), c.y += py(p), ++c.n;
  }
  std::string g = "<g class=\"unserved\" data-count=\"" + std::to_string(points.size()) + "\" data-clusters=\"" +
                  std::to_string(cells.size()) + "\" fill=\"#d55e00\" fill-opacity=\"0.85\" stroke=\"#ffffff\">\n";
  for (auto const& [cell, c] : cells) {
    auto const x = fixed(c.x / static_cast<double>(c.n), 1), y = fixed(c.y / static_cast<double>(c.n), 1);
    auto const r = 3.5 + 2.5 * std::sqrt(static_cast<double>(c.n) - 1);
    g += "<circle class=\"cluster\" data-count=\"" + std::to_string(c.n) + "\" cx=\"" + x + "\" cy=\"" + y + "\" r=\"" +
         fixed(std::min(r, 14.0), 1) + "\"/>";
    if (c.n > 1) {
      g += "<text x=\"" + x + "\" y=\"" + y +
           "\" font-size=\"9\" fill=\"#ffffff\" stroke=\"none\" text-anchor=\"middle\" "
           "dominant-baseline=\"central\">" +
           std::to_string(c.n) + "</text>";
    }
    g += '\n';
  }
  return g + "</g>\n";
}

}  // namespace

// Inside the service area (even-odd over every ring, holes included); everywhere without one.
bool inside_area(run_data const& run, latlon p) {
  if (run.service_area_rings.empty()) return true;
  bool in = false;
  for (auto const& ring : run.service_area_rings) {
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
      auto const& a = ring[i];
      auto const& b = ring[j];
      if ((a.lat > p.lat) != (b.lat > p.lat) && p.lon < (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon) {
        in = !in;
      }
    }
  }
  return in;
}

std::string map_figure(run_data const& run, run_extras const& extras, words const& w) {
  std::vector<latlon> pickups;
  std::vector<latlon> dropoffs;
  for (auto const& e : run.events) {
    if (e.kind == event_kind::pickup) pickups.push_back(e.position);
    if (e.kind == event_kind::dropoff) dropoffs.push_back(e.position);
  }
  std::vector<latlon> unserved;
  for (auto const& r : run.requests) {
    if (r.status != request_status::served) unserved.push_back(r.origin);
  }
  // Meeting points outside the service area serve no request of it: not drawn.
  std::vector<latlon> meeting_points;
  for (auto const p : run.meeting_points) {
    if (inside_area(run, p)) meeting_points.push_back(p);
  }
  double lat_min = 90, lat_max = -90, lon_min = 180, lon_max = -180;
  bool any = false;
  auto const extend = [&](latlon p) {
    lat_min = std::min(lat_min, p.lat);
    lat_max = std::max(lat_max, p.lat);
    lon_min = std::min(lon_min, p.lon);
    lon_max = std::max(lon_max, p.lon);
    any = true;
  };
  for (auto const* layer :
       {&std::as_const(pickups), &std::as_const(dropoffs), &std::as_const(unserved), &std::as_const(meeting_points)}) {
    for (auto const p : *layer) extend(p);
  }
  for (auto const& ring : run.service_area_rings) {
    for (auto const p : ring) extend(p);
  }
  if (!any) return "<p class=\"note\">" + w("No locations to map.") + "</p>\n";

  // Equirectangular: x scaled by cos(mean latitude), so distances are right near the centre.
  auto const k = std::max(std::cos((lat_min + lat_max) / 2 * std::numbers::pi / 180), 0.01);
  auto const margin = 0.05 * std::max((lon_max - lon_min) * k, lat_max - lat_min) + 0.0005;
  lat_min -= margin;
  lat_max += margin;
  lon_min -= margin / k;
  lon_max += margin / k;
  auto const extent_x = (lon_max - lon_min) * k;
  auto const extent_y = lat_max - lat_min;
  double const width = 720, pad = 8, max_map_height = 640, legend_height = 56;
  auto const scale = std::min((width - 2 * pad) / extent_x, max_map_height / extent_y);
  auto const map_width = extent_x * scale;
  auto const map_height = extent_y * scale;
  auto const x_offset = pad + (width - 2 * pad - map_width) / 2;
  auto const px = [&](latlon p) { return x_offset + (p.lon - lon_min) * k * scale; };
  auto const py = [&](latlon p) { return pad + (lat_max - p.lat) * scale; };
  auto const height = map_height + 2 * pad + legend_height;

  std::string s = "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"map\" viewBox=\"0 0 " + compact(width, 1) +
                  " " + fixed(height, 1) + "\" role=\"img\"><title>" + escape(w("Map")) + "</title>\n";
  s += "<defs><clipPath id=\"map-clip\"><rect x=\"" + fixed(x_offset, 1) + "\" y=\"" + fixed(pad, 1) + "\" width=\"" +
       fixed(map_width, 1) + "\" height=\"" + fixed(map_height, 1) + "\"/></clipPath></defs>\n";
  s += "<rect x=\"" + fixed(x_offset, 1) + "\" y=\"" + fixed(pad, 1) + "\" width=\"" + fixed(map_width, 1) +
       "\" height=\"" + fixed(map_height, 1) + "\" fill=\"#fafafa\" stroke=\"#bbb\"/>\n";

  s += network_layer(extras, px, py, {lat_min, lat_max, lon_min, lon_max});
  s += "<g class=\"service-area\" data-rings=\"" + std::to_string(run.service_area_rings.size()) + "\">\n";
  for (std::size_t i = 0; i < run.service_area_rings.size();) {
    // One path per polygon, so holes (later rings) cut out of it with the even-odd rule.
    std::string d;
    auto const polygon = run.ring_polygon[i];
    for (; i < run.service_area_rings.size() && run.ring_polygon[i] == polygon; ++i) {
      auto const& ring = run.service_area_rings[i];
      for (std::size_t j = 0; j < ring.size(); ++j) {
        d += (j == 0 ? "M" : "L") + fixed(px(ring[j]), 1) + "," + fixed(py(ring[j]), 1);
      }
      if (!ring.empty()) d += "Z";
    }
    s += "<path d=\"" + d +
         "\" fill=\"#0072b2\" fill-opacity=\"0.08\" stroke=\"#0072b2\" stroke-width=\"1.5\" "
         "fill-rule=\"evenodd\"/>\n";
  }
  s += "</g>\n";

  // Points that fall on the same 0.1 px are drawn once: meeting points repeat thousands of times.
  auto const layer = [&](std::string_view cls, std::vector<latlon> const& points, std::string const& shape) {
    std::map<std::pair<long long, long long>, std::size_t> cells;
    for (auto const p : points) ++cells[{std::llround(px(p) * 10), std::llround(py(p) * 10)}];
    std::string g = "<g class=\"" + std::string{cls} + "\" data-count=\"" + std::to_string(points.size()) + "\">\n";
    for (auto const& [cell, n] : cells) {
      auto const x = fixed(static_cast<double>(cell.first) / 10, 1);
      auto const y = fixed(static_cast<double>(cell.second) / 10, 1);
      if (shape == "square") {
        g += "<rect x=\"" + fixed(static_cast<double>(cell.first) / 10 - 2, 1) + "\" y=\"" +
             fixed(static_cast<double>(cell.second) / 10 - 2, 1) + "\" width=\"4\" height=\"4\"/>";
      } else {
        g += "<circle cx=\"" + x + "\" cy=\"" + y + "\" r=\"3\"/>";
      }
      g += '\n';
    }
    return g + "</g>\n";
  };
  s += "<g fill=\"#555555\">" + layer("meeting-points", meeting_points, "square") + "</g>\n";
  s += "<g fill=\"#e69f00\" fill-opacity=\"0.7\">" + layer("dropoffs", dropoffs, "circle") + "</g>\n";
  s += "<g fill=\"#0072b2\" fill-opacity=\"0.7\">" + layer("pickups", pickups, "circle") + "</g>\n";
  // Unserved origins last, above what was served, in clusters of 16 px where dense.
  s += unserved_layer(unserved, px, py);

  // Scale bar: the longest 1-2-5 length that fits in 150 px.
  auto const km_per_px = 1 / scale * (geo::earth_radius_m / 1000) * std::numbers::pi / 180;
  auto bar_km = 0.001;
  for (double m = 0.001; m / km_per_px <= 150; m *= 10) {
    for (double const f : {1.0, 2.0, 5.0}) {
      if (m * f / km_per_px <= 150) bar_km = m * f;
    }
  }
  auto const bar_px = bar_km / km_per_px;
  auto const bar_y = pad + map_height - 12;
  auto const bar_x = x_offset + 12;
  s += "<g class=\"scale-bar\"><rect x=\"" + fixed(bar_x - 4, 1) + "\" y=\"" + fixed(bar_y - 18, 1) + "\" width=\"" +
       fixed(bar_px + 8, 1) + "\" height=\"26\" fill=\"#ffffff\" fill-opacity=\"0.8\"/><line x1=\"" + fixed(bar_x, 1) +
       "\" y1=\"" + fixed(bar_y, 1) + "\" x2=\"" + fixed(bar_x + bar_px, 1) + "\" y2=\"" + fixed(bar_y, 1) +
       "\" stroke=\"#222\" stroke-width=\"3\"/><text x=\"" + fixed(bar_x, 1) + "\" y=\"" + fixed(bar_y - 6, 1) + "\">" +
       (bar_km >= 1 ? compact(bar_km, 0) + " km" : compact(bar_km * 1000, 0) + " m") + "</text></g>\n";

  auto const ly = pad + map_height + 20;
  s += legend_swatch(pad, ly, "#0072b2", w("pickups") + " (" + std::to_string(pickups.size()) + ")");
  s += legend_swatch(pad + 150, ly, "#e69f00", w("drop-offs") + " (" + std::to_string(dropoffs.size()) + ")");
  s += "<circle cx=\"" + fixed(pad + 316, 1) + "\" cy=\"" + fixed(ly, 1) +
       "\" r=\"5\" fill=\"none\" stroke=\"#888888\"/><text x=\"" + fixed(pad + 327, 1) + "\" y=\"" + fixed(ly, 1) +
       "\" dominant-baseline=\"middle\">" + escape(w("origins not served")) + " (" + std::to_string(unserved.size()) +
       ")</text>\n";
  s += legend_swatch(pad, ly + 24, "#555555", w("meeting points") + " (" + std::to_string(meeting_points.size()) + ")");
  s += "<rect x=\"" + fixed(pad + 150, 1) + "\" y=\"" + fixed(ly + 18, 1) +
       "\" width=\"12\" height=\"12\" fill=\"#0072b2\" fill-opacity=\"0.08\" stroke=\"#0072b2\"/><text x=\"" +
       fixed(pad + 167, 1) + "\" y=\"" + fixed(ly + 24, 1) + "\" dominant-baseline=\"middle\">" +
       escape(w("service area")) + "</text>\n";
  if (!extras.lines.empty()) {
    s += "<line x1=\"" + fixed(pad + 300, 1) + "\" y1=\"" + fixed(ly + 24, 1) + "\" x2=\"" + fixed(pad + 316, 1) +
         "\" y2=\"" + fixed(ly + 24, 1) + "\" stroke=\"#9a9a9a\" stroke-width=\"2\"/><text x=\"" + fixed(pad + 322, 1) +
         "\" y=\"" + fixed(ly + 24, 1) + "\" dominant-baseline=\"middle\">" + escape(w("routes")) + " (" +
         std::to_string(extras.lines.size()) + "), " + escape(w("stations")) + " (" +
         std::to_string(extras.stations.size()) + ")</text>\n";
  }
  s += "</svg>\n<figcaption>" +
       std::string{
           w.ja()
               ? "車両が停車した乗車・降車地点、乗れなかった依頼の出発地（上に重ねて表示、密集部はまとめて件数表示）、運行区域内の乗降地点と運行区域、公共交通の路線と主な停留所・駅。正距円筒図法、北が上。緯度 "
               : "Pickups and drop-offs where the vehicles stopped (events.csv), origins of requests "
                 "that were not served (requests.csv; drawn on top, clustered where dense), meeting points inside the service "
                 "area, the service area of the rules, and the transit routes with the main stations. Equirectangular "
                 "projection, north up; latitude "} +
       fixed(lat_min + margin, 4) + (w.ja() ? " 〜 " : " to ") + fixed(lat_max - margin, 4) +
       (w.ja() ? "、経度 " : ", longitude ") + fixed(lon_min + margin / k, 4) + (w.ja() ? " 〜 " : " to ") +
       fixed(lon_max - margin / k, 4) + (w.ja() ? "。" : ".") + "</figcaption>\n</figure>\n";
  return s;
}

}  // namespace nebuta::report::detail
