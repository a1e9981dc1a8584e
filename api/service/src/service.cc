#include "nebuta/api_service/service.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "nebuta/api_service/text_fold.h"
#include "nebuta/core/civil_time.h"
#include "nebuta/raptor/tight.h"

namespace nebuta::api_service {
namespace {

constexpr seconds_t day_s = seconds_per_day;
constexpr char const* v1_accessible = "accessible";
constexpr char const* v1_unknown = "unknown";
constexpr char const* v1_inaccessible = "inaccessible";

// Journeys are listed by departure, then arrival, then rides.
bool by_departure(raptor::journey const& a, raptor::journey const& b) {
  return std::tie(a.departure, a.arrival, a.rides) < std::tie(b.departure, b.arrival, b.rides);
}

int to_int(std::string_view s) {
  int v = 0;
  for (auto const c : s) v = v * 10 + (c - '0');
  return v;
}

std::string fmt_double(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

bool is_station(timetable const& tt, stop_idx s) { return tt.stop_location_type[s] == 1; }

std::string str(std::string_view v) { return std::string{v}; }

}  // namespace

// ------------------------------------------------------------------ formatting and parsing

std::string clock_time(seconds_t t) {
  auto const day = t >= 0 ? t / day_s : -((-t + day_s - 1) / day_s);
  auto const s = t - day * day_s;
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%02d:%02d", s / 3600, (s / 60) % 60);
  std::string out{buf};
  if (day > 0) out += " (+" + std::to_string(day) + (day == 1 ? " day)" : " days)");
  if (day < 0) out += " (" + std::to_string(day) + (day == -1 ? " day)" : " days)");
  return out;
}


std::string iso_date(date_t date) { return civil::format_date(date); }

date_t parse_iso_date(std::string_view s, std::string_view param) {
  if (auto const d = civil::parse_date(s)) return *d;
  throw api_error{400, "invalid_date", {str(param), str(s)}};
}

seconds_t parse_clock(std::string_view s, std::string_view param) {
  // H:MM, HH:MM or HH:MM:SS; hours up to 47 (times after midnight of the service day).
  if (auto const t = civil::parse_clock(s, 47)) return *t;
  throw api_error{400, "invalid_time", {str(param), str(s)}};
}

seconds_t parse_duration(std::string_view s, std::string_view param) {
  // 2h, 90m, 45min, 3600s, 1h30m, or HH:MM
  auto const bad = [&] { return api_error{400, "invalid_window", {str(param), str(s)}}; };
  if (s.find(':') != std::string_view::npos) {
    try {
      return parse_clock(s, param);
    } catch (api_error const&) {
      throw bad();
    }
  }
  if (s.empty()) throw bad();
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = i;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    if (j == i || j - i > 6) throw bad();
    auto const n = static_cast<std::int64_t>(to_int(s.substr(i, j - i)));
    std::size_t k = j;
    while (k < s.size() && std::isalpha(static_cast<unsigned char>(s[k]))) ++k;
    auto const unit = s.substr(j, k - j);
    if (unit == "h") total += n * 3600;
    else if (unit == "m" || unit == "min" || unit.empty()) total += n * 60;
    else if (unit == "s") total += n;
    else throw bad();
    if (total > 10 * day_s) throw bad();
    i = k;
  }
  return static_cast<seconds_t>(total);
}

lang_chain make_lang_chain(std::string_view lang, std::string_view accept_language) {
  lang_chain chain;
  auto const valid_tag = [](std::string_view t) {
    return !t.empty() && t.size() <= 35 && std::all_of(t.begin(), t.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
  };
  auto const trim = [](std::string_view t) {
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
    return t;
  };
  auto const add = [&](std::string_view t) {
    std::string tag{t};
    std::replace(tag.begin(), tag.end(), '_', '-');
    if (std::find(chain.begin(), chain.end(), tag) == chain.end() && chain.size() < 16) chain.push_back(tag);
  };
  if (!trim(lang).empty()) {
    std::size_t start = 0;
    while (start <= lang.size()) {
      auto const end = std::min(lang.find(',', start), lang.size());
      auto const t = trim(lang.substr(start, end - start));
      if (valid_tag(t)) add(t);
      start = end + 1;
    }
  } else if (!trim(accept_language).empty()) {
    std::vector<std::pair<double, std::string_view>> tags;
    std::size_t start = 0;
    while (start <= accept_language.size() && tags.size() < 32) {
      auto const end = std::min(accept_language.find(',', start), accept_language.size());
      auto item = trim(accept_language.substr(start, end - start));
      start = end + 1;
      double q = 1.0;
      if (auto const semi = item.find(';'); semi != std::string_view::npos) {
        auto params = trim(item.substr(semi + 1));
        item = trim(item.substr(0, semi));
        if (params.starts_with("q=")) {
          char* endp = nullptr;
          std::string const qs{params.substr(2)};
          q = std::strtod(qs.c_str(), &endp);
          if (endp == qs.c_str() || !std::isfinite(q)) q = 0.0;
        }
      }
      if (q > 0.0 && item != "*" && valid_tag(item)) tags.emplace_back(q, item);
    }
    std::stable_sort(tags.begin(), tags.end(), [](auto const& a, auto const& b) { return a.first > b.first; });
    for (auto const& [q, t] : tags) add(t);
  }
  if (chain.empty()) chain.emplace_back("en");
  for (auto const* fallback : {"ja-Hrkt", "ja"}) add(fallback);
  return chain;
}

// ------------------------------------------------------------------ construction

service::service(timetable const& tt, limits l) : tt_{tt}, raptor_index_{tt}, limits_{l} {
  // The feed's zone (GTFS: every agency of a feed has the same agency_timezone); the first the
  // tz database knows. Without one, answers are wall times without an offset.
  for (auto const tz : tt.agency_timezones.raw()) {
    if (auto const name = tt.strings[tz]; civil::time_zone::known(name)) {
      zone_ = civil::time_zone::locate(name);
      break;
    }
  }
  // Stop groups: a station with its platforms; stops without a station grouped by feed and name
  // when within 1 km of the group's first stop (the poles of one bus stop).
  std::vector<std::uint32_t> group_of(tt.n_stops(), std::numeric_limits<std::uint32_t>::max());
  for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    if (!is_station(tt, s)) continue;
    group_of[s.v()] = static_cast<std::uint32_t>(groups_.size());
    stop_group g{s, {}, tt.stop_coords[s], 0};
    for (auto const c : tt.stop_children[s]) {
      if (tt.stop_location_type[c] == 0) g.members.push_back(c);
    }
    if (g.members.empty()) g.members.push_back(s);
    groups_.push_back(std::move(g));
  }
  std::map<std::pair<std::uint16_t, std::string_view>, std::vector<std::uint32_t>> by_name;
  for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    if (tt.stop_location_type[s] != 0) continue;
    auto const parent = tt.stop_parent[s];
    if (parent.valid() && group_of[parent.v()] != std::numeric_limits<std::uint32_t>::max()) continue;
    auto& candidates = by_name[{tt.stop_feed[s].v(), tt.text(tt.stop_names[s])}];
    auto found = false;
    for (auto const gi : candidates) {
      if (haversine_m(groups_[gi].anchor, tt.stop_coords[s]) <= 1000.0) {
        groups_[gi].members.push_back(s);
        found = true;
        break;
      }
    }
    if (!found) {
      candidates.push_back(static_cast<std::uint32_t>(groups_.size()));
      groups_.push_back(stop_group{s, {s}, tt.stop_coords[s], 0});
    }
  }
  for (std::uint32_t gi = 0; gi < groups_.size(); ++gi) {
    auto& g = groups_[gi];
    std::set<route_idx> routes;
    for (auto const m : g.members) routes.insert(tt.stop_routes[m].begin(), tt.stop_routes[m].end());
    g.weight = static_cast<std::uint32_t>(routes.size());
    std::set<std::u32string> seen;
    auto const add = [&](string_idx v) {
      auto folded = fold_for_search(tt.strings[v]);
      if (!folded.empty() && seen.insert(folded).second) names_.push_back({std::move(folded), gi, v});
    };
    auto const name = tt.stop_names[g.key];
    add(tt.text_default[name]);
    for (auto const& tr : tt.text_translations[name]) add(tr.value);
  }

  for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    if (tt.stop_has_coords[s] != 0U && tt.stop_location_type[s] == 0) stops_by_lat_.emplace_back(tt.stop_coords[s].lat, s);
    auto const name = tt.stop_names[s];
    std::set<std::u32string> seen;
    auto const add = [&](string_idx v) {
      auto folded = fold_for_search(tt.strings[v]);
      if (!folded.empty() && seen.insert(folded).second) folded_stop_names_.emplace_back(std::move(folded), s);
    };
    add(tt.text_default[name]);
    for (auto const& tr : tt.text_translations[name]) add(tr.value);
  }
  std::sort(stops_by_lat_.begin(), stops_by_lat_.end());
  std::sort(folded_stop_names_.begin(), folded_stop_names_.end());

  for (auto l = line_idx{0}; l.v() < tt.n_lines(); ++l) lines_by_id_.emplace(tt.external_line_id(l), l);
  for (auto t = trip_idx{0}; t.v() < tt.n_trips(); ++t) trips_by_id_[tt.external_trip_id(t)].push_back(t);
  line_routes_.resize(tt.n_lines());
  for (auto r = route_idx{0}; r.v() < tt.n_routes(); ++r) {
    if (tt.route_n_trips[r] == 0) continue;
    line_routes_[tt.trip_line[tt.route_first_trip[r]].v()].push_back(r);
  }
}

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
  std::string out{tt_.text(tt_.stop_names[s], chain)};
  auto const platform = tt_.strings[tt_.stop_platform_codes[s]];
  if (!platform.empty()) out += " [" + str(platform) + "]";
  return out;
}

std::string service::line_label(line_idx l, lang_chain const& chain) const {
  auto const short_name = tt_.text(tt_.line_short_names[l], chain);
  auto const long_name = tt_.text(tt_.line_long_names[l], chain);
  if (!short_name.empty() && !long_name.empty()) return str(short_name) + " " + str(long_name);
  return str(short_name.empty() ? long_name : short_name);
}

std::string service::trip_headsign(trip_idx t, std::uint32_t pos, lang_chain const& chain) const {
  auto const stop_headsigns = tt_.trip_stop_headsigns[t];
  if (pos < stop_headsigns.size()) {
    auto const h = tt_.text(stop_headsigns[pos], chain);
    if (!h.empty()) return str(h);
  }
  return str(tt_.text(tt_.trip_headsigns[t], chain));
}

std::string service::headsign(raptor::leg const& leg, lang_chain const& chain) const {
  return trip_headsign(leg.trip, leg.board_pos, chain);
}

void service::fill_route_ref(v1::RouteRef& out, line_idx l, lang_chain const& chain) const {
  out.set_route_id(tt_.external_line_id(l));
  out.set_short_name(str(tt_.text(tt_.line_short_names[l], chain)));
  out.set_long_name(str(tt_.text(tt_.line_long_names[l], chain)));
  out.set_route_type(tt_.line_types[l]);
  out.set_color(str(tt_.strings[tt_.line_colors[l]]));
  out.set_text_color(str(tt_.strings[tt_.line_text_colors[l]]));
  if (tt_.line_agency[l].valid()) out.set_agency(str(tt_.text(tt_.agency_names[tt_.line_agency[l]], chain)));
}

void service::fill_platform(v1::PlatformRef& out, stop_idx s, lang_chain const& chain) const {
  out.set_stop_id(tt_.external_stop_id(s));
  out.set_name(str(tt_.text(tt_.stop_names[s], chain)));
  out.set_platform_code(str(tt_.strings[tt_.stop_platform_codes[s]]));
  out.set_lat(tt_.stop_coords[s].lat);
  out.set_lon(tt_.stop_coords[s].lon);
}

void service::fill_stop(v1::Stop& out, stop_idx s, lang_chain const& chain, bool with_routes) const {
  out.set_stop_id(tt_.external_stop_id(s));
  out.set_name(str(tt_.text(tt_.stop_names[s], chain)));
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

void service::fill_group(v1::Stop& out, stop_group const& g, lang_chain const& chain) const {
  fill_stop(out, g.key, chain, false);
  if (!is_station(tt_, g.key)) {
    out.clear_platforms();
    for (auto const m : g.members) fill_platform(*out.add_platforms(), m, chain);
  }
  std::set<line_idx> lines;
  for (auto const m : g.members) {
    for (auto const r : tt_.stop_routes[m]) {
      if (tt_.route_n_trips[r] > 0) lines.insert(tt_.trip_line[tt_.route_first_trip[r]]);
    }
  }
  for (auto const l : lines) fill_route_ref(*out.add_routes(), l, chain);
}

// ------------------------------------------------------------------ plan

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

raptor::options service::router_options(v1::PlanRequest const& req) const {
  raptor::options opt;
  auto const max_legs = req.has_max_legs() ? req.max_legs() : 8U;
  if (max_legs < 1 || max_legs > raptor::max_legs_limit) {
    throw api_error{400, "max_legs_too_large", {std::to_string(raptor::max_legs_limit)}};
  }
  opt.max_legs = max_legs;
  opt.gtfs_literal = req.gtfs_literal();
  opt.wheelchair = req.wheelchair();
  opt.wheelchair_unknown_ok = req.wheelchair();  // unknown is not "no" (plan_journeys ranks)
  if (req.has_walk_speed()) {
    if (!std::isfinite(req.walk_speed()) || req.walk_speed() < 0.1 || req.walk_speed() > 10.0) {
      throw api_error{400, "invalid_parameter", {"walk_speed", "must be between 0.1 and 10 m/s"}};
    }
    opt.walk_speed_mps = req.walk_speed();
  }
  auto const radius = req.has_walk_radius() ? req.walk_radius() : (opt.gtfs_literal ? 0.0 : 400.0);
  if (!std::isfinite(radius) || radius < 0.0) {
    throw api_error{400, "invalid_parameter", {"walk_radius", "must be a distance in metres, 0 or more"}};
  }
  if (radius > tt_.walk_link_radius_m + 1e-6) {
    throw api_error{400, "walk_radius_too_large",
                    {fmt_double(radius), std::to_string(static_cast<int>(tt_.walk_link_radius_m))}};
  }
  opt.walk_radius_m = radius;
  if (req.has_transfer_slack() && (req.transfer_slack() < 0 || req.transfer_slack() > 3600)) {
    throw api_error{400, "invalid_parameter", {"transfer_slack", "must be between 0 and 3600 seconds"}};
  }
  if (opt.gtfs_literal) {
    opt.transfer_slack_s = req.has_transfer_slack() ? req.transfer_slack() : 0;
  } else if (req.has_transfer_slack()) {
    opt.default_min_change_s = req.transfer_slack();
  }
  return opt;
}

plan_result service::plan_journeys(v1::PlanRequest const& req, lang_chain const& chain, raptor::router& router) const {
  using clock = std::chrono::steady_clock;
  auto const started = clock::now();
  auto const check_deadline = [&] {
    if (limits_.max_compute.count() > 0 && clock::now() - started > limits_.max_compute) {
      throw api_error{503, "deadline_exceeded", {std::to_string(limits_.max_compute.count())}};
    }
  };

  plan_result p;
  p.chain = chain;
  // Without an ISO instant in depart / arrive the date is needed, and asked for first.
  if (req.date().empty() && req.depart().size() <= 10 && req.arrive().size() <= 10) {
    throw api_error{400, "missing_parameter", {"date"}};
  }
  if (req.depart().empty() == req.arrive().empty()) throw api_error{400, "depart_or_arrive"};
  p.arrive_by = !req.arrive().empty();
  std::tie(p.date, p.time) =
      service_day_time(req.date(), p.arrive_by ? req.arrive() : req.depart(), p.arrive_by ? "arrive" : "depart");
  p.date_text = iso_date(p.date);
  if (!tt_.day_of(p.date)) {
    if (limits_.strict_dates) check_date(p.date, p.date_text);
    p.date_outside_timetable = true;
  }
  if (req.from().empty()) throw api_error{400, "missing_parameter", {"from"}};
  if (req.to().empty()) throw api_error{400, "missing_parameter", {"to"}};

  auto const opt = router_options(req);
  seconds_t window = 0;
  if (!req.window().empty()) {
    if (p.arrive_by) throw api_error{400, "window_needs_depart"};
    window = parse_duration(req.window(), "window");
    if (window < 60 || window > limits_.max_window_s) {
      throw api_error{400, "window_too_large", {std::to_string(limits_.max_window_s / 60)}};
    }
  }

  p.from = resolve_place(req.from(), chain, "from");
  p.to = resolve_place(req.to(), chain, "to");
  if (p.from.candidates.size() * p.to.candidates.size() > limits_.max_place_pairs) {
    throw api_error{400, "too_many_place_pairs",
                    {std::to_string(p.from.candidates.size()), std::to_string(p.to.candidates.size())}};
  }

  if (window > 0) {
    std::vector<raptor::range_entry> entries;
    for (auto const& f : p.from.candidates) {
      for (auto const& d : p.to.candidates) {
        router.range(f, d, p.date, p.time, p.time + window, opt, entries);
        check_deadline();
        for (auto const& e : entries) {
          auto const res = router.earliest_arrival(f, d, p.date, e.departure, opt);
          raptor::journey j;
          if (res.reachable && router.reconstruct(e.legs, j) && j.arrival == e.arrival) p.journeys.push_back(std::move(j));
          check_deadline();
        }
      }
    }
    std::sort(p.journeys.begin(), p.journeys.end(), by_departure);
    return p;
  }

  // Keep what no other journey dominates: it departs no earlier, arrives no later, with no more
  // rides. (Several candidate stops of one station often give the same journey with a walk added.)
  auto const dominates = [](raptor::journey const& a, raptor::journey const& b) {
    return a.arrival <= b.arrival && a.departure >= b.departure && a.rides <= b.rides;
  };
  auto const search = [&](raptor::options const& o_pass) {
    std::vector<raptor::journey> all, kept, one;
    for (auto const& o : p.from.candidates) {
      for (auto const& d : p.to.candidates) {
        raptor::tight_journeys(router, o, d, p.date, p.time, p.arrive_by, o_pass, one);
        check_deadline();
        for (auto& j : one) all.push_back(std::move(j));
      }
    }
    for (std::size_t i = 0; i < all.size(); ++i) {
      auto dominated = false;
      for (std::size_t k = 0; k < all.size() && !dominated; ++k) {
        if (k == i || !dominates(all[k], all[i])) continue;
        auto const equal = dominates(all[i], all[k]);
        dominated = !equal || k < i;  // of equal journeys keep the first
      }
      if (!dominated) kept.push_back(all[i]);
    }
    std::stable_sort(kept.begin(), kept.end(), by_departure);
    return kept;
  };
  if (!opt.wheelchair) {
    p.journeys = search(opt);
    return p;
  }
  // Wheelchair: first what is known to be accessible, then what may be (unknown somewhere) and
  // is better than all of those in arrival, departure or rides.
  auto strict = opt;
  strict.wheelchair_unknown_ok = false;
  p.journeys = search(strict);
  auto const n_known = p.journeys.size();
  for (auto& j : search(opt)) {
    auto const covered = std::any_of(p.journeys.begin(), p.journeys.begin() + static_cast<std::ptrdiff_t>(n_known),
                                     [&](raptor::journey const& k) { return dominates(k, j); });
    if (!covered && journey_accessibility(j) != v1_accessible) p.journeys.push_back(std::move(j));
  }
  return p;
}

char const* service::leg_accessibility(raptor::leg const& leg) const {
  if (leg.kind != raptor::leg_kind::ride) return v1_accessible;
  auto const stop_value = [&](stop_idx s) {
    auto v = tt_.stop_wheelchair_boarding[s];
    if (v == 0U && tt_.stop_parent[s].valid()) v = tt_.stop_wheelchair_boarding[tt_.stop_parent[s]];
    return v;
  };
  auto const values = {tt_.trip_wheelchair_accessible[leg.trip], stop_value(leg.from), stop_value(leg.to)};
  if (std::any_of(values.begin(), values.end(), [](auto v) { return v == 2U; })) return v1_inaccessible;
  if (std::all_of(values.begin(), values.end(), [](auto v) { return v == 1U; })) return v1_accessible;
  return v1_unknown;
}

char const* service::journey_accessibility(raptor::journey const& j) const {
  char const* worst = v1_accessible;
  for (auto const& leg : j.legs) {
    auto const a = leg_accessibility(leg);
    if (a == v1_inaccessible) return a;
    if (a == v1_unknown) worst = a;
  }
  return worst;
}

v1::PlanResponse service::plan_message(plan_result const& p) const {
  v1::PlanResponse out;
  out.set_from(p.from.label);
  out.set_to(p.to.label);
  out.set_date(p.date_text);
  auto const& chain = p.chain;
  std::vector<raptor::stop_visit> visits;
  for (auto const& j : p.journeys) {
    auto& mj = *out.add_journeys();
    mj.set_departure(iso_time(p.date, j.departure));
    mj.set_arrival(iso_time(p.date, j.arrival));
    mj.set_departure_seconds(j.departure);
    mj.set_arrival_seconds(j.arrival);
    mj.set_duration_s(j.arrival - j.departure);
    mj.set_rides(j.rides);
    mj.set_accessibility(journey_accessibility(j));
    for (std::size_t li = 0; li < j.legs.size(); ++li) {
      auto const& leg = j.legs[li];
      auto& ml = *mj.add_legs();
      auto const fill_place = [&](v1::LegPlace& mp, stop_idx s, seconds_t t, std::string const& fallback) {
        mp.set_name(s.valid() ? str(tt_.text(tt_.stop_names[s], chain)) : fallback);
        mp.set_time(iso_time(p.date, t));
        mp.set_seconds(t);
        if (s.valid()) {
          mp.set_stop_id(tt_.external_stop_id(s));
          mp.set_platform_code(str(tt_.strings[tt_.stop_platform_codes[s]]));
          mp.set_lat(tt_.stop_coords[s].lat);
          mp.set_lon(tt_.stop_coords[s].lon);
        }
      };
      fill_place(*ml.mutable_from(), leg.from, leg.start, p.from.label);
      fill_place(*ml.mutable_to(), leg.to, leg.end, p.to.label);
      ml.set_duration_s(leg.end - leg.start);
      if (leg.kind == raptor::leg_kind::walk) {
        ml.set_mode("walk");
        ml.set_distance_m(static_cast<std::int32_t>(std::lround(leg.distance_m)));
        continue;
      }
      auto const line = tt_.trip_line[leg.trip];
      ml.set_mode("ride");
      if (li > 0) ml.set_wait_s(leg.start - j.legs[li - 1].end);
      ml.set_route_type(tt_.line_types[line]);
      ml.set_route_id(tt_.external_line_id(line));
      ml.set_route_short_name(str(tt_.text(tt_.line_short_names[line], chain)));
      ml.set_route_long_name(str(tt_.text(tt_.line_long_names[line], chain)));
      ml.set_route_color(str(tt_.strings[tt_.line_colors[line]]));
      ml.set_route_text_color(str(tt_.strings[tt_.line_text_colors[line]]));
      if (tt_.line_agency[line].valid()) ml.set_agency(str(tt_.text(tt_.agency_names[tt_.line_agency[line]], chain)));
      ml.set_headsign(headsign(leg, chain));
      ml.set_trip_id(tt_.external_trip_id(leg.trip));
      ml.set_accessibility(leg_accessibility(leg));
      raptor::ride_stops(tt_, leg, visits);
      for (auto const& v : visits) {
        auto& c = *ml.add_intermediate_stops();
        c.set_stop_id(tt_.external_stop_id(v.stop));
        c.set_name(str(tt_.text(tt_.stop_names[v.stop], chain)));
        c.set_arrival(iso_time(p.date, v.arrival));
        c.set_departure(iso_time(p.date, v.departure));
        c.set_platform_code(str(tt_.strings[tt_.stop_platform_codes[v.stop]]));
      }
    }
  }
  return out;
}

// ------------------------------------------------------------------ stops

v1::StopSearchResponse service::search_stops(std::string_view q, unsigned limit, lang_chain const& chain) const {
  auto const fq = fold_for_search(q);
  if (fq.empty()) throw api_error{400, "missing_parameter", {"q"}};
  if (limit == 0 || limit > limits_.max_results) {
    throw api_error{400, "invalid_parameter", {"limit", "must be between 1 and " + std::to_string(limits_.max_results)}};
  }
  auto const ascii = std::all_of(fq.begin(), fq.end(), [](char32_t c) { return c < 0x80U; });
  // A kanji or kana carries more than a letter: allow a typo from 3 of them, from 4 letters.
  auto const max_edits = ascii ? (fq.size() >= 8 ? 2U : fq.size() >= 4 ? 1U : 0U) : (fq.size() >= 3 ? 1U : 0U);

  struct hit {
    unsigned rank{99};
    std::size_t dist{0};
    std::size_t entry{0};
  };
  std::vector<hit> best(groups_.size());
  for (std::size_t e = 0; e < names_.size(); ++e) {
    auto const& n = names_[e].folded;
    hit h;
    h.entry = e;
    if (n == fq) {
      h.rank = 0;
    } else if (n.starts_with(fq)) {
      h.rank = 1;
    } else if (n.find(fq) != std::u32string::npos) {
      h.rank = 2;
    } else if (max_edits > 0) {
      auto d = edit_distance(fq, n, max_edits);
      for (std::size_t len = fq.size() > max_edits ? fq.size() - max_edits : 1; len <= fq.size() + max_edits && d > 0;
           ++len) {
        if (len < n.size()) d = std::min(d, edit_distance(fq, std::u32string_view{n}.substr(0, len), max_edits));
      }
      if (d > max_edits) continue;
      h.rank = 3;
      h.dist = d;
    } else {
      continue;
    }
    auto& b = best[names_[e].group];
    if (std::tie(h.rank, h.dist) < std::tie(b.rank, b.dist)) b = h;
  }
  std::vector<std::uint32_t> order;
  for (std::uint32_t g = 0; g < groups_.size(); ++g) {
    if (best[g].rank != 99) order.push_back(g);
  }
  auto const key = [&](std::uint32_t g) {
    return std::tuple{best[g].rank, best[g].dist, -static_cast<std::int64_t>(groups_[g].weight),
                      names_[best[g].entry].folded.size(), groups_[g].key};
  };
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return key(a) < key(b); });
  if (order.size() > limit) order.resize(limit);
  v1::StopSearchResponse out;
  out.set_query(str(q));
  for (auto const g : order) {
    auto& m = *out.add_results();
    fill_group(*m.mutable_stop(), groups_[g], chain);
    m.set_matched(str(tt_.strings[names_[best[g].entry].text]));
    m.set_rank(best[g].rank);
  }
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

v1::DeparturesResponse service::departures(std::string_view id, std::string_view date, std::string_view time,
                                           unsigned n, lang_chain const& chain) const {
  auto const s = require_stop(id);
  auto const [d, t] = service_day_time(date, time.empty() ? std::string_view{"00:00"} : time, "time");
  check_date(d, iso_date(d));
  if (n == 0 || n > limits_.max_results) {
    throw api_error{400, "invalid_parameter", {"n", "must be between 1 and " + std::to_string(limits_.max_results)}};
  }
  auto const day = static_cast<std::int64_t>(tt_.day_of(d)->v());

  std::vector<stop_idx> stops;
  if (is_station(tt_, s)) {
    for (auto const c : tt_.stop_children[s]) {
      if (tt_.stop_location_type[c] == 0) stops.push_back(c);
    }
  } else {
    stops.push_back(s);
  }
  struct dep {
    seconds_t time;
    trip_idx trip;
    route_idx route;
    std::uint32_t pos;
    stop_idx stop;
  };
  std::vector<dep> found;
  for (auto const st : stops) {
    for (auto const r : tt_.stop_routes[st]) {
      auto const rstops = tt_.route_stops[r];
      for (std::uint32_t pos = 0; pos + 1 < rstops.size(); ++pos) {
        if (rstops[pos] != st || !tt_.can_board(r, pos)) continue;
        auto const deps = tt_.route_departures_at(r, pos);
        for (int offset = -1; offset <= 1; ++offset) {
          auto const shift = offset * day_s;
          auto i = static_cast<std::uint32_t>(std::lower_bound(deps.begin(), deps.end(), t - shift) - deps.begin());
          unsigned taken = 0;
          for (; i < deps.size() && taken < n; ++i) {
            auto const trip = trip_idx{tt_.route_first_trip[r].v() + i};
            if (!tt_.trip_active(trip, day + offset)) continue;
            found.push_back({deps[i] + shift, trip, r, pos, st});
            ++taken;
          }
        }
      }
    }
  }
  std::sort(found.begin(), found.end(), [](dep const& a, dep const& b) {
    return std::tie(a.time, a.trip.v_) < std::tie(b.time, b.trip.v_);
  });
  if (found.size() > n) found.resize(n);
  v1::DeparturesResponse out;
  fill_stop(*out.mutable_stop(), s, chain, false);
  out.set_date(str(date));
  out.set_time(clock_time(t));
  for (auto const& f : found) {
    auto& m = *out.add_departures();
    m.set_time(iso_time(d, f.time));
    m.set_seconds(f.time);
    m.set_stop_id(tt_.external_stop_id(f.stop));
    m.set_platform_code(str(tt_.strings[tt_.stop_platform_codes[f.stop]]));
    fill_route_ref(*m.mutable_route(), tt_.trip_line[f.trip], chain);
    m.set_headsign(trip_headsign(f.trip, f.pos, chain));
    m.set_trip_id(tt_.external_trip_id(f.trip));
  }
  return out;
}

// ------------------------------------------------------------------ routes, trips, feeds

v1::RoutesResponse service::routes(lang_chain const& chain) const {
  v1::RoutesResponse out;
  for (auto l = line_idx{0}; l.v() < tt_.n_lines(); ++l) fill_route_ref(*out.add_routes(), l, chain);
  return out;
}

v1::Route service::route(std::string_view id, lang_chain const& chain) const {
  auto const l = require_line(id);
  v1::Route out;
  fill_route_ref(*out.mutable_route(), l, chain);
  std::uint32_t trips = 0;
  auto routes = line_routes_[l.v()];
  std::sort(routes.begin(), routes.end(), [&](route_idx a, route_idx b) {
    return std::tie(tt_.route_n_trips[b], a) < std::tie(tt_.route_n_trips[a], b);  // busiest first
  });
  for (auto const r : routes) {
    auto& pat = *out.add_patterns();
    pat.set_trips(tt_.route_n_trips[r]);
    trips += tt_.route_n_trips[r];
    for (auto const s : tt_.route_stops[r]) fill_platform(*pat.add_stops(), s, chain);
    pat.set_headsign(trip_headsign(tt_.route_first_trip[r], 0, chain));
  }
  out.set_trips(trips);
  return out;
}

v1::Trip service::trip(std::string_view id, std::string_view date, lang_chain const& chain) const {
  auto const it = trips_by_id_.find(str(id));
  if (it == trips_by_id_.end()) throw api_error{404, "unknown_trip", {str(id)}};
  std::optional<date_t> d;
  if (!date.empty()) {
    d = parse_iso_date(date, "date");
    check_date(*d, date);
  }
  auto t = it->second.front();
  auto runs = true;
  if (d) {
    auto const day = static_cast<std::int64_t>(tt_.day_of(*d)->v());
    auto const active = std::find_if(it->second.begin(), it->second.end(),
                                     [&](trip_idx x) { return tt_.trip_active(x, day); });
    runs = active != it->second.end();
    if (runs) t = *active;
  }
  v1::Trip out;
  out.set_trip_id(tt_.external_trip_id(t));
  fill_route_ref(*out.mutable_route(), tt_.trip_line[t], chain);
  out.set_headsign(trip_headsign(t, 0, chain));
  out.set_short_name(str(tt_.strings[tt_.trip_short_names[t]]));
  out.set_wheelchair_accessible(tt_.trip_wheelchair_accessible[t]);
  if (d) out.set_date(str(date));
  out.set_runs_on_date(runs);
  auto const r = tt_.trip_route[t];
  auto const i = t.v() - tt_.route_first_trip[r].v();
  auto const stops = tt_.route_stops[r];
  auto const hms = [](seconds_t s) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    return std::string{buf};
  };
  for (std::uint32_t pos = 0; pos < stops.size(); ++pos) {
    auto& st = *out.add_stop_times();
    auto const s = stops[pos];
    st.set_stop_id(tt_.external_stop_id(s));
    st.set_name(str(tt_.text(tt_.stop_names[s], chain)));
    st.set_platform_code(str(tt_.strings[tt_.stop_platform_codes[s]]));
    auto const arr = tt_.arrival(r, pos, i), dep = tt_.departure(r, pos, i);
    st.set_arrival(d ? iso_time(*d, arr) : hms(arr));
    st.set_departure(d ? iso_time(*d, dep) : hms(dep));
    st.set_arrival_seconds(arr);
    st.set_departure_seconds(dep);
    st.set_pickup(tt_.can_board(r, pos));
    st.set_drop_off(tt_.can_alight(r, pos));
  }
  return out;
}

v1::FeedsResponse service::feeds(lang_chain const& chain) const {
  v1::FeedsResponse out;
  for (auto f = feed_idx{0}; f.v() < tt_.n_feeds(); ++f) {
    auto& mf = *out.add_feeds();
    mf.set_name(str(tt_.strings[tt_.feed_names[f]]));
    auto const& st = tt_.feed_stats[f];
    mf.set_stops(st.stops);
    mf.set_routes(st.routes);
    mf.set_trips(st.trips);
    mf.set_stop_times(st.stop_times);
    for (auto a = agency_idx{0}; a.v() < tt_.n_agencies(); ++a) {
      if (tt_.agency_feed[a] != f) continue;
      auto& ma = *mf.add_agencies();
      ma.set_agency_id(str(tt_.strings[tt_.agency_ids[a]]));
      ma.set_name(str(tt_.text(tt_.agency_names[a], chain)));
      ma.set_url(str(tt_.strings[tt_.agency_urls[a]]));
      ma.set_timezone(str(tt_.strings[tt_.agency_timezones[a]]));
      ma.set_feed(mf.name());
    }
  }
  out.set_service_start(iso_date(tt_.first_date));
  out.set_service_end(iso_date(tt_.n_days == 0 ? tt_.first_date : tt_.first_date + std::chrono::days{tt_.n_days - 1}));
  for (auto const l : tt_.languages) out.add_languages(str(tt_.strings[l]));
  return out;
}

std::string service::iso_time(date_t date, seconds_t t) const {
  if (zone_) return zone_->iso(zone_->service_time_to_unix(date, t));
  // No zone: the wall time on the date the time falls on, without an offset.
  auto const day = static_cast<int>(std::floor(static_cast<double>(t) / day_s));
  return civil::format_date(date + std::chrono::days{day}) + "T" + civil::format_clock(t - day * day_s);
}

std::pair<date_t, seconds_t> service::service_day_time(std::string_view date, std::string_view time,
                                                       std::string_view param) const {
  auto const iso = time.size() > 10 ? civil::parse_iso_datetime(time) : std::nullopt;
  if (!iso) {
    if (date.empty()) throw api_error{400, "missing_parameter", {"date"}};
    return {parse_iso_date(date, "date"), parse_clock(time, param)};
  }
  // An instant (or a wall time) with its date: the service day is the local date it falls on,
  // the time GTFS's seconds of that day.
  if (!zone_) {
    if (iso->utc_offset) throw api_error{400, "invalid_time", {str(param), str(time)}};
    return {iso->day, iso->seconds};
  }
  auto const unix = iso->utc_offset ? civil::to_unix(iso->day, iso->seconds, *iso->utc_offset)
                                    : zone_->local_to_unix(iso->day, iso->seconds);
  auto const day = zone_->local_date(unix);
  if (!date.empty() && parse_iso_date(date, "date") != day) {
    throw api_error{400, "invalid_time", {str(param), str(time)}};
  }
  return {day, static_cast<seconds_t>(unix - zone_->service_time_to_unix(day, 0))};
}

}  // namespace nebuta::api_service
