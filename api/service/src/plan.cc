// Journey planning: router options of a request, the journeys (range, tight, wheelchair
// ranking), their accessibility, and the plan message.
#include "nebuta/api_service/service.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "fares.h"
#include "nebuta/raptor/tight.h"
#include "service_detail.h"

namespace nebuta::api_service {

using namespace detail;

namespace {

constexpr char const* v1_accessible = "accessible";
constexpr char const* v1_unknown = "unknown";
constexpr char const* v1_inaccessible = "inaccessible";

// Journeys are listed by departure, then arrival, then rides.
bool by_departure(raptor::journey const& a, raptor::journey const& b) {
  return std::tie(a.departure, a.arrival, a.rides) < std::tie(b.departure, b.arrival, b.rides);
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
  auto const fare_opt = fare_options_of(req);
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
    apply_fare_options(tt_, fare_opt, p.journeys, p.date);
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
    apply_fare_options(tt_, fare_opt, p.journeys, p.date);
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
  apply_fare_options(tt_, fare_opt, p.journeys, p.date);
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
    set_fares(tt_, j, p.date, mj);
  }
  return out;
}

}  // namespace nebuta::api_service
