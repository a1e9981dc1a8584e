// /v1/journeys (issue 16): a planned journey's on-demand legs booked as one dispatcher command, all
// or none; its status with each leg's promises, live ETAs and the realtime of its connections; its
// cancellation; and the re-planning of legs whose train runs at another time (check_connections).
#include <algorithm>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "drt_handlers.h"
#include "drt_remote.h"
#include "drt_token.h"
#include "nebuta/v1/journeys.pb.h"

namespace nebuta::api_server {

namespace d = nebuta::dispatch;

namespace {

d::connection::kind engine_kind(journey_link::kind k) {
  switch (k) {
    case journey_link::kind::before_departure: return d::connection::kind::before_departure;
    case journey_link::kind::after_arrival: return d::connection::kind::after_arrival;
    case journey_link::kind::none: break;
  }
  return d::connection::kind::none;
}

char const* kind_name(d::connection::kind k) {
  switch (k) {
    case d::connection::kind::before_departure: return "before_departure";
    case d::connection::kind::after_arrival: return "after_arrival";
    case d::connection::kind::none: break;
  }
  return "none";
}

// Caller holds the mutex.
d::journey_idx known_journey(drt_state const& m, std::optional<std::uint32_t> const& id) {
  if (!id || *id >= m.disp.journeys().size()) throw api_error{404, "unknown_journey"};
  return d::journey_idx{*id};
}

// The operator's token, or the journey's own rider token (any other id is forbidden, known or not).
void authorise(drt_state const& m, call const& c, std::optional<std::uint32_t> const& id) {
  auto const bearer = c.bearer();
  if (!bearer) throw api_error{401, "unauthorized.journey"};
  if (is_operator(m, c)) return;
  if (!id || !equal_secret(*bearer, m.journey_token(*id))) throw api_error{403, "forbidden.journey"};
}

// The journey whose legs are exactly these offers, if they were booked already (a retried POST).
std::optional<d::journey_idx> booked_before(drt_state const& m, std::vector<d::journey_leg> const& legs) {
  auto const& first = legs.front().request;
  if (!first.valid() || first.v() >= m.disp.requests().size()) return std::nullopt;
  auto const j = m.disp.request(first).journey;
  if (!j.valid() || m.disp.journey(j).legs != legs) return std::nullopt;
  return j;
}

}  // namespace

std::string drt_state::journey_token(std::uint32_t journey) const {
  return signature_of(secret, "nebuta-journey-rider-token-v1:" + std::to_string(journey));
}

v1::BookedJourney drt_state::journey_message(d::journey_idx j, langs const& chain) const {
  auto const& jy = disp.journey(j);
  v1::BookedJourney out;
  out.set_journey_id(std::to_string(j.v()));
  set_time(out.mutable_booked_at(), jy.booked_at);
  bool lost = false, done = true;
  for (auto const& l : jy.legs) {
    auto const& rq = disp.request(l.request);
    auto& leg = *out.add_legs();
    *leg.mutable_request() = request_status(l.request, chain);
    leg.set_connection_lost(rq.connection_lost);
    auto& c = *leg.mutable_connection();
    c.set_kind(kind_name(l.link.k));
    c.set_trip_id(l.link.trip_id);
    c.set_stop_id(l.link.stop_id);
    c.set_buffer_s(l.link.buffer);
    if (l.link.k != d::connection::kind::none) {
      set_time(c.mutable_scheduled(), l.link.scheduled);
      if (auto const rt = opt.transit_realtime ? opt.transit_realtime(l.link) : std::nullopt) {
        c.set_realtime(true);
        c.set_delay_s(static_cast<std::int32_t>(
            std::clamp<std::int64_t>(rt->expected_unix - l.link.scheduled, INT32_MIN, INT32_MAX)));
        set_time(c.mutable_expected(), rt->expected_unix);
        c.set_trip_cancelled(rt->cancelled);
        lost = lost || rt->cancelled;
        if (rq.connection_lost && out.status_reason().empty()) {
          std::vector<std::string> const args{l.link.stop_id, sclock.iso(rt->expected_unix),
                                              sclock.iso(l.link.scheduled)};
          out.set_status_reason(api_service::error_message("journey.connection_lost", args, chain));
          if (rt->next_departure_unix != 0) {  // replaced by a planned alternative when there is one
            std::vector<std::string> const alt{l.link.stop_id, sclock.iso(rt->next_departure_unix)};
            out.set_next_alternative(api_service::error_message("journey.alternative", alt, chain));
          }
        }
      }
    }
    lost = lost || rq.connection_lost;
    done = done && rq.status == d::request_status::completed;
  }
  out.set_status(jy.cancelled ? "cancelled" : lost ? "at_risk" : done ? "completed" : "booked");
  return out;
}

// The first lost last-mile connection of an open journey: the rider is at its stop once the train
// arrives (realtime) plus the buffer, bound for the leg's drop-off. A lost first mile has no such
// point (the rider is still at home, the destination is the train's), nor a cancelled train.
std::optional<alternative_ask> drt_state::alternative_ask_of(d::journey_idx j) const {
  auto const& jy = disp.journey(j);
  if (jy.cancelled || !opt.transit_realtime) return std::nullopt;
  for (auto const& l : jy.legs) {
    auto const& rq = disp.request(l.request);
    if (!rq.connection_lost || l.link.k != d::connection::kind::after_arrival) continue;
    if (rq.status != d::request_status::assigned) continue;
    auto const rt = opt.transit_realtime(l.link);
    if (!rt || rt->cancelled) continue;
    return alternative_ask{
        rq.spec.pickup, rq.spec.dropoff, rt->expected_unix + l.link.buffer, rq.spec.wheelchair_users > 0, {}};
  }
  return std::nullopt;
}

// Legs whose transit ride runs at another time than their booking assumes get a move command:
// after_arrival, the pickup from the new arrival plus the buffer; before_departure, only when the
// train leaves earlier than the promise allows (the drop-off by the new departure less the buffer).
// A first mile whose train is late keeps its promise as it is: the rider reaches the station as
// promised and waits longer there; nothing is re-planned (docs/maas.md, "Late trains").
std::size_t drt_state::check_connections(d::instant now, std::function<bool(d::connection const&)> const& touched) {
  if (!opt.transit_realtime) return 0;
  std::size_t n_moves = 0;
  for (auto j = d::journey_idx{0}; j.v() < disp.journeys().size(); ++j) {
    if (disp.journey(j).cancelled) continue;
    auto const legs = disp.journey(j).legs;  // a copy: move commands change the dispatcher
    for (auto const& l : legs) {
      if (l.link.k == d::connection::kind::none || (touched && !touched(l.link))) continue;
      auto const& rq = disp.request(l.request);
      auto const after = l.link.k == d::connection::kind::after_arrival;
      if (rq.status != d::request_status::assigned && (after || rq.status != d::request_status::on_board)) continue;
      auto const rt = opt.transit_realtime(l.link);
      if (rt && rt->cancelled) continue;
      auto const expected = rt ? rt->expected_unix : l.link.scheduled;  // no realtime (any more): as scheduled
      auto earliest = rq.spec.earliest_pickup, latest = rq.spec.latest_dropoff;
      if (after) {
        earliest = expected + l.link.buffer;
      } else {
        latest = expected - l.link.buffer;
        if (latest >= rq.latest_dropoff) continue;  // late (or still in time): the promise holds
      }
      if (earliest == rq.spec.earliest_pickup && latest == rq.spec.latest_dropoff) continue;
      write([&] { return disp.move(now, l.request, earliest, latest); });
      ++n_moves;
    }
  }
  return n_moves;
}

namespace {

// The next alternative of a journey at risk, found without the lock (the planner may ask this
// service for a re-offer) and kept while the rider's point stays and its offers are valid.
void add_alternative(drt_state& m, d::journey_idx j, v1::BookedJourney& out, std::vector<std::string> const& chain,
                     std::unique_lock<std::mutex>& lock) {
  if (!m.opt.next_alternative || out.status() != "at_risk") return;
  auto ask = m.alternative_ask_of(j);
  if (!ask) return;
  auto const now = m.now();
  auto const it = m.alternatives.find(j.v());
  std::optional<v1::Journey> found;
  if (it != m.alternatives.end() && it->second.at == ask->at && now < it->second.until) {
    found = it->second.journey;
  } else {
    ask->langs = chain;
    auto const finder = m.opt.next_alternative;
    lock.unlock();
    found = finder(*ask);
    lock.lock();
    auto until = now + 60;  // none found: asked again a minute later
    if (found) {
      until = std::numeric_limits<std::int64_t>::max();
      if (!found->journey_token().empty())
        until = m.sclock.parse(found->journey_token_expires(), now).value_or(now + 60);
    }
    m.alternatives[j.v()] = {ask->at, until, found};
  }
  if (!found) return;
  std::string at_stop;
  for (auto const& l : out.legs()) {
    if (l.connection_lost() && l.connection().kind() == "after_arrival") {
      at_stop = l.connection().stop_id();
      break;
    }
  }
  std::vector<std::string> const args{at_stop, found->departure(), found->arrival()};
  out.set_next_alternative(api_service::error_message(
      found->on_demand() ? "journey.alternative_on_demand" : "journey.alternative_transit", args, chain));
  *out.mutable_alternative() = *std::move(found);
}

}  // namespace

// POST /v1/journeys with JourneyBookRequest {token}: 201 and the journey, with its rider token.
http_response drt_book_journey(drt_state& m, call& c) {
  v1::BookJourneyRequest in;
  c.parse_body(in);
  if (in.token().empty()) throw api_error{400, "missing_field", {"token"}};
  std::lock_guard const lock{m.mutex};
  auto const now = m.now();
  auto offer = decode_journey_token(in.token(), m.secret, now);
  if (!offer) offer = decode_area_journey_token(m, in.token(), now);  // a planner's (drt_remote.h)
  if (!offer || offer->legs.empty()) throw api_error{400, "invalid_journey_token"};
  std::vector<d::journey_leg> legs;
  for (auto const& l : offer->legs) {
    legs.push_back({d::request_idx{l.request}, d::connection{engine_kind(l.link.k), l.link.trip_id, l.link.stop_id,
                                                             l.link.scheduled_unix, l.link.buffer_s}});
  }
  auto status = 201;
  auto j = booked_before(m, legs);
  if (j) {
    status = 200;
  } else {
    auto const res = m.write([&] { return m.disp.accept_journey(now, legs); });
    if (!res.ok()) throw status_error(res.status);
    j = res.journey;
  }
  auto out = m.journey_message(*j, c.chain);
  out.set_rider_token(m.journey_token(j->v()));
  return message_response(out, c.fmt, status);
}

// GET /v1/journeys/{id}: with the next alternative when a connection is lost.
http_response drt_get_journey(drt_state& m, call& c) {
  auto const id = parse_index(c.seg[2]);
  authorise(m, c, id);
  std::unique_lock lock{m.mutex};
  auto const j = known_journey(m, id);
  m.now();
  auto out = m.journey_message(j, c.chain);
  add_alternative(m, j, out, c.chain, lock);
  return message_response(out, c.fmt);
}

// POST /v1/journeys/{id}/cancel: every leg not under way or done is cancelled.
http_response drt_cancel_journey(drt_state& m, call& c) {
  auto const id = parse_index(c.seg[2]);
  authorise(m, c, id);
  std::lock_guard const lock{m.mutex};
  auto const j = known_journey(m, id);
  auto const now = m.now();
  auto const by = is_operator(m, c) ? d::cancelled_by::operator_ : d::cancelled_by::rider;
  auto const res = m.write([&] { return m.disp.cancel_journey(now, j, by); });
  if (res != d::command_status::ok) throw status_error(res);
  return message_response(m.journey_message(j, c.chain), c.fmt);
}

std::size_t drt_service::check_connections(std::function<bool(d::connection const&)> const& touched) {
  auto& m = *state_;
  std::lock_guard const lock{m.mutex};
  if (m.failed) return 0;
  try {
    return m.check_connections(m.now(), touched);
  } catch (api_service::api_error const&) {  // storage failed: the service is read-only now
    return 0;
  }
}

void drt_service::set_transit_realtime(connection_lookup lookup) {
  std::lock_guard const lock{state_->mutex};
  state_->opt.transit_realtime = std::move(lookup);
}

void drt_service::set_next_alternative(alternative_finder finder) {
  std::lock_guard const lock{state_->mutex};
  state_->opt.next_alternative = std::move(finder);
}

}  // namespace nebuta::api_server
