// /v1/plan with on-demand legs (docs/maas.md). The planner's transit-only search runs as always;
// the intermodal search (engine/intermodal) adds on-demand variants; the mixer keeps those worth a
// vehicle and says why; the dispatcher is asked for real offers for the best few, each leg's
// pickup window and drop-off limit derived from the train it connects to; a variant is shown
// only when every leg is offered with a promise that keeps the connection, with a journey token
// that books all its legs at once (POST /v1/journeys). Each on-demand area (plan_on_demand.h) is
// searched on its own, with its own stops, settings and travel model: a journey's on-demand legs
// all belong to one area, whose dispatcher makes their offers and books them.
#include "plan_on_demand.h"

#include <algorithm>
#include <string>

#include "nebuta/intermodal/candidates.h"
#include "nebuta/intermodal/mixer.h"
#include "nebuta/intermodal/search.h"

namespace nebuta::api_server {

namespace im = nebuta::intermodal;

namespace {

using api_service::catalogue_entry;

// Why an on-demand journey is shown, in the languages of the error catalogue (errors.h);
// {0}: minutes, changes or metres.
constexpr std::array<catalogue_entry, 5> reason_texts{{
    {"only_way", "No bus or train makes this trip at this time; an on-demand vehicle does.",
     "この時間に行けるバス・鉄道がないため、オンデマンド交通をご案内します。", "此时没有公交或火车可以到达，按需车辆可以。",
     "此時沒有公車或火車可以抵達，隨選車輛可以。", "이 시간에는 버스나 기차로 갈 수 없어 수요응답형 차량을 안내합니다."},
    {"earlier", "Arrives {0} min earlier than by bus or train alone.", "バス・鉄道だけのルートより{0}分早く着きます。",
     "比仅乘公交或火车早到{0}分钟。", "比僅搭公車或火車早到{0}分鐘。",
     "버스나 기차만 이용할 때보다 {0}분 일찍 도착합니다."},
    {"earlier.arrive_by", "Leaves {0} min later than by bus or train alone, arriving in time.",
     "バス・鉄道だけのルートより{0}分遅く出発しても間に合います。", "比仅乘公交或火车晚出发{0}分钟，仍能准时到达。",
     "比僅搭公車或火車晚出發{0}分鐘，仍能準時抵達。",
     "버스나 기차만 이용할 때보다 {0}분 늦게 출발해도 제시간에 도착합니다."},
    {"fewer_legs", "{0} change(s) fewer than by bus or train alone, arriving about as early.",
     "バス・鉄道だけのルートより乗り換えが{0}回少なく、ほぼ同じ時刻に着きます。",
     "比仅乘公交或火车少换乘{0}次，到达时间相近。", "比僅搭公車或火車少轉乘{0}次，抵達時間相近。",
     "버스나 기차만 이용할 때보다 환승이 {0}회 적고 비슷한 시각에 도착합니다."},
    {"less_walk", "{0} m less walking than by bus or train alone, arriving about as early.",
     "バス・鉄道だけのルートより徒歩が{0} m短く、ほぼ同じ時刻に着きます。",
     "比仅乘公交或火车少步行{0}米，到达时间相近。", "比僅搭公車或火車少步行{0}公尺，抵達時間相近。",
     "버스나 기차만 이용할 때보다 {0}m 덜 걷고 비슷한 시각에 도착합니다."},
}};

std::string reason_text(im::mix_decision const& d, bool arrive_by, api_service::lang_chain const& chain) {
  std::string id = im::to_string(d.reason);
  std::string arg;
  switch (d.reason) {
    case im::show_reason::earlier:
      if (arrive_by) id = "earlier.arrive_by";
      arg = std::to_string(d.time_saved_s / 60);
      break;
    case im::show_reason::fewer_legs: arg = std::to_string(d.legs_saved); break;
    case im::show_reason::less_walk: arg = std::to_string(static_cast<long>(d.walk_saved_m / 10.0 + 0.5) * 10); break;
    case im::show_reason::only_way: break;
  }
  auto const lang = api_service::error_language(chain);
  for (auto const& e : reason_texts) {
    if (e.id != id) continue;
    std::string out{e.text(lang)};
    if (auto const at = out.find("{0}"); at != std::string::npos) out.replace(at, 3, arg);
    return out;
  }
  return id;
}

// One on-demand leg of a variant, asked and (when offered in time) shown.
struct od_leg {
  std::size_t leg_index{0};
  char const* kind{"door_to_door"};
  on_demand_ask ask;
  journey_offer_leg link;
  area_offer offer;
  seconds_t road_s{0};
};

struct od_variant {
  raptor::journey j;
  im::mix_decision why;
  std::vector<od_leg> legs;
  std::int64_t expires{0};
  std::size_t area{0};  // of the plan's areas
};

// An area as one plan sees it.
struct searched_area {
  on_demand_area* area{nullptr};
  std::shared_ptr<on_demand_area_view const> view;
  dispatch::instant day_start{0};
  bool reachable{true};
};

// The on-demand legs of journey j with their connections; false when one cannot be tied to a ride.
bool plan_legs(timetable const& tt, im::search_scratch const& scratch, im::settings const& s, raptor::journey const& j,
               im::query const& q, dispatch::instant day_start, bool wheelchair, std::vector<od_leg>& out) {
  auto const unix_of = [&](seconds_t t) { return day_start + t; };
  auto const stop_at = [&](stop_idx st) { return tt.stop_coords[st]; };
  for (std::size_t i = 0; i < j.legs.size(); ++i) {
    auto const& l = j.legs[i];
    if (l.kind != raptor::leg_kind::access) continue;
    od_leg o;
    o.leg_index = i;
    o.ask.wheelchair_users = wheelchair ? 1U : 0U;
    o.link.link.buffer_s = s.transfer_buffer_s;
    if (l.access_tag >= im::door_to_door_tag) {
      o.ask.pickup = q.from;
      o.ask.dropoff = q.to;
      o.ask.earliest_pickup = q.arrive_by ? 0 : unix_of(q.time);
      if (q.arrive_by) o.ask.latest_dropoff = unix_of(q.time);
      o.road_s = l.end - l.start - s.expected_wait_s;
      o.link.link.k = journey_link::kind::none;
    } else if (l.access_tag >= im::last_mile_tag) {
      auto const ride = std::find_if(j.legs.rbegin() + static_cast<std::ptrdiff_t>(j.legs.size() - i), j.legs.rend(),
                                     [](raptor::leg const& x) { return x.kind == raptor::leg_kind::ride; });
      if (ride == j.legs.rend() || !ride->trip.valid()) return false;
      o.kind = "last_mile";
      o.ask.pickup = stop_at(l.from);
      o.ask.dropoff = q.to;
      auto const& cand = scratch.last.at(l.access_tag - im::last_mile_tag);  // the buffer is its stop's
      o.ask.earliest_pickup = unix_of(ride->end) + cand.buffer_s;
      o.ask.pickup_late = false;  // from the train, not later
      if (q.arrive_by) o.ask.latest_dropoff = unix_of(q.time);
      o.road_s = cand.road_s;
      o.link.link = {journey_link::kind::after_arrival, tt.external_trip_id(ride->trip), tt.external_stop_id(ride->to),
                     unix_of(ride->end), cand.buffer_s};
    } else {
      auto const ride = std::find_if(j.legs.begin() + static_cast<std::ptrdiff_t>(i), j.legs.end(),
                                     [](raptor::leg const& x) { return x.kind == raptor::leg_kind::ride; });
      if (ride == j.legs.end() || !ride->trip.valid()) return false;
      o.kind = "first_mile";
      o.ask.pickup = q.from;
      o.ask.dropoff = stop_at(l.to);
      o.ask.earliest_pickup = q.arrive_by ? 0 : unix_of(q.time);  // ready from the time asked
      auto const& cand = scratch.first.at(l.access_tag);
      o.ask.latest_dropoff = unix_of(ride->start) - cand.buffer_s;
      o.road_s = cand.road_s;
      o.link.link = {journey_link::kind::before_departure, tt.external_trip_id(ride->trip),
                     tt.external_stop_id(ride->from), unix_of(ride->start), cand.buffer_s};
    }
    out.push_back(std::move(o));
  }
  return !out.empty();
}

// The offer keeps the leg's promise: offered, and dropping off no later than the connection needs
// (the dispatcher is asked to honour the limit too; this holds whatever it does).
bool keeps_connection(od_leg const& o) {
  auto const& r = o.offer.result;
  if (!r.ok()) return false;
  if (o.ask.latest_dropoff != dispatch::no_time && r.o.latest_dropoff > o.ask.latest_dropoff) return false;
  return r.o.window_start >= o.ask.earliest_pickup || o.link.link.k != journey_link::kind::after_arrival;
}

void set_time(v1::LegPlace& out, service_clock const& c, dispatch::instant t, dispatch::instant day_start) {
  out.set_time(c.iso(t));
  out.set_seconds(static_cast<std::int32_t>(t - day_start));
}

void fill_point(v1::LegPlace& out, latlon at, service_clock const& c, dispatch::instant t, dispatch::instant day_start) {
  out.set_lat(at.lat);
  out.set_lon(at.lon);
  set_time(out, c, t, day_start);
}

void fill_leg(v1::OnDemandLeg& m, od_leg const& o, service_clock const& c, dispatch::instant day_start,
              im::settings const& s) {
  auto const& of = o.offer.result.o;
  m.set_kind(o.kind);
  m.set_request_id(std::to_string(o.offer.result.request.v()));
  m.set_vehicle_id(o.offer.vehicle_id);
  fill_point(*m.mutable_pickup(), of.pickup, c, of.pickup_eta, day_start);
  fill_point(*m.mutable_dropoff(), of.dropoff, c, of.dropoff_eta, day_start);
  m.set_pickup_window_start(c.iso(of.window_start));
  m.set_pickup_window_end(c.iso(of.window_end));
  m.set_pickup_eta(c.iso(of.pickup_eta));
  m.set_dropoff_eta(c.iso(of.dropoff_eta));
  m.set_latest_dropoff(c.iso(of.latest_dropoff));
  if (o.link.link.k == journey_link::kind::before_departure) m.set_dropoff_by(c.iso(o.ask.latest_dropoff));
  if (o.link.link.k == journey_link::kind::after_arrival) m.set_earliest_pickup(c.iso(o.ask.earliest_pickup));
  if (o.link.link.k != journey_link::kind::none) {
    m.set_buffer_s(o.link.link.buffer_s);
    m.set_connection_trip_id(o.link.link.trip_id);
    m.set_connection_stop_id(o.link.link.stop_id);
  }
  m.set_offer_expires(c.iso(of.expires));
  m.set_planned_wait_s(s.expected_wait_s);
  m.set_planned_road_s(o.road_s);
}

// The note of an area that cannot be asked now, in the request's language.
std::string unreachable_note(std::string const& area, std::string const& why, api_service::lang_chain const& chain) {
  std::vector<std::string> const args{area, why};
  return api_service::error_message("area_unavailable.note", args, chain);
}

// The best first: earliest arrival (arrive-by: latest departure), then fewest vehicles.
void sort_variants(std::vector<od_variant>& v, bool arrive_by) {
  std::stable_sort(v.begin(), v.end(), [&](od_variant const& a, od_variant const& b) {
    auto const key = [&](od_variant const& x) {
      return std::make_pair(arrive_by ? -x.j.departure : x.j.arrival, im::vehicle_legs(x.j));
    };
    return key(a) < key(b);
  });
}

}  // namespace

v1::PlanResponse plan_answer(planner& p, v1::PlanRequest const& req, api_service::lang_chain const& chain) {
  v1::PlanResponse out;
  plan_answer(p, req, chain, out);
  return out;
}

void plan_answer(planner& p, v1::PlanRequest const& req, api_service::lang_chain const& chain, v1::PlanResponse& out) {
  auto const& tt = p.svc.tt();
  // Each area as it is now (a remote one: as last fetched), or why it cannot be searched.
  std::vector<std::pair<on_demand_area*, std::shared_ptr<on_demand_area_view const>>> views;
  std::vector<std::string> notes;
  for (auto const& a : p.areas) {
    std::string why;
    auto view = a->view(tt, why);
    if (view != nullptr && view->settings.enabled) views.emplace_back(a.get(), std::move(view));
    else if (view == nullptr && !why.empty()) notes.push_back(unreachable_note(a->name(), why, chain));
  }
  auto const wanted = req.has_on_demand() ? req.on_demand() : !views.empty() || !notes.empty();
  auto res = p.svc.plan_journeys(req, chain, p.router, p.realtime);
  if (!wanted) return p.svc.plan_message(res, out);
  auto const status = [&](char const* s) {
    p.svc.plan_message(res, out);
    out.set_on_demand_status(s);
    for (auto const& n : notes) out.add_on_demand_notes(n);
  };
  if (views.empty()) return status("unavailable");
  if (!req.window().empty()) return status("window");
  if (!res.from.anchor || !res.to.anchor) return status("no_place");

  auto opt = p.svc.router_options(req);
  opt.realtime = res.realtime.get();
  opt.max_walk_m = std::max({opt.max_walk_m, res.from.walk_m, res.to.walk_m});
  im::query const q{*res.from.anchor, *res.to.anchor, res.date, res.time, res.arrive_by, opt};
  thread_local im::search_scratch scratch;  // this thread's, like its router
  std::vector<im::od_journey> found;
  std::vector<searched_area> areas;
  std::vector<od_variant> shown;
  std::uint32_t dropped = 0;

  // Each area on its own: its candidate stops lie inside it and find_candidates takes a door end
  // only inside it, so every on-demand leg of its journeys has its door end in the area.
  for (auto const& [a, view] : views) {
    auto const& s = view->settings;
    if (!view->catalog->inside(q.from) && !view->catalog->inside(q.to)) continue;  // nothing to search
    auto const day_start = view->clock.day_start(res.date);
    areas.push_back({a, view, day_start, true});
    found.clear();
    im::search_on_demand(p.router, *view->catalog, *view->model, q, s, scratch, found);
    std::vector<od_variant> mine;
    for (auto& o : found) {
      if (auto const d = im::mix(res.journeys, o.j, res.arrive_by, s.mixer))
        mine.push_back({std::move(o.j), *d, {}, 0, areas.size() - 1});
    }
    sort_variants(mine, res.arrive_by);
    if (mine.size() > s.max_offers) mine.resize(s.max_offers);
    for (auto& v : mine) {
      // The scratch holds this area's candidates' road times until the next area's search.
      if (plan_legs(tt, scratch, s, v.j, q, day_start, req.wheelchair(), v.legs)) shown.push_back(std::move(v));
      else ++dropped;
    }
  }

  std::vector<od_variant> offered;
  for (auto& v : shown) {
    auto& sa = areas[v.area];
    if (!sa.reachable) continue;  // its note is there already
    auto ok = true;
    try {
      for (auto& leg : v.legs) {
        leg.offer = sa.area->offer(leg.ask);
        leg.link.request = leg.offer.result.request.v();
        ok = keeps_connection(leg);
        if (!ok) break;
      }
    } catch (area_unreachable const& e) {
      sa.reachable = false;  // the area's other variants are not asked in this plan
      notes.push_back(unreachable_note(sa.area->name(), e.what(), chain));
      continue;
    }
    if (!ok) {
      ++dropped;
      continue;
    }
    v.expires = std::min_element(v.legs.begin(), v.legs.end(), [](od_leg const& a, od_leg const& b) {
                  return a.offer.result.o.expires < b.offer.result.o.expires;
                })->offer.result.o.expires;
    offered.push_back(std::move(v));
  }
  sort_variants(offered, res.arrive_by);  // areas' variants among each other

  auto const n_transit = res.journeys.size();
  for (auto const& v : offered) res.journeys.push_back(v.j);
  p.svc.plan_message(res, out);
  out.set_on_demand_status("searched");
  out.set_on_demand_dropped(dropped);
  for (auto const& n : notes) out.add_on_demand_notes(n);
  for (std::size_t k = 0; k < offered.size(); ++k) {
    auto const& v = offered[k];
    auto const& sa = areas[v.area];
    auto const& c = sa.view->clock;
    auto const& s = sa.view->settings;
    auto const day_start = sa.day_start;
    auto& mj = *out.mutable_journeys(static_cast<int>(n_transit + k));
    mj.set_on_demand(true);
    mj.set_shown_reason(im::to_string(v.why.reason));
    mj.set_shown_reason_text(reason_text(v.why, res.arrive_by, chain));
    journey_offer token;
    token.expires_unix = v.expires;
    for (auto const& leg : v.legs) {
      token.legs.push_back(leg.link);
      auto& ml = *mj.mutable_legs(static_cast<int>(leg.leg_index));
      fill_leg(*ml.mutable_on_demand(), leg, c, day_start, s);
      // The offer's times replace the search's estimate: the rider is ready at the pickup window's
      // start (which the connection may put earlier than the search assumed), and arrives when
      // the vehicle plans to drop off.
      auto const& of = leg.offer.result.o;
      set_time(*ml.mutable_from(), c, of.window_start, day_start);
      set_time(*ml.mutable_to(), c, of.dropoff_eta, day_start);
      ml.set_duration_s(static_cast<std::int32_t>(of.dropoff_eta - of.window_start));
      if (leg.leg_index == 0U) {
        mj.set_departure(ml.from().time());
        mj.set_departure_seconds(ml.from().seconds());
      }
      if (leg.leg_index + 1U == v.j.legs.size()) {
        mj.set_arrival(ml.to().time());
        mj.set_arrival_seconds(ml.to().seconds());
      }
    }
    mj.set_duration_s(mj.arrival_seconds() - mj.departure_seconds());
    mj.set_journey_token(sa.area->journey_token(token));
    mj.set_journey_token_expires(c.iso(v.expires));
  }
}

}  // namespace nebuta::api_server
