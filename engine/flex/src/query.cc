#include "nebuta/flex/query.h"

#include <algorithm>

namespace nebuta::flex {

bool covers(model const& m, location_ref where, latlon p, double max_walk_m) {
  switch (where.kind) {
    case location_kind::zone: return contains(m.zones[where.zone()], p);
    case location_kind::stop: return haversine_m(m.stops[where.stop()].pos, p) <= max_walk_m;
    case location_kind::group: {
      auto const& stops = m.groups[where.group()].stops;
      return std::any_of(stops.begin(), stops.end(),
                         [&](stop_idx s) { return haversine_m(m.stops[s].pos, p) <= max_walk_m; });
    }
  }
  return false;
}

namespace {

// The rule allows booking at `booked_at` for a ride at pickup_time (no rule: nothing to book).
bool bookable(model const& m, booking_rule_idx rule, request const& req, std::optional<booking_window>* out) {
  if (!rule.valid()) return true;
  auto const w = booking_window_for(m, m.booking_rules[rule], req.day, req.pickup_time);
  if (!w || !w->allows(req.booked_at)) return false;
  if (out != nullptr) *out = w;
  return true;
}

}  // namespace

void find_offers(model const& m, request const& req, std::vector<offer>& out) {
  out.clear();
  for (auto t = trip_idx{0}; t.v() < m.trips.size(); ++t) {
    auto const& tr = m.trips[t];
    if (!m.services[tr.service].runs_on(req.day)) continue;
    auto const ws = m.windows_of(t);
    auto const single = ws.size() == 1;
    bool found = false;
    for (std::size_t i = 0; i < ws.size() && !found; ++i) {
      auto const& up = ws[i];
      if (up.pickup == service_kind::none || req.pickup_time < up.start || req.pickup_time > up.end) continue;
      if (!covers(m, up.where, req.from, req.max_walk_m)) continue;
      for (auto j = single ? i : i + 1; j < ws.size() && !found; ++j) {
        auto const& down = ws[j];
        if (down.drop_off == service_kind::none) continue;
        if (down.is_time_window ? down.end < req.pickup_time : down.start < req.pickup_time) continue;
        if (!covers(m, down.where, req.to, req.max_walk_m)) continue;
        offer o{t,
                window_idx{tr.first_window.v() + static_cast<std::uint32_t>(i)},
                window_idx{tr.first_window.v() + static_cast<std::uint32_t>(j)},
                up.pickup_rule,
                down.drop_off_rule,
                std::nullopt};
        if (!bookable(m, up.pickup_rule, req, &o.booking) || !bookable(m, down.drop_off_rule, req, nullptr)) continue;
        out.push_back(o);
        found = true;
      }
    }
  }
}

}  // namespace nebuta::flex
