// The flex trips of stop_times.txt: trips with at least one row that names a zone or a location
// group (location_id, location_group_id, or — as pre-v2 drafts wrote — stop_id) or a pickup /
// drop-off window. All their rows become windows; the other trips are the timetable's.
#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "reader_internal.h"

namespace nebuta::gtfs_flex::detail {

namespace {

constexpr char const* file = "stop_times.txt";

bool names_zone_or_group(state const& s, std::string_view id) {
  auto const key = std::string{id};
  return s.zones.contains(key) || s.groups.contains(key);
}

bool is_flex_row(state const& s, gtfs::stop_time const& st) {
  return !st.location_group_id.empty() || !st.location_id.empty() || st.start_pickup_drop_off_window ||
         st.end_pickup_drop_off_window || (!st.stop_id.empty() && names_zone_or_group(s, st.stop_id));
}

// The location of one row, or nullopt after reporting why it has none.
std::optional<flex::location_ref> location_of(state& s, gtfs::stop_time const& st, std::uint64_t& zone_in_stop_id) {
  auto const n_set = int{!st.stop_id.empty()} + int{!st.location_group_id.empty()} + int{!st.location_id.empty()};
  if (n_set != 1) {
    s.problem(file, st.line, "bad_location", "exactly one of stop_id, location_group_id, location_id must be set");
    return std::nullopt;
  }
  auto const zone = [&](std::string_view id) -> std::optional<flex::location_ref> {
    if (auto const it = s.zones.find(std::string{id}); it != s.zones.end()) return flex::location_ref::of(it->second);
    return std::nullopt;
  };
  auto const group = [&](std::string_view id) -> std::optional<flex::location_ref> {
    if (auto const it = s.groups.find(std::string{id}); it != s.groups.end()) return flex::location_ref::of(it->second);
    return std::nullopt;
  };
  if (!st.location_id.empty()) {
    if (auto const z = zone(st.location_id)) return z;
    s.problem(file, st.line, "unknown_location", "unknown location_id '" + std::string{st.location_id} + "'");
    return std::nullopt;
  }
  if (!st.location_group_id.empty()) {
    if (auto const g = group(st.location_group_id)) return g;
    s.problem(file, st.line, "unknown_location_group",
              "unknown location_group_id '" + std::string{st.location_group_id} + "'");
    return std::nullopt;
  }
  if (auto const z = zone(st.stop_id)) return ++zone_in_stop_id, z;
  if (auto const g = group(st.stop_id)) return ++zone_in_stop_id, g;
  if (auto const stop = s.stop(st.stop_id)) return flex::location_ref::of(*stop);
  s.problem(file, st.line, "unknown_stop",
            "unknown stop_id '" + std::string{st.stop_id} + "' (not a stop with coordinates, zone or group)");
  return std::nullopt;
}

std::optional<flex::booking_rule_idx> rule_of(state& s, gtfs::stop_time const& st, std::string_view id,
                                              char const* column) {
  if (id.empty()) return flex::booking_rule_idx::invalid();
  if (auto const it = s.rules.find(std::string{id}); it != s.rules.end()) return it->second;
  s.problem(file, st.line, "unknown_booking_rule", std::string{"unknown "} + column + " '" + std::string{id} + "'");
  return std::nullopt;
}

// One row → a window, or nullopt after reporting why the row is skipped.
std::optional<flex::window> window_of(state& s, gtfs::stop_time const& st, std::uint64_t& zone_in_stop_id) {
  auto const where = location_of(s, st, zone_in_stop_id);
  if (!where) return std::nullopt;
  flex::window w;
  w.where = *where;
  w.stop_sequence = st.stop_sequence;
  auto const has_window = st.start_pickup_drop_off_window || st.end_pickup_drop_off_window;
  if (has_window) {
    if (!st.start_pickup_drop_off_window || !st.end_pickup_drop_off_window) {
      s.problem(file, st.line, "missing_value",
                "start_pickup_drop_off_window and end_pickup_drop_off_window go together");
      return std::nullopt;
    }
    if (st.arrival_time || st.departure_time) {
      s.problem(file, st.line, "forbidden_field", "arrival/departure_time with a pickup/drop-off window; times ignored");
    }
    w.start = *st.start_pickup_drop_off_window, w.end = *st.end_pickup_drop_off_window, w.is_time_window = true;
  } else if (where->kind != flex::location_kind::stop) {
    s.problem(file, st.line, "missing_value", "a zone or location group needs start/end_pickup_drop_off_window");
    return std::nullopt;
  } else if (st.arrival_time || st.departure_time) {
    w.start = st.arrival_time ? *st.arrival_time : *st.departure_time;
    w.end = st.departure_time ? *st.departure_time : *st.arrival_time;
  } else {
    s.problem(file, st.line, "missing_value", "a stop of a flex trip without arrival or departure time");
    return std::nullopt;
  }
  if (w.start > w.end) {
    s.problem(file, st.line, "bad_window", "window or stop time ends before it starts");
    return std::nullopt;
  }
  if (st.pickup_type > 3 || st.drop_off_type > 3) {
    s.problem(file, st.line, "bad_value", "pickup_type and drop_off_type are 0 to 3");
    return std::nullopt;
  }
  w.pickup = static_cast<flex::service_kind>(st.pickup_type);
  w.drop_off = static_cast<flex::service_kind>(st.drop_off_type);
  auto const pickup_rule = rule_of(s, st, st.pickup_booking_rule_id, "pickup_booking_rule_id");
  auto const drop_off_rule = rule_of(s, st, st.drop_off_booking_rule_id, "drop_off_booking_rule_id");
  if (!pickup_rule || !drop_off_rule) return std::nullopt;
  w.pickup_rule = *pickup_rule, w.drop_off_rule = *drop_off_rule;
  return w;
}

}  // namespace

void read_flex_stop_times(state& s) {
  auto const& f = s.f;
  std::unordered_map<std::string_view, std::vector<std::size_t>> rows_of_trip;
  std::unordered_set<std::string_view> flex_trips;
  for (std::size_t i = 0; i < f.stop_times.size(); ++i) {
    auto const& st = f.stop_times[i];
    rows_of_trip[st.trip_id].push_back(i);
    if (is_flex_row(s, st)) flex_trips.insert(st.trip_id);
  }
  std::uint64_t zone_in_stop_id = 0;
  std::unordered_set<std::string_view> known;
  for (auto const& t : f.trips) {
    if (!flex_trips.contains(t.trip_id) || !known.insert(t.trip_id).second) continue;
    auto const service = s.services.find(std::string{t.service_id});
    if (service == s.services.end()) {
      s.problem("trips.txt", t.line, "unknown_service",
                "unknown service_id '" + std::string{t.service_id} + "' of flex trip '" + std::string{t.trip_id} + "'");
      continue;
    }
    std::vector<flex::window> windows;
    std::unordered_set<std::uint32_t> sequences;
    for (auto const r : rows_of_trip[t.trip_id]) {
      auto const& st = f.stop_times[r];
      if (!sequences.insert(st.stop_sequence).second) {
        s.problem(file, st.line, "duplicate_stop_sequence",
                  "duplicate stop_sequence " + std::to_string(st.stop_sequence) + " in flex trip '" +
                      std::string{t.trip_id} + "'; row skipped");
        continue;
      }
      if (auto const w = window_of(s, st, zone_in_stop_id)) windows.push_back(*w);
    }
    if (windows.empty()) {
      s.problem("trips.txt", t.line, "trip_without_windows",
                "flex trip '" + std::string{t.trip_id} + "' has no readable stop_times row; dropped");
      continue;
    }
    s.b.add_trip({std::string{t.trip_id}, std::string{t.route_id}, service->second, {}, 0}, std::move(windows));
  }
  for (auto const& st : f.stop_times) {  // in file order, once per trip
    if (!flex_trips.contains(st.trip_id) || !known.insert(st.trip_id).second) continue;
    s.problem(file, st.line, "unknown_trip", "unknown trip_id '" + std::string{st.trip_id} + "' of flex rows");
  }
  if (zone_in_stop_id > 0) {
    s.problem(file, 0, "zone_in_stop_id",
              std::to_string(zone_in_stop_id) +
                  " rows name a zone or location group in stop_id (a pre-v2 GTFS-Flex draft); read as location_id / "
                  "location_group_id");
  }
}

}  // namespace nebuta::gtfs_flex::detail
