// /v1/drt/requests/{id}[/accept|/cancel]: a rider's (or the operator's) view of one request.
#include "drt_call.h"
#include "drt_token.h"

namespace nebuta::api_server {

namespace d = nebuta::dispatch;

// /v1/drt/requests/{id}[/accept|/cancel]
http_response drt_requests(drt_call& c) {
  auto& m = c.m;
  auto const& req = c.req;
  auto const& seg = c.seg;
  c.ep = endpoint::drt_request;
  auto const action = seg.size() == 5 ? std::string_view{seg[4]} : std::string_view{};
  if (!action.empty() && action != "accept" && action != "cancel")
    throw drt_error{404, "not_found", "no such endpoint: " + std::string{c.path.substr(0, 200)}};
  if (action.empty()) {
    c.allow({"GET"});
  } else {
    c.allow({"POST"});
  }
  if (!c.bearer)
    throw drt_error{401, "unauthorized", "this endpoint needs Authorization: Bearer <rider token or operator token>"};
  auto const id = parse_index(seg[3]);
  auto const op = c.is_operator();
  // A rider token names its request: any other id is forbidden, known or not.
  if (!op && (!id || !equal_secret(*c.bearer, m.token(*id))))
    throw drt_error{403, "forbidden", "the token does not allow access to this request"};
  if (action == "cancel") {
    v1::DrtCancelRequest body;
    parse_body(req, body, m.opt.max_body_bytes, true);
  }
  std::lock_guard const lock{m.mutex};
  if (!id || *id >= m.disp.requests().size()) throw drt_error{404, "unknown_request", "no such request"};
  auto const r = d::request_idx{*id};
  if (action.empty()) m.now();  // offer_expired is judged at the current time
  if (action == "accept") {
    auto const now = m.now();
    auto const res = m.write([&] { return m.disp.accept(now, r); });
    if (!res.ok()) throw status_error(res.status);
  } else if (action == "cancel") {
    auto const now = m.now();
    auto const res =
        m.write([&] { return m.disp.cancel(now, r, op ? d::cancelled_by::operator_ : d::cancelled_by::rider); });
    if (res != d::command_status::ok) throw status_error(res);
  }
  return message_response(m.request_status(r), c.fmt);
}

}  // namespace nebuta::api_server
