// Journeys across a region (journeys.h): the MaaS planner's choice per journey, its booking as
// one, and the rider following it on the timetable.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <tuple>

#include "journey_sim.h"
#include "nebuta/intermodal/candidates.h"
#include "nebuta/intermodal/mixer.h"
#include "nebuta/intermodal/search.h"
#include "nebuta/raptor/coordinate_walk.h"
#include "nebuta/raptor/index.h"
#include "nebuta/raptor/router.h"
#include "nebuta/sim/random.h"

namespace nebuta::sim {

char const* to_string(journey_mode m) {
  switch (m) {
    case journey_mode::no_option: return "no_option";
    case journey_mode::transit_only: return "transit_only";
    case journey_mode::first_mile: return "first_mile";
    case journey_mode::last_mile: return "last_mile";
    case journey_mode::first_and_last: return "first_and_last";
    case journey_mode::door_to_door: return "door_to_door";
  }
  return "?";
}

char const* to_string(connection_outcome c) {
  switch (c) {
    case connection_outcome::none: return "";
    case connection_outcome::kept: return "kept";
    case connection_outcome::missed: return "missed";
    case connection_outcome::no_show: return "no_show";
    case connection_outcome::not_run: return "not_run";
  }
  return "?";
}

namespace detail {

namespace im = nebuta::intermodal;
using dispatch::instant;
using dispatch::no_time;

namespace {

constexpr std::uint64_t journeys_stream = 0x6A6F75726E657900ULL;  // "journey"
enum draw : std::uint64_t { draw_absent, draw_late, draw_late_s };

// One on-demand leg of a variant: what the dispatcher is asked, and the ride it hangs on.
struct leg_ask {
  im::od_use kind{im::od_use::door_to_door};
  dispatch::request_spec spec;
  dispatch::connection link;
  std::int32_t request{-1};  // index of its record once asked
};

}  // namespace

struct journey_sim::impl {
  scenario const& sc;
  road::travel_model const& model;
  journey_options const& o;
  timetable const& tt;
  raptor::router router;
  im::stop_catalog catalog;
  im::search_scratch scratch;
  std::vector<raptor::journey> transit_js, replan_js;
  std::vector<im::od_journey> found;
  std::vector<std::int32_t> journey_of;                 // per request: its journey, -1: none
  std::vector<std::optional<connection_limits>> links;  // per request
  std::vector<dispatch::journey_idx> booked;            // per journey
  std::vector<seconds_t> ride_arrival;                  // per journey: the planned journey's arrival (first mile only)

  impl(scenario const& s, road::travel_model const& m, journey_options const& opt)
      : sc{s},
        model{m},
        o{opt},
        tt{opt.index->tt()},
        router{*opt.index},
        catalog{tt, m, s.rules.service_area, s.rules.meeting_points, opt.intermodal} {}

  double draw_of(std::size_t k, draw what) const { return to_unit(hash_keys(sc.seed ^ journeys_stream, k, what)); }

  // When the rider of journey k is at the pickup of a leg whose window starts at `window_start`.
  instant ready_at(std::size_t k, trip_request const& q, instant window_start) const {
    if (draw_of(k, draw_absent) < sc.riders.no_show_probability) return no_time;
    auto late = q.late_s;
    if (late < 0) {
      late = draw_of(k, draw_late) < sc.riders.late_probability
                 ? static_cast<seconds_t>(std::floor(draw_of(k, draw_late_s) * (sc.riders.late_max_s + 1)))
                 : 0;
    }
    return window_start + late;
  }

  // The on-demand legs of j (query-date seconds, `offset` to the simulation's clock); false when a
  // leg cannot be tied to a ride. The same asks as /v1/plan's (docs/maas.md, "Offers").
  bool plan_legs(raptor::journey const& j, trip_request const& q, instant depart, instant offset,
                 std::vector<leg_ask>& out) const {
    out.clear();
    auto const& s = o.intermodal;
    auto const& r = sc.rules;
    for (std::size_t i = 0; i < j.legs.size(); ++i) {
      auto const& l = j.legs[i];
      if (l.kind != raptor::leg_kind::access) continue;
      leg_ask a;
      a.spec.passengers = q.passengers;
      a.spec.wheelchair_users = q.wheelchair_users;
      a.link.buffer = s.transfer_buffer_s;
      if (l.access_tag >= im::door_to_door_tag) {
        a.spec.pickup = q.origin;
        a.spec.dropoff = q.destination;
        a.spec.earliest_pickup = depart;
      } else if (l.access_tag >= im::last_mile_tag) {
        auto const ride = std::find_if(j.legs.rbegin() + static_cast<std::ptrdiff_t>(j.legs.size() - i), j.legs.rend(),
                                       [](raptor::leg const& x) { return x.kind == raptor::leg_kind::ride; });
        if (ride == j.legs.rend() || !ride->trip.valid()) return false;
        a.kind = im::od_use::last_mile;
        a.spec.pickup = tt.stop_coords[l.from];
        a.spec.dropoff = q.destination;
        auto const& cand = scratch.last.at(l.access_tag - im::last_mile_tag);  // the buffer is its stop's
        a.spec.earliest_pickup = offset + ride->end + cand.buffer_s;
        a.link = {dispatch::connection::kind::after_arrival, tt.external_trip_id(ride->trip),
                  tt.external_stop_id(ride->to), offset + ride->end, cand.buffer_s};
      } else {
        auto const ride = std::find_if(j.legs.begin() + static_cast<std::ptrdiff_t>(i), j.legs.end(),
                                       [](raptor::leg const& x) { return x.kind == raptor::leg_kind::ride; });
        if (ride == j.legs.end() || !ride->trip.valid()) return false;
        a.kind = im::od_use::first_mile;
        a.spec.pickup = q.origin;
        a.spec.dropoff = tt.stop_coords[l.to];
        auto const& cand = scratch.first.at(l.access_tag);
        a.spec.latest_dropoff = offset + ride->start - cand.buffer_s;
        a.spec.earliest_pickup = depart;
        // As /v1/plan asks: a pickup late enough that the dispatcher's own promise (pickup within
        // max_wait, then dwell and the longest ride) ends by the connection's limit.
        auto const direct = model.cost(model.snap(a.spec.pickup), model.snap(a.spec.dropoff));
        if (direct) {
          a.spec.earliest_pickup =
              std::max(a.spec.earliest_pickup, dispatch::pickup_to_end_by(r, direct->seconds, a.spec.latest_dropoff));
        }
        a.link = {dispatch::connection::kind::before_departure, tt.external_trip_id(ride->trip),
                  tt.external_stop_id(ride->from), offset + ride->start, cand.buffer_s};
      }
      out.push_back(std::move(a));
    }
    return !out.empty();
  }

  // Journey k cannot go on as booked (a missed train or vehicle): its legs still to come are
  // cancelled, and the rider goes on by transit only from `from` at `now`, if any journey exists.
  void give_up(std::size_t k, latlon from, dispatch::dispatcher& d, instant now, result& res, journey_hooks const& h) {
    auto& jr = res.journeys[k];
    if (jr.last_leg >= 0) {
      if (d.cancel_journey(now, booked[k], dispatch::cancelled_by::rider) != dispatch::command_status::ok)
        throw std::logic_error{"simulation: the dispatcher refused to cancel a journey"};
      h.after_command("cancel_journey");
      h.sync_vehicles();
    }
    jr.replanned = true;
    auto const alt =
        plan_transit(router, from, jr.request.destination, static_cast<seconds_t>(now), o.transit, replan_js);
    if (alt.found && alt.same_day) jr.arrival = alt.arrival;
  }
};

journey_sim::journey_sim(scenario const& sc, road::travel_model const& model, journey_options const& o)
    : p_{std::make_unique<impl>(sc, model, o)} {}
journey_sim::~journey_sim() = default;

std::optional<connection_limits> journey_sim::connection_of(std::uint32_t r) const {
  return r < p_->links.size() ? p_->links[r] : std::nullopt;
}

void journey_sim::plan_and_book(std::size_t k, dispatch::dispatcher& d, instant now, result& res,
                                std::vector<instant>& ready_at, journey_hooks const& h) {
  auto& p = *p_;
  p.booked.resize(res.journeys.size());
  p.ride_arrival.resize(res.journeys.size(), 0);
  auto& jr = res.journeys[k];
  auto const& q = jr.request;
  auto const depart = static_cast<instant>(q.earliest_pickup);
  auto const day = depart / seconds_per_day;
  auto const offset = day * seconds_per_day;
  auto const date = p.o.transit.first_date + std::chrono::days{day};
  auto const& s = p.o.intermodal;

  // Transit only, then on-demand variants through the mixer, best first.
  jr.transit = plan_transit(p.router, q.origin, q.destination, q.earliest_pickup, p.o.transit, p.transit_js);
  im::query const iq{
      q.origin, q.destination,
      date,     static_cast<seconds_t>(depart - offset),
      false,    raptor::with_coordinate_walks(p.o.transit.planner, p.router.idx(), q.origin, q.destination)};
  im::search_on_demand(p.router, p.catalog, p.model, iq, s, p.scratch, p.found);
  struct shown_variant {
    raptor::journey const* j;
    im::mix_decision why;
  };
  std::vector<shown_variant> shown;
  for (auto const& v : p.found) {
    if (auto const why = im::mix(p.transit_js, v.j, false, s.mixer)) shown.push_back({&v.j, *why});
  }
  std::stable_sort(shown.begin(), shown.end(), [](shown_variant const& a, shown_variant const& b) {
    return std::make_pair(a.j->arrival, im::vehicle_legs(*a.j)) < std::make_pair(b.j->arrival, im::vehicle_legs(*b.j));
  });
  jr.variants_shown = static_cast<std::uint32_t>(shown.size());
  if (shown.size() > s.max_offers) shown.resize(s.max_offers);

  std::vector<leg_ask> legs;
  for (auto const& v : shown) {
    auto ok = p.plan_legs(*v.j, q, depart, offset, legs);
    for (auto& a : legs) {
      if (!ok) break;
      auto const o = d.request_offer(now, a.spec);
      h.after_command("request_offer");
      if (o.request.v() != res.requests.size()) throw std::logic_error{"simulation: request indices out of step"};
      request_record rec;
      rec.request = {q.id + (a.kind == im::od_use::first_mile  ? "/first"
                             : a.kind == im::od_use::last_mile ? "/last"
                                                               : "/door"),
                     static_cast<seconds_t>(now),
                     static_cast<seconds_t>(std::max(now, a.spec.earliest_pickup)),
                     a.spec.pickup,
                     a.spec.dropoff,
                     q.passengers,
                     q.wheelchair_users,
                     q.late_s};
      auto const& st = d.request(o.request);
      if (st.pickup.valid && st.dropoff.valid && st.direct > 0) {
        rec.direct_s = st.direct;
        rec.direct_m = st.direct_m;
      }
      if (o.ok()) {
        rec.outcome = request_outcome::declined;  // until booked
        rec.vehicle = static_cast<std::int32_t>(o.o.vehicle.v());
        rec.promised_pickup_start = static_cast<seconds_t>(o.o.window_start);
        rec.promised_pickup_end = static_cast<seconds_t>(o.o.window_end);
        rec.promised_dropoff_by = static_cast<seconds_t>(o.o.latest_dropoff);
      } else {
        rec.reject_reason = dispatch::to_string(o.reason);
      }
      res.requests.push_back(std::move(rec));
      ready_at.push_back(no_time);
      p.journey_of.push_back(-1);
      p.links.emplace_back();
      a.request = static_cast<std::int32_t>(o.request.v());
      // The offer keeps the leg's connection (the dispatcher holds the limit; checked all the same).
      ok = o.ok() && (a.spec.latest_dropoff == no_time || o.o.latest_dropoff <= a.spec.latest_dropoff) &&
           (a.kind != im::od_use::last_mile || o.o.window_start >= a.spec.earliest_pickup);
    }
    if (!ok) {
      ++jr.variants_dropped;
      continue;
    }
    std::vector<dispatch::journey_leg> booking;
    for (auto const& a : legs)
      booking.push_back({dispatch::request_idx{static_cast<std::uint32_t>(a.request)}, a.link});
    auto const b = d.accept_journey(now, booking);
    h.after_command("accept_journey");
    if (!b.ok()) {
      jr.booking_failed = true;
      break;  // the rider does not shop around: transit only (or nothing)
    }
    p.booked[k] = b.journey;
    jr.shown_reason = im::to_string(v.why.reason);
    bool first = false, last = false;
    for (auto const& a : legs) {
      auto const r = static_cast<std::uint32_t>(a.request);
      auto& rec = res.requests[r];
      rec.outcome = request_outcome::rejected;  // until its vehicle reports it (finish)
      p.journey_of[r] = static_cast<std::int32_t>(k);
      auto const& promise = d.request(dispatch::request_idx{r});
      connection_limits lim;
      if (a.kind == im::od_use::first_mile) {
        first = true;
        jr.first_leg = a.request;
        jr.first_trip = a.link.trip_id;
        jr.first_stop = a.link.stop_id;
        jr.first_departure = static_cast<seconds_t>(a.link.scheduled);
        jr.dropoff_by = static_cast<seconds_t>(a.link.scheduled - a.link.buffer);
        lim.dropoff_by = jr.dropoff_by;
        ready_at[r] = p.ready_at(k, q, promise.window_start);
      } else if (a.kind == im::od_use::last_mile) {
        last = true;
        jr.last_leg = a.request;
        jr.last_trip = a.link.trip_id;
        jr.last_stop = a.link.stop_id;
        jr.last_arrival = static_cast<seconds_t>(a.link.scheduled);
        jr.pickup_from = static_cast<seconds_t>(a.link.scheduled + a.link.buffer);
        lim.pickup_from = jr.pickup_from;
        ready_at[r] = a.link.scheduled;  // off the train (a missed first mile cancels this leg)
      } else {
        jr.door_leg = a.request;
        ready_at[r] = p.ready_at(k, q, promise.window_start);
      }
      p.links[r] = lim;
    }
    jr.mode = jr.door_leg >= 0 ? journey_mode::door_to_door
              : first && last  ? journey_mode::first_and_last
              : first          ? journey_mode::first_mile
                               : journey_mode::last_mile;
    auto const& head = d.request(dispatch::request_idx{static_cast<std::uint32_t>(jr.first_leg >= 0  ? jr.first_leg
                                                                                  : jr.door_leg >= 0 ? jr.door_leg
                                                                                                     : jr.last_leg)});
    jr.planned_departure =
        static_cast<seconds_t>(jr.first_leg >= 0 || jr.door_leg >= 0 ? head.window_start : offset + v.j->departure);
    auto const tail_leg = jr.door_leg >= 0 ? jr.door_leg : jr.last_leg;
    jr.planned_arrival =
        tail_leg >= 0
            ? static_cast<seconds_t>(d.eta(dispatch::request_idx{static_cast<std::uint32_t>(tail_leg)}).dropoff)
            : static_cast<seconds_t>(offset + v.j->arrival);
    p.ride_arrival[k] = static_cast<seconds_t>(offset + v.j->arrival);
    return;
  }
  if (jr.transit.reachable) {
    jr.mode = journey_mode::transit_only;
    jr.planned_departure = jr.transit.arrival - jr.transit.duration_s;
    jr.planned_arrival = jr.arrival.emplace(jr.transit.arrival);
  }
}

void journey_sim::dropped_off(std::uint32_t r, dispatch::dispatcher& d, instant now, result& res, journey_hooks const& h) {
  auto& p = *p_;
  if (r >= p.journey_of.size() || p.journey_of[r] < 0) return;
  auto const k = static_cast<std::size_t>(p.journey_of[r]);
  auto& jr = res.journeys[k];
  auto const ri = static_cast<std::int32_t>(r);
  if (ri == jr.door_leg || ri == jr.last_leg) {
    jr.arrival = static_cast<seconds_t>(now);
    return;
  }
  jr.first_dropoff_at = static_cast<seconds_t>(now);
  if (now <= jr.dropoff_by) {
    jr.connection = connection_outcome::kept;
    if (jr.last_leg < 0) jr.arrival = p.ride_arrival[k];  // the train and the walk as planned
    return;
  }
  // Too late for the train: the rest of the journey is cancelled; on by transit from the stop.
  jr.connection = connection_outcome::missed;
  p.give_up(k, res.requests[r].request.destination, d, now, res, h);
}

void journey_sim::no_show(std::uint32_t r, dispatch::dispatcher& d, instant now, result& res, journey_hooks const& h) {
  auto& p = *p_;
  if (r >= p.journey_of.size() || p.journey_of[r] < 0) return;
  auto const k = static_cast<std::size_t>(p.journey_of[r]);
  auto& jr = res.journeys[k];
  if (static_cast<std::int32_t>(r) == jr.last_leg) return;  // off the train but missed the vehicle: stranded
  if (static_cast<std::int32_t>(r) == jr.first_leg) jr.connection = connection_outcome::no_show;
  p.give_up(k, jr.request.origin, d, now, res, h);
}

void journey_sim::finish(result& res) const {
  for (auto& jr : res.journeys) {
    if (jr.first_leg >= 0 && jr.connection == connection_outcome::none) jr.connection = connection_outcome::not_run;
  }
}

journey_kpis compute_journey_kpis(result const& r) {
  journey_kpis k;
  k.journeys = r.journeys.size();
  double d2d = 0.0, tr = 0.0;
  for (auto const& j : r.journeys) {
    switch (j.mode) {
      case journey_mode::no_option: ++k.no_option; break;
      case journey_mode::transit_only: ++k.transit_only; break;
      case journey_mode::first_mile: ++k.first_mile; break;
      case journey_mode::last_mile: ++k.last_mile; break;
      case journey_mode::first_and_last: ++k.first_and_last; break;
      case journey_mode::door_to_door: ++k.door_to_door; break;
    }
    if (j.booking_failed) ++k.booking_failed;
    auto const on_demand = j.mode >= journey_mode::first_mile;
    if (j.first_leg >= 0) {
      ++k.connections;
      if (j.connection == connection_outcome::kept) ++k.connections_kept;
      if (j.connection == connection_outcome::missed) ++k.connections_missed;
      if (j.connection == connection_outcome::no_show) ++k.connections_no_show;
    }
    if (!on_demand) continue;
    if (!j.transit.reachable) ++k.only_way;
    if (j.arrival && j.transit.reachable) {
      ++k.time_compared;
      d2d += *j.arrival - j.request.earliest_pickup;
      tr += j.transit.duration_s;
    }
    auto const connected = (j.mode == journey_mode::first_mile || j.mode == journey_mode::first_and_last ||
                            j.mode == journey_mode::last_mile) &&
                           !j.replanned && j.arrival && (j.first_leg < 0 || j.connection == connection_outcome::kept);
    if (connected) k.connected_riders += j.request.passengers;
  }
  for (auto const& v : r.vehicles) k.vehicle_km += v.km_driven;
  if (k.journeys > 0) {
    auto const n = static_cast<double>(k.journeys);
    k.on_demand_share = static_cast<double>(k.first_mile + k.last_mile + k.first_and_last + k.door_to_door) / n;
    k.first_mile_share = static_cast<double>(k.first_mile + k.first_and_last) / n;
    k.last_mile_share = static_cast<double>(k.last_mile + k.first_and_last) / n;
    k.door_to_door_share = static_cast<double>(k.door_to_door) / n;
  }
  if (k.connections > 0) k.connections_kept_rate = static_cast<double>(k.connections_kept) / k.connections;
  if (k.time_compared > 0) {
    auto const n = static_cast<double>(k.time_compared);
    k.door_to_door_mean_s = d2d / n;
    k.transit_only_mean_s = tr / n;
    k.time_saved_mean_s = (tr - d2d) / n;
  }
  if (k.connected_riders > 0) k.vehicle_km_per_connected_rider = k.vehicle_km / static_cast<double>(k.connected_riders);
  return k;
}

}  // namespace detail
}  // namespace nebuta::sim
