// /v1/drt/requests/{id}[/accept|/cancel]: a rider's (or the operator's) view of one request.
#include "drt_handlers.h"
#include "drt_token.h"

namespace nebuta::api_server {

namespace d = nebuta::dispatch;

namespace {

// The request of the path, for a bearer token that allows it: the operator's, or the rider
// token of that very request (any other id is forbidden, known or not). Returns whether the
// caller is the operator.
bool authorise(drt_state const& m, call const& c, std::optional<std::uint32_t> const& id) {
  auto const bearer = c.bearer();
  if (!bearer) throw api_error{401, "unauthorized.request"};
  auto const op = is_operator(m, c);
  if (!op && (!id || !equal_secret(*bearer, m.token(*id)))) throw api_error{403, "forbidden.request"};
  return op;
}

// Caller holds the mutex.
d::request_idx known_request(drt_state const& m, std::optional<std::uint32_t> const& id) {
  if (!id || *id >= m.disp.requests().size()) throw api_error{404, "unknown_request"};
  return d::request_idx{*id};
}

}  // namespace

// GET /v1/drt/requests/{id}
http_response drt_get_request(drt_state& m, call& c) {
  auto const id = parse_index(c.seg[3]);
  authorise(m, c, id);
  std::lock_guard const lock{m.mutex};
  auto const r = known_request(m, id);
  m.now();  // offer_expired is judged at the current time
  return message_response(m.request_status(r, c.chain), c.fmt);
}

// POST /v1/drt/requests/{id}/accept
http_response drt_accept_request(drt_state& m, call& c) {
  auto const id = parse_index(c.seg[3]);
  authorise(m, c, id);
  std::lock_guard const lock{m.mutex};
  auto const r = known_request(m, id);
  auto const now = m.now();
  auto const res = m.write([&] { return m.disp.accept(now, r); });
  if (!res.ok()) throw status_error(res.status);
  return message_response(m.request_status(r, c.chain), c.fmt);
}

// POST /v1/drt/requests/{id}/cancel with an optional DrtCancelRequest
http_response drt_cancel_request(drt_state& m, call& c) {
  auto const id = parse_index(c.seg[3]);
  auto const op = authorise(m, c, id);
  v1::DrtCancelRequest body;
  c.parse_body(body, true);
  std::lock_guard const lock{m.mutex};
  auto const r = known_request(m, id);
  auto const now = m.now();
  auto const res =
      m.write([&] { return m.disp.cancel(now, r, op ? d::cancelled_by::operator_ : d::cancelled_by::rider); });
  if (res != d::command_status::ok) throw status_error(res);
  return message_response(m.request_status(r, c.chain), c.fmt);
}

}  // namespace nebuta::api_server
