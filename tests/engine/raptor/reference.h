// An independent reference for the GTFS-literal journey semantics, written directly from the
// builder's *input* records (not from the compiled timetable): its own service-day evaluation,
// interpolation, frequency expansion and footpath generation, stay-seated continuations (block_id
// and linked trips), and a Connection Scan with one label per (stop, number of vehicle legs).
// Simple over fast.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "nebuta/timetable/builder.h"

namespace nebuta::test::ref {

inline double haversine(double lat1, double lon1, double lat2, double lon2) {
  constexpr double pi = 3.14159265358979323846;
  constexpr double r = 6'371'000.0;
  auto const rad = [](double d) { return d * pi / 180.0; };
  auto const dlat = rad(lat2 - lat1);
  auto const dlon = rad(lon2 - lon1);
  auto const a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                 std::cos(rad(lat1)) * std::cos(rad(lat2)) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2.0 * r * std::asin(std::min(1.0, std::sqrt(a)));
}

struct answer {
  bool reachable{false};
  std::int64_t arrival{0};
  unsigned legs{0};
  std::vector<std::int64_t> best_with_legs;  // index k: best arrival with at most k legs (or max)
};

class network {
 public:
  static constexpr std::int64_t inf = std::numeric_limits<std::int64_t>::max() / 4;

  struct stop_rec {
    std::uint32_t feed;
    std::string id;
    std::optional<std::pair<double, double>> coord;
    bool served{false};
    std::string place;  // parent station, else the stop itself
  };
  struct connection {
    std::int64_t dep, arr;
    std::uint32_t from, to;
    std::uint32_t inst, seq;
    std::uint32_t id;  // creation order: the connections of a trip instance are consecutive
    bool board, alight;
  };

  std::vector<stop_rec> stops;
  std::map<std::pair<std::uint32_t, std::string>, std::uint32_t> stop_of;
  std::vector<connection> conns;
  std::vector<std::vector<std::pair<std::uint32_t, std::int64_t>>> footpaths;
  std::uint32_t n_inst{0};
  std::vector<std::string> inst_trip;  // for messages: trip id @ shift
  // Per trip instance: the instances a rider on it may have stayed seated from, and the id of
  // its last connection.
  std::vector<std::vector<std::uint32_t>> seated_from;
  std::vector<std::uint32_t> last_conn;

  network(std::vector<build::feed> const& feeds, date_t day, double walk_radius_m, double speed) {
    for (auto f = 0U; f < feeds.size(); ++f) {
      for (auto const& s : feeds[f].stops) {
        auto const key = std::pair{f, std::string{s.id}};
        if (stop_of.contains(key)) continue;
        stop_of[key] = static_cast<std::uint32_t>(stops.size());
        stop_rec r{f, std::string{s.id}, std::nullopt, false, std::string{s.parent_id.empty() ? s.id : s.parent_id}};
        if (s.coord) r.coord = std::pair{s.coord->lat, s.coord->lon};
        stops.push_back(r);
      }
    }
    footpaths.resize(stops.size());
    for (auto f = 0U; f < feeds.size(); ++f) add_feed(f, feeds[f], day);
    std::sort(conns.begin(), conns.end(), [](connection const& a, connection const& b) {
      return std::tie(a.dep, a.arr, a.inst, a.seq) < std::tie(b.dep, b.arr, b.inst, b.seq);
    });
    for (auto f = 0U; f < feeds.size(); ++f) {
      for (auto const& t : feeds[f].transfers) {
        if (t.transfer_type != 2 || t.from_stop == t.to_stop) continue;
        auto const a = find(f, t.from_stop);
        auto const b = find(f, t.to_stop);
        if (!a || !b) continue;
        footpaths[*a].emplace_back(*b, t.min_transfer_time ? *t.min_transfer_time : 0U);
      }
    }
    if (walk_radius_m > 0.0) add_walk_links(walk_radius_m, speed);
  }

  std::optional<std::uint32_t> find(std::uint32_t feed, std::string_view id) const {
    auto const it = stop_of.find({feed, std::string{id}});
    if (it == stop_of.end()) return std::nullopt;
    return it->second;
  }

  // Earliest arrival at `to`, fewest legs among journeys arriving then.
  // With full_profile, the scan goes on past the earliest arrival so that the best arrival for
  // every number of legs is known (slower).
  answer query(std::uint32_t from, std::uint32_t to, std::int64_t t, std::int64_t slack, unsigned max_legs,
               bool full_profile = false) {
    auto const kk = max_legs + 1;
    ride_.assign(stops.size() * kk, inf);
    foot_.assign(stops.size() * kk, inf);
    any_ready_.assign(stops.size(), inf);
    slack_ = slack;
    on_.assign(conns.size(), 255U);
    board_.assign(conns.size(), 0U);
    ride_from_.assign(stops.size() * kk, {0U, 0U});
    foot_from_.assign(stops.size() * kk, 0U);
    dest_ = to;
    kk_ = kk;
    best_ = inf;
    set_foot(from, 0, t);
    for (auto const& [x, d] : footpaths[from]) set_foot(x, 0, t + d);

    auto it =
        std::lower_bound(conns.begin(), conns.end(), t, [](connection const& c, std::int64_t v) { return c.dep < v; });
    while (it != conns.end() && (full_profile || it->dep <= best_)) {
      if (it->dep == it->arr) {
        // A block of zero-duration connections at one time may feed each other in any order:
        // repeat it until nothing changes.
        auto end = it;
        while (end != conns.end() && end->dep == it->dep && end->arr == it->dep) ++end;
        auto changed = true;
        while (changed) {
          changed = false;
          for (auto c = it; c != end; ++c) changed |= scan(*c, slack, max_legs);
        }
        it = end;
      } else {
        scan(*it, slack, max_legs);
        ++it;
      }
    }

    answer a;
    a.best_with_legs.assign(kk, inf);
    auto running = inf;
    for (auto j = 0U; j < kk; ++j) {
      running = std::min({running, ride_[to * kk + j], foot_[to * kk + j]});
      a.best_with_legs[j] = running;
    }
    if (running < inf) {
      a.reachable = true;
      a.arrival = running;
      for (auto j = 0U; j < kk; ++j) {
        if (a.best_with_legs[j] == running) {
          a.legs = j;
          break;
        }
      }
    }
    return a;
  }

  std::int64_t ride_label(std::uint32_t s, unsigned k) const { return ride_[s * kk_ + k]; }
  // For messages: one journey to `s` with k legs, as text.
  std::string explain(std::uint32_t s, unsigned k, bool foot) const {
    std::string out;
    while (true) {
      if (foot) {
        if (k == 0U) return "origin-walk->" + stops[s].id + " " + out;
        auto const f = foot_from_[s * kk_ + k];
        out = "walk " + stops[f].id + "->" + stops[s].id + "@" + std::to_string(foot_[s * kk_ + k]) + " " + out;
        s = f;
        foot = false;
        continue;
      }
      if (k == 0U) return "?" + out;
      auto const [inst, b] = ride_from_[s * kk_ + k];
      out = "ride " + inst_trip[inst] + " " + stops[b].id + "->" + stops[s].id + "@" +
            std::to_string(ride_[s * kk_ + k]) + " " + out;
      // find the label at b that allowed boarding: some j < k
      auto found = false;
      for (auto j = k; j-- > 0U;) {
        if (foot_[b * kk_ + j] < inf) {
          s = b;
          k = j;
          foot = true;
          found = true;
          break;
        }
        if (ride_[b * kk_ + j] < inf) {
          s = b;
          k = j;
          foot = false;
          found = true;
          break;
        }
      }
      if (!found) return "??" + out;
    }
  }
  std::int64_t foot_label(std::uint32_t s, unsigned k) const { return foot_[s * kk_ + k]; }

 private:
  struct service_days {
    bool prev{false}, today{false};
  };

  static bool calendar_active(std::vector<build::calendar const*> const& cals,
                              std::vector<build::calendar_date const*> const& dates, date_t x) {
    auto active = false;
    auto const wd = std::chrono::weekday{x}.iso_encoding() - 1U;  // 0 = Monday
    for (auto const* c : cals) {
      if (c->start <= x && x <= c->end && ((c->weekdays >> wd) & 1U) != 0U) active = true;
    }
    for (auto const* d : dates) {
      if (d->date == x) active = d->exception_type == 1U;
    }
    return active;
  }

  void add_feed(std::uint32_t f, build::feed const& feed, date_t day) {
    std::map<std::string_view, std::vector<build::calendar const*>> cals;
    std::map<std::string_view, std::vector<build::calendar_date const*>> dates;
    for (auto const& c : feed.calendars) cals[c.service_id].push_back(&c);
    for (auto const& c : feed.calendar_dates) dates[c.service_id].push_back(&c);
    auto const active = [&](std::string_view service, date_t x) {
      static std::vector<build::calendar const*> const no_cals;
      static std::vector<build::calendar_date const*> const no_dates;
      auto const ci = cals.find(service);
      auto const di = dates.find(service);
      return calendar_active(ci == cals.end() ? no_cals : ci->second, di == dates.end() ? no_dates : di->second, x);
    };

    std::map<std::string_view, std::vector<build::stop_time const*>> rows;
    for (auto const& st : feed.stop_times) {
      if (st.flex || st.stop_id.empty()) continue;
      rows[st.trip_id].push_back(&st);
    }
    std::map<std::string_view, std::vector<build::frequency const*>> freqs;
    for (auto const& fr : feed.frequencies) freqs[fr.trip_id].push_back(&fr);

    struct row {
      std::uint32_t stop;
      std::int64_t arr, dep;
      bool board, alight;
    };
    std::vector<row> trip_rows;
    struct run {
      std::uint32_t inst;
      int service_day;  // -1: D-1, 0: D
      std::string_view block, trip;
      std::int64_t start, end;
      std::uint32_t first, last;
    };
    std::vector<run> runs;
    for (auto const& trip : feed.trips) {
      auto const ri = rows.find(trip.id);
      if (ri == rows.end()) continue;
      auto sts = ri->second;
      std::stable_sort(sts.begin(), sts.end(),
                       [](auto const* a, auto const* b) { return a->stop_sequence < b->stop_sequence; });
      // Times: one given -> both; untimed rows interpolated between timed neighbours.
      std::vector<std::optional<std::pair<std::int64_t, std::int64_t>>> times(sts.size());
      for (auto i = 0U; i < sts.size(); ++i) {
        auto const* s = sts[i];
        if (s->arrival || s->departure) {
          auto const a = s->arrival ? *s->arrival : *s->departure;
          auto const d = s->departure ? *s->departure : *s->arrival;
          times[i] = std::pair<std::int64_t, std::int64_t>{a, d};
        }
      }
      std::optional<std::size_t> first_timed, last_timed;
      for (auto i = 0U; i < sts.size(); ++i) {
        if (times[i]) {
          if (!first_timed) first_timed = i;
          last_timed = i;
        }
      }
      if (!first_timed) continue;
      auto const timed = times;  // interpolate between rows timed in the feed only
      for (auto i = *first_timed; i <= *last_timed; ++i) {
        if (timed[i]) continue;
        auto a = i;
        while (!timed[a]) --a;
        auto b = i;
        while (!timed[b]) ++b;
        auto const dep_a = timed[a]->second;
        auto const arr_b = timed[b]->first;
        auto const num = (arr_b - dep_a) * static_cast<std::int64_t>(i - a);
        auto const den = static_cast<std::int64_t>(b - a);
        auto q = num / den;
        if (num % den != 0 && ((num < 0) != (den < 0))) --q;  // floor
        times[i] = std::pair{dep_a + q, dep_a + q};
      }
      trip_rows.clear();
      auto ok = true;
      auto last = std::numeric_limits<std::int64_t>::min();
      for (auto i = *first_timed; i <= *last_timed; ++i) {
        auto const stop = find(f, sts[i]->stop_id);
        if (!stop) continue;
        auto [a, d] = *times[i];
        // Nobody arrives at a trip's first stop nor leaves its last: their other time is moot.
        if (i == *first_timed && a > d) a = d;
        if (i == *last_timed && a > d) d = a;
        if (a < last || d < a) ok = false;
        last = d;
        trip_rows.push_back({*stop, a, d, sts[i]->pickup_type != 1U, sts[i]->drop_off_type != 1U});
      }
      if (!ok || trip_rows.empty()) continue;

      std::vector<std::int64_t> shifts;  // runs, as shifts of the literal times
      auto const fi = freqs.find(trip.id);
      if (fi == freqs.end()) {
        shifts.push_back(0);
      } else {
        for (auto const* fr : fi->second) {
          if (fr->headway <= 0) continue;
          for (std::int64_t s = fr->start; s < fr->end; s += fr->headway) {
            shifts.push_back(s - trip_rows.front().dep);
          }
        }
      }
      for (auto const& r : trip_rows) stops[r.stop].served = true;
      for (auto const day_shift : {-1, 0}) {
        if (!active(trip.service_id, day + std::chrono::days{day_shift})) continue;
        for (auto const shift : shifts) {
          auto const total = shift + day_shift * 86'400LL;
          auto const inst = n_inst++;
          inst_trip.push_back(std::string{trip.id} + "@" + std::to_string(total));
          seated_from.emplace_back();
          last_conn.push_back(static_cast<std::uint32_t>(conns.size() + trip_rows.size()) - 2U);
          if (fi == freqs.end() && trip_rows.size() >= 2U) {
            runs.push_back({inst, day_shift, trip.block_id, trip.id, trip_rows.front().dep + total,
                            trip_rows.back().arr + total, trip_rows.front().stop, trip_rows.back().stop});
          }
          for (auto i = 0U; i + 1 < trip_rows.size(); ++i) {
            conns.push_back({trip_rows[i].dep + total, trip_rows[i + 1].arr + total, trip_rows[i].stop,
                             trip_rows[i + 1].stop, inst, i, static_cast<std::uint32_t>(conns.size()),
                             trip_rows[i].board, trip_rows[i + 1].alight});
          }
        }
      }
    }

    // Stay seated. GTFS: trips of one block_id on one service day, in order of their first
    // departure (the next day's after them), each continuing into the next when it starts where
    // the other ends, not before. Linked trips (transfers.txt type 4 / 5) replace the blocks for
    // the trips they name; type 4 links on the same service day when the times allow, else into
    // the next day's run.
    std::map<std::string_view, std::vector<std::pair<std::string_view, std::uint8_t>>> links_from;
    std::map<std::string_view, bool> linked_to;
    for (auto const& t : feed.transfers) {
      if ((t.transfer_type != 4 && t.transfer_type != 5) || t.from_trip.empty() || t.to_trip.empty()) continue;
      links_from[t.from_trip].emplace_back(t.to_trip, t.transfer_type);
      linked_to[t.to_trip] = true;
    }
    std::map<std::string_view, std::vector<run const*>> by_block;
    for (auto const& c : runs) {
      if (!c.block.empty()) by_block[c.block].push_back(&c);
    }
    for (auto const& a : runs) {
      if (links_from.contains(a.trip)) {
        for (auto const& [to, type] : links_from[a.trip]) {
          if (type != 4) continue;
          run const* same = nullptr;
          run const* next = nullptr;
          for (auto const& c : runs) {
            if (c.trip != to) continue;
            if (c.service_day == a.service_day && c.start >= a.end) same = &c;
            if (c.service_day == a.service_day + 1) next = &c;
          }
          if (same != nullptr) seated_from[same->inst].push_back(a.inst);
          else if (next != nullptr) seated_from[next->inst].push_back(a.inst);
        }
        continue;
      }
      if (a.block.empty()) continue;
      run const* succ = nullptr;
      auto tie = false;
      for (auto const* c : by_block[a.block]) {
        if ((c->service_day != a.service_day && c->service_day != a.service_day + 1) || c == &a) continue;
        tie = tie || c->start == a.start;  // two runs of one vehicle at once: no order to trust
        if (c->start > a.start && (succ == nullptr || c->start < succ->start)) succ = c;
      }
      if (tie || succ == nullptr || linked_to.contains(succ->trip) || succ->start < a.end) continue;
      if (stops[succ->first].place != stops[a.last].place) continue;
      seated_from[succ->inst].push_back(a.inst);
    }
  }

  void add_walk_links(double radius, double speed) {
    std::vector<std::pair<double, std::uint32_t>> by_lat;
    for (auto i = 0U; i < stops.size(); ++i) {
      if (stops[i].coord) by_lat.emplace_back(stops[i].coord->first, i);
    }
    std::sort(by_lat.begin(), by_lat.end());
    auto const dlat = radius / 111'000.0 + 1e-6;  // a degree of latitude is > 111,000 m
    for (auto x = 0U; x < by_lat.size(); ++x) {
      for (auto y = x + 1; y < by_lat.size() && by_lat[y].first - by_lat[x].first <= dlat; ++y) {
        auto const a = by_lat[x].second;
        auto const b = by_lat[y].second;
        auto const d =
            haversine(stops[a].coord->first, stops[a].coord->second, stops[b].coord->first, stops[b].coord->second);
        if (d > radius) continue;
        auto const dur = static_cast<std::int64_t>(std::ceil(d / speed));
        footpaths[a].emplace_back(b, dur);
        footpaths[b].emplace_back(a, dur);
      }
    }
  }

  bool set_foot(std::uint32_t s, unsigned k, std::int64_t t) {
    auto& v = foot_[s * kk_ + k];
    if (t >= v) return false;
    v = t;
    foot_from_[s * kk_ + k] = cur_from_;
    any_ready_[s] = std::min(any_ready_[s], t);
    if (s == dest_) best_ = std::min(best_, t);
    return true;
  }

  bool scan(connection const& c, std::int64_t slack, unsigned max_legs) {
    // Legs on board during this connection: staying on from the previous connection of the
    // trip, or boarding here. Kept per connection so that nothing flows backwards along a trip
    // when a block of zero-duration connections is scanned repeatedly.
    auto changed = false;
    auto k = on_[c.id];
    auto b = board_[c.id];
    if (c.seq > 0U && on_[c.id - 1] < k) {
      k = on_[c.id - 1];
      b = board_[c.id - 1];
    }
    if (c.seq == 0U && seated_) {
      for (auto const p : seated_from[c.inst]) {
        if (on_[last_conn[p]] < k) {
          k = on_[last_conn[p]];
          b = board_[last_conn[p]];
        }
      }
    }
    if (c.board && any_ready_[c.from] <= c.dep) {
      for (auto j = 0U; j < kk_ && j < k && j + 1 <= max_legs; ++j) {
        auto const r = ride_[c.from * kk_ + j];
        auto const ready = std::min(r == inf ? inf : r + slack, foot_[c.from * kk_ + j]);
        if (ready <= c.dep) {
          k = static_cast<std::uint8_t>(j + 1);
          b = c.from;
          break;
        }
      }
    }
    if (k < on_[c.id]) {
      on_[c.id] = k;
      board_[c.id] = b;
      changed = true;
    }
    if (k == 255U || !c.alight) return changed;
    auto& v = ride_[c.to * kk_ + k];
    if (c.arr < v) {
      v = c.arr;
      ride_from_[c.to * kk_ + k] = {c.inst, board_[c.id]};
      cur_from_ = c.to;
      any_ready_[c.to] = std::min(any_ready_[c.to], c.arr + slack_);
      changed = true;
      if (c.to == dest_) best_ = std::min(best_, c.arr);
      for (auto const& [x, d] : footpaths[c.to]) set_foot(x, k, c.arr + d);
    }
    return changed;
  }

  std::vector<std::int64_t> ride_, foot_;
  std::vector<std::int64_t> any_ready_;  // lower bound of the ready time over all leg counts
  std::int64_t slack_{0};

 public:
  bool seated_{true};  // false: every trip is boarded on its own (options::stay_seated)
 private:
  std::vector<std::uint8_t> on_;
  std::vector<std::uint32_t> board_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ride_from_;
  std::vector<std::uint32_t> foot_from_;
  std::uint32_t cur_from_{0};
  std::uint32_t dest_{0};
  unsigned kk_{0};
  std::int64_t best_{inf};
};

}  // namespace nebuta::test::ref
