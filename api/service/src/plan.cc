// Journey planning: router options of a request, the journeys (range, tight, wheelchair
// ranking), their accessibility, and the plan message.
#include "nebuta/api_service/service.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "fares.h"
#include "nebuta/api_service/polyline.h"
#include "nebuta/raptor/tight.h"
#include "nebuta/rt/state.h"
#include "nebuta/timetable/shapes.h"
#include "service_detail.h"

namespace nebuta::api_service {

using namespace detail;

namespace {

constexpr char const* v1_accessible = "accessible";
constexpr char const* v1_unknown = "unknown";
constexpr char const* v1_inaccessible = "inaccessible";

// The same vehicles boarded and left at the same places and times.
bool same_rides(raptor::journey const& a, raptor::journey const& b) {
  auto const rides = [](raptor::journey const& j) {
    std::vector<std::tuple<trip_idx, std::uint32_t, std::int8_t, std::uint32_t, std::uint32_t>> out;
    for (auto const& l : j.legs) {
      if (l.kind == raptor::leg_kind::ride)
        out.emplace_back(l.trip, l.extra_route, l.day_offset, l.board_pos, l.alight_pos);
    }
    return out;
  };
  return a.rides == b.rides && rides(a) == rides(b);
}

// Journeys are listed by departure, then arrival, then rides.
bool by_departure(raptor::journey const& a, raptor::journey const& b) {
  return std::tie(a.departure, a.arrival, a.rides) < std::tie(b.departure, b.arrival, b.rides);
}

// What is searched for a resolved place: its stop candidates (the poles of one stop name) as one
// set of stops, searched once (raptor::place::at_stops), and any other candidate (a coordinate
// with its own walking) on its own. The set's places view `stops`, so the object is neither
// copied nor moved: it lives where the plan built it.
struct searched_places {
  std::vector<stop_idx> stops;
  std::vector<raptor::place> places;

  explicit searched_places(resolved_place const& rp) {
    for (auto const& c : rp.candidates) {
      if (c.is_stop() && c.extra.empty()) {
        for (auto const s : c.stop_set()) {
          if (std::find(stops.begin(), stops.end(), s) == stops.end()) stops.push_back(s);
        }
      }
    }
    if (!stops.empty()) places.push_back(raptor::place::at_stops(stops));
    for (auto const& c : rp.candidates) {
      if (!c.is_stop() || !c.extra.empty()) places.push_back(c);
    }
  }
  searched_places(searched_places const&) = delete;
  searched_places& operator=(searched_places const&) = delete;
};

// The line of a ride along its trip's shape; none without one (clients draw stop to stop).
void set_geometry(v1::Leg& ml, std::vector<latlon> const& line) {
  if (line.size() < 2) return;
  auto& g = *ml.mutable_geometry();
  g.set_polyline(encode_polyline(line, 6));
  g.set_points(static_cast<std::uint32_t>(line.size()));
  double length = 0.0;
  for (std::size_t i = 1; i < line.size(); ++i) length += haversine_m(line[i - 1], line[i]);
  g.set_length_m(std::round(length * 10.0) / 10.0);
}

}  // namespace

// ------------------------------------------------------------------ plan

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
      throw api_error{400, "invalid_parameter.between", {"walk_speed", "0.1", "10 m/s"}};
    }
    opt.walk_speed_mps = req.walk_speed();
  }
  auto const radius = req.has_walk_radius() ? req.walk_radius() : (opt.gtfs_literal ? 0.0 : 400.0);
  if (!std::isfinite(radius) || radius < 0.0) {
    throw api_error{400, "invalid_parameter.distance", {"walk_radius"}};
  }
  if (radius > tt_.walk_link_radius_m + 1e-6) {
    throw api_error{
        400, "walk_radius_too_large", {fmt_double(radius), std::to_string(static_cast<int>(tt_.walk_link_radius_m))}};
  }
  opt.walk_radius_m = radius;
  if (req.has_transfer_slack() && (req.transfer_slack() < 0 || req.transfer_slack() > 3600)) {
    throw api_error{400, "invalid_parameter.between", {"transfer_slack", "0", "3600 s"}};
  }
  if (opt.gtfs_literal) {
    opt.transfer_slack_s = req.has_transfer_slack() ? req.transfer_slack() : 0;
  } else if (req.has_transfer_slack()) {
    opt.default_min_change_s = req.transfer_slack();
  }
  return opt;
}

plan_result service::plan_journeys(v1::PlanRequest const& req, lang_chain const& chain, raptor::router& router,
                                   std::shared_ptr<rt::state const> realtime) const {
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

  auto opt = router_options(req);
  // Realtime by default, in the GTFS-literal mode too; realtime=false: the timetable.
  if (!req.has_realtime() || req.realtime()) p.realtime = std::move(realtime);
  opt.realtime = p.realtime.get();
  auto const fare_opt = fare_options_of(req);
  seconds_t window = 0;
  if (!req.window().empty()) {
    if (p.arrive_by) throw api_error{400, "window_needs_depart"};
    window = parse_duration(req.window(), "window");
    if (window < 60 || window > limits_.max_window_s) {
      throw api_error{400, "window_too_large", {std::to_string(limits_.max_window_s / 60)}};
    }
  }

  // GTFS-literal mode answers for the stop_id asked, not for its sister poles.
  auto const literal_stop = [&](std::string const& arg) -> std::optional<resolved_place> {
    auto const s = opt.gtfs_literal ? tt_.find_stop(arg) : std::nullopt;
    if (!s || is_station(tt_, *s)) return std::nullopt;
    resolved_place r;
    r.candidates.push_back(raptor::place::at_stop(*s));
    auto n = name(tt_.stop_names[*s], chain);
    r.label = std::move(n.text);
    r.label_lang = std::move(n.lang);
    r.anchor = tt_.stop_coords[*s];
    return r;
  };
  // An ambiguous name is answered with its candidates' distances from the other end.
  if (auto from = literal_stop(req.from())) {
    p.from = std::move(*from);
  } else {
    try {
      p.from = resolve_place(req.from(), chain, "from");
    } catch (api_error const& e) {
      if (e.code() != "ambiguous_place") throw;
      auto const to = resolve_place(req.to(), chain, "to");
      if (to.anchor) resolve_place(req.from(), chain, "from", to.anchor);  // throws with distances
      throw;
    }
  }
  if (auto to = literal_stop(req.to())) p.to = std::move(*to);
  else p.to = resolve_place(req.to(), chain, "to", p.from.anchor);
  // A gazetteer place is walked to from its nearest stops, which may be further than usual.
  opt.max_walk_m = std::max({opt.max_walk_m, p.from.walk_m, p.to.walk_m});
  // The candidate stops of both ends, multiplied: a bound on the size of the places (each is
  // searched once as a set of stops, so the work grows with the stops, not with their pairs).
  if (p.from.candidates.size() * p.to.candidates.size() > limits_.max_place_pairs) {
    throw api_error{
        400, "too_many_place_pairs", {std::to_string(p.from.candidates.size()), std::to_string(p.to.candidates.size())}};
  }

  searched_places const origins{p.from}, destinations{p.to};
  if (window > 0) {
    std::vector<raptor::range_entry> entries;
    for (auto const& f : origins.places) {
      for (auto const& d : destinations.places) {
        router.range(f, d, p.date, p.time, p.time + window, opt, entries);
        check_deadline();
        for (auto const& e : entries) {
          auto const res = router.earliest_arrival(f, d, p.date, e.departure, opt);
          raptor::journey j;
          if (res.reachable && router.reconstruct(e.legs, j) && j.arrival == e.arrival)
            p.journeys.push_back(std::move(j));
          check_deadline();
        }
      }
    }
    // One journey per set of rides (a safety net: the place's entries are already Pareto-optimal
    // in departure, arrival and rides).
    std::vector<raptor::journey> kept;
    for (auto& j : p.journeys) {
      auto const twin =
          std::find_if(kept.begin(), kept.end(), [&](raptor::journey const& k) { return same_rides(k, j); });
      if (twin == kept.end()) kept.push_back(std::move(j));
      else if (std::tie(j.arrival, twin->departure) < std::tie(twin->arrival, j.departure)) *twin = std::move(j);
    }
    p.journeys = std::move(kept);
    std::sort(p.journeys.begin(), p.journeys.end(), by_departure);
    apply_fare_options(tt_, fare_opt, p.journeys, p.date);
    return p;
  }

  // Keep what no other journey dominates: it departs no earlier, arrives no later, with no more
  // rides. (A place is searched once, as a set of stops: this only weighs a coordinate's
  // journeys against each other when a place has several kinds of candidates.)
  auto const dominates = [](raptor::journey const& a, raptor::journey const& b) {
    return a.arrival <= b.arrival && a.departure >= b.departure && a.rides <= b.rides;
  };
  auto const finish = [&] {
    if (!p.arrive_by) note_next_day(p, router, opt);
    apply_fare_options(tt_, fare_opt, p.journeys, p.date);
    return p;
  };
  auto const search = [&](raptor::options const& o_pass) {
    std::vector<raptor::journey> all, kept, one;
    for (auto const& o : origins.places) {
      for (auto const& d : destinations.places) {
        raptor::tight_journeys(router, o, d, p.date, p.time, p.arrive_by, o_pass, one);
        check_deadline();
        for (auto& j : one) all.push_back(std::move(j));
      }
    }
    if (fare_opt.by_fare) order_by_fare(tt_, all, p.date);  // of equal journeys the cheapest is kept
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
    return finish();
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
  return finish();
}

void service::note_next_day(plan_result& p, raptor::router& router, raptor::options const& opt) const {
  // Gone on to the next service day: every journey's first ride runs on a later day.
  auto const later_day = [](raptor::journey const& j) {
    auto const ride = std::find_if(j.legs.begin(), j.legs.end(),
                                   [](raptor::leg const& l) { return l.kind == raptor::leg_kind::ride; });
    return ride != j.legs.end() && ride->day_offset > 0;
  };
  if (p.journeys.empty() || !std::all_of(p.journeys.begin(), p.journeys.end(), later_day)) return;
  p.next_day = true;
  // The last departure of the day that would have arrived: the latest departure arriving
  // before the first of tomorrow's, which (since none leaves after the time asked) left before.
  auto const first_arrival = std::min_element(p.journeys.begin(), p.journeys.end(), [](auto const& a, auto const& b) {
                               return a.arrival < b.arrival;
                             })->arrival;
  std::optional<seconds_t> last;
  searched_places const origins{p.from}, destinations{p.to};
  for (auto const& f : origins.places) {
    for (auto const& d : destinations.places) {
      auto const res = router.latest_departure(f, d, p.date, first_arrival - 1, opt);
      if (res.reachable && res.time >= 0 && res.time < p.time && (!last || res.time > *last)) last = res.time;
    }
  }
  p.last_departure = last;
}

char const* service::leg_accessibility(raptor::leg const& leg) const {
  if (leg.kind != raptor::leg_kind::ride) return v1_accessible;
  auto const stop_value = [&](stop_idx s) {
    auto v = tt_.stop_wheelchair_boarding[s];
    if (v == 0U && tt_.stop_parent[s].valid()) v = tt_.stop_wheelchair_boarding[tt_.stop_parent[s]];
    return v;
  };
  auto const trip_value = leg.trip.valid() ? tt_.trip_wheelchair_accessible[leg.trip] : std::uint8_t{0};  // added: unknown
  auto const values = {trip_value, stop_value(leg.from), stop_value(leg.to)};
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
  plan_message(p, out);
  return out;
}

void service::plan_message(plan_result const& p, v1::PlanResponse& out) const {
  day_clock clock{*this, p.date};
  out.set_from(p.from.label);
  out.set_to(p.to.label);
  out.set_from_lang(p.from.label_lang);
  out.set_to_lang(p.to.label_lang);
  out.set_date(p.date_text);
  out.set_next_day(p.next_day);
  out.set_realtime(p.realtime != nullptr);
  if (p.last_departure) {
    out.set_last_departure(clock.iso(*p.last_departure));
    out.set_last_departure_seconds(*p.last_departure);
  }
  auto const& chain = p.chain;
  std::vector<raptor::stop_visit> visits;
  alert_list alerts{out.mutable_alerts(), chain};
  for (auto const& j : p.journeys) {
    auto& mj = *out.add_journeys();
    mj.set_departure(clock.iso(j.departure));
    mj.set_arrival(clock.iso(j.arrival));
    mj.set_departure_seconds(j.departure);
    mj.set_arrival_seconds(j.arrival);
    mj.set_duration_s(j.arrival - j.departure);
    mj.set_rides(j.rides);
    mj.set_accessibility(journey_accessibility(j));
    for (std::size_t li = 0; li < j.legs.size(); ++li) {
      auto const& leg = j.legs[li];
      auto& ml = *mj.add_legs();
      auto const fill_place = [&](v1::LegPlace& mp, stop_idx s, seconds_t t, resolved_place const& end) {
        auto n = s.valid() ? name(tt_.stop_names[s], chain) : named_text{end.label, end.label_lang};
        mp.set_name(std::move(n.text));
        mp.set_name_lang(std::move(n.lang));
        mp.set_time(clock.iso(t));
        mp.set_seconds(t);
        if (s.valid()) {
          mp.set_stop_id(tt_.external_stop_id(s));
          mp.set_platform_code(str(tt_.strings[tt_.stop_platform_codes[s]]));
          mp.set_lat(tt_.stop_coords[s].lat);
          mp.set_lon(tt_.stop_coords[s].lon);
        }
      };
      fill_place(*ml.mutable_from(), leg.from, leg.start, p.from);
      fill_place(*ml.mutable_to(), leg.to, leg.end, p.to);
      if (leg.kind == raptor::leg_kind::ride) {
        raptor::ride_stops(tt_, p.realtime.get(), p.date, leg, visits, true);
        if (leg.realtime && visits.size() >= 2) {
          set_realtime_place(*ml.mutable_from(), p.date, visits.front(), leg.start, visits.front().sched_departure);
          set_realtime_place(*ml.mutable_to(), p.date, visits.back(), leg.end, visits.back().sched_arrival);
        }
      }
      ml.set_duration_s(leg.end - leg.start);
      if (leg.kind == raptor::leg_kind::walk) {
        ml.set_mode("walk");
        ml.set_distance_m(static_cast<std::int32_t>(std::lround(leg.distance_m)));
        continue;
      }
      if (leg.kind == raptor::leg_kind::access) {  // an on-demand leg (docs/maas.md fills Leg.on_demand)
        ml.set_mode("on_demand");
        ml.set_distance_m(static_cast<std::int32_t>(std::lround(leg.distance_m)));
        continue;
      }
      ml.set_mode("ride");
      if (li > 0) ml.set_wait_s(leg.start - j.legs[li - 1].end);
      ml.set_realtime(leg.realtime);
      ml.set_stay_seated(leg.stay_seated);
      ml.set_accessibility(leg_accessibility(leg));
      if (p.realtime != nullptr)
        name_alerts(alerts, *ml.mutable_alert_ids(), *p.realtime, ride_alerts(*p.realtime, p.date, leg, visits));
      if (!leg.trip.valid()) {  // an added trip (realtime): its own id, line and headsign
        fill_added_trip(ml, *p.realtime, leg, chain);
        for (std::size_t v = 1; v + 1 < visits.size(); ++v)
          fill_stop_call(*ml.add_intermediate_stops(), clock, visits[v], leg.realtime, chain);
        continue;
      }
      fill_leg_line(ml, tt_.trip_line[leg.trip], chain);
      auto h = trip_headsign(leg.trip, leg.board_pos, chain);
      ml.set_headsign(std::move(h.text));
      ml.set_headsign_lang(std::move(h.lang));
      ml.set_trip_id(tt_.external_trip_id(leg.trip));
      for (std::size_t v = 1; v + 1 < visits.size(); ++v)
        fill_stop_call(*ml.add_intermediate_stops(), clock, visits[v], leg.realtime, chain);
      // On a realtime extra route the positions index that route's stops, not the shape's path.
      if (leg.extra_route == raptor::leg::no_extra_route)
        set_geometry(ml, ride_geometry(tt_, leg.trip, leg.board_pos, leg.alight_pos));
    }
    set_fares(tt_, j, p.date, mj);
  }
}

void service::fill_leg_line(v1::Leg& ml, line_idx line, lang_chain const& chain) const {
  ml.set_route_type(tt_.line_types[line]);
  ml.set_route_id(tt_.external_line_id(line));
  ml.set_route_short_name(name(tt_.line_short_names[line], chain).text);
  auto long_name = route_long_name(line, chain);
  ml.set_route_long_name(std::move(long_name.text));
  ml.set_route_long_name_lang(std::move(long_name.lang));
  ml.set_route_color(str(tt_.strings[tt_.line_colors[line]]));
  ml.set_route_text_color(str(tt_.strings[tt_.line_text_colors[line]]));
  if (tt_.line_agency[line].valid()) ml.set_agency(name(tt_.agency_names[tt_.line_agency[line]], chain).text);
}

}  // namespace nebuta::api_service
