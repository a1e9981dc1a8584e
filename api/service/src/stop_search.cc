// Search: /v1/stops (stop groups) and /v1/places (stop groups and gazetteer places), over the
// name index of place_search.
#include <algorithm>
#include <cmath>
#include <set>

#include "nebuta/api_service/service.h"
#include "service_detail.h"

namespace nebuta::api_service {

using namespace detail;

void service::fill_group(v1::Stop& out, stop_group const& g, lang_chain const& chain) const {
  fill_stop(out, g.key, chain, false);
  if (!is_station(tt_, g.key)) {
    out.clear_platforms();
    for (auto const m : g.members) fill_platform(*out.add_platforms(), m, chain);
  }
  if (g.names_differ) {
    // 八戸中心街ターミナル（三日町） and its four sisters are one terminal: its name without the
    // qualifier of one pole (each platform keeps its own).
    auto const& n = out.name();
    for (auto const& [open, close] : {std::pair<std::string_view, std::string_view>{"（", "）"}, {"(", ")"}}) {
      if (auto const at = n.rfind(open); at != std::string::npos && at > 0 && std::string_view{n}.ends_with(close)) {
        auto base = n.substr(0, at);
        while (!base.empty() && base.back() == ' ') base.pop_back();
        out.set_name(base);
        break;
      }
    }
  }
  std::set<line_idx> lines;
  for (auto const m : g.members) {
    for (auto const r : tt_.stop_routes[m]) {
      if (tt_.route_n_trips[r] > 0) lines.insert(tt_.trip_line[tt_.route_first_trip[r]]);
    }
  }
  for (auto const l : lines) fill_route_ref(*out.add_routes(), l, chain);
}

v1::Place service::place(std::string_view id, lang_chain const& chain) const {
  auto const bare = id.starts_with("place:") ? id.substr(6) : id;
  auto const& places = search_->places();
  auto const it = std::find_if(places.begin(), places.end(), [&](search::place const& pl) { return pl.id == bare; });
  if (it == places.end()) throw api_error{404, "unknown_stop", {"place:" + std::string{bare}}};
  v1::Place out;
  fill_place(out, *it, chain);
  return out;
}

void service::fill_place(v1::Place& out, search::place const& p, lang_chain const& chain) const {
  out.set_place_id(p.id);
  out.set_kind(p.kind);
  out.set_lat(p.lat);
  out.set_lon(p.lon);
  // The first name in the first language of the chain that has one, else the first name.
  search::place_name const* best = p.names.empty() ? nullptr : &p.names.front();
  for (auto const& want : chain) {
    auto const it = std::find_if(p.names.begin(), p.names.end(), [&](search::place_name const& n) {
      return n.lang == want || (n.lang.starts_with(want) && n.lang.size() > want.size() && n.lang[want.size()] == '-' &&
                                !(want == "ja" && n.lang == "ja-Hrkt"));
    });
    if (it != p.names.end()) {
      best = &*it;
      break;
    }
  }
  if (best != nullptr) {
    out.set_name(best->text);
    out.set_name_lang(best->lang);
  }
  // The stops it is walked to from.
  std::vector<std::pair<double, stop_idx>> near;
  latlon const c{p.lat, p.lon};
  auto const radius = std::max(400.0, static_cast<double>(tt_.walk_link_radius_m));
  raptor_index_.stops_near(c, radius, [&](stop_idx s, double d) {
    if (tt_.stop_location_type[s] == 0) near.emplace_back(d, s);  // stops and platforms only
  });
  std::sort(near.begin(), near.end());
  for (std::size_t i = 0; i < near.size() && i < 5; ++i) {
    auto& n = *out.add_nearest_stops();
    fill_stop(*n.mutable_stop(), near[i].second, chain, false);
    n.set_distance_m(std::round(near[i].first * 10.0) / 10.0);
  }
}

v1::StopSearchResponse service::search(std::string_view q, unsigned limit, lang_chain const& chain,
                                       std::string_view date, bool with_places) const {
  if (!search_->has_words(q)) throw api_error{400, "missing_parameter", {"q"}};
  if (limit == 0 || limit > limits_.max_results) {
    throw api_error{400, "invalid_parameter.between", {"limit", "1", std::to_string(limits_.max_results)}};
  }
  std::optional<std::int64_t> day;
  if (!date.empty()) {
    auto const d = parse_iso_date(date, "date");
    check_date(d, date);
    day = static_cast<std::int64_t>(tt_.day_of(d)->v());
  }
  auto const hits = search_->find(q, day, limit, with_places);
  v1::StopSearchResponse out;
  out.set_query(str(q));
  for (auto const& h : hits) {
    auto& m = *out.add_results();
    if (h.is_place) {
      fill_place(*m.mutable_place(), search_->places()[h.index], chain);
    } else {
      fill_group(*m.mutable_stop(), search_->groups()[h.index], chain);
    }
    auto [text, lang] = search_->matched_name(h);
    if (lang.empty() && !h.is_place) lang = default_lang(tt_.stop_names[search_->groups()[h.index].key]);
    m.set_matched(std::move(text));
    m.set_matched_lang(std::move(lang));
    m.set_rank(h.quality.rank());
    m.set_trips(h.trips);
  }
  return out;
}

v1::StopSearchResponse service::search_stops(std::string_view q, unsigned limit, lang_chain const& chain,
                                             std::string_view date) const {
  return search(q, limit, chain, date, false);
}

v1::StopSearchResponse service::search_places(std::string_view q, unsigned limit, lang_chain const& chain,
                                              std::string_view date) const {
  return search(q, limit, chain, date, true);
}

}  // namespace nebuta::api_service
