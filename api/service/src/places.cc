// Places: a plan request's from / to (stop id, name or coordinate), one stop, stops nearby.
#include "nebuta/api_service/service.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "nebuta/raptor/coordinate_walk.h"
#include "service_detail.h"

namespace nebuta::api_service {

using namespace detail;

// ------------------------------------------------------------------ places

std::vector<stop_idx> service::group_members(stop_idx s) const {
  if (is_station(tt_, s)) {
    std::vector<stop_idx> out;
    for (auto const c : tt_.stop_children[s]) {
      if (tt_.stop_location_type[c] == 0) out.push_back(c);
    }
    return out;
  }
  if (auto const g = search_->group_of(s); g != place_search::npos) return search_->groups()[g].members;
  return {s};
}

resolved_place service::resolve_place(std::string_view arg, lang_chain const& chain, std::string_view param,
                                      std::optional<latlon> near) const {
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
    out.anchor = latlon{lat, lon};
    // Walked to from the stops within the usual 400 m; where there is none (a coast, a field),
    // from the nearest stop within 2 km and those a little further (the simulator's rule too).
    out.walk_m = raptor::coordinate_walk_m(raptor_index_, *out.anchor, raptor::options{}.max_walk_m);
    return out;
  }
  auto const at_group = [&](stop_group const& g) {
    for (auto const m : g.members) out.candidates.push_back(raptor::place::at_stop(m));
    v1::Stop shown;
    fill_group(shown, g, chain);
    out.label = shown.name();
    out.label_lang = shown.name_lang();
    out.anchor = g.anchor;
  };
  auto const at_place = [&](search::place const& pl) {
    v1::Place shown;
    fill_place(shown, pl, chain);
    out.candidates.push_back(raptor::place::at_coord({pl.lat, pl.lon}));
    out.label = shown.name();
    out.label_lang = shown.name_lang();
    out.anchor = latlon{pl.lat, pl.lon};
    // Walked to from its nearest stops, however far they are (within reason).
    auto const nearest = shown.nearest_stops_size() > 0 ? shown.nearest_stops(0).distance_m() : 1e9;
    out.walk_m = raptor::walk_beyond_nearest_m(nearest, raptor::options{}.max_walk_m);
  };
  // "place:ID" from the gazetteer, or a stop id: the place it belongs to.
  if (a.starts_with("place:")) {
    auto const& places = search_->places();
    auto const it =
        std::find_if(places.begin(), places.end(), [&](search::place const& pl) { return "place:" + pl.id == a; });
    if (it == places.end()) throw api_error{404, "unknown_stop", {a}};
    at_place(*it);
    return out;
  }
  if (auto s = tt_.find_stop(arg)) {
    for (auto const m : group_members(*s)) out.candidates.push_back(raptor::place::at_stop(m));
    auto n = name(tt_.stop_names[*s], chain);
    out.label = std::move(n.text);
    out.label_lang = std::move(n.lang);
    out.anchor = tt_.stop_coords[*s];
    if (out.candidates.empty()) throw api_error{400, "no_platforms", {a}};
    return out;
  }
  // A name: the search's best hit when it is clearly best.
  auto const hits = search_->find(arg, std::nullopt, 10, true);
  if (hits.empty()) throw api_error{404, "unknown_stop", {a}};
  auto const clearly_best = hits.size() == 1 || hits[0].quality.packed() < hits[1].quality.packed() ||
                            (hits[0].is_place && hits[1].rank_hint != 0);
  if (clearly_best) {
    if (hits[0].is_place) at_place(search_->places()[hits[0].index]);
    else at_group(search_->groups()[hits[0].index]);
    if (out.candidates.empty()) throw api_error{400, "no_platforms", {a}};
    return out;
  }
  std::vector<v1::PlaceCandidate> candidates;
  std::string ids;
  std::optional<latlon> from = near;
  for (auto const& h : hits) {
    if (h.quality.packed() != hits[0].quality.packed()) break;
    v1::PlaceCandidate c;
    latlon where{};
    if (h.is_place) {
      auto const& pl = search_->places()[h.index];
      v1::Place shown;
      fill_place(shown, pl, chain);
      c.set_id("place:" + pl.id);
      c.set_name(shown.name());
      c.set_name_lang(shown.name_lang());
      c.set_kind(pl.kind);
      where = latlon{pl.lat, pl.lon};
    } else {
      auto const& g = search_->groups()[h.index];
      v1::Stop shown;
      fill_group(shown, g, chain);
      c.set_id(tt_.external_stop_id(g.key));
      c.set_name(shown.name());
      c.set_name_lang(shown.name_lang());
      c.set_kind("stop");
      where = g.anchor;
    }
    if (!from) from = where;
    c.set_lat(where.lat);
    c.set_lon(where.lon);
    c.set_distance_m(std::round(haversine_m(*from, where)));
    ids += " " + c.id();
    candidates.push_back(std::move(c));
  }
  throw std::move(api_error{400, "ambiguous_place", {a, ids}}.with_candidates(std::move(candidates)));
}

v1::Stop service::stop(std::string_view id, lang_chain const& chain) const {
  v1::Stop out;
  fill_stop(out, require_stop(id), chain, true);
  return out;
}

v1::NearbyResponse service::nearby(double lat, double lon, double radius_m, unsigned limit,
                                   lang_chain const& chain) const {
  if (!std::isfinite(lat) || !std::isfinite(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180) {
    throw api_error{400, "invalid_coordinate", {fmt_double(lat) + "," + fmt_double(lon)}};
  }
  if (!std::isfinite(radius_m) || radius_m <= 0 || radius_m > limits_.max_radius_m) {
    throw api_error{400, "invalid_parameter.radius", {"radius", fmt_double(limits_.max_radius_m)}};
  }
  if (limit == 0 || limit > limits_.max_results) {
    throw api_error{400, "invalid_parameter.between", {"limit", "1", std::to_string(limits_.max_results)}};
  }
  latlon const c{lat, lon};
  std::vector<std::pair<double, stop_idx>> found;
  raptor_index_.stops_near(c, radius_m, [&](stop_idx s, double d) {
    if (tt_.stop_location_type[s] == 0) found.emplace_back(d, s);  // stops and platforms only
  });
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
