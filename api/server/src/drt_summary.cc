// The operator's views of a service date (issue 15): GET /v1/drt/summary?date= (figures counted
// from the dispatcher's requests and shifts as they stand) and GET /v1/drt/requests?date=&status=
// (the requests, paged).
#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "drt_day.h"
#include "drt_handlers.h"
#include "nebuta/core/civil_time.h"

namespace nebuta::api_server {

namespace d = nebuta::dispatch;

http_response drt_summary(drt_state& m, call& c) {
  require_operator(m, c);
  auto const asked = date_param(c);
  std::lock_guard const lock{m.mutex};
  auto const day = asked.value_or(m.sclock.service_date(m.now()));
  v1::DrtDaySummary out;
  out.set_date(civil::format_date(day));
  std::map<std::string, std::uint32_t> reasons;
  double passenger_s = 0.0, direct_m = 0.0;
  for (auto const& rq : m.disp.requests()) {
    if (request_date(m, rq) != day) continue;
    out.set_requests(out.requests() + 1);
    switch (rq.status) {
      case d::request_status::rejected:
        out.set_rejected(out.rejected() + 1);
        ++reasons[std::string{d::to_string(rq.reason)}];
        break;
      case d::request_status::offered: out.set_offered(out.offered() + 1); break;
      case d::request_status::assigned: out.set_assigned(out.assigned() + 1); break;
      case d::request_status::on_board: out.set_on_board(out.on_board() + 1); break;
      case d::request_status::completed: out.set_completed(out.completed() + 1); break;
      case d::request_status::cancelled: out.set_cancelled(out.cancelled() + 1); break;
      case d::request_status::no_show: out.set_no_shows(out.no_shows() + 1); break;
    }
    if (rq.picked_up_at != d::no_time) {
      if (rq.picked_up_at < rq.window_start) out.set_early_pickups(out.early_pickups() + 1);
      else if (rq.picked_up_at <= rq.window_end) out.set_on_time_pickups(out.on_time_pickups() + 1);
      else out.set_late_pickups(out.late_pickups() + 1);
    }
    if (rq.status == d::request_status::completed) {
      out.set_passengers_served(out.passengers_served() + rq.spec.passengers);
      if (rq.dropped_off_at <= rq.latest_dropoff) out.set_on_time_dropoffs(out.on_time_dropoffs() + 1);
      else out.set_late_dropoffs(out.late_dropoffs() + 1);
      passenger_s += static_cast<double>(rq.dropped_off_at - rq.picked_up_at) * rq.spec.passengers;
      direct_m += rq.direct_m;
    }
  }
  std::vector<std::pair<std::string, std::uint32_t>> by_count{reasons.begin(), reasons.end()};
  std::stable_sort(by_count.begin(), by_count.end(), [](auto const& a, auto const& b) { return a.second > b.second; });
  for (auto const& [reason, n] : by_count) {
    auto* r = out.add_rejected_by_reason();
    r->set_reason(reason);
    r->set_count(n);
  }
  double vehicle_s = 0.0;
  for (auto const& v : m.disp.vehicles())
    if (m.sclock.service_date(v.spec.shift_start) == day)
      vehicle_s += static_cast<double>(v.spec.shift_end - v.spec.shift_start);
  out.set_vehicle_hours(vehicle_s / 3600.0);
  out.set_passenger_hours(passenger_s / 3600.0);
  out.set_occupancy(vehicle_s > 0.0 ? passenger_s / vehicle_s : 0.0);
  out.set_direct_km(direct_m / 1000.0);
  auto const records = records_of_day(m, day, m.last_now);
  double km = 0.0, empty_km = 0.0;
  for (auto const& v : records.run.vehicles) {
    km += v.km_driven;
    empty_km += v.km_empty;
  }
  out.set_vehicle_km(km);
  out.set_empty_km(empty_km);
  out.set_planned_km(records.planned_km);
  return message_response(out, c.fmt);
}

http_response drt_list_requests(drt_state& m, call& c) {
  require_operator(m, c);
  auto const asked = date_param(c);
  auto const status = c.param_or_empty("status");
  if (!status.empty()) {
    auto known = false;
    for (auto const st : {d::request_status::rejected, d::request_status::offered, d::request_status::assigned,
                          d::request_status::on_board, d::request_status::completed, d::request_status::cancelled,
                          d::request_status::no_show})
      known = known || status == d::to_string(st);
    if (!known) {
      throw api_error{400,
                      "invalid_parameter",
                      {"status", "must be rejected, offered, assigned, on_board, completed, cancelled or no_show"}};
    }
  }
  auto const limit = static_cast<std::size_t>(c.param_int("limit", 1, 1000).value_or(100));
  auto const offset = static_cast<std::size_t>(c.param_int("offset", 0, 1'000'000'000).value_or(0));
  std::lock_guard const lock{m.mutex};
  auto const day = asked.value_or(m.sclock.service_date(m.now()));
  v1::DrtRequestList out;
  out.set_date(civil::format_date(day));
  std::size_t n = 0;
  for (auto r = d::request_idx{0}; r.v() < m.disp.requests().size(); ++r) {
    auto const& rq = m.disp.request(r);
    if (request_date(m, rq) != day || (!status.empty() && status != d::to_string(rq.status))) continue;
    if (n >= offset && n < offset + limit) *out.add_requests() = m.request_status(r, c.chain);
    ++n;
  }
  out.set_total(static_cast<std::uint32_t>(n));
  if (offset + limit < n) out.set_next_offset(static_cast<std::uint32_t>(offset + limit));
  return message_response(out, c.fmt);
}

}  // namespace nebuta::api_server
