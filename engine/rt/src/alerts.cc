// Alerts in the overlay: NO_SERVICE closes the stop times it covers (the planner routes around
// them); every alert can be looked up by the stop, line or trip it informs.
#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

#include "state_builder.h"

namespace nebuta::rt {
namespace {

bool stop_matches(timetable const& tt, stop_idx served, stop_idx informed) {
  return served == informed || tt.stop_parent[served] == informed;
}

bool line_matches(timetable const& tt, informed_entity const& e, line_idx l) {
  if (e.line.valid() && e.line != l) return false;
  if (e.agency.valid() && (!l.valid() || tt.line_agency[l] != e.agency)) return false;
  if (e.route_type && (!l.valid() || tt.line_types[l] != *e.route_type)) return false;
  return true;
}

bool same_language(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string_view pick(translated_text const& t, std::span<std::string const> chain) {
  for (auto const& wanted : chain) {
    for (auto const& x : t) {
      if (same_language(x.language, wanted)) return x.text;
    }
    for (auto const& x : t) {
      if (x.language.size() > wanted.size() && x.language[wanted.size()] == '-' &&
          same_language(std::string_view{x.language}.substr(0, wanted.size()), wanted)) {
        return x.text;
      }
    }
  }
  for (auto const& x : t) {
    if (x.language.empty()) return x.text;
  }
  return t.empty() ? std::string_view{} : std::string_view{t.front().text};
}

void state_builder::apply_no_service(build_input const& in) {
  auto const& tt = ctx_.tt();
  if (tt.n_days == 0) return;
  auto today = ctx_.local_day(0, in.now);
  if (!today && in.feed_time) today = ctx_.local_day(0, *in.feed_time);
  if (!today) return;  // `now` is outside the timetable: nothing to route around
  auto const first_day = today->v() == 0 ? 0U : today->v() - 1U;
  auto const last_day = std::min<std::uint32_t>(tt.n_days - 1, today->v() + opt_.no_service_days_ahead);

  // (trip, day) → closed positions
  std::map<std::pair<trip_idx, day_idx>, std::vector<std::uint8_t>> closed;
  std::vector<trip_idx> candidates;
  for (auto const& a : s_->alerts_) {
    if (a.effect != alert_effect::no_service) continue;
    for (auto const& e : a.informed) {
      if (e.unresolved) continue;
      candidates.clear();
      if (e.trip.valid()) {
        candidates.push_back(e.trip);
      } else if (e.line.valid()) {
        auto const l = ctx_.line_trips(e.line);
        candidates.assign(l.begin(), l.end());
      } else if (e.agency.valid() || e.route_type) {
        for (auto l = line_idx{0}; l.v() < tt.n_lines(); ++l) {
          if (!line_matches(tt, e, l)) continue;
          auto const lt = ctx_.line_trips(l);
          candidates.insert(candidates.end(), lt.begin(), lt.end());
        }
      } else if (e.stop.valid()) {
        auto const add_routes = [&](stop_idx s) {
          for (auto const r : tt.stop_routes[s]) {
            for (auto j = 0U; j < tt.route_n_trips[r]; ++j)
              candidates.push_back(trip_idx{tt.route_first_trip[r].v() + j});
          }
        };
        add_routes(e.stop);
        for (auto const c : tt.stop_children[e.stop]) add_routes(c);
        std::sort(candidates.begin(), candidates.end());
        candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
      } else {
        continue;  // a selector informing nothing routable
      }
      for (auto const t : candidates) {
        if (!line_matches(tt, e, tt.trip_line[t])) continue;
        if (e.direction && ctx_.direction_of(t) != static_cast<std::int8_t>(*e.direction)) continue;
        auto const stops = ctx_.stops(t);
        for (auto d = first_day; d <= last_day; ++d) {
          auto const day = day_idx{d};
          if (e.trip_start_date && tt.date_of(day) != *e.trip_start_date) continue;
          if (!tt.trip_active(t, d)) continue;
          auto const* rt = s_->find(t, day);
          if (rt != nullptr && rt->status != trip_status::updated) continue;
          auto const base = ctx_.day_base(t, day);
          std::vector<std::uint8_t>* marks = nullptr;
          for (auto p = 0U; p < stops.size(); ++p) {
            auto const served = rt != nullptr ? s_->times_[rt->first + p].stop : stops[p];
            if (e.stop.valid() && !stop_matches(tt, served, e.stop)) continue;
            auto const arr = rt != nullptr ? s_->times_[rt->first + p].arrival : ctx_.arrival(t, p);
            auto const dep = rt != nullptr ? s_->times_[rt->first + p].departure : ctx_.departure(t, p);
            if (!a.active_at(base + arr) && !a.active_at(base + dep)) continue;
            if (marks == nullptr) {
              marks = &closed[{t, day}];
              marks->resize(stops.size(), 0U);
            }
            (*marks)[p] = 1U;
          }
        }
      }
    }
  }

  // Apply: close stop times of existing states, add alert-only states for the others.
  std::vector<trip_state> extra;
  std::vector<stop_time> times;
  for (auto const& [key, marks] : closed) {
    auto const [t, day] = key;
    auto const* rt = s_->find(t, day);
    if (rt != nullptr) {
      auto& st = s_->trips_[static_cast<std::size_t>(rt - s_->trips_.data())];
      auto all = true;
      for (auto p = 0U; p < st.n; ++p) {
        if (marks[p] != 0U) {
          s_->times_[st.first + p].flags |= stop_flags::closed;
        } else {
          all = false;
        }
      }
      if (all) st.status = trip_status::canceled;
      continue;
    }
    propagate({t, 0}, ctx_.day_base(t, day), trip_update{}, times);
    auto all = true;
    for (auto p = 0U; p < times.size(); ++p) {
      if (marks[p] != 0U) {
        times[p].flags |= stop_flags::closed;
      } else {
        all = false;
      }
    }
    trip_state st;
    st.trip = t;
    st.day = day;
    st.alert_only = true;
    st.status = all ? trip_status::canceled : trip_status::updated;
    st.first = static_cast<std::uint32_t>(s_->times_.size());
    st.n = static_cast<std::uint32_t>(times.size());
    s_->times_.insert(s_->times_.end(), times.begin(), times.end());
    extra.push_back(st);
  }

  // Added trips: closed where a stop selector (with matching line, if any) covers them.
  for (auto i = s_->n_static_; i < s_->trips_.size(); ++i) {
    auto& st = s_->trips_[i];
    auto const line = s_->added_[st.added].line;
    auto const zone = ctx_.zone_of_line(line);
    auto const base = ctx_.day_base_of_zone(zone, st.day);
    for (auto const& a : s_->alerts_) {
      if (a.effect != alert_effect::no_service) continue;
      for (auto const& e : a.informed) {
        if (e.unresolved || e.trip.valid() || (!e.stop.valid() && !e.line.valid() && !e.agency.valid() && !e.route_type))
          continue;
        if ((e.line.valid() || e.agency.valid() || e.route_type) && !line_matches(tt, e, line)) continue;
        for (auto p = 0U; p < st.n; ++p) {
          auto& x = s_->times_[st.first + p];
          if (e.stop.valid() && !stop_matches(tt, x.stop, e.stop)) continue;
          if (a.active_at(base + x.arrival) || a.active_at(base + x.departure)) x.flags |= stop_flags::closed;
        }
      }
    }
  }

  if (extra.empty()) return;
  std::vector<trip_state> merged(s_->trips_.begin(), s_->trips_.begin() + s_->n_static_);
  merged.insert(merged.end(), extra.begin(), extra.end());
  std::sort(merged.begin(), merged.end(),
            [](trip_state const& a, trip_state const& b) { return std::tie(a.trip, a.day) < std::tie(b.trip, b.day); });
  auto const n_static = static_cast<std::uint32_t>(merged.size());
  merged.insert(merged.end(), s_->trips_.begin() + s_->n_static_, s_->trips_.end());
  s_->trips_ = std::move(merged);
  s_->n_static_ = n_static;
}

std::vector<std::uint32_t> state::alerts_for(timetable const& tt, stop_idx s, line_idx l, trip_idx t,
                                             std::optional<unix_time> at) const {
  informed_target x;
  if (at) x.during = time_range{*at, *at + 1};
  informed_stop const here{s, x.during};
  if (s.valid()) x.stops = {&here, 1};
  x.line = l;
  x.trip = t;
  return alerts_informing(tt, x);
}

std::vector<std::uint32_t> state::alerts_informing(timetable const& tt, informed_target const& x) const {
  // Periods are half-open [start, end): they meet `during` when each starts before the other ends.
  auto const active_during = [](alert const& a, std::optional<time_range> const& during) {
    if (!during || a.active_periods.empty()) return true;
    return std::any_of(a.active_periods.begin(), a.active_periods.end(), [&](time_range const& p) {
      return (!p.start || !during->end || *p.start < *during->end) &&
             (!p.end || !during->start || *during->start < *p.end);
    });
  };
  std::vector<std::uint32_t> out;
  for (auto i = 0U; i < alerts_.size(); ++i) {
    auto const& a = alerts_[i];
    auto const informs = [&](informed_entity const& e) {
      if (e.unresolved) return false;
      if (!e.stop.valid() && !e.trip.valid() && !e.line.valid() && !e.agency.valid() && !e.route_type) return false;
      if (e.trip.valid() &&
          (e.trip != x.trip || (e.trip_start_date && x.trip_date && *e.trip_start_date != *x.trip_date))) {
        return false;
      }
      if ((e.line.valid() || e.agency.valid() || e.route_type) && !line_matches(tt, e, x.line)) return false;
      if (!e.stop.valid()) return active_during(a, x.during);
      return std::any_of(x.stops.begin(), x.stops.end(), [&](informed_stop const& s) {
        return s.stop.valid() && stop_matches(tt, s.stop, e.stop) && active_during(a, s.during);
      });
    };
    if (std::any_of(a.informed.begin(), a.informed.end(), informs)) out.push_back(i);
  }
  return out;
}

}  // namespace nebuta::rt
