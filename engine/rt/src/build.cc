// Trip updates → per trip-day realtime stop times (the propagation rules are in build.h).
#include <algorithm>
#include <limits>
#include <map>
#include <string>
#include <tuple>

#include "state_builder.h"

namespace nebuta::rt {
namespace {

constexpr seconds_t max_seconds = std::numeric_limits<seconds_t>::max() / 2;

seconds_t clamp_seconds(std::int64_t v) {
  return static_cast<seconds_t>(std::clamp<std::int64_t>(v, -max_seconds, max_seconds));
}

// The first absolute time an update carries: what it says about "when".
std::optional<unix_time> first_time(trip_update const& u) {
  for (auto const& s : u.stops) {
    if (s.arrival.time) return s.arrival.time;
    if (s.departure.time) return s.departure.time;
  }
  return std::nullopt;
}

}  // namespace

std::shared_ptr<state const> build_state(context const& ctx, build_input const& in, build_options const& opt) {
  state_builder b{ctx, opt};
  return b.run(in);
}

std::optional<day_idx> state_builder::service_day(trip_update const& u, trip_idx t, std::optional<unix_time> feed_time,
                                                  unix_time now) {
  auto const& tt = ctx_.tt();
  auto& sk = s_->stats_.skipped;
  if (u.start_date) {
    auto const d = tt.day_of(*u.start_date);
    if (!d) {
      sk.add(skip_reason::outside_timetable);
      return std::nullopt;
    }
    if (!tt.trip_active(t, d->v())) {
      sk.add(skip_reason::not_running);
      return std::nullopt;
    }
    return d;
  }
  auto ref = first_time(u);
  if (!ref) ref = u.timestamp;
  if (!ref) ref = feed_time;
  if (!ref) ref = now;
  auto const zone = ctx_.zone_of(t);
  auto const local = std::chrono::floor<std::chrono::days>(
      std::chrono::sys_seconds{std::chrono::seconds{*ref + ctx_.zone(zone).utc_offset_at(*ref)}});
  std::optional<day_idx> best;
  auto best_gap = std::numeric_limits<std::int64_t>::max();
  auto const n = ctx_.n_stops(t);
  for (auto k = -1; k <= 1; ++k) {
    auto const d = tt.day_of(date_t{local + std::chrono::days{k}});
    if (!d || !tt.trip_active(t, d->v())) continue;
    auto const base = ctx_.day_base(t, *d);
    auto const from = base + ctx_.departure(t, 0), to = base + ctx_.arrival(t, n - 1);
    auto const gap = *ref < from ? from - *ref : (*ref > to ? *ref - to : 0);
    if (gap < best_gap) {
      best_gap = gap;
      best = d;
    }
  }
  // A run hours away from what the update says is another day's trip, not this one.
  if (!best || best_gap > opt_.max_deviation_s) {
    sk.add(skip_reason::not_running);
    return std::nullopt;
  }
  return best;
}

void state_builder::fix_order(std::vector<stop_time>& times, std::vector<std::uint8_t> const& explicit_arr,
                              std::vector<std::uint8_t> const& explicit_dep) {
  // Lower what no update gave to the next explicit time downstream ...
  auto bound = std::numeric_limits<seconds_t>::max();
  for (auto i = times.size(); i-- > 0;) {
    auto& st = times[i];
    if (explicit_dep[i] != 0U) {
      bound = std::min(bound, st.departure);
    } else if (st.departure > bound) {
      st.departure = bound;
      st.flags |= stop_flags::departure_rt;
    }
    if (explicit_arr[i] != 0U) {
      bound = std::min(bound, st.arrival);
    } else if (st.arrival > bound) {
      st.arrival = bound;
      st.flags |= stop_flags::arrival_rt;
    }
  }
  // ... then raise everything to the previous time (conflicting explicit times).
  auto prev = std::numeric_limits<seconds_t>::min();
  for (auto& st : times) {
    if (st.arrival < prev) {
      st.arrival = prev;
      st.flags |= stop_flags::arrival_rt;
      ++s_->stats_.corrected_times;
    }
    if (st.departure < st.arrival) {
      st.departure = st.arrival;
      st.flags |= stop_flags::departure_rt;
      ++s_->stats_.corrected_times;
    }
    prev = st.departure;
  }
}

bool state_builder::propagate(schedule_view v, unix_time base, trip_update const& u, std::vector<stop_time>& out) {
  auto& sk = s_->stats_.skipped;
  auto const t = v.trip;
  auto const stops = ctx_.stops(t);
  auto const n = static_cast<std::uint32_t>(stops.size());
  out.resize(n);
  for (auto i = 0U; i < n; ++i) {
    auto& st = out[i];
    st.sched_arrival = ctx_.arrival(t, i) + v.shift;
    st.sched_departure = ctx_.departure(t, i) + v.shift;
    st.arrival = st.sched_arrival;
    st.departure = st.sched_departure;
    st.stop = stops[i];
    st.flags = 0;
  }
  explicit_arr_.assign(n, 0U);
  explicit_dep_.assign(n, 0U);

  // Match the stop_time_updates to positions. They must come sorted by stop_sequence; a feed
  // that lists them otherwise is put in that order first. A stop_sequence names the position
  // unless its stop disagrees with the stop_id given (feeds with sequences shifted against the
  // static ones exist, e.g. BART): then the stop_id is found after the previous update's stop.
  std::vector<stop_time_update const*> order;
  order.reserve(u.stops.size());
  for (auto const& stu : u.stops) order.push_back(&stu);
  if (std::all_of(order.begin(), order.end(), [](auto const* x) { return x->stop_sequence.has_value(); })) {
    std::stable_sort(order.begin(), order.end(),
                     [](auto const* a, auto const* b) { return *a->stop_sequence < *b->stop_sequence; });
  }
  std::vector<std::pair<std::uint32_t, stop_time_update const*>> matched;
  std::int64_t prev = -1;
  for (auto const* stu : order) {
    std::optional<std::uint32_t> pos;
    if (stu->stop_sequence) {
      pos = ctx_.position_of_sequence(t, *stu->stop_sequence);
      if (pos && stu->stop.valid() && !ctx_.same_station(stops[*pos], stu->stop) &&
          !(stu->assigned_stop.valid() && stu->stop == stu->assigned_stop)) {
        pos.reset();
      }
    }
    if (!pos && stu->stop.valid()) {
      pos = ctx_.position_of_stop(t, stu->stop, static_cast<std::uint32_t>(prev + 1));
      if (!pos && ctx_.position_of_stop(t, stu->stop, 0)) {  // a stop before the previous update's
        sk.add(skip_reason::bad_sequence);
        return false;
      }
    }
    if (!pos) {
      sk.add(skip_reason::bad_sequence);
      continue;
    }
    if (static_cast<std::int64_t>(*pos) <= prev) {  // two updates for one stop, or out of order
      sk.add(skip_reason::bad_sequence);
      return false;
    }
    prev = *pos;
    matched.emplace_back(*pos, stu);
  }
  if (matched.empty() && !u.delay) {
    if (!u.stops.empty()) return false;  // every stop_time_update was unusable (counted)
  }

  auto const event_time = [&](stop_event const& e, seconds_t sched) -> seconds_t {
    return e.time ? clamp_seconds(*e.time - base) : clamp_seconds(std::int64_t{sched} + *e.delay);
  };
  // The delay carried downstream (has_carry false: the schedule). Not an optional: gcc 12 warns
  // about optional<int> falsely (maybe-uninitialized).
  auto has_carry = u.delay.has_value();
  std::int32_t carry = u.delay.value_or(0);
  auto k = 0U;
  for (auto i = 0U; i < n; ++i) {
    auto& st = out[i];
    auto const sa = st.sched_arrival, sd = st.sched_departure;
    stop_time_update const* stu = nullptr;
    if (k < matched.size() && matched[k].first == i) stu = matched[k++].second;
    if (stu != nullptr) {
      if (stu->assigned_stop.valid() && stu->assigned_stop != st.stop) {
        st.stop = stu->assigned_stop;
        st.flags |= stop_flags::assigned;
      }
      if (stu->pickup == pickup_change::no_service) st.flags |= stop_flags::no_pickup;
      if (stu->drop_off == pickup_change::no_service) st.flags |= stop_flags::no_drop_off;
      if (stu->relationship == stop_relationship::no_data || stu->relationship == stop_relationship::unscheduled) {
        has_carry = false;
        continue;
      }
      if (stu->relationship == stop_relationship::skipped) st.flags |= stop_flags::skipped;
      if (stu->relationship == stop_relationship::scheduled && (stu->arrival.given() || stu->departure.given())) {
        std::optional<seconds_t> a, d;
        if (stu->arrival.given()) a = event_time(stu->arrival, sa);
        if (stu->departure.given()) d = event_time(stu->departure, sd);
        if ((a && std::abs(*a - sa) > opt_.max_deviation_s) || (d && std::abs(*d - sd) > opt_.max_deviation_s)) {
          sk.add(skip_reason::bad_time);
          return false;
        }
        explicit_arr_[i] = a ? 1U : 0U;
        explicit_dep_[i] = d ? 1U : 0U;
        if (!a) {
          a = has_carry ? sa + carry : sa;
          if (d) a = std::min(*a, *d);
        }
        if (!d) d = std::max(*a, sd + std::max(0, *a - sa));
        st.arrival = *a;
        st.departure = *d;
        st.flags |= stop_flags::given | stop_flags::arrival_rt | stop_flags::departure_rt;
        has_carry = true;
        carry = *d - sd;
        continue;
      }
    }
    // No times here (or a skipped stop): the carried delay, departing not before the schedule.
    if (has_carry) {
      st.arrival = sa + carry;
      st.departure = std::max(sd + carry, sd);
      st.flags |= stop_flags::arrival_rt | stop_flags::departure_rt;
      carry = std::max(carry, 0);  // early: left on time
    }
  }
  fix_order(out, explicit_arr_, explicit_dep_);
  return true;
}

bool state_builder::added_times(trip_update const& u, unix_time base, std::vector<stop_time>& out) {
  auto& sk = s_->stats_.skipped;
  out.clear();
  explicit_arr_.clear();
  explicit_dep_.clear();
  for (auto const& stu : u.stops) {
    auto const stop = stu.assigned_stop.valid() ? stu.assigned_stop : stu.stop;
    auto const a = stu.arrival.time, d = stu.departure.time;
    if (!stop.valid() || (!a && !d) || stu.relationship == stop_relationship::no_data) {
      sk.add(stop.valid() ? skip_reason::bad_time : skip_reason::unknown_stop);
      continue;  // an added trip's stop needs a stop and an absolute time
    }
    stop_time st;
    st.stop = stop;
    st.arrival = clamp_seconds((a ? *a : *d) - base);
    st.departure = clamp_seconds((d ? *d : *a) - base);
    if (std::abs(st.arrival) > 3 * seconds_per_day) {
      sk.add(skip_reason::bad_time);
      return false;
    }
    st.sched_arrival = st.arrival;
    st.sched_departure = st.departure;
    st.flags = stop_flags::given | stop_flags::arrival_rt | stop_flags::departure_rt;
    if (stu.relationship == stop_relationship::skipped) st.flags |= stop_flags::skipped;
    if (stu.pickup == pickup_change::no_service) st.flags |= stop_flags::no_pickup;
    if (stu.drop_off == pickup_change::no_service) st.flags |= stop_flags::no_drop_off;
    out.push_back(st);
    explicit_arr_.push_back(1U);
    explicit_dep_.push_back(1U);
  }
  if (out.empty()) {
    sk.add(skip_reason::bad_entity);
    return false;
  }
  fix_order(out, explicit_arr_, explicit_dep_);
  return true;
}

std::uint32_t state_builder::push_trip(trip_state st, std::vector<stop_time> const& times) {
  st.first = static_cast<std::uint32_t>(s_->times_.size());
  st.n = static_cast<std::uint32_t>(times.size());
  s_->times_.insert(s_->times_.end(), times.begin(), times.end());
  s_->trips_.push_back(st);
  return static_cast<std::uint32_t>(s_->trips_.size() - 1);
}

std::shared_ptr<state const> state_builder::run(build_input const& in) {
  auto& stats = s_->stats_;
  s_->feed_time_ = in.feed_time;
  auto const& tt = ctx_.tt();

  // Static trip-days: pick one update per trip-day (explicit over estimated, newest, first source).
  struct candidate {
    trip_idx trip;
    day_idx day;
    bool estimated;
    unix_time ts;
    std::uint16_t source;
    std::uint32_t order;
  };
  std::vector<candidate> cands;
  std::vector<std::uint32_t> added_refs;
  for (auto i = 0U; i < in.trip_updates.size(); ++i) {
    auto const& ref = in.trip_updates[i];
    auto const& u = *ref.update;
    ++stats.trip_updates;
    if (u.relationship == trip_relationship::unscheduled) {
      stats.skipped.add(skip_reason::unsupported);
      continue;
    }
    if (u.relationship == trip_relationship::new_trip) {
      added_refs.push_back(i);
      continue;
    }
    if (!u.trip.valid() || u.trip.v() >= tt.n_trips()) {
      stats.skipped.add(skip_reason::unknown_trip);
      continue;
    }
    if (u.relationship == trip_relationship::duplicated) {
      added_refs.push_back(i);
      continue;
    }
    auto const day = service_day(u, u.trip, ref.feed_time, in.now);
    if (!day) continue;
    auto const ts = u.timestamp ? *u.timestamp : (ref.feed_time ? *ref.feed_time : 0);
    cands.push_back({u.trip, *day, u.estimated, ts, ref.source, i});
  }
  std::sort(cands.begin(), cands.end(), [](candidate const& a, candidate const& b) {
    return std::tuple{a.trip, a.day, a.estimated, -a.ts, a.source, a.order} <
           std::tuple{b.trip, b.day, b.estimated, -b.ts, b.source, b.order};
  });

  std::vector<trip_state> added_states;
  std::vector<std::vector<stop_time>> added_times_list;
  for (auto c = 0U; c < cands.size(); ++c) {
    if (c > 0 && cands[c].trip == cands[c - 1].trip && cands[c].day == cands[c - 1].day) {
      stats.skipped.add(skip_reason::stale_timestamp);  // superseded by a better update of the trip-day
      continue;
    }
    auto const& ref = in.trip_updates[cands[c].order];
    auto const& u = *ref.update;
    auto const t = cands[c].trip;
    auto const d = cands[c].day;
    auto const base = ctx_.day_base(t, d);
    trip_state st;
    st.trip = t;
    st.day = d;
    st.relationship = u.relationship;
    st.estimated = u.estimated;
    st.source = ref.source;
    st.timestamp = u.timestamp ? u.timestamp : ref.feed_time;
    switch (u.relationship) {
      case trip_relationship::canceled:
      case trip_relationship::deleted: {
        st.status = u.relationship == trip_relationship::canceled ? trip_status::canceled : trip_status::deleted;
        propagate({t, 0}, base, trip_update{}, scratch_);
        push_trip(st, scratch_);
        ++stats.canceled;
        break;
      }
      case trip_relationship::replacement: {
        std::vector<stop_time> own;
        if (!added_times(u, base, own)) break;
        st.status = trip_status::replaced;
        propagate({t, 0}, base, trip_update{}, scratch_);
        push_trip(st, scratch_);
        trip_state a = st;
        a.status = trip_status::added;
        a.added = static_cast<std::uint32_t>(s_->added_.size());
        s_->added_.push_back(
            {std::string{tt.strings[tt.trip_ids[t]]}, tt.trip_line[t], u.headsign, u.short_name, u.vehicle_id});
        added_states.push_back(a);
        added_times_list.push_back(std::move(own));
        ++stats.added;
        break;
      }
      default: {
        if (!propagate({t, 0}, base, u, scratch_)) break;
        st.status = trip_status::updated;
        push_trip(st, scratch_);
        break;
      }
    }
  }

  // Added trips: NEW (own stops and times) and DUPLICATED (a shifted copy of a static trip).
  // One trip id runs once a day: when several updates (several sources, or one feed repeating
  // itself) add the same trip id on the same day, the best one is kept by the rule of static
  // trip-days (explicit over estimated, newest, earlier source, first) in the place of the first.
  struct added_rank {
    bool estimated;
    unix_time ts;
    std::uint16_t source;
  };
  std::map<std::pair<std::string, std::uint16_t>, std::pair<std::size_t, added_rank>> added_by_id;
  for (auto const i : added_refs) {
    auto const& ref = in.trip_updates[i];
    auto const& u = *ref.update;
    trip_state st;
    st.status = trip_status::added;
    st.relationship = u.relationship;
    st.estimated = u.estimated;
    st.source = ref.source;
    st.timestamp = u.timestamp ? u.timestamp : ref.feed_time;
    std::vector<stop_time> own;
    added_trip info{u.trip_id, u.line, u.headsign, u.short_name, u.vehicle_id};
    if (u.relationship == trip_relationship::duplicated) {
      auto const t = u.trip;
      auto const date = u.new_start_date ? u.new_start_date : u.start_date;
      if (!u.new_start_time || !date) {
        stats.skipped.add(skip_reason::bad_entity);
        continue;
      }
      auto const d = tt.day_of(*date);
      if (!d) {
        stats.skipped.add(skip_reason::outside_timetable);
        continue;
      }
      auto const shift = *u.new_start_time - ctx_.departure(t, 0);
      // The update's stop_time_updates apply to the copy (same stop_sequences).
      if (!propagate({t, shift}, ctx_.day_base(t, *d), u, own)) continue;
      st.trip = t;
      st.day = *d;
      info.trip_id = u.new_trip_id.empty() ? u.trip_id + "-duplicate" : u.new_trip_id;
      info.line = tt.trip_line[t];
    } else {
      // NEW / ADDED: the service day is start_date, else the local date of the first time.
      auto const zone = ctx_.zone_of_line(u.line);
      std::optional<day_idx> d;
      if (u.start_date) {
        d = tt.day_of(*u.start_date);
      } else if (auto const ft = first_time(u)) {
        d = ctx_.local_day(zone, *ft);
      }
      if (!d) {
        stats.skipped.add(skip_reason::outside_timetable);
        continue;
      }
      if (!added_times(u, ctx_.day_base_of_zone(zone, *d), own)) continue;
      st.day = *d;
    }
    added_rank const rank{u.estimated, u.timestamp ? *u.timestamp : ref.feed_time.value_or(0), ref.source};
    auto const [it, first] = added_by_id.try_emplace({info.trip_id, st.day.v()}, added_states.size(), rank);
    if (!first) {
      stats.skipped.add(skip_reason::stale_timestamp);  // one of the two is superseded
      auto& [at, kept] = it->second;
      if (std::tuple{rank.estimated, -rank.ts, rank.source} >= std::tuple{kept.estimated, -kept.ts, kept.source})
        continue;
      kept = rank;
      st.added = added_states[at].added;
      s_->added_[st.added] = std::move(info);
      added_states[at] = st;
      added_times_list[at] = std::move(own);
      continue;
    }
    st.added = static_cast<std::uint32_t>(s_->added_.size());
    s_->added_.push_back(std::move(info));
    added_states.push_back(st);
    added_times_list.push_back(std::move(own));
    ++stats.added;
  }

  // Static trip-days first, sorted for lookup; added trips after.
  std::sort(s_->trips_.begin(), s_->trips_.end(),
            [](trip_state const& a, trip_state const& b) { return std::tie(a.trip, a.day) < std::tie(b.trip, b.day); });
  s_->n_static_ = static_cast<std::uint32_t>(s_->trips_.size());
  for (auto i = 0U; i < added_states.size(); ++i) push_trip(added_states[i], added_times_list[i]);

  for (auto const* a : in.alerts) s_->alerts_.push_back(*a);
  apply_no_service(in);
  stats.applied = s_->trips_.size();
  build_routes();
  return s_;
}

trip_state const* state::find(trip_idx t, day_idx d) const {
  auto const end = trips_.begin() + n_static_;
  auto const it = std::lower_bound(trips_.begin(), end, std::pair{t, d},
                                   [](trip_state const& a, std::pair<trip_idx, day_idx> const& k) {
                                     return std::tie(a.trip, a.day) < std::tie(k.first, k.second);
                                   });
  if (it == end || it->trip != t || it->day != d) return nullptr;
  return &*it;
}

}  // namespace nebuta::rt
