#include "nebuta/sim/simulation.h"

#include <memory>

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <stdexcept>
#include <string>

#include "journey_sim.h"
#include "nebuta/dispatch/dispatcher.h"
#include "nebuta/dispatch/validate.h"
#include "nebuta/sim/demand.h"
#include "nebuta/sim/random.h"

namespace nebuta::sim {

using dispatch::instant;
using dispatch::no_time;
using dispatch::request_idx;
using dispatch::vehicle_idx;

char const* to_string(request_outcome o) {
  switch (o) {
    case request_outcome::served: return "served";
    case request_outcome::rejected: return "rejected";
    case request_outcome::declined: return "declined";
    case request_outcome::cancelled: return "cancelled";
    case request_outcome::no_show: return "no_show";
    case request_outcome::open: return "open";
  }
  return "?";
}

char const* to_string(event_kind k) {
  switch (k) {
    case event_kind::depart_depot: return "depart_depot";
    case event_kind::pickup: return "pickup";
    case event_kind::dropoff: return "dropoff";
    case event_kind::no_show: return "no_show";
    case event_kind::return_depot: return "return_depot";
  }
  return "?";
}

namespace {

constexpr std::uint64_t riders_stream = 0x7269646572730000ULL;  // "riders"
enum draw : std::uint64_t { draw_decline, draw_cancel, draw_cancel_time, draw_no_show, draw_late, draw_late_s };

// Rider events waiting for their time. At equal times cancellations come before answers; then
// the order in which they were scheduled.
struct agenda_item {
  instant time{0};
  int kind{0};  // 0 cancel, 1 answer
  std::uint64_t seq{0};
  std::uint32_t request{0};
  bool operator>(agenda_item const& o) const {
    if (time != o.time) return time > o.time;
    if (kind != o.kind) return kind > o.kind;
    return seq > o.seq;
  }
};

struct vehicle_track {
  road::snapped_point pos{}, depot{};
  bool at_depot{true};
  std::uint16_t onboard{0};
  instant occupied_since{0};
  std::vector<std::uint32_t> aboard;  // requests on board
};

// The simulation's clock counts from midnight of its first day; records keep seconds_t.
seconds_t sim_time(instant t) { return static_cast<seconds_t>(t); }

class runner {
 public:
  runner(scenario const& sc, road::travel_model const& model, sim_options const& opt)
      : sc_{sc}, model_{model}, opt_{opt}, d_{model, sc.rules} {
    d_.set_journal(opt.journal);
    if (opt.journeys != nullptr) {
      if (opt.journeys->index == nullptr) throw std::invalid_argument{"simulation: journeys need a timetable index"};
      js_ = std::make_unique<detail::journey_sim>(sc, model, *opt.journeys);
      hooks_.after_command = [this](char const* what) { after_command(what); };
      hooks_.sync_vehicles = [this] { sync_vehicles(); };
    }
  }

  result run() {
    load_demand();
    add_fleet();
    main_loop();
    finish();
    if (js_) {
      js_->finish(res_);
    } else if (opt_.transit_index != nullptr) {
      add_transit_alternatives(res_, *opt_.transit_index, opt_.transit);
    }
    res_.k = compute_kpis(res_, sc_);
    if (js_) res_.k.journeys = detail::compute_journey_kpis(res_);
    return std::move(res_);
  }

 private:
  // --- setup ---
  void load_demand() {
    std::vector<trip_request> all = sc_.requests;
    if (sc_.generated) {
      auto gen = generate_demand(*sc_.generated, sc_.days, sc_.seed);
      all.insert(all.end(), std::make_move_iterator(gen.begin()), std::make_move_iterator(gen.end()));
    }
    std::stable_sort(all.begin(), all.end(),
                     [](trip_request const& a, trip_request const& b) { return a.requested_at < b.requested_at; });
    auto const take = [&all](auto& records) {  // journeys, or rides
      records.resize(all.size());
      for (std::size_t i = 0; i < all.size(); ++i) {
        all[i].earliest_pickup = std::max(all[i].earliest_pickup, all[i].requested_at);
        records[i].request = std::move(all[i]);
      }
    };
    if (js_) {
      take(res_.journeys);
      return;
    }
    take(res_.requests);
    auto const n = res_.requests.size();
    ready_at_.assign(n, no_time);
    accepts_.resize(n);
  }

  // When the rider of request i reaches a pickup whose window starts at window_start (no_time:
  // never, a no-show).
  instant ready_of(std::size_t i, instant window_start) const {
    if (draw_of(i, draw_no_show) < sc_.riders.no_show_probability) return no_time;
    auto late = res_.requests[i].request.late_s;
    if (late < 0) {
      late = draw_of(i, draw_late) < sc_.riders.late_probability
                 ? static_cast<seconds_t>(std::floor(draw_of(i, draw_late_s) * (sc_.riders.late_max_s + 1)))
                 : 0;
    }
    return window_start + late;
  }

  void add_fleet() {
    for (int day = 0; day < sc_.days; ++day) {
      for (auto spec : sc_.fleet) {
        spec.shift_start += day * seconds_per_day;
        spec.shift_end += day * seconds_per_day;
        if (sc_.days > 1) spec.name += "-d" + std::to_string(day + 1);
        vehicle_record rec;
        rec.id = spec.name;
        rec.seats = spec.seats;
        rec.wheelchair_spaces = spec.wheelchairs;
        rec.shift_start = sim_time(spec.shift_start);
        rec.shift_end = sim_time(spec.shift_end);
        rec.hours_in_service = static_cast<double>(std::max<instant>(0, spec.shift_end - spec.shift_start)) / 3600.0;
        res_.vehicles.push_back(rec);
        auto const v = d_.add_vehicle(0, std::move(spec));
        after_command("add_vehicle");
        vehicle_track t;
        t.depot = t.pos = d_.vehicle(v).depot;
        tracks_.push_back(t);
      }
    }
  }

  double draw_of(std::size_t request, draw what) const {
    return to_unit(hash_keys(sc_.seed ^ riders_stream, request, what));
  }

  // --- the event loop ---
  instant vehicle_event_time(vehicle_idx v) const {
    auto const& st = d_.vehicle(v).stops;
    if (st.empty()) return no_time;
    auto const& s = st.front();
    if (!s.arrived) return std::max(now_, s.arrival);
    if (s.kind == dispatch::stop_kind::pickup && ready_at_[s.request.v()] > s.begin) {
      // The rider is late: the vehicle waits for them until the dispatcher's no-show time.
      return std::max(now_, std::min(ready_at_[s.request.v()], d_.no_show_time(v)));
    }
    return std::max(now_, s.begin);
  }

  bool work_left() const {
    if (next_request_ < n_demand() || !agenda_.empty()) return true;
    return std::any_of(d_.vehicles().begin(), d_.vehicles().end(), [](auto const& v) { return !v.stops.empty(); });
  }

  std::size_t n_demand() const { return js_ ? res_.journeys.size() : res_.requests.size(); }
  seconds_t requested_at(std::size_t i) const {
    return js_ ? res_.journeys[i].request.requested_at : res_.requests[i].request.requested_at;
  }

  void main_loop() {
    auto const n = n_demand();
    auto const progress_step = std::max<std::size_t>(1, n / 100);
    instant next_reopt = sc_.reoptimise_every > 0 ? sc_.reoptimise_every : no_time;
    if (n > 0 && next_reopt != no_time) {
      // Start re-optimising with the first request rather than at midnight.
      auto const first = requested_at(0);
      next_reopt = std::max<instant>(next_reopt, (first / sc_.reoptimise_every + 1) * sc_.reoptimise_every);
    }
    while (true) {
      instant tv = no_time;
      vehicle_idx which;
      for (auto v = vehicle_idx{0}; v.v() < d_.vehicles().size(); ++v) {
        auto const t = vehicle_event_time(v);
        if (t < tv) {
          tv = t;
          which = v;
        }
      }
      auto const ta = agenda_.empty() ? no_time : agenda_.top().time;
      auto const tr = next_request_ < n ? instant{requested_at(next_request_)} : no_time;
      auto const to = work_left() ? next_reopt : no_time;
      auto const t = std::min({tv, ta, tr, to});
      if (t >= no_time) break;
      now_ = std::max(now_, t);
      if (tv == t) {
        vehicle_step(which);
      } else if (ta == t) {
        auto const item = agenda_.top();
        agenda_.pop();
        if (item.kind == 0) {
          rider_cancels(item.request);
        } else {
          rider_answers(item.request);
        }
      } else if (tr == t) {
        if (js_) {
          js_->plan_and_book(next_request_++, d_, now_, res_, ready_at_, hooks_);
        } else {
          new_request(next_request_++);
        }
        if (opt_.progress && (next_request_ % progress_step == 0 || next_request_ == n))
          opt_.progress(next_request_, n);
      } else {
        d_.reoptimise(now_);
        after_command("reoptimise");
        next_reopt += sc_.reoptimise_every;
      }
    }
  }

  void new_request(std::size_t i) {
    auto& rec = res_.requests[i];
    auto const& q = rec.request;
    dispatch::request_spec spec{q.origin, q.destination, q.passengers, q.wheelchair_users, q.earliest_pickup};
    auto const o = d_.request_offer(now_, spec);
    after_command("request_offer");
    if (o.request.v() != i) throw std::logic_error{"simulation: request indices out of step with the dispatcher"};
    // The dispatcher's own direct time (between the meeting points it used), the one its
    // ride limit was computed from.
    auto const& st = d_.request(o.request);
    if (st.pickup.valid && st.dropoff.valid && st.direct > 0) {
      rec.direct_s = st.direct;
      rec.direct_m = st.direct_m;
    }
    if (!o.ok()) {
      rec.outcome = request_outcome::rejected;
      rec.reject_reason = dispatch::to_string(o.reason);
      return;
    }
    rec.vehicle = static_cast<std::int32_t>(o.o.vehicle.v());
    rec.promised_pickup_start = sim_time(o.o.window_start);
    rec.promised_pickup_end = sim_time(o.o.window_end);
    rec.promised_dropoff_by = sim_time(o.o.latest_dropoff);
    ready_at_[i] = ready_of(i, o.o.window_start);
    auto const patient = o.o.window_end - q.earliest_pickup <= sc_.riders.max_wait_accepted;
    accepts_[i] = patient && draw_of(i, draw_decline) >= sc_.riders.decline_probability;
    agenda_.push({now_ + std::max<instant>(0, sc_.riders.response_s), 1, seq_++, static_cast<std::uint32_t>(i)});
  }

  void rider_answers(std::uint32_t i) {
    auto& rec = res_.requests[i];
    if (!accepts_[i]) {
      rec.outcome = request_outcome::declined;
      return;
    }
    auto const r = request_idx{i};
    auto const a = d_.accept(now_, r);
    after_command("accept");
    if (!a.ok()) {
      rec.outcome = request_outcome::rejected;
      rec.reject_reason = dispatch::to_string(a.status);
      return;
    }
    if (draw_of(i, draw_cancel) < sc_.riders.cancel_probability) {
      auto const eta = d_.eta(r).pickup;
      auto const span = eta == no_time ? 0 : std::max<instant>(0, eta - now_);
      auto const at = now_ + static_cast<instant>(std::floor(draw_of(i, draw_cancel_time) * static_cast<double>(span)));
      agenda_.push({at, 0, seq_++, i});
    }
  }

  void rider_cancels(std::uint32_t i) {
    auto const r = request_idx{i};
    if (d_.request(r).status != dispatch::request_status::assigned) return;  // picked up already
    auto const v = d_.request(r).vehicle;
    if (d_.cancel(now_, r, dispatch::cancelled_by::rider) != dispatch::command_status::ok) {
      throw std::logic_error{"simulation: the dispatcher refused a rider's cancellation"};
    }
    after_command("cancel");
    // On its way to this pickup the vehicle is taken to reach it as planned and go on from there.
    auto const& vs = d_.vehicle(v);
    if (!(vs.pos.coord == tracks_[v.v()].pos.coord)) move_to(v, vs.pos, vs.pos_time);
  }

  // After a journey's cancellation: a vehicle on its way to a cancelled pickup is taken to reach it
  // as planned and go on from there (as for a rider's cancellation).
  void sync_vehicles() {
    for (auto v = vehicle_idx{0}; v.v() < tracks_.size(); ++v) {
      auto const& vs = d_.vehicle(v);
      if (!(vs.pos.coord == tracks_[v.v()].pos.coord)) move_to(v, vs.pos, vs.pos_time);
    }
  }

  void expect_ok(dispatch::command_status s, char const* what) {
    if (s != dispatch::command_status::ok) {
      throw std::logic_error{std::string{"simulation: the dispatcher refused "} + what + ": " + dispatch::to_string(s)};
    }
    after_command(what);
  }

  void vehicle_step(vehicle_idx v) {
    auto const s = d_.vehicle(v).stops.front();
    auto const ri = s.request.v();
    auto& tr = tracks_[v.v()];
    auto const persons = d_.request(s.request).spec.passengers;
    if (!s.arrived) {
      move_to(v, s.loc, now_);
      expect_ok(d_.update_position(now_, v, s.loc.coord), "update_position");
      expect_ok(d_.stop_event(now_, v, s.request, dispatch::stop_event_kind::arrived), "arrived");
      return;
    }
    if (s.kind == dispatch::stop_kind::pickup && ready_at_[ri] > now_) {
      auto const status = d_.no_show(now_, v, s.request);
      if (status != dispatch::command_status::ok) {
        throw std::logic_error{std::string{"simulation: the dispatcher refused no_show: "} + dispatch::to_string(status)};
      }
      after_command("no_show");
      emit(v, static_cast<std::int32_t>(ri), event_kind::no_show, s.loc.coord);
      if (js_) js_->no_show(ri, d_, now_, res_, hooks_);
      return;
    }
    if (s.kind == dispatch::stop_kind::pickup) {
      expect_ok(d_.stop_event(now_, v, s.request, dispatch::stop_event_kind::picked_up), "picked_up");
      if (tr.onboard == 0) tr.occupied_since = now_;
      tr.onboard = static_cast<std::uint16_t>(tr.onboard + persons);
      tr.aboard.push_back(ri);
      if (tr.aboard.size() >= 2) {
        for (auto const other : tr.aboard) res_.requests[other].shared = true;
      }
      emit(v, static_cast<std::int32_t>(ri), event_kind::pickup, s.loc.coord);
    } else {
      expect_ok(d_.stop_event(now_, v, s.request, dispatch::stop_event_kind::dropped_off), "dropped_off");
      tr.onboard = static_cast<std::uint16_t>(tr.onboard - persons);
      std::erase(tr.aboard, ri);
      if (tr.onboard == 0)
        res_.vehicles[v.v()].hours_occupied += static_cast<double>(now_ - tr.occupied_since) / 3600.0;
      res_.vehicles[v.v()].passengers_carried += persons;
      emit(v, static_cast<std::int32_t>(ri), event_kind::dropoff, s.loc.coord);
      if (js_) js_->dropped_off(ri, d_, now_, res_, hooks_);
    }
  }

  // The vehicle drives from where it was to `to`, arriving at `arrival`.
  void move_to(vehicle_idx v, road::snapped_point const& to, instant arrival) {
    auto& tr = tracks_[v.v()];
    auto const leg = model_.cost(tr.pos, to);
    if (!leg) throw std::logic_error{"simulation: a vehicle was sent to an unreachable place"};
    if (tr.at_depot && leg->metres > 0.0) {
      tr.at_depot = false;
      emit_at(arrival - leg->seconds, v, -1, event_kind::depart_depot, tr.depot.coord);
    }
    auto& rec = res_.vehicles[v.v()];
    auto const km = leg->metres / 1000.0;
    rec.km_driven += km;
    if (tr.onboard == 0) rec.km_empty += km;
    rec.passenger_km += km * tr.onboard;
    tr.pos = to;
  }

  void emit(vehicle_idx v, std::int32_t request, event_kind kind, latlon at) { emit_at(now_, v, request, kind, at); }
  void emit_at(instant t, vehicle_idx v, std::int32_t request, event_kind kind, latlon at) {
    res_.events.push_back({sim_time(t), v.v(), request, kind, at, tracks_[v.v()].onboard});
  }

  void finish() {
    for (auto const& q : d_.requests()) {
      if (q.status == dispatch::request_status::assigned || q.status == dispatch::request_status::on_board) {
        throw std::logic_error{"simulation: a booked ride was left unfinished"};
      }
    }
    for (std::size_t i = 0; i < res_.requests.size(); ++i) {
      auto& rec = res_.requests[i];
      auto const& q = d_.request(request_idx{i});
      switch (q.status) {
        case dispatch::request_status::completed:
          rec.outcome = request_outcome::served;
          rec.pickup_at = sim_time(q.picked_up_at);
          rec.dropoff_at = sim_time(q.dropped_off_at);
          break;
        case dispatch::request_status::no_show: rec.outcome = request_outcome::no_show; break;
        case dispatch::request_status::cancelled: rec.outcome = request_outcome::cancelled; break;
        default: break;
      }
      if (q.status == dispatch::request_status::completed || q.status == dispatch::request_status::no_show ||
          q.status == dispatch::request_status::cancelled) {
        rec.vehicle = static_cast<std::int32_t>(q.vehicle.v());
      }
      if (rec.outcome != request_outcome::served) rec.shared = false;
    }
    // Back to the depot at the end of the shift.
    for (auto v = vehicle_idx{0}; v.v() < tracks_.size(); ++v) {
      auto& tr = tracks_[v.v()];
      if (tr.at_depot) continue;
      auto const leg = model_.cost(tr.pos, tr.depot);
      if (!leg) continue;
      auto const free = std::max(d_.vehicle(v).pos_time, d_.vehicle(v).spec.shift_start);
      auto const leave = std::max(free, d_.vehicle(v).spec.shift_end - leg->seconds);
      auto& rec = res_.vehicles[v.v()];
      rec.km_driven += leg->metres / 1000.0;
      rec.km_empty += leg->metres / 1000.0;
      tr.pos = tr.depot;
      tr.at_depot = true;
      emit_at(leave + leg->seconds, v, -1, event_kind::return_depot, tr.depot.coord);
    }
    std::stable_sort(res_.events.begin(), res_.events.end(),
                     [](vehicle_event const& a, vehicle_event const& b) { return a.time < b.time; });
  }

  // --- validation ---
  void after_command(char const* what) {
    ++res_.n_commands;
    if (opt_.validate) check(what);
    if (opt_.after_command) opt_.after_command(d_);
  }

  void check(char const* what) {
    if (res_.validation_errors.size() >= opt_.max_validation_errors) return;
    ++res_.n_checks;
    namespace val = dispatch::validate;
    val::fleet_plan plan;
    plan.dwell = d_.service_rules().dwell;
    rider_of_.assign(d_.requests().size(), 0);
    for (std::size_t r = 0; r < d_.requests().size(); ++r) {
      auto const& q = d_.requests()[r];
      if (q.status != dispatch::request_status::assigned && q.status != dispatch::request_status::on_board) continue;
      rider_of_[r] = static_cast<std::uint32_t>(plan.riders.size());
      plan.riders.push_back({q.spec.passengers - q.spec.wheelchair_users, q.spec.wheelchair_users, q.pickup.coord,
                             q.dropoff.coord, q.window_start, q.window_end, q.latest_dropoff, q.max_ride + plan.dwell,
                             q.status == dispatch::request_status::on_board, q.picked_up_at, q.vehicle.v()});
      // A journey's leg: its train connection as the simulation planned it from the timetable.
      if (auto const c = js_ ? js_->connection_of(static_cast<std::uint32_t>(r)) : std::nullopt) {
        plan.riders.back().connection_dropoff = c->dropoff_by;
        plan.riders.back().connection_pickup = c->pickup_from;
      }
    }
    for (std::size_t vi = 0; vi < d_.vehicles().size(); ++vi) {
      auto const& v = d_.vehicles()[vi];
      plan.vehicles.push_back({v.spec.seats, v.spec.wheelchairs, v.spec.depot, v.spec.shift_start, v.spec.shift_end,
                               v.pos.coord, v.pos_time});
      auto& sched = plan.schedules.emplace_back();
      for (auto const& s : v.stops) {
        sched.push_back({rider_of_[s.request.v()], s.kind == dispatch::stop_kind::pickup, s.arrival, s.begin,
                         s.departure, s.arrived, s.arrived_at});
      }
    }
    auto const& vm = opt_.validation_model != nullptr ? *opt_.validation_model : model_;
    for (auto const& e : val::check(plan, vm)) {
      if (res_.validation_errors.size() >= opt_.max_validation_errors) break;
      res_.validation_errors.push_back("t=" + std::to_string(now_) + " after " + what + ": " + e);
    }
  }

  scenario const& sc_;
  road::travel_model const& model_;
  sim_options const& opt_;
  dispatch::dispatcher d_;
  result res_;
  instant now_{0};
  std::size_t next_request_{0};
  std::uint64_t seq_{0};
  std::priority_queue<agenda_item, std::vector<agenda_item>, std::greater<>> agenda_;
  std::vector<instant> ready_at_;  // per request: when the rider is at the pickup (no_time: never)
  std::vector<char> accepts_;
  std::unique_ptr<detail::journey_sim> js_;
  detail::journey_hooks hooks_;
  std::vector<vehicle_track> tracks_;
  std::vector<std::uint32_t> rider_of_;
};

}  // namespace

result simulate(scenario const& sc, road::travel_model const& model, sim_options const& opt) {
  return runner{sc, model, opt}.run();
}

}  // namespace nebuta::sim
