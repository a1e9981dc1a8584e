// Realtime in the answers (docs/realtime.md): scheduled and realtime times, delays, cancelled
// and skipped stops and platform changes of legs and departures, and the trips realtime added.
#include <algorithm>

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

}  // namespace

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
                       false, added ? x : none_extra});
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

void service::fill_stop_call(v1::StopCall& c, date_t d, raptor::stop_visit const& v, bool realtime,
                             lang_chain const& chain) const {
  c.set_stop_id(tt_.external_stop_id(v.stop));
  auto n = name(tt_.stop_names[v.stop], chain);
  c.set_name(std::move(n.text));
  c.set_name_lang(std::move(n.lang));
  c.set_arrival(iso_time(d, v.arrival));
  c.set_departure(iso_time(d, v.departure));
  c.set_platform_code(str(tt_.strings[tt_.stop_platform_codes[v.stop]]));
  if (!realtime) return;
  c.set_realtime(true);
  c.set_scheduled_arrival(iso_time(d, v.sched_arrival));
  c.set_scheduled_departure(iso_time(d, v.sched_departure));
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
