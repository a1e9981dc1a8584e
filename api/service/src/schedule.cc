// The timetable as published: departures at a stop, routes, trips, feeds.
#include "nebuta/api_service/service.h"

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "service_detail.h"

namespace nebuta::api_service {

using namespace detail;

// ------------------------------------------------------------------ departures

v1::DeparturesResponse service::departures(std::string_view id, std::string_view date, std::string_view time,
                                           unsigned n, lang_chain const& chain,
                                           std::shared_ptr<rt::state const> const& realtime) const {
  auto const s = require_stop(id);
  auto const [d, t] = service_day_time(date, time.empty() ? std::string_view{"00:00"} : time, "time");
  check_date(d, iso_date(d));
  if (n == 0 || n > limits_.max_results) {
    throw api_error{400, "invalid_parameter.between", {"n", "1", std::to_string(limits_.max_results)}};
  }
  auto const day = static_cast<std::int64_t>(tt_.day_of(d)->v());

  // The board of the place: every platform of a station, every pole of one name (509-01 and
  // 509-03 are both 八戸駅).
  auto const stops = group_members(s);
  std::vector<board_entry> found;
  // With realtime, a trip timetabled before t may leave after it: look that far back.
  auto const lookback = realtime != nullptr ? realtime_lookback_s : 0;
  for (auto const st : stops) {
    for (auto const r : tt_.stop_routes[st]) {
      auto const rstops = tt_.route_stops[r];
      for (std::uint32_t pos = 0; pos + 1 < rstops.size(); ++pos) {
        if (rstops[pos] != st || !tt_.can_board(r, pos)) continue;
        auto const deps = tt_.route_departures_at(r, pos);
        for (int offset = -1; offset <= 1; ++offset) {
          auto const shift = offset * day_s;
          auto i =
              static_cast<std::uint32_t>(std::lower_bound(deps.begin(), deps.end(), t - shift - lookback) - deps.begin());
          unsigned taken = 0;
          for (; i < deps.size() && taken < n; ++i) {
            auto const trip = trip_idx{tt_.route_first_trip[r].v() + i};
            if (!tt_.trip_active(trip, day + offset)) continue;
            board_entry e{deps[i] + shift, deps[i] + shift, trip, pos, st, st};
            e.day_offset = static_cast<std::int8_t>(offset);
            if (realtime != nullptr && !apply_realtime(e, *realtime, day + offset, shift)) continue;
            if (e.time < t) continue;
            found.push_back(e);
            ++taken;
          }
        }
      }
    }
  }
  if (realtime != nullptr) add_realtime_departures(found, *realtime, stops, day, t);
  std::sort(found.begin(), found.end(), [](board_entry const& a, board_entry const& b) {
    return std::tie(a.time, a.sched_time, a.trip.v_, a.extra) < std::tie(b.time, b.sched_time, b.trip.v_, b.extra);
  });
  if (found.size() > n) found.resize(n);
  v1::DeparturesResponse out;
  fill_stop(*out.mutable_stop(), s, chain, false);
  out.set_date(str(date));
  out.set_time(clock_time(t));
  out.set_realtime(realtime != nullptr);
  std::optional<alert_list> alerts;
  if (realtime != nullptr) {
    alerts.emplace(alert_list{out.mutable_alerts(), chain});
    name_alerts(*alerts, *out.mutable_stop_alert_ids(), *realtime,
                board_alerts(*realtime, d, stops, t, found.empty() ? t : found.back().time));
  }
  for (auto const& f : found) {
    auto& m = *out.add_departures();
    m.set_time(iso_time(d, f.time));
    m.set_seconds(f.time);
    m.set_stop_id(tt_.external_stop_id(f.stop));
    m.set_platform_code(str(tt_.strings[tt_.stop_platform_codes[f.stop]]));
    if (f.extra != none_extra) {
      fill_added_departure(m, *realtime, f, chain);
    } else {
      fill_route_ref(*m.mutable_route(), tt_.trip_line[f.trip], chain);
      auto h = trip_headsign(f.trip, f.pos, chain);
      m.set_headsign(std::move(h.text));
      m.set_headsign_lang(std::move(h.lang));
      m.set_trip_id(tt_.external_trip_id(f.trip));
    }
    if (realtime != nullptr) {
      fill_realtime_departure(m, d, f);
      name_alerts(*alerts, *m.mutable_alert_ids(), *realtime, departure_alerts(*realtime, d, f));
    }
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
    auto h = trip_headsign(tt_.route_first_trip[r], 0, chain);
    pat.set_headsign(std::move(h.text));
    pat.set_headsign_lang(std::move(h.lang));
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
    auto const active =
        std::find_if(it->second.begin(), it->second.end(), [&](trip_idx x) { return tt_.trip_active(x, day); });
    runs = active != it->second.end();
    if (runs) t = *active;
  }
  v1::Trip out;
  out.set_trip_id(tt_.external_trip_id(t));
  fill_route_ref(*out.mutable_route(), tt_.trip_line[t], chain);
  auto h = trip_headsign(t, 0, chain);
  out.set_headsign(std::move(h.text));
  out.set_headsign_lang(std::move(h.lang));
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
    auto n = name(tt_.stop_names[s], chain);
    st.set_name(std::move(n.text));
    st.set_name_lang(std::move(n.lang));
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
      auto n = name(tt_.agency_names[a], chain);
      ma.set_name(std::move(n.text));
      ma.set_name_lang(std::move(n.lang));
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

}  // namespace nebuta::api_service
