#include "nebuta/flex/publish.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>

#include "nebuta/dispatch/dispatcher.h"

namespace nebuta::flex {
namespace {

using interval = std::pair<seconds_t, seconds_t>;

// The merged shift intervals of one service date.
std::vector<interval> hours_on(service_to_publish const& s, date_t day) {
  bool const holiday = s.holidays != nullptr && s.holidays->contains(day);
  std::vector<interval> v;
  for (auto const& p : s.shifts) {
    if (p.end > p.start && p.days.runs_on(day, holiday)) v.emplace_back(p.start, p.end);
  }
  std::sort(v.begin(), v.end());
  std::vector<interval> merged;
  for (auto const& i : v) {
    if (!merged.empty() && i.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, i.second);
    } else {
      merged.push_back(i);
    }
  }
  return merged;
}

}  // namespace

model publish(service_to_publish const& s) {
  builder b;
  std::optional<location_ref> where;
  if (!s.area.empty()) {
    zone z;
    z.id = s.id + "_area";
    z.name = s.name;
    z.rings = s.area;
    where = location_ref::of(b.add_zone(std::move(z)));
  }
  group g;
  g.id = s.id + "_meeting_points";
  g.name = s.name;
  for (std::size_t i = 0; i < s.meeting_points.size(); ++i) {
    auto const p = s.meeting_points[i];
    if (!s.area.empty() && !dispatch::inside_area(s.area, p)) continue;
    stop st;
    st.id = s.id + "_mp_" + std::to_string(i + 1);
    st.name = i < s.meeting_point_names.size() && !s.meeting_point_names[i].empty()
                  ? s.meeting_point_names[i]
                  : s.name + " " + std::to_string(i + 1);
    st.pos = p;
    g.stops.push_back(b.add_stop(std::move(st)));
  }
  if (!g.stops.empty()) where = location_ref::of(b.add_group(std::move(g)));
  if (!where) throw std::invalid_argument{"no service area and no meeting point to publish"};

  booking_rule rule;
  rule.id = s.id + "_booking";
  rule.type = booking_type::same_day;
  rule.prior_notice_duration_min = 0;
  rule.prior_notice_duration_max = static_cast<std::int32_t>(s.max_booking_ahead / 60);
  rule.message = s.message;
  rule.phone_number = s.phone_number;
  rule.info_url = s.info_url;
  rule.booking_url = s.booking_url;
  auto const rule_idx = b.add_booking_rule(std::move(rule));

  std::map<std::vector<interval>, std::vector<date_t>> dates_by_hours;
  for (auto d = s.first; d <= s.last; d = d + std::chrono::days{1}) {
    auto h = hours_on(s, d);
    if (!h.empty()) dates_by_hours[std::move(h)].push_back(d);
  }
  std::size_t n_service = 0;
  for (auto const& [hours, dates] : dates_by_hours) {
    service sv;
    sv.id = s.id + "_days_" + std::to_string(++n_service);
    sv.added = dates;  // already sorted
    auto const service = b.add_service(std::move(sv));
    std::size_t n_trip = 0;
    for (auto const& [start, end] : hours) {
      trip t;
      t.id = s.id + "_" + std::to_string(n_service) + "_" + std::to_string(++n_trip);
      t.route_id = s.id;
      t.service = service;
      window pick{*where, start, end, service_kind::phone_agency, service_kind::none, rule_idx, rule_idx, 1, true};
      window drop{*where, start, end, service_kind::none, service_kind::phone_agency, rule_idx, rule_idx, 2, true};
      b.add_trip(std::move(t), {pick, drop});
    }
  }
  return std::move(b).finish();
}

}  // namespace nebuta::flex
