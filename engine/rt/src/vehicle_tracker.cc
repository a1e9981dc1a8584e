#include "nebuta/rt/vehicle_tracker.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nebuta::rt {
namespace {
constexpr std::size_t history_kept = 8;
}  // namespace

vehicle_tracker::vehicle_tracker(context const& ctx, tracker_options opt) : ctx_{ctx}, opt_{opt} {}

std::optional<day_idx> vehicle_tracker::running_day(trip_idx t, unix_time at, std::optional<date_t> start_date) const {
  auto const& tt = ctx_.tt();
  if (start_date) {
    auto const d = tt.day_of(*start_date);
    if (!d || !tt.trip_active(t, d->v())) return std::nullopt;
    return d;
  }
  auto const zone = ctx_.zone_of(t);
  auto const local = ctx_.zone(zone).local_date(at);
  std::optional<day_idx> best;
  auto best_gap = std::numeric_limits<std::int64_t>::max();
  for (auto k = -1; k <= 1; ++k) {
    auto const d = tt.day_of(local + std::chrono::days{k});
    if (!d || !tt.trip_active(t, d->v())) continue;
    auto const base = ctx_.day_base(t, *d);
    auto const from = base + ctx_.departure(t, 0), to = base + ctx_.arrival(t, ctx_.n_stops(t) - 1);
    if (at < from - opt_.terminal_wait_s || at > to + opt_.match_window_s) continue;
    auto const gap = at < from ? from - at : (at > to ? at - to : 0);
    if (gap < best_gap) {
      best_gap = gap;
      best = d;
    }
  }
  return best;
}

double vehicle_tracker::sched_at(trip_idx t, day_idx d, double s) const {
  auto const& stop_at = ctx_.path_of(t).stop_at;
  auto const n = static_cast<std::uint32_t>(stop_at.size());
  auto const base = static_cast<double>(ctx_.day_base(t, d));
  if (n == 0 || s <= stop_at.front()) return base + ctx_.departure(t, 0);
  if (s >= stop_at.back()) return base + ctx_.arrival(t, n - 1);
  auto const i = static_cast<std::uint32_t>(std::upper_bound(stop_at.begin(), stop_at.end(), s) - stop_at.begin()) - 1;
  auto const len = stop_at[i + 1] - stop_at[i];
  auto const f = len > 0.0 ? (s - stop_at[i]) / len : 0.0;
  auto const dep = static_cast<double>(ctx_.departure(t, i)), arr = static_cast<double>(ctx_.arrival(t, i + 1));
  return base + dep + f * (arr - dep);
}

std::optional<vehicle_tracker::candidate> vehicle_tracker::best_projection(trip_idx t, day_idx d, latlon p,
                                                                           unix_time at, track const* tr) const {
  auto const& path = ctx_.path_of(t);
  auto const cands = path.candidates(p, opt_.max_offset_m);
  if (cands.empty()) return std::nullopt;
  auto const continuing = tr != nullptr && tr->trip == t && tr->day == d && !tr->history.empty();
  std::optional<candidate> best;
  auto best_key = std::numeric_limits<double>::infinity();
  for (auto const& c : cands) {
    auto const score = std::abs(static_cast<double>(at) - sched_at(t, d, c.along));
    double key = score;
    if (continuing) {
      // Where the path passes twice, the pass nearest to the last fix.
      auto const last = tr->history.back().along;
      key = std::abs(c.along - last) + (c.along < last - opt_.backward_tolerance_m ? 1e9 : 0.0);
    }
    if (key < best_key) {
      best_key = key;
      best = candidate{t, d, c.along, score};
    }
  }
  return best;
}

void vehicle_tracker::update(std::span<vehicle_position const> positions, std::optional<unix_time> feed_time,
                             skip_counts& skipped) {
  unix_time newest = feed_time.value_or(0);
  for (auto const& v : positions) {
    auto const t = v.timestamp ? v.timestamp : feed_time;
    if (!t) {
      skipped.add(skip_reason::bad_time);
      continue;
    }
    newest = std::max(newest, *t);
    process(v, *t, skipped);
  }
  for (auto it = tracks_.begin(); it != tracks_.end();) {
    if (it->second.last_t + opt_.forget_after_s < newest) {
      it = tracks_.erase(it);
    } else {
      ++it;
    }
  }
}

void vehicle_tracker::process(vehicle_position const& v, unix_time t, skip_counts& skipped, bool restarting) {
  auto const& tt = ctx_.tt();
  auto const& key = !v.vehicle_id.empty() ? v.vehicle_id : (!v.entity_id.empty() ? v.entity_id : v.trip_id);
  if (key.empty()) {
    skipped.add(skip_reason::bad_entity);
    return;
  }
  auto const found = tracks_.find(key);
  track* tr = found == tracks_.end() ? nullptr : &found->second;
  if (tr != nullptr && t <= tr->last_t) {
    if (t < tr->last_t) skipped.add(skip_reason::stale_timestamp);
    return;  // the same report again: nothing new
  }
  if (tr != nullptr && v.position && tr->last_p &&
      haversine_m(*tr->last_p, *v.position) > opt_.max_speed_mps * static_cast<double>(t - tr->last_t)) {
    if (++tr->rejected < opt_.restart_after) {
      skipped.add(skip_reason::position_jump);
      return;
    }
    tr->history.clear();
    tr->last_p.reset();
  }

  std::optional<candidate> chosen;
  if (v.trip.valid()) {
    auto const d = running_day(v.trip, t, v.start_date);
    if (!d) {
      skipped.add(skip_reason::not_running);
      return;
    }
    if (v.position) {
      chosen = best_projection(v.trip, *d, *v.position, t, tr);
      auto const first = ctx_.stops(v.trip)[0];
      if (!chosen && ctx_.tt().stop_has_coords[first] != 0U &&
          haversine_m(*v.position, ctx_.tt().stop_coords[first]) <= opt_.terminal_radius_m) {
        chosen = candidate{v.trip, *d, ctx_.path_of(v.trip).stop_at[0], 0.0};  // in the yard or at a long platform
      }
      if (!chosen) {
        skipped.add(skip_reason::off_route);
        return;
      }
    } else {
      // No coordinates: the stop it reports, by current_status.
      std::optional<std::uint32_t> pos;
      if (v.current_stop_sequence) pos = ctx_.position_of_sequence(v.trip, *v.current_stop_sequence);
      if (!pos && v.stop.valid()) pos = ctx_.position_of_stop(v.trip, v.stop, 0);
      if (!pos) {
        skipped.add(skip_reason::no_position);
        return;
      }
      auto const& stop_at = ctx_.path_of(v.trip).stop_at;
      auto along = stop_at[*pos];
      if (v.status == vehicle_status::in_transit_to && *pos > 0) along = (stop_at[*pos - 1] + stop_at[*pos]) / 2.0;
      if (v.status == vehicle_status::incoming_at) along = std::max(0.0, along - opt_.at_stop_m - 1.0);
      chosen = candidate{v.trip, *d, along, 0.0};
    }
  } else if (v.position) {
    std::vector<candidate> cands;
    // A candidate must not have the vehicle move backwards since its previous position (the
    // opposite direction of a route on the same road).
    auto const moves_forward = [&](trip_idx x, double along) {
      if (tr == nullptr || !tr->last_p || t - tr->last_t > 300) return true;
      for (auto const& c : ctx_.path_of(x).candidates(*tr->last_p, opt_.max_offset_m)) {
        if (c.along <= along + opt_.backward_tolerance_m &&
            c.along >= along - opt_.max_speed_mps * static_cast<double>(t - tr->last_t))
          return true;
      }
      return false;
    };
    auto const consider = [&](trip_idx x, std::optional<day_idx> d) {
      if (!d) return;
      if (v.direction && ctx_.direction_of(x) >= 0 && ctx_.direction_of(x) != static_cast<std::int8_t>(*v.direction))
        return;
      if (auto const c = best_projection(x, *d, *v.position, t, tr); c && moves_forward(x, c->along))
        cands.push_back(*c);
    };
    // The vehicle's trip, until it reaches its end; then the next trip of its block.
    if (tr != nullptr && tr->trip.valid()) {
      auto const& path = ctx_.path_of(tr->trip);
      auto const at_end = !tr->history.empty() && tr->history.back().along >= path.length() - opt_.at_stop_m;
      if (!at_end) consider(tr->trip, tr->day);
      if (cands.empty()) {
        auto const block = ctx_.block_trips(ctx_.block_of(tr->trip));
        auto const it = std::find(block.begin(), block.end(), tr->trip);
        if (it != block.end() && it + 1 != block.end()) consider(*(it + 1), running_day(*(it + 1), t, std::nullopt));
      }
    }
    if (cands.empty()) {
      // The trips of the route, or of the routes near the position, running around t.
      std::vector<trip_idx> trips;
      if (v.line.valid()) {
        auto const l = ctx_.line_trips(v.line);
        trips.assign(l.begin(), l.end());
      } else {
        ctx_.stops_near(*v.position, opt_.near_stop_radius_m, near_);
        for (auto const s : near_) {
          for (auto const r : tt.stop_routes[s]) {
            for (auto j = 0U; j < tt.route_n_trips[r]; ++j) trips.push_back(trip_idx{tt.route_first_trip[r].v() + j});
          }
        }
        std::sort(trips.begin(), trips.end());
        trips.erase(std::unique(trips.begin(), trips.end()), trips.end());
      }
      for (auto const x : trips) consider(x, running_day(x, t, v.start_date));
      std::erase_if(cands, [&](candidate const& c) { return c.score > static_cast<double>(opt_.match_window_s); });
    }
    for (auto const& c : cands) {
      if (!chosen || c.score < chosen->score) chosen = c;
    }
    if (!chosen) {
      skipped.add(v.trip_id.empty() ? skip_reason::unmatched_vehicle : skip_reason::unknown_trip);
      return;
    }
  } else {
    skipped.add(skip_reason::no_position);
    return;
  }

  if (tr == nullptr) tr = &tracks_[key];
  if (tr->trip == chosen->trip && tr->day == chosen->day && !tr->history.empty()) {
    auto const& last = tr->history.back();
    auto const ds = chosen->along - last.along;
    if (ds < -opt_.backward_tolerance_m || ds > opt_.max_speed_mps * static_cast<double>(t - last.t)) {
      if (++tr->rejected < opt_.restart_after || restarting) {
        skipped.add(skip_reason::position_jump);
        return;
      }
      // Jumps in a row: the track was wrong (or the vehicle moved on); match it afresh.
      tr->trip = trip_idx::invalid();
      tr->history.clear();
      process(v, t, skipped, true);
      return;
    }
  } else {
    tr->history.clear();
  }
  tr->trip = chosen->trip;
  tr->day = chosen->day;
  tr->history.push_back({t, chosen->along, v.position.value_or(latlon{})});
  if (tr->history.size() > history_kept) tr->history.erase(tr->history.begin());
  tr->last_t = t;
  tr->rejected = 0;
  if (v.position) tr->last_p = v.position;
  tr->estimate = estimate(chosen->trip, chosen->day, chosen->along, t, key);
}

std::optional<trip_update> vehicle_tracker::estimate(trip_idx t, day_idx d, double along, unix_time at,
                                                     std::string const& vehicle) const {
  auto const& stop_at = ctx_.path_of(t).stop_at;
  auto const n = static_cast<std::uint32_t>(stop_at.size());
  if (n < 2 || along >= stop_at.back() - opt_.at_stop_m) return std::nullopt;  // at or past its end
  auto const base = ctx_.day_base(t, d);
  auto const stops = ctx_.stops(t);
  // i: the last stop reached (or the one it stands at).
  std::uint32_t i = 0;
  while (i + 1 < n && stop_at[i + 1] <= along + opt_.at_stop_m) ++i;
  auto at_stop = along <= stop_at[i] + opt_.at_stop_m;
  // Not departed from the first stop: within terminal_m of it (platforms and bus bays are long),
  // or before its departure time and not yet halfway to the second stop.
  if (i == 0 && (along <= stop_at[0] + opt_.terminal_m ||
                 (at < base + ctx_.departure(t, 0) && along < (stop_at[0] + stop_at[1]) / 2.0))) {
    at_stop = true;
  }
  // Delay now: at a stop the vehicle leaves at max(now, scheduled departure); between stops the
  // fix's time against the interpolated schedule.
  double delay = 0.0, sched_now = 0.0;
  if (at_stop) {
    auto const sd = static_cast<double>(base + ctx_.departure(t, i));
    delay = std::max(0.0, static_cast<double>(at) - sd);
    sched_now = sd;
  } else {
    sched_now = sched_at(t, d, along);
    delay = static_cast<double>(at) - sched_now;
  }
  auto const decayed = [&](double gap) {
    if (opt_.decay_horizon_s <= 0) return delay;
    return delay * std::max(0.0, 1.0 - gap / static_cast<double>(opt_.decay_horizon_s));
  };

  trip_update u;
  u.trip = t;
  u.trip_id = std::string{ctx_.tt().strings[ctx_.tt().trip_ids[t]]};
  u.line = ctx_.tt().trip_line[t];
  u.start_date = ctx_.tt().date_of(d);
  u.timestamp = at;
  u.vehicle_id = vehicle;
  u.estimated = true;
  u.stops.reserve(n);
  auto carry_early = delay < 0.0;  // ahead of schedule: early at the next stop, then on time
  for (auto j = 0U; j < n; ++j) {
    stop_time_update s;
    s.stop = stops[j];
    if (auto const q = ctx_.sequence_at(t, j); q != no_sequence) s.stop_sequence = q;
    auto const sa = static_cast<double>(base + ctx_.arrival(t, j));
    auto const sd = static_cast<double>(base + ctx_.departure(t, j));
    double a = 0.0, dep = 0.0;
    if (j < i || (j == i && !at_stop)) {  // passed
      a = std::min(sa + delay, static_cast<double>(at));
      dep = std::min(std::max(sd + delay, a), static_cast<double>(at));
    } else if (j == i) {  // standing here
      a = std::min(sa + delay, static_cast<double>(at));
      dep = sd + delay;
    } else if (carry_early) {
      a = sa + delay;
      dep = sd;
      carry_early = false;
      delay = 0.0;
    } else {
      auto const dj = decayed(sa - sched_now);
      a = sa + dj;
      dep = sd + std::max(0.0, decayed(sd - sched_now));
    }
    s.arrival.time = static_cast<unix_time>(std::llround(a));
    s.departure.time = static_cast<unix_time>(std::llround(std::max(a, dep)));
    u.stops.push_back(s);
  }
  return u;
}

std::vector<trip_update> vehicle_tracker::estimates(unix_time now) const {
  std::vector<trip_update> out;
  for (auto const& [key, tr] : tracks_) {
    if (tr.estimate && tr.last_t + opt_.forget_after_s >= now) out.push_back(*tr.estimate);
  }
  std::sort(out.begin(), out.end(),
            [](trip_update const& a, trip_update const& b) { return a.vehicle_id < b.vehicle_id; });
  return out;
}

std::size_t vehicle_tracker::matched(unix_time now) const {
  return static_cast<std::size_t>(std::count_if(tracks_.begin(), tracks_.end(), [&](auto const& kv) {
    return kv.second.trip.valid() && kv.second.last_t + opt_.forget_after_s >= now;
  }));
}

}  // namespace nebuta::rt
