#include "nebuta/timetable/timetable.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace nebuta {

std::optional<day_idx> timetable::day_of(date_t d) const {
  auto const offset = (d - first_date).count();
  if (offset < 0 || offset >= static_cast<std::int64_t>(n_days)) return std::nullopt;
  return day_idx{static_cast<std::uint16_t>(offset)};
}

namespace {
std::string with_feed_prefix(timetable const& tt, feed_idx f, std::string_view id) {
  if (tt.n_feeds() <= 1) return std::string{id};
  return std::string{tt.strings[tt.feed_names[f]]} + ":" + std::string{id};
}
}  // namespace

std::string timetable::external_stop_id(stop_idx s) const {
  return with_feed_prefix(*this, stop_feed[s], strings[stop_ids[s]]);
}
std::string timetable::external_trip_id(trip_idx t) const {
  return with_feed_prefix(*this, line_feed[trip_line[t]], strings[trip_ids[t]]);
}
std::string timetable::external_line_id(line_idx l) const {
  return with_feed_prefix(*this, line_feed[l], strings[line_ids[l]]);
}

std::optional<stop_idx> timetable::find_stop(std::string_view external_id) const {
  auto const lookup = [&](std::optional<feed_idx> feed, std::string_view id) -> std::optional<stop_idx> {
    auto const less = [&](stop_idx s, std::pair<std::uint32_t, std::string_view> const& key) {
      auto const sf = stop_feed[s].v();
      return sf != key.first ? sf < key.first : strings[stop_ids[s]] < key.second;
    };
    std::optional<stop_idx> found;
    for (auto f = feed_idx{0}; f.v() < n_feeds(); ++f) {
      if (feed && *feed != f) continue;
      auto const key = std::pair<std::uint32_t, std::string_view>{f.v(), id};
      auto const it = std::lower_bound(stops_by_id.begin(), stops_by_id.end(), key, less);
      if (it != stops_by_id.end() && stop_feed[*it] == f && strings[stop_ids[*it]] == id) {
        if (found) return std::nullopt;  // ambiguous across feeds
        found = *it;
      }
    }
    return found;
  };
  if (auto const colon = external_id.find(':'); colon != std::string_view::npos && n_feeds() > 1) {
    auto const name = external_id.substr(0, colon);
    for (auto f = feed_idx{0}; f.v() < n_feeds(); ++f) {
      if (strings[feed_names[f]] == name) {
        if (auto s = lookup(f, external_id.substr(colon + 1))) return s;
      }
    }
  }
  return lookup(std::nullopt, external_id);
}

std::optional<lang_idx> timetable::find_language(std::string_view code) const {
  for (auto l = lang_idx{0}; l.v() < languages.size(); ++l) {
    if (strings[languages[l]] == code) return l;
  }
  return std::nullopt;
}

std::string_view timetable::text(text_idx t, std::span<std::string const> chain) const {
  auto const translations = text_translations[t];
  auto const lower = [](std::string_view s) {
    std::string out{s};
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  for (auto const& wanted : chain) {
    auto const w = lower(wanted);
    for (auto const& tr : translations) {
      if (lower(strings[languages[tr.lang]]) == w) return strings[tr.value];
    }
    for (auto const& tr : translations) {
      auto const have = lower(strings[languages[tr.lang]]);
      if (have.size() > w.size() && have.starts_with(w) && have[w.size()] == '-') {
        return strings[tr.value];
      }
    }
  }
  return strings[text_default[t]];
}

std::uint64_t timetable::trips_active_on(std::int64_t day) const {
  std::uint64_t n = 0;
  for (auto const b : trip_service) n += active(b, day) ? 1U : 0U;
  return n;
}

std::vector<std::string> timetable::validate() const {
  std::vector<std::string> errors;
  auto const fail = [&](std::string msg) { errors.push_back(std::move(msg)); };
  auto const n_r = n_routes();
  if (route_stops.size() != n_r || route_stop_flags.size() != n_r || route_n_trips.size() != n_r ||
      route_time_base.size() != n_r || route_type.size() != n_r) {
    fail("route arrays differ in size");
    return errors;
  }
  std::size_t expected_base = 0;
  std::uint32_t expected_first_trip = 0;
  for (auto r = route_idx{0}; r.v() < n_r; ++r) {
    auto const n_stops_r = route_stops[r].size();
    auto const n_t = route_n_trips[r];
    if (route_stop_flags[r].size() != n_stops_r) fail("route " + std::to_string(r.v()) + ": flags size");
    if (n_stops_r < 2) fail("route " + std::to_string(r.v()) + ": fewer than 2 stops");
    if (n_t == 0) fail("route " + std::to_string(r.v()) + ": no trips");
    if (route_time_base[r] != expected_base) fail("route " + std::to_string(r.v()) + ": time base");
    if (route_first_trip[r].v() != expected_first_trip) fail("route " + std::to_string(r.v()) + ": first trip");
    expected_base += n_stops_r * n_t;
    expected_first_trip += n_t;
    for (std::uint32_t j = 0; j < n_t; ++j) {
      if (trip_route[trip_idx{route_first_trip[r].v() + j}] != r) fail("trip route mismatch");
      for (std::uint32_t s = 0; s < n_stops_r; ++s) {
        if (arrival(r, s, j) > departure(r, s, j)) fail("route " + std::to_string(r.v()) + ": departs before arriving");
        if (s > 0 && departure(r, s - 1, j) > arrival(r, s, j))
          fail("route " + std::to_string(r.v()) + ": time decreases");
        if (j > 0 && (departure(r, s, j - 1) > departure(r, s, j) || arrival(r, s, j - 1) > arrival(r, s, j))) {
          fail("route " + std::to_string(r.v()) + ": trips overtake");
        }
      }
    }
  }
  if (expected_base != arrivals.size() || arrivals.size() != departures.size()) fail("stop time arrays size");
  if (expected_first_trip != n_trips()) fail("trip count");
  if (bitfields.size() != n_bitfields() * bitfield_words) fail("bitfield size");
  for (auto const b : trip_service) {
    if (b.v() >= n_bitfields()) fail("trip service out of range");
  }
  for (auto s = stop_idx{0}; s.v() < n_stops(); ++s) {
    for (auto const r : stop_routes[s]) {
      auto const stops = route_stops[r];
      if (std::find(stops.begin(), stops.end(), s) == stops.end()) fail("stop_routes inconsistent");
    }
    auto const links = stop_walk_links[s];
    for (std::size_t i = 1; i < links.size(); ++i) {
      if (links[i - 1].distance_m > links[i].distance_m) fail("walk links not sorted");
    }
  }
  if (!trip_path.empty() && trip_path.size() != n_trips()) fail("trip_path size");
  if (path_stop_along.size() != n_paths()) fail("path arrays differ in size");
  for (auto t = trip_idx{0}; t.v() < trip_path.size() && path_stop_along.size() == n_paths(); ++t) {
    auto const p = trip_path[t];
    if (!p.valid()) continue;
    if (p.v() >= n_paths() || path_shape[p].v() >= n_shapes()) {
      fail("trip path out of range");
      continue;
    }
    auto const at = path_stop_along[p];
    if (at.size() != route_stops[trip_route[t]].size()) fail("path of trip " + std::to_string(t.v()) + ": stop count");
    if (!std::is_sorted(at.begin(), at.end())) fail("path of trip " + std::to_string(t.v()) + ": stops out of order");
  }
  if (!std::is_sorted(stops_by_id.begin(), stops_by_id.end(), [&](stop_idx a, stop_idx b) {
        return stop_feed[a] != stop_feed[b] ? stop_feed[a] < stop_feed[b] : strings[stop_ids[a]] < strings[stop_ids[b]];
      })) {
    fail("stops_by_id not sorted");
  }
  return errors;
}

}  // namespace nebuta
