// The realtime router against an independent reference on real feeds with their recorded
// GTFS-RT TripUpdates (BART, Caltrain): the test applies the updates to the static stop_times
// rows itself (trip-day choice, stop matching and propagation written from the specification,
// reference_rt.h) and runs the Connection Scan reference of the raptor tests
// (../raptor/reference.h) on the result; the router in GTFS-literal mode with the overlay built
// by engine/rt must give the same earliest arrival and number of legs on every query.
#include <map>
#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "../../feeds/gtfs_rt/rt_sample.h"
#include "../raptor/reference.h"
#include "../raptor/shared_feeds.h"
#include "nebuta/raptor/router.h"
#include "nebuta/rt/build.h"
#include "reference_rt.h"

using namespace nebuta;

namespace {

constexpr std::int64_t day_seconds = 86'400;
constexpr std::int64_t max_deviation = 6 * 3600;  // a time further from the schedule is not believed

struct snapshot_case {
  char const* name;
  char const* feed;  // static feed (shared data)
  char const* pb;    // TripUpdates snapshot
  char const* date;  // query date
  // False: the snapshot names no trip running that day (BART's Memorial Day snapshot lists
  // weekday trips): nothing may apply, and answers stay the timetable's.
  bool changes{true};
};

// One static trip's rows (stop_times.txt, by stop_sequence), from the build inputs.
struct static_trip {
  std::vector<std::uint32_t> sequence;
  std::vector<std::string> stop_id;
  std::vector<std::int64_t> arrival, departure;
};

struct counts {
  unsigned updated{0}, cancelled{0}, added{0}, skipped_stops{0}, unmatched_stus{0}, other{0}, not_running{0};
};

// The reference's application of one snapshot to the Connection Scan network of `date`.
class reference_overlay {
 public:
  reference_overlay(test::loaded_feeds const& l, rt::context const& ctx, date_t date) : l_{l}, ctx_{ctx}, date_{date} {
    for (auto const& st : l.inputs[0].stop_times) rows_[std::string{st.trip_id}].push_back(&st);
    for (auto& [id, v] : rows_) {
      std::stable_sort(v.begin(), v.end(),
                       [](auto const* a, auto const* b) { return a->stop_sequence < b->stop_sequence; });
    }
  }

  static_trip trip_rows(std::string const& id) const {
    static_trip t;
    auto const it = rows_.find(id);
    if (it == rows_.end()) return t;
    for (auto const* r : it->second) {
      t.sequence.push_back(r->stop_sequence);
      t.stop_id.emplace_back(r->stop_id);
      auto const a = r->arrival ? *r->arrival : *r->departure;
      auto const d = r->departure ? *r->departure : *r->arrival;
      t.arrival.push_back(a);
      t.departure.push_back(d);
    }
    return t;
  }

  // Applies every trip update of the message to the network's connections.
  counts apply(rt::feed_message const& m, test::ref::network& net) const {
    counts c;
    // Connections of each trip instance ("trip@shift"), in trip order.
    std::map<std::string, std::vector<std::size_t>> by_inst;
    for (auto i = 0U; i < net.conns.size(); ++i) by_inst[net.inst_trip[net.conns[i].inst]].push_back(i);
    for (auto& [k, v] : by_inst) {
      std::sort(v.begin(), v.end(), [&](std::size_t a, std::size_t b) { return net.conns[a].seq < net.conns[b].seq; });
    }
    // Of several updates of one trip-day the newest wins (then the first in the feed).
    std::map<std::pair<std::string, std::int64_t>, rt::trip_update const*> chosen;
    for (auto const& u : m.trip_updates) {
      if (u.relationship == rt::trip_relationship::new_trip) {
        add_new_trip(u, net, c);
        continue;
      }
      if (!u.trip.valid()) {
        ++c.other;
        continue;
      }
      auto const id = std::string{l_.tt.strings[l_.tt.trip_ids[u.trip]]};
      auto const rows = trip_rows(id);
      if (rows.arrival.empty()) continue;
      auto const shift = day_shift(u, u.trip, rows, m);
      if (!shift) {
        ++c.not_running;
        continue;
      }
      auto& slot = chosen[{id, *shift}];
      auto const ts = [&](rt::trip_update const* x) { return x->timestamp.value_or(m.timestamp.value_or(0)); };
      if (slot == nullptr || ts(&u) > ts(slot)) slot = &u;
    }
    for (auto const& [key, u] : chosen) {
      auto const& [id, shift] = key;
      auto const it = by_inst.find(id + "@" + std::to_string(shift * day_seconds));
      if (it == by_inst.end()) continue;  // a day the network does not hold
      auto const& cs = it->second;
      if (u->relationship == rt::trip_relationship::canceled || u->relationship == rt::trip_relationship::deleted) {
        for (auto const i : cs) net.conns[i].board = net.conns[i].alight = false;
        ++c.cancelled;
        continue;
      }
      if (u->relationship != rt::trip_relationship::scheduled) {
        ++c.other;
        continue;
      }
      auto const rows = trip_rows(id);
      REQUIRE(rows.arrival.size() == cs.size() + 1);
      auto const base = ctx_.day_base(u->trip, day_idx{static_cast<std::uint16_t>(day_of_date() + shift)});
      std::vector<test::ref_rt::update> ups;
      // stop_time_updates must be sorted by stop_sequence (the specification): a feed listing
      // them otherwise (BART) is read in that order when every one has a sequence.
      std::vector<rt::stop_time_update const*> sorted;
      for (auto const& x : u->stops) sorted.push_back(&x);
      if (std::all_of(sorted.begin(), sorted.end(), [](auto const* x) { return x->stop_sequence.has_value(); })) {
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](auto const* a, auto const* b) { return *a->stop_sequence < *b->stop_sequence; });
      }
      std::size_t next = 0;  // stop_time_updates follow the trip's order
      for (auto const* xp : sorted) {
        auto const& x = *xp;
        // By stop_sequence; a stop_id naming another stop wins (BART's sequences are shifted);
        // by stop_id alone, the next such stop.
        std::optional<std::size_t> pos;
        if (x.stop_sequence) {
          for (auto p = next; p < rows.sequence.size(); ++p) {
            if (rows.sequence[p] == *x.stop_sequence) pos = p;
          }
        }
        auto const stop_id = x.stop.valid() ? std::string{l_.tt.strings[l_.tt.stop_ids[x.stop]]} : std::string{};
        if (!stop_id.empty() && (!pos || !same_place(rows.stop_id[*pos], stop_id))) {
          pos.reset();
          for (auto p = next; p < rows.stop_id.size() && !pos; ++p) {
            if (rows.stop_id[p] == stop_id) pos = p;
          }
        }
        if (!pos) {
          ++c.unmatched_stus;
          continue;
        }
        next = *pos + 1;
        test::ref_rt::update r;
        r.pos = *pos;
        r.what = x.relationship == rt::stop_relationship::skipped ? test::ref_rt::update::kind::skipped
                 : x.relationship == rt::stop_relationship::no_data || x.relationship == rt::stop_relationship::unscheduled
                     ? test::ref_rt::update::kind::no_data
                     : test::ref_rt::update::kind::scheduled;
        auto const abs = [&](rt::stop_event const& e, std::int64_t sched) -> std::optional<std::int64_t> {
          if (e.time) return *e.time - base;
          if (e.delay) return sched + *e.delay;
          return std::nullopt;
        };
        r.arrival = abs(x.arrival, rows.arrival[*pos]);
        r.departure = abs(x.departure, rows.departure[*pos]);
        if (r.what == test::ref_rt::update::kind::skipped) ++c.skipped_stops;
        ups.push_back(r);
      }
      auto const out = test::ref_rt::propagate(rows.arrival, rows.departure, ups,
                                               u->delay ? std::optional<std::int64_t>{*u->delay} : std::nullopt);
      if (state_ != nullptr) {
        // The overlay's own times for the trip-day, compared as a diagnostic.
        auto const* ts = state_->find(u->trip, day_idx{static_cast<std::uint16_t>(day_of_date() + shift)});
        if (ts == nullptr) {
          mismatch_.push_back(id + ": no state");
        } else {
          auto const tm = state_->times(*ts);
          for (auto i = 0U; i < tm.size() && i < out.arrival.size(); ++i) {
            if (tm[i].arrival != out.arrival[i] || tm[i].departure != out.departure[i]) {
              mismatch_.push_back(id + " pos " + std::to_string(i) + ": state " + std::to_string(tm[i].arrival) + "/" +
                                  std::to_string(tm[i].departure) + " reference " + std::to_string(out.arrival[i]) +
                                  "/" + std::to_string(out.departure[i]));
              break;
            }
          }
        }
      }
      auto const total = shift * day_seconds;
      for (auto i = 0U; i < cs.size(); ++i) {
        auto& cn = net.conns[cs[i]];
        cn.dep = out.departure[i] + total;
        cn.arr = out.arrival[i + 1] + total;
        cn.board = cn.board && !out.skipped[i];
        cn.alight = cn.alight && !out.skipped[i + 1];
      }
      ++c.updated;
    }
    std::sort(net.conns.begin(), net.conns.end(), [](auto const& a, auto const& b) {
      return std::tie(a.dep, a.arr, a.inst, a.seq) < std::tie(b.dep, b.arr, b.inst, b.seq);
    });
    return c;
  }

 private:
  // The same stop, or two stops of one station (a platform named instead of another).
  bool same_place(std::string const& a, std::string const& b) const {
    if (a == b) return true;
    auto const sa = l_.tt.find_stop(a), sb = l_.tt.find_stop(b);
    if (!sa || !sb) return false;
    auto const pa = l_.tt.stop_parent[*sa], pb = l_.tt.stop_parent[*sb];
    return pa.valid() && pa == pb;
  }

  // A NEW (ADDED) trip: its own stops at the absolute times of its stop_time_updates (a stop
  // without a time, or with NO_DATA, is not served), never going backwards.
  void add_new_trip(rt::trip_update const& u, test::ref::network& net, counts& c) const {
    auto const base = ctx_.day_base(trip_idx{0}, day_idx{static_cast<std::uint16_t>(day_of_date())});
    struct call {
      std::uint32_t stop;
      std::int64_t arr, dep;
      bool stops_here;
    };
    std::vector<call> calls;
    for (auto const& x : u.stops) {
      auto const s = x.assigned_stop.valid() ? x.assigned_stop : x.stop;
      if (!s.valid() || (!x.arrival.time && !x.departure.time) || x.relationship == rt::stop_relationship::no_data)
        continue;
      auto const ri = net.find(0U, l_.tt.strings[l_.tt.stop_ids[s]]);
      if (!ri) continue;
      auto const a = (x.arrival.time ? *x.arrival.time : *x.departure.time) - base;
      auto const d = (x.departure.time ? *x.departure.time : *x.arrival.time) - base;
      calls.push_back({*ri, a, d, x.relationship != rt::stop_relationship::skipped});
    }
    auto latest = std::numeric_limits<std::int64_t>::min();
    for (auto& k : calls) {
      k.arr = std::max(k.arr, latest);
      k.dep = std::max(k.dep, k.arr);
      latest = k.dep;
    }
    if (calls.size() < 2) return;
    auto const inst = net.n_inst++;
    net.inst_trip.push_back("added " + u.trip_id);
    for (auto i = 0U; i + 1 < calls.size(); ++i) {
      net.conns.push_back({calls[i].dep, calls[i + 1].arr, calls[i].stop, calls[i + 1].stop, inst, i,
                           static_cast<std::uint32_t>(net.conns.size()), calls[i].stops_here, calls[i + 1].stops_here});
      net.stops[calls[i].stop].served = net.stops[calls[i + 1].stop].served = true;
    }
    ++c.added;
  }

  std::int64_t day_of_date() const { return (date_ - l_.tt.first_date).count(); }

  bool runs(trip_idx t, std::int64_t day) const { return l_.tt.trip_active(t, day); }

  // The service day of an update relative to the query date: start_date; else, of the days
  // around the update's first time on which the trip runs, the one whose run is nearest to it.
  std::optional<std::int64_t> day_shift(rt::trip_update const& u, trip_idx t, static_trip const& rows,
                                        rt::feed_message const& m) const {
    auto const d0 = day_of_date();
    if (u.start_date) {
      auto const d = (*u.start_date - l_.tt.first_date).count();
      if (!runs(t, d)) return std::nullopt;
      return d - d0;
    }
    std::optional<std::int64_t> ref;
    for (auto const& x : u.stops) {
      if (ref) break;
      if (x.arrival.time) ref = *x.arrival.time;
      else if (x.departure.time) ref = *x.departure.time;
    }
    if (!ref) ref = u.timestamp ? u.timestamp : m.timestamp;
    if (!ref) return std::nullopt;
    std::optional<std::int64_t> best;
    auto best_gap = std::numeric_limits<std::int64_t>::max();
    for (auto k = -2; k <= 2; ++k) {
      auto const d = d0 + k;
      if (d < 0 || d >= static_cast<std::int64_t>(l_.tt.n_days) || !runs(t, d)) continue;
      auto const base = ctx_.day_base(t, day_idx{static_cast<std::uint16_t>(d)});
      auto const from = base + rows.departure.front(), to = base + rows.arrival.back();
      auto const gap = *ref < from ? from - *ref : (*ref > to ? *ref - to : 0);
      if (gap < best_gap) {
        best_gap = gap;
        best = k;
      }
    }
    if (!best || best_gap > max_deviation) return std::nullopt;
    return best;
  }

  test::loaded_feeds const& l_;
  rt::context const& ctx_;

 public:
  rt::state const* state_{nullptr};
  mutable std::vector<std::string> mismatch_;

 private:
  date_t date_;
  std::map<std::string, std::vector<build::stop_time const*>> rows_;
};

void check_snapshot(snapshot_case const& sc, unsigned n_queries) {
  auto const feed = test::shared_dataset(sc.feed);
  if (feed.empty()) return;
  auto const pb = test::shared_dataset(sc.pb);
  if (pb.empty()) return;
  auto const l = test::load({feed});
  std::vector<gtfs_import::feed_spec> const specs{{feed.filename().string(), feed}};
  rt::context const ctx{l->tt, gtfs_rt::read_schedule_extras(specs, l->tt)};
  gtfs_rt::resolver const ids{ctx};
  auto const decoded = gtfs_rt::decode(test::read_bytes(pb), ids);
  REQUIRE(decoded.message);
  auto const& msg = *decoded.message;
  REQUIRE(msg.timestamp);

  rt::build_input in;
  for (auto const& u : msg.trip_updates) in.trip_updates.push_back({&u, 0, msg.timestamp});
  in.feed_time = msg.timestamp;
  in.now = *msg.timestamp;
  auto const state = rt::build_state(ctx, in);
  CHECK(state->validate(ctx).empty());

  auto const date = test::parse_date(sc.date);
  test::ref::network net{l->inputs, date, 0.0, 1.2};
  // The reference does not check a stay-seated continuation against the realtime times of the
  // two rides (the vehicle must arrive before the next trip leaves), so both plan without them
  // here; planner_fixture_test.cc checks them by hand (docs/realtime.md).
  net.seated_ = false;
  reference_overlay ref{*l, ctx, date};
  ref.state_ = state.get();
  auto const c = ref.apply(msg, net);
  // The overlay's times of every updated trip-day are the reference's.
  for (auto const& m : ref.mismatch_) UNSCOPED_INFO("times differ: " << m);
  CHECK(ref.mismatch_.empty());
  INFO(sc.name << ": " << msg.trip_updates.size() << " trip updates; reference: " << c.updated << " updated, "
               << c.cancelled << " cancelled, " << c.added << " added, " << c.not_running << " not running, "
               << c.skipped_stops << " skipped stops, " << c.unmatched_stus << " unmatched stop_time_updates, "
               << c.other << " other; state: " << state->stats().applied << " applied, " << state->route_days().size()
               << " route-days, " << state->extra_routes().size() << " extra routes");
  WARN(sc.name << ": reference " << c.updated << " updated, " << c.cancelled << " cancelled, " << c.not_running
               << " not running; state " << state->stats().applied << " applied, " << state->extra_routes().size()
               << " extra routes, " << state->stats().overtaking << " overtaking");

  raptor::index const idx{l->tt};
  raptor::router r{idx};
  std::vector<stop_idx> map(net.stops.size(), stop_idx::invalid());
  std::vector<std::uint32_t> served;
  for (auto s = stop_idx{0}; s.v() < l->tt.n_stops(); ++s) {
    auto const ri = net.find(0U, l->tt.strings[l->tt.stop_ids[s]]);
    if (ri) map[*ri] = s;
  }
  for (auto i = 0U; i < net.stops.size(); ++i) {
    if (map[i].valid() && net.stops[i].served) served.push_back(i);
  }
  REQUIRE(!served.empty());

  // Departures around the snapshot, where the updates are (service-day seconds of the date).
  auto const base = ctx.day_base(trip_idx{0}, *l->tt.day_of(date));
  auto const now = *msg.timestamp - base;
  std::mt19937_64 rng{0x7ea1u + std::hash<std::string_view>{}(sc.name)};
  unsigned agree = 0, reachable = 0, differs_from_schedule = 0;
  std::vector<std::string> examples;
  for (auto q = 0U; q < n_queries; ++q) {
    auto const from = served[rng() % served.size()];
    auto const to = served[rng() % served.size()];
    auto const t = static_cast<seconds_t>(now - 3600 + static_cast<std::int64_t>(rng() % (3 * 3600)));
    auto const slack = static_cast<seconds_t>(q % 3 == 2 ? 120 : 0);
    auto const want = net.query(from, to, t, slack, 8);
    raptor::options o;
    o.gtfs_literal = true;
    o.max_legs = 8;
    o.walk_radius_m = 0.0;
    o.transfer_slack_s = slack;
    o.stay_seated = false;
    auto const schedule =
        r.earliest_arrival(raptor::place::at_stop(map[from]), raptor::place::at_stop(map[to]), date, t, o);
    auto const schedule_time = schedule.reachable ? schedule.time : -1;
    o.realtime = state.get();
    auto const got = r.earliest_arrival(raptor::place::at_stop(map[from]), raptor::place::at_stop(map[to]), date, t, o);
    auto ok = got.reachable == want.reachable && (!want.reachable || (got.time == want.arrival && got.legs == want.legs));
    raptor::journey j;
    if (ok && got.reachable) {
      // The journey rides only trips that run, at their realtime times.
      ok = r.reconstruct(got.legs, j) && j.arrival == got.time && j.departure >= t;
    }
    if (got.reachable) ++reachable;
    if ((got.reachable ? got.time : -1) != schedule_time) ++differs_from_schedule;
    if (ok) {
      ++agree;
    } else if (examples.size() < 5) {
      examples.push_back(net.stops[from].id + " -> " + net.stops[to].id + " at " + std::to_string(t) + " slack " +
                         std::to_string(slack) + ": router " + (got.reachable ? std::to_string(got.time) : "-") + "/" +
                         std::to_string(got.legs) + ", reference " +
                         (want.reachable ? std::to_string(want.arrival) : "-") + "/" + std::to_string(want.legs) +
                         (want.reachable ? " via " + net.explain(to, want.legs, false) : "") + "\n" +
                         (got.reachable ? raptor::to_string(l->tt, j) : ""));
    }
  }
  for (auto const& e : examples) UNSCOPED_INFO(e);
  INFO(sc.name << ": " << agree << " / " << n_queries << " agree, " << reachable << " reachable, "
               << differs_from_schedule << " differ from the timetable's answer");
  CHECK(agree == n_queries);
  // Platforms are stops of their own (Caltrain: one per direction, no footpaths in literal
  // mode), so many random pairs have no journey; enough have.
  CHECK(reachable > n_queries / 10);
  if (sc.changes) {
    // The snapshot changes answers: otherwise the test would show nothing about realtime.
    CHECK(differs_from_schedule > n_queries / 20);
  } else {
    CHECK(c.not_running == msg.trip_updates.size());
    CHECK(state->stats().applied == 0U);
    CHECK(differs_from_schedule == 0U);
  }
  WARN(sc.name << ": " << agree << " / " << n_queries << " agree; " << differs_from_schedule
               << " answers differ from the timetable's");
}

}  // namespace

TEST_CASE("realtime earliest arrival equals the reference on BART's snapshot", "[rt][planner][reference][bart]") {
  check_snapshot({"bart", "rt-samples/us-bart/gtfs", "rt-samples/us-bart/bart-trip-updates.pb", "2019-08-07"}, 600);
}

TEST_CASE("realtime earliest arrival equals the reference on BART's Memorial Day snapshot",
          "[rt][planner][reference][bart]") {
  check_snapshot({"bart-memorial", "rt-samples/us-bart/gtfs", "rt-samples/us-bart/bart-trip-updates-20190528.pb",
                  "2019-05-27", false},
                 600);
}

TEST_CASE("realtime earliest arrival equals the reference on Caltrain's snapshot", "[rt][planner][reference][caltrain]") {
  check_snapshot({"caltrain", "rt-samples/us-caltrain/gtfs", "rt-samples/us-caltrain/ct-trip-updates.pb", "2023-11-07"},
                 600);
}
