// Places: a plan request's from / to (stop id, name or coordinate), one stop, stops nearby.
#include "nebuta/api_service/service.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "nebuta/api_service/text_fold.h"
#include "service_detail.h"

namespace nebuta::api_service {

using namespace detail;

// ------------------------------------------------------------------ places

resolved_place service::resolve_place(std::string_view arg, lang_chain const& chain, std::string_view param) const {
  resolved_place out;
  if (arg.empty()) throw api_error{400, "missing_parameter", {str(param)}};
  std::string const a{arg};
  double lat = 0.0, lon = 0.0;
  char tail = 0;
  if (std::sscanf(a.c_str(), "%lf,%lf%c", &lat, &lon, &tail) == 2) {
    if (!std::isfinite(lat) || !std::isfinite(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180) {
      throw api_error{400, "invalid_coordinate", {a}};
    }
    out.candidates.push_back(raptor::place::at_coord({lat, lon}));
    out.label = a;
    return out;
  }
  auto const add_stop = [&](stop_idx s) {
    if (is_station(tt_, s)) {
      for (auto const c : tt_.stop_children[s]) {
        if (tt_.stop_location_type[c] == 0) out.candidates.push_back(raptor::place::at_stop(c));
      }
    } else {
      out.candidates.push_back(raptor::place::at_stop(s));
    }
  };
  if (auto s = tt_.find_stop(arg)) {
    add_stop(*s);
    out.label = str(tt_.text(tt_.stop_names[*s], chain));
    if (out.candidates.empty()) throw api_error{400, "no_platforms", {a}};
    return out;
  }
  auto const wanted = fold_for_search(arg);
  std::vector<stop_idx> matches;
  if (!wanted.empty()) {
    auto it = std::lower_bound(folded_stop_names_.begin(), folded_stop_names_.end(), std::pair{wanted, stop_idx{0U}});
    for (; it != folded_stop_names_.end() && it->first == wanted; ++it) matches.push_back(it->second);
  }
  std::sort(matches.begin(), matches.end());
  matches.erase(std::unique(matches.begin(), matches.end()), matches.end());
  if (matches.empty()) throw api_error{404, "unknown_stop", {a}};
  // Unambiguous when every match is one station, its platforms, or stops sharing one name.
  auto const station_of = [&](stop_idx s) { return tt_.stop_parent[s].valid() ? tt_.stop_parent[s] : s; };
  auto const same_station = std::all_of(matches.begin(), matches.end(),
                                        [&](stop_idx s) { return station_of(s) == station_of(matches.front()); });
  auto const same_name = std::all_of(matches.begin(), matches.end(), [&](stop_idx s) {
    return tt_.text(tt_.stop_names[s]) == tt_.text(tt_.stop_names[matches.front()]);
  });
  if (!same_station && !same_name) {
    std::string ids;
    for (std::size_t i = 0; i < matches.size() && i < 20; ++i) ids += " " + tt_.external_stop_id(matches[i]);
    if (matches.size() > 20) ids += " ...";
    throw api_error{400, "ambiguous_place", {a, ids}};
  }
  for (auto const s : matches) add_stop(s);
  std::sort(out.candidates.begin(), out.candidates.end(), [](auto const& x, auto const& y) { return x.stop < y.stop; });
  out.candidates.erase(std::unique(out.candidates.begin(), out.candidates.end(),
                                   [](auto const& x, auto const& y) { return x.stop == y.stop; }),
                       out.candidates.end());
  if (out.candidates.empty()) throw api_error{400, "no_platforms", {a}};
  out.label = str(tt_.text(tt_.stop_names[matches.front()], chain));
  return out;
}

v1::Stop service::stop(std::string_view id, lang_chain const& chain) const {
  v1::Stop out;
  fill_stop(out, require_stop(id), chain, true);
  return out;
}

v1::NearbyResponse service::nearby(double lat, double lon, double radius_m, unsigned limit, lang_chain const& chain) const {
  if (!std::isfinite(lat) || !std::isfinite(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180) {
    throw api_error{400, "invalid_coordinate", {fmt_double(lat) + "," + fmt_double(lon)}};
  }
  if (!std::isfinite(radius_m) || radius_m <= 0 || radius_m > limits_.max_radius_m) {
    throw api_error{400, "invalid_parameter",
                    {"radius", "must be more than 0 and at most " + fmt_double(limits_.max_radius_m) + " m"}};
  }
  if (limit == 0 || limit > limits_.max_results) {
    throw api_error{400, "invalid_parameter", {"limit", "must be between 1 and " + std::to_string(limits_.max_results)}};
  }
  latlon const c{lat, lon};
  std::vector<std::pair<double, stop_idx>> found;
  auto const dlat = radius_m / 111'194.0 + 1e-7;
  auto it = std::lower_bound(stops_by_lat_.begin(), stops_by_lat_.end(), std::pair{lat - dlat, stop_idx{0U}});
  for (; it != stops_by_lat_.end() && it->first <= lat + dlat; ++it) {
    auto const d = haversine_m(c, tt_.stop_coords[it->second]);
    if (d <= radius_m) found.emplace_back(d, it->second);
  }
  std::sort(found.begin(), found.end());
  if (found.size() > limit) found.resize(limit);
  v1::NearbyResponse out;
  out.set_lat(lat);
  out.set_lon(lon);
  out.set_radius_m(radius_m);
  for (auto const& [d, s] : found) {
    auto& n = *out.add_stops();
    fill_stop(*n.mutable_stop(), s, chain, true);
    n.set_distance_m(std::round(d * 10.0) / 10.0);
  }
  return out;
}

}  // namespace nebuta::api_service
