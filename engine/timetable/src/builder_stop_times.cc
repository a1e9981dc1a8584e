// stop_times.txt → one instance per trip (interpolated, checked), and frequencies.txt → the
// instances it repeats.
#include "builder_internal.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace nebuta::build::detail {

void compiler::load_stop_times(feed_state& fs) {
  auto const& f = fs.f;
  auto const& translations = fs.translations;
  auto const& stops = fs.stops;
  auto const& trips = fs.trips;
  auto const& staged = fs.staged;
  // stop times grouped by trip (counting sort keeps the file order within a trip)
  std::vector<std::uint32_t> row_trip(f.stop_times.size(), UINT32_MAX);
  std::vector<std::uint32_t> count(f.trips.size() + 1, 0);
  std::string_view last_id;
  std::uint32_t last_trip = UINT32_MAX;
  for (auto i = 0U; i < f.stop_times.size(); ++i) {
    auto const& st = f.stop_times[i];
    if (st.trip_id != last_id || last_trip == UINT32_MAX) {
      auto const it = trips.find(st.trip_id);
      last_id = st.trip_id;
      last_trip = it == trips.end() ? UINT32_MAX : it->second;
    }
    if (last_trip == UINT32_MAX) {
      problem("stop_times.txt", st.file_line, "unknown_trip", "unknown trip_id '" + std::string{st.trip_id} + "'");
      continue;
    }
    row_trip[i] = last_trip;
    ++count[last_trip + 1];
  }
  std::partial_sum(count.begin(), count.end(), count.begin());
  // GTFS-Flex rows are skipped below, not errors: one counted notice per feed says so.
  if (auto const n_flex = std::count_if(f.stop_times.begin(), f.stop_times.end(), [](auto const& st) { return st.flex; });
      n_flex > 0) {
    problem("stop_times.txt", 0, "flex_rows_not_timetabled",
            std::to_string(n_flex) + " GTFS-Flex rows (zones, location groups, pickup/drop-off windows) are not " +
                "timetabled; feeds/gtfs_flex reads them (`nebuta flex-info`)");
  }
  std::vector<std::uint32_t> rows(count.back());
  auto fill = count;
  for (auto i = 0U; i < f.stop_times.size(); ++i) {
    if (row_trip[i] != UINT32_MAX) rows[fill[row_trip[i]]++] = i;
  }

  view_map<std::vector<frequency const*>> frequencies;
  for (auto const& fr : f.frequencies) {
    if (trips.find(fr.trip_id) == trips.end()) {
      problem("frequencies.txt", fr.file_line, "unknown_trip", "unknown trip_id '" + std::string{fr.trip_id} + "'");
      continue;
    }
    frequencies[fr.trip_id].push_back(&fr);
  }

  for (auto i = 0U; i < f.trips.size(); ++i) {
    if (!staged[i]) continue;
    auto const begin = rows.begin() + count[i], end = rows.begin() + count[i + 1];
    std::stable_sort(begin, end,
                     [&](auto a, auto b) { return f.stop_times[a].stop_sequence < f.stop_times[b].stop_sequence; });
    // rows.data() rather than &*begin: rows may be empty (no stop_times row matched a trip).
    auto instance = make_trip_instance(f, translations, stops, f.trips[i], *staged[i],
                                       std::span<std::uint32_t const>{rows.data() + count[i], count[i + 1] - count[i]});
    if (!instance) continue;
    if (auto fr = frequencies.find(f.trips[i].id); fr != frequencies.end()) {
      expand_frequencies(*instance, fr->second);
    } else {
      instances_.push_back(std::move(*instance));
    }
  }
}

std::optional<trip_instance> compiler::make_trip_instance(feed const& f, translation_index const& translations,
                                                          view_map<stop_idx> const& stops, trip const& t,
                                                          trip_idx staged, std::span<std::uint32_t const> rows) {
  trip_instance inst;
  inst.gtfs_trip = staged;
  std::vector<std::optional<seconds_t>> arr, dep;
  std::vector<std::uint32_t> lines;
  std::vector<std::string_view> headsigns;
  std::vector<std::uint32_t> sequences;
  std::vector<std::optional<double>> shape_dist;
  std::optional<std::uint32_t> last_sequence;
  for (auto const r : rows) {
    auto const& st = f.stop_times[r];
    if (st.flex) continue;  // GTFS-Flex zones and windows are not timetabled stops
    if (last_sequence && *last_sequence == st.stop_sequence) {
      problem("stop_times.txt", st.file_line, "duplicate_stop_sequence",
              "duplicate stop_sequence " + std::to_string(st.stop_sequence) + " in trip '" + std::string{t.id} + "'");
      continue;
    }
    auto const stop = stops.find(st.stop_id);
    if (stop == stops.end()) {
      problem("stop_times.txt", st.file_line, "unknown_stop", "unknown stop_id '" + std::string{st.stop_id} + "'");
      continue;
    }
    last_sequence = st.stop_sequence;
    inst.stops.push_back(stop->second);
    inst.flags.push_back(static_cast<std::uint8_t>((st.pickup_type == 1 ? 1U : 0U) | (st.drop_off_type == 1 ? 2U : 0U)));
    arr.push_back(st.arrival ? st.arrival : st.departure);
    dep.push_back(st.departure ? st.departure : st.arrival);
    lines.push_back(st.file_line);
    headsigns.push_back(st.stop_headsign);
    sequences.push_back(st.stop_sequence);
    shape_dist.push_back(st.shape_dist);
  }

  // Untimed rows between timed rows a and b get dep_a + floor((arr_b - dep_a)(i - a)/(b - a));
  // untimed rows before the first or after the last timed row are dropped.
  std::optional<std::size_t> first_timed, last_timed;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    if (arr[i]) {
      if (!first_timed) first_timed = i;
      last_timed = i;
    }
  }
  if (!first_timed || *first_timed == *last_timed) {
    if (!inst.stops.empty() || rows.empty()) {
      problem("trips.txt", t.file_line, "trip_without_times",
              "trip '" + std::string{t.id} + "' has fewer than two timed stops; dropped");
    }
    return std::nullopt;
  }
  std::size_t a = *first_timed;
  for (auto b = a + 1; b <= *last_timed; ++b) {
    if (!arr[b]) continue;
    for (auto i = a + 1; i < b; ++i) {
      auto const span = static_cast<std::int64_t>(*arr[b]) - *dep[a];
      auto const v = *dep[a] + static_cast<seconds_t>(std::floor(static_cast<double>(span) * static_cast<double>(i - a) /
                                                                 static_cast<double>(b - a)));
      arr[i] = dep[i] = v;
    }
    a = b;
  }
  auto const keep_begin = *first_timed, keep_end = *last_timed + 1;
  if (keep_begin != 0 || keep_end != arr.size()) {
    problem("stop_times.txt", lines[keep_begin == 0 ? keep_end : 0], "untimed_edge_stop",
            "untimed stops before the first or after the last timed stop of trip '" + std::string{t.id} + "' dropped");
  }
  auto const slice = [&](auto& v) {
    v.erase(v.begin() + static_cast<std::ptrdiff_t>(keep_end), v.end());
    v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(keep_begin));
  };
  slice(inst.stops), slice(inst.flags), slice(arr), slice(dep), slice(lines), slice(headsigns);
  slice(sequences), slice(shape_dist);
  if (staged_trips_[staged.v()].shape != no_shape) inst.shape_dist = std::move(shape_dist);

  for (std::size_t i = 0; i < arr.size(); ++i) {
    // Nobody arrives on the trip at its first stop nor leaves it at its last: an arrival after
    // the departure there (nigiri's block_id fixture writes one) is ignored, not fatal.
    if ((i == 0 || i + 1 == arr.size()) && *arr[i] > *dep[i]) {
      problem("stop_times.txt", lines[i], "edge_time_order",
              std::string{i == 0 ? "arrival after departure at the first stop"
                                 : "departure before arrival at the last stop"} +
                  " of trip '" + std::string{t.id} + "'; " + (i == 0 ? "arrival" : "departure") + " ignored");
      if (i == 0) arr[i] = dep[i];
      else dep[i] = arr[i];
    }
    if (*arr[i] > *dep[i] || (i > 0 && *dep[i - 1] > *arr[i])) {
      problem("stop_times.txt", lines[i], "decreasing_time",
              "times decrease in trip '" + std::string{t.id} + "'; trip dropped");
      return std::nullopt;
    }
    inst.arr.push_back(*arr[i]);
    inst.dep.push_back(*dep[i]);
  }
  if (std::any_of(headsigns.begin(), headsigns.end(), [](auto h) { return !h.empty(); })) {
    for (std::size_t i = 0; i < headsigns.size(); ++i) {
      inst.stop_headsigns.push_back(
          make_text(translations, "stop_times", "stop_headsign", t.id, std::to_string(sequences[i]), headsigns[i]));
    }
  }
  return inst;
}

void compiler::expand_frequencies(trip_instance const& base, std::vector<frequency const*> const& rows) {
  for (auto const* fr : rows) {
    if (fr->end - fr->start > max_frequency_window) {
      problem("frequencies.txt", fr->file_line, "bad_frequency", "frequency window longer than 48 h; row ignored");
      continue;
    }
    // 64-bit: start + headway and the shifted times may exceed seconds_t on absurd rows.
    for (std::int64_t start = fr->start; start < fr->end; start += fr->headway) {
      auto const shift = start - base.dep.front();
      if (base.dep.back() + shift > std::numeric_limits<seconds_t>::max()) {
        problem("frequencies.txt", fr->file_line, "bad_frequency", "shifted times overflow; rest of the row ignored");
        break;
      }
      if (expanded_stop_times_ + base.arr.size() > max_expanded_stop_times) {
        problem("frequencies.txt", fr->file_line, "frequency_limit",
                "frequencies expand to more than " + std::to_string(max_expanded_stop_times) +
                    " stop times; rest of the row ignored");
        break;
      }
      expanded_stop_times_ += base.arr.size();
      auto copy = base;
      copy.from_frequency = true;
      for (auto& v : copy.arr) v += static_cast<seconds_t>(shift);
      for (auto& v : copy.dep) v += static_cast<seconds_t>(shift);
      instances_.push_back(std::move(copy));
    }
  }
}

}  // namespace nebuta::build::detail
