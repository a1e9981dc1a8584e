// Realtime in the answers (docs/realtime.md): scheduled and realtime times, delays, cancelled
// and skipped stops and platform changes of legs and departures, the trips realtime added, and
// the alerts informing legs, departures and stops.
#include <algorithm>
#include <array>

#include "nebuta/api_service/service.h"
#include "nebuta/rt/state.h"
#include "service_detail.h"

namespace nebuta::api_service {

using namespace detail;

namespace {

constexpr std::uint8_t not_stopping = rt::stop_flags::skipped | rt::stop_flags::closed;

std::optional<day_idx> day_in(timetable const& tt, std::int64_t day) {
  if (day < 0 || day >= static_cast<std::int64_t>(tt.n_days)) return std::nullopt;
  return day_idx{static_cast<std::uint16_t>(day)};
}

constexpr std::array<std::string_view, 12> cause_names{
    "unknown_cause", "other_cause", "technical_problem", "strike",       "demonstration",   "accident",
    "holiday",       "weather",     "maintenance",       "construction", "police_activity", "medical_emergency"};
constexpr std::array<std::string_view, 11> effect_names{
    "no_service",   "reduced_service", "significant_delays", "detour",    "additional_service", "modified_service",
    "other_effect", "unknown_effect",  "stop_moved",         "no_effect", "accessibility_issue"};
constexpr std::array<std::string_view, 4> severity_names{"unknown_severity", "info", "warning", "severe"};

template <std::size_t N>
std::string enum_name(std::array<std::string_view, N> const& names, std::uint8_t v) {
  return v >= 1 && v <= N ? std::string{names[v - 1U]} : std::string{names[0]};
}

// The text of `t` in the chain's first language that has one, and that language.
void set_text(rt::translated_text const& t, lang_chain const& chain, std::string* text, std::string* lang) {
  auto const picked = rt::pick(t, chain);
  *text = picked;
  if (lang == nullptr) return;
  for (auto const& x : t) {
    if (x.text.data() == picked.data()) *lang = x.language;
  }
}

}  // namespace

void fill_alert(v1::Alert& out, rt::alert const& a, timetable const& tt, civil::time_zone const& zone,
                lang_chain const& chain, std::int64_t at, bool with_informed) {
  out.set_id(a.id);
  out.set_cause(enum_name(cause_names, static_cast<std::uint8_t>(a.cause)));
  out.set_effect(enum_name(effect_names, static_cast<std::uint8_t>(a.effect)));
  out.set_severity(enum_name(severity_names, static_cast<std::uint8_t>(a.severity)));
  set_text(a.header, chain, out.mutable_header(), out.mutable_header_lang());
  set_text(a.description, chain, out.mutable_description(), out.mutable_description_lang());
  set_text(a.url, chain, out.mutable_url(), nullptr);
  set_text(a.cause_detail, chain, out.mutable_cause_detail(), nullptr);
  set_text(a.effect_detail, chain, out.mutable_effect_detail(), nullptr);
  for (auto const& p : a.active_periods) {
    auto& o = *out.add_active_periods();
    if (p.start) o.set_start(zone.iso(*p.start));
    if (p.end) o.set_end(zone.iso(*p.end));
  }
  out.set_active(a.active_at(at));
  if (!with_informed) return;
  for (auto const& e : a.informed) {
    auto& o = *out.add_informed();
    if (e.agency.valid()) o.set_agency_id(std::string{tt.strings[tt.agency_ids[e.agency]]});
    if (e.line.valid()) o.set_route_id(tt.external_line_id(e.line));
    if (e.route_type) {
      o.set_route_type(*e.route_type);
      o.set_has_route_type(true);
    }
    if (e.trip.valid()) o.set_trip_id(tt.external_trip_id(e.trip));
    if (e.trip_start_date) o.set_trip_start_date(iso_date(*e.trip_start_date));
    if (e.stop.valid()) o.set_stop_id(tt.external_stop_id(e.stop));
    if (e.direction) {
      o.set_direction_id(*e.direction);
      o.set_has_direction_id(true);
    }
    o.set_unresolved(e.unresolved);
  }
}

std::int64_t service::unix_time_of(date_t d, seconds_t t) const {
  return zone_ ? zone_->service_time_to_unix(d, t) : civil::time_zone::utc().service_time_to_unix(d, t);
}

void service::name_alerts(alert_list& to, google::protobuf::RepeatedPtrField<std::string>& ids, rt::state const& st,
                          std::vector<std::uint32_t> const& which) const {
  for (auto const i : which) {
    auto const& a = st.alerts()[i];
    *ids.Add() = a.id;
    if (std::find(to.written.begin(), to.written.end(), i) != to.written.end()) continue;
    to.written.push_back(i);
    // An answer names an alert only where it is active (alerts_informing checked the times).
    auto& out = *to.list->Add();
    fill_alert(out, a, tt_, zone_ ? *zone_ : civil::time_zone::utc(), to.chain, 0, false);
    out.set_active(true);
  }
}

// A static trip's line, else (an added trip) its extra route's.
rt::informed_target service::trip_target(rt::state const& st, trip_idx t, std::uint32_t extra, date_t service_date) const {
  rt::informed_target x;
  x.trip = t;
  if (t.valid()) {
    x.line = tt_.trip_line[t];
  } else if (extra < st.extra_routes().size()) {
    x.line = st.extra_routes()[extra].line;
  }
  x.trip_date = service_date;
  return x;
}

std::vector<std::uint32_t> service::ride_alerts(rt::state const& st, date_t d, raptor::leg const& leg,
                                                std::span<raptor::stop_visit const> visits) const {
  // The boarding stop at the departure, the alighting stop at the arrival: as timetabled and as
  // served (an assigned platform).
  auto const board = unix_time_of(d, leg.start);
  auto const alight = unix_time_of(d, leg.end);
  std::vector<rt::informed_stop> ends{{leg.from, rt::time_range{board, board + 1}},
                                      {leg.to, rt::time_range{alight, alight + 1}}};
  if (!visits.empty()) {
    for (auto const* v : {&visits.front(), &visits.back()}) {
      auto const when = v == &visits.front() ? ends[0].during : ends[1].during;  // a copy: ends grows
      ends.push_back({v->stop, when});
      ends.push_back({v->sched_stop, when});
    }
  }
  auto x = trip_target(st, leg.trip, leg.extra_route, d + std::chrono::days{leg.day_offset});
  x.stops = ends;
  x.during = rt::time_range{board, alight + 1};
  return st.alerts_informing(tt_, x);
}

std::vector<std::uint32_t> service::departure_alerts(rt::state const& st, date_t d, board_entry const& e) const {
  auto const at = unix_time_of(d, e.time);
  auto x = trip_target(st, e.trip, e.extra, d + std::chrono::days{e.day_offset});
  x.during = rt::time_range{at, at + 1};
  std::array<rt::informed_stop, 2> const stops{{{e.stop, x.during}, {e.sched_stop, x.during}}};
  x.stops = stops;
  return st.alerts_informing(tt_, x);
}

std::vector<std::uint32_t> service::board_alerts(rt::state const& st, date_t d, std::vector<stop_idx> const& board,
                                                 seconds_t from, seconds_t to) const {
  auto const during = rt::time_range{unix_time_of(d, from), unix_time_of(d, std::max(from, to)) + 1};
  std::vector<rt::informed_stop> stops;
  for (auto const s : board) stops.push_back({s, during});
  rt::informed_target x;
  x.stops = stops;
  x.during = during;
  return st.alerts_informing(tt_, x);
}

bool service::apply_realtime(board_entry& e, rt::state const& st, std::int64_t day, seconds_t shift) const {
  auto const d = day_in(tt_, day);
  if (!d) return true;
  auto const* const ts = st.find(e.trip, *d);
  if (ts == nullptr) return true;
  switch (ts->status) {
    case rt::trip_status::deleted:
    case rt::trip_status::replaced: return false;  // not shown (a replacement lists the trip that runs instead)
    case rt::trip_status::canceled:
      e.cancelled = true;
      e.realtime = true;
      return true;
    case rt::trip_status::updated:
    case rt::trip_status::added: break;
  }
  auto const times = st.times(*ts);
  if (e.pos >= times.size()) return true;
  auto const& x = times[e.pos];
  e.time = x.departure + shift;
  e.sched_time = x.sched_departure + shift;
  e.stop = x.stop;
  e.rt_flags = x.flags;
  e.realtime = !ts->alert_only;
  if ((x.flags & rt::stop_flags::closed) != 0U && ts->alert_only) e.realtime = true;  // closed by NO_SERVICE
  return true;
}

void service::add_realtime_departures(std::vector<board_entry>& out, rt::state const& st,
                                      std::vector<stop_idx> const& board, std::int64_t day, seconds_t t) const {
  auto const on_board = [&](stop_idx s) { return std::find(board.begin(), board.end(), s) != board.end(); };
  std::vector<std::uint32_t> seen;
  for (auto const s : board) {
    for (auto const x : st.extra_routes_at(s)) {
      if (std::find(seen.begin(), seen.end(), x) != seen.end()) continue;
      seen.push_back(x);
      auto const& e = st.extra_routes()[x];
      auto const offset = static_cast<std::int64_t>(e.day.v()) - day;
      if (offset < -1 || offset > 1) continue;
      auto const shift = static_cast<seconds_t>(offset) * day_s;
      auto const& ts = st.trips()[e.trip_state];
      auto const added = ts.status == rt::trip_status::added;
      auto const r = ts.trip.valid() && !added ? tt_.trip_route[ts.trip] : route_idx::invalid();
      auto const stops = st.extra_stops(e);
      auto const times = st.times(ts);
      for (std::uint32_t p = 0; p + 1 < stops.size() && p < times.size(); ++p) {
        if (!on_board(stops[p])) continue;
        auto const sched_stop = r.valid() && p < tt_.route_stops[r].size() ? tt_.route_stops[r][p] : stops[p];
        // A timetabled trip is listed from its timetabled stop (apply_realtime); here only
        // when realtime moved it to this board from another place.
        if (!added && ((times[p].flags & rt::stop_flags::assigned) == 0U || on_board(sched_stop))) continue;
        if (r.valid() && !tt_.can_board(r, p)) continue;
        auto const dep = times[p].departure + shift;
        if (dep < t) continue;
        out.push_back({dep, times[p].sched_departure + shift, ts.trip, p, stops[p], sched_stop, times[p].flags, true,
                       false, added ? x : none_extra, static_cast<std::int8_t>(offset)});
      }
    }
  }
}

void service::fill_added_departure(v1::Departure& m, rt::state const& st, board_entry const& e,
                                   lang_chain const& chain) const {
  auto const& x = st.extra_routes()[e.extra];
  auto const& ts = st.trips()[x.trip_state];
  if (x.line.valid()) fill_route_ref(*m.mutable_route(), x.line, chain);
  m.set_added(true);
  if (ts.added < st.added().size()) {
    auto const& a = st.added()[ts.added];
    m.set_trip_id(a.trip_id);
    m.set_headsign(a.headsign);
  }
}

void service::fill_realtime_departure(v1::Departure& m, date_t d, board_entry const& e) const {
  m.set_realtime(e.realtime);
  m.set_scheduled_time(iso_time(d, e.sched_time));
  m.set_scheduled_seconds(e.sched_time);
  m.set_delay_s(e.time - e.sched_time);
  m.set_cancelled(e.cancelled);
  m.set_skipped((e.rt_flags & not_stopping) != 0U);
  if (e.stop != e.sched_stop) {
    m.set_scheduled_stop_id(tt_.external_stop_id(e.sched_stop));
    m.set_scheduled_platform_code(str(tt_.strings[tt_.stop_platform_codes[e.sched_stop]]));
  }
}

void service::set_realtime_place(v1::LegPlace& mp, date_t d, raptor::stop_visit const& v, seconds_t t,
                                 seconds_t sched) const {
  mp.set_realtime(true);
  mp.set_scheduled_time(iso_time(d, sched));
  mp.set_scheduled_seconds(sched);
  mp.set_delay_s(t - sched);
  if (v.sched_stop.valid() && v.sched_stop != v.stop) {
    mp.set_scheduled_stop_id(tt_.external_stop_id(v.sched_stop));
    mp.set_scheduled_platform_code(str(tt_.strings[tt_.stop_platform_codes[v.sched_stop]]));
  }
}

void service::fill_stop_call(v1::StopCall& c, day_clock& clock, raptor::stop_visit const& v, bool realtime,
                             lang_chain const& chain) const {
  c.set_stop_id(tt_.external_stop_id(v.stop));
  auto n = name(tt_.stop_names[v.stop], chain);
  c.set_name(std::move(n.text));
  c.set_name_lang(std::move(n.lang));
  c.set_arrival(clock.iso(v.arrival));
  c.set_departure(clock.iso(v.departure));
  c.set_platform_code(str(tt_.strings[tt_.stop_platform_codes[v.stop]]));
  if (!realtime) return;
  c.set_realtime(true);
  c.set_scheduled_arrival(clock.iso(v.sched_arrival));
  c.set_scheduled_departure(clock.iso(v.sched_departure));
  c.set_arrival_delay_s(v.arrival - v.sched_arrival);
  c.set_departure_delay_s(v.departure - v.sched_departure);
  c.set_skipped((v.rt_flags & not_stopping) != 0U);
  if (v.sched_stop.valid() && v.sched_stop != v.stop) {
    c.set_scheduled_stop_id(tt_.external_stop_id(v.sched_stop));
    c.set_scheduled_platform_code(str(tt_.strings[tt_.stop_platform_codes[v.sched_stop]]));
  }
}

void service::fill_added_trip(v1::Leg& ml, rt::state const& st, raptor::leg const& leg, lang_chain const& chain) const {
  ml.set_added(true);
  if (leg.extra_route >= st.extra_routes().size()) return;
  auto const& x = st.extra_routes()[leg.extra_route];
  if (x.line.valid()) fill_leg_line(ml, x.line, chain);
  auto const& ts = st.trips()[x.trip_state];
  if (ts.added < st.added().size()) {
    auto const& a = st.added()[ts.added];
    ml.set_trip_id(a.trip_id);
    ml.set_headsign(a.headsign);
  }
}

}  // namespace nebuta::api_service
