#include "nebuta/flex/model.h"

#include <algorithm>

#include "nebuta/dispatch/dispatcher.h"

namespace nebuta::flex {

bool service::runs_on(date_t day) const {
  if (std::binary_search(added.begin(), added.end(), day)) return true;
  if (std::binary_search(removed.begin(), removed.end(), day)) return false;
  if (!start || !end || day < *start || day > *end) return false;
  auto const weekday = std::chrono::weekday{day}.iso_encoding() - 1;  // 0 = Monday
  return ((weekdays >> weekday) & 1U) != 0;
}

bool contains(zone const& z, latlon p) {
  if (p.lat < z.min.lat || p.lat > z.max.lat || p.lon < z.min.lon || p.lon > z.max.lon) return false;
  return dispatch::inside_area(z.rings, p);
}

std::size_t model::n_time_windows() const {
  return static_cast<std::size_t>(
      std::count_if(windows.begin(), windows.end(), [](window const& w) { return w.is_time_window; }));
}

namespace {
template <typename Idx, typename T>
std::optional<Idx> find_by_id(vecmap<Idx, T> const& v, std::string_view id) {
  for (auto i = Idx{0}; i.v() < v.size(); ++i) {
    if (v[i].id == id) return i;
  }
  return std::nullopt;
}
}  // namespace

std::optional<zone_idx> model::find_zone(std::string_view id) const { return find_by_id(zones, id); }
std::optional<group_idx> model::find_group(std::string_view id) const { return find_by_id(groups, id); }
std::optional<trip_idx> model::find_trip(std::string_view id) const { return find_by_id(trips, id); }
std::optional<booking_rule_idx> model::find_booking_rule(std::string_view id) const {
  return find_by_id(booking_rules, id);
}

std::vector<std::string> model::validate() const {
  std::vector<std::string> errors;
  auto const in_range = [&](location_ref r) {
    switch (r.kind) {
      case location_kind::zone: return r.index < zones.size();
      case location_kind::group: return r.index < groups.size();
      case location_kind::stop: return r.index < stops.size();
    }
    return false;
  };
  auto const rule_ok = [&](booking_rule_idx r) { return !r.valid() || r.v() < booking_rules.size(); };
  std::uint32_t next = 0;
  for (auto t = trip_idx{0}; t.v() < trips.size(); ++t) {
    auto const& tr = trips[t];
    if (tr.first_window.v() != next) errors.push_back("trip " + tr.id + ": windows not contiguous");
    next = tr.first_window.v() + tr.n_windows;
    if (next > windows.size()) {
      errors.push_back("trip " + tr.id + ": windows past the end");
      break;
    }
    if (!tr.service.valid() || tr.service.v() >= services.size()) errors.push_back("trip " + tr.id + ": bad service");
    auto const ws = windows_of(t);
    for (std::size_t i = 0; i < ws.size(); ++i) {
      auto const& w = ws[i];
      if (!in_range(w.where)) errors.push_back("trip " + tr.id + ": window location out of range");
      if (w.start > w.end) errors.push_back("trip " + tr.id + ": window starts after it ends");
      if (!rule_ok(w.pickup_rule) || !rule_ok(w.drop_off_rule))
        errors.push_back("trip " + tr.id + ": bad booking rule");
      if (i > 0 && ws[i - 1].stop_sequence >= w.stop_sequence)
        errors.push_back("trip " + tr.id + ": windows out of order");
    }
  }
  if (next != windows.size()) errors.push_back("windows not owned by any trip");
  for (auto const& g : groups) {
    for (auto const s : g.stops) {
      if (s.v() >= stops.size()) errors.push_back("group " + g.id + ": stop out of range");
    }
  }
  for (auto const& z : zones) {
    if (z.rings.empty()) errors.push_back("zone " + z.id + ": no ring");
  }
  return errors;
}

zone_idx builder::add_zone(zone z) {
  z.min = {90.0, 180.0};
  z.max = {-90.0, -180.0};
  for (auto const& ring : z.rings) {
    for (auto const& p : ring) {
      z.min = {std::min(z.min.lat, p.lat), std::min(z.min.lon, p.lon)};
      z.max = {std::max(z.max.lat, p.lat), std::max(z.max.lon, p.lon)};
    }
  }
  return m_.zones.push_back(std::move(z));
}

trip_idx builder::add_trip(trip t, std::vector<window> windows) {
  std::stable_sort(windows.begin(), windows.end(),
                   [](window const& a, window const& b) { return a.stop_sequence < b.stop_sequence; });
  t.first_window = m_.windows.next_idx();
  t.n_windows = static_cast<std::uint32_t>(windows.size());
  for (auto& w : windows) m_.windows.push_back(w);
  return m_.trips.push_back(std::move(t));
}

model builder::finish() && {
  for (auto& s : m_.services) {
    std::sort(s.added.begin(), s.added.end());
    std::sort(s.removed.begin(), s.removed.end());
  }
  return std::move(m_);
}

}  // namespace nebuta::flex
