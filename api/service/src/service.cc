// The service: construction, lookups by id, labels, and the message parts every answer shares.
#include "nebuta/api_service/service.h"

#include <algorithm>
#include <array>
#include <set>

#include "service_detail.h"

namespace nebuta::api_service {

using namespace detail;

// ------------------------------------------------------------------ construction

service::service(timetable const& tt, limits l, std::vector<search::place> places,
                 std::span<snapshot_section const> stored)
    : tt_{tt},
      raptor_index_{tt, raptor::stored_index::find(stored)},
      limits_{l},
      search_{std::make_unique<place_search>(tt, std::move(places))},
      json_plans_{std::array{v1::PlanResponse::descriptor()->file()}} {
  // The feed's zone (GTFS: every agency of a feed has the same agency_timezone); the first the
  // tz database knows. Without one, answers are wall times without an offset.
  for (auto const tz : tt.agency_timezones.raw()) {
    if (auto const name = tt.strings[tz]; civil::time_zone::known(name)) {
      zone_ = civil::time_zone::locate(name);
      break;
    }
  }

  for (auto line = line_idx{0}; line.v() < tt.n_lines(); ++line) lines_by_id_.emplace(tt.external_line_id(line), line);
  for (auto t = trip_idx{0}; t.v() < tt.n_trips(); ++t) trips_by_id_[tt.external_trip_id(t)].push_back(t);
  line_routes_.resize(tt.n_lines());
  for (auto r = route_idx{0}; r.v() < tt.n_routes(); ++r) {
    if (tt.route_n_trips[r] == 0) continue;
    line_routes_[tt.trip_line[tt.route_first_trip[r]].v()].push_back(r);
  }
  index_lines();  // names.cc
}

service::~service() = default;

// ------------------------------------------------------------------ helpers

stop_idx service::require_stop(std::string_view id) const {
  if (auto s = tt_.find_stop(id)) return *s;
  throw api_error{404, "unknown_stop", {str(id)}};
}

line_idx service::require_line(std::string_view id) const {
  if (auto const it = lines_by_id_.find(str(id)); it != lines_by_id_.end()) return it->second;
  throw api_error{404, "unknown_route", {str(id)}};
}

void service::check_date(date_t d, std::string_view text) const {
  if (tt_.day_of(d)) return;
  auto const last = tt_.n_days == 0 ? tt_.first_date : tt_.first_date + std::chrono::days{tt_.n_days - 1};
  throw api_error{400, "date_out_of_range", {str(text), iso_date(tt_.first_date), iso_date(last)}};
}

std::string service::stop_label(stop_idx s, lang_chain const& chain, std::string const& fallback) const {
  if (!s.valid()) return fallback;
  auto out = name(tt_.stop_names[s], chain).text;
  auto const platform = tt_.strings[tt_.stop_platform_codes[s]];
  if (!platform.empty()) out += " [" + str(platform) + "]";
  return out;
}

std::string service::line_label(line_idx l, lang_chain const& chain) const {
  auto const short_name = name(tt_.line_short_names[l], chain).text;
  auto const long_name = route_long_name(l, chain).text;
  if (!short_name.empty() && !long_name.empty() && !long_name.starts_with(short_name + " ")) {
    return short_name + " " + long_name;
  }
  return short_name.empty() ? long_name : long_name.empty() ? short_name : long_name;
}

std::string service::headsign(raptor::leg const& leg, lang_chain const& chain) const {
  return trip_headsign(leg.trip, leg.board_pos, chain).text;
}

void service::fill_route_ref(v1::RouteRef& out, line_idx l, lang_chain const& chain) const {
  out.set_route_id(tt_.external_line_id(l));
  out.set_short_name(name(tt_.line_short_names[l], chain).text);
  auto long_name = route_long_name(l, chain);
  out.set_long_name(std::move(long_name.text));
  out.set_long_name_lang(std::move(long_name.lang));
  out.set_route_type(tt_.line_types[l]);
  out.set_color(str(tt_.strings[tt_.line_colors[l]]));
  out.set_text_color(str(tt_.strings[tt_.line_text_colors[l]]));
  if (tt_.line_agency[l].valid()) out.set_agency(name(tt_.agency_names[tt_.line_agency[l]], chain).text);
}

void service::fill_platform(v1::PlatformRef& out, stop_idx s, lang_chain const& chain) const {
  out.set_stop_id(tt_.external_stop_id(s));
  auto n = name(tt_.stop_names[s], chain);
  out.set_name(std::move(n.text));
  out.set_name_lang(std::move(n.lang));
  out.set_platform_code(str(tt_.strings[tt_.stop_platform_codes[s]]));
  out.set_lat(tt_.stop_coords[s].lat);
  out.set_lon(tt_.stop_coords[s].lon);
}

void service::fill_stop(v1::Stop& out, stop_idx s, lang_chain const& chain, bool with_routes) const {
  out.set_stop_id(tt_.external_stop_id(s));
  auto n = name(tt_.stop_names[s], chain);
  out.set_name(std::move(n.text));
  out.set_name_lang(std::move(n.lang));
  out.set_default_name(str(tt_.text(tt_.stop_names[s])));
  if (tt_.stop_has_coords[s] != 0U) {
    out.set_lat(tt_.stop_coords[s].lat);
    out.set_lon(tt_.stop_coords[s].lon);
  }
  out.set_location_type(tt_.stop_location_type[s]);
  out.set_platform_code(str(tt_.strings[tt_.stop_platform_codes[s]]));
  out.set_wheelchair_boarding(tt_.stop_wheelchair_boarding[s]);
  if (tt_.stop_parent[s].valid()) out.set_parent_station(tt_.external_stop_id(tt_.stop_parent[s]));
  out.set_feed(str(tt_.strings[tt_.feed_names[tt_.stop_feed[s]]]));
  std::vector<stop_idx> members;
  if (is_station(tt_, s)) {
    for (auto const c : tt_.stop_children[s]) {
      if (tt_.stop_location_type[c] == 0) members.push_back(c);
    }
  } else {
    members.push_back(s);
  }
  for (auto const m : members) fill_platform(*out.add_platforms(), m, chain);
  if (!with_routes) return;
  std::set<line_idx> lines;
  for (auto const m : members) {
    for (auto const r : tt_.stop_routes[m]) {
      if (tt_.route_n_trips[r] > 0) lines.insert(tt_.trip_line[tt_.route_first_trip[r]]);
    }
  }
  for (auto const l : lines) fill_route_ref(*out.add_routes(), l, chain);
}

}  // namespace nebuta::api_service
