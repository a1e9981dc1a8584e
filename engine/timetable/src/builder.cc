#include "nebuta/timetable/builder.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <string>
#include <unordered_map>

namespace nebuta::build {
namespace {

constexpr std::int64_t max_days = 60'000;  // day_idx is 16 bits; ~164 years is far beyond any feed
// Guards against frequency rows that would expand into more trips than memory holds.
constexpr seconds_t max_frequency_window = 2 * seconds_per_day;
constexpr std::size_t max_expanded_stop_times = 50'000'000;

struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using string_map = std::unordered_map<std::string, V, string_hash, std::equal_to<>>;
template <typename V>
using view_map = std::unordered_map<std::string_view, V>;

class string_interner {
 public:
  explicit string_interner(string_store& store) : store_{store} {}
  string_idx get(std::string_view s) {
    if (auto const it = index_.find(s); it != index_.end()) return it->second;
    auto const idx = string_idx{static_cast<std::uint32_t>(store_.size())};
    store_.chars.insert(store_.chars.end(), s.begin(), s.end());
    store_.offsets.push_back(static_cast<std::uint32_t>(store_.chars.size()));
    index_.emplace(std::string{s}, idx);
    return idx;
  }

 private:
  string_store& store_;
  string_map<string_idx> index_;
};

std::string key_of(std::initializer_list<std::string_view> parts) {
  std::string k;
  for (auto const p : parts) {
    k.append(p);
    k.push_back('\x1f');
  }
  return k;
}

// Translations of one feed, looked up in the order GTFS gives precedence: by record, then by
// field value, then (legacy GTFS-JP) by the string alone.
struct translation_index {
  string_map<std::vector<translation const*>> by_record, by_value, legacy;

  explicit translation_index(feed const& f) {
    for (auto const& t : f.translations) {
      if (t.table.empty() && t.field.empty()) {
        legacy[std::string{t.field_value}].push_back(&t);
      } else if (!t.record_id.empty()) {
        by_record[key_of({t.table, t.field, t.record_id, t.record_sub_id})].push_back(&t);
      } else {
        by_value[key_of({t.table, t.field, t.field_value})].push_back(&t);
      }
    }
  }

  std::vector<translation const*> const* find(std::string_view table, std::string_view field,
                                              std::string_view record_id, std::string_view sub_id,
                                              std::string_view value) const {
    if (!by_record.empty()) {
      if (auto it = by_record.find(key_of({table, field, record_id, sub_id})); it != by_record.end()) {
        return &it->second;
      }
    }
    if (!by_value.empty()) {
      if (auto it = by_value.find(key_of({table, field, value})); it != by_value.end()) return &it->second;
    }
    if (!legacy.empty()) {
      if (auto it = legacy.find(value); it != legacy.end()) return &it->second;
    }
    return nullptr;
  }
};

struct trip_instance {
  trip_idx gtfs_trip;  // index into the staging trip table
  std::vector<stop_idx> stops;
  std::vector<std::uint8_t> flags;
  std::vector<seconds_t> arr, dep;
  std::vector<text_idx> stop_headsigns;  // empty when the trip has none
};

struct staged_trip {
  string_idx id;
  line_idx line;
  bitfield_idx service;
  text_idx headsign;
  string_idx short_name;
  std::uint8_t wheelchair;
};

class compiler {
 public:
  compiler(std::vector<feed> const& feeds, options const& opt, problem_sink const& report)
      : feeds_{feeds}, opt_{opt}, report_{report}, strings_{tt_.strings} {}

  timetable run(std::vector<std::pair<std::string, std::uint64_t>> const& reader_warnings) {
    for (auto const& [kind, n] : reader_warnings) warning_counts_[kind] += n;
    compute_date_range();
    for (auto i = 0U; i < feeds_.size(); ++i) load_feed(feeds_[i], feed_idx{i});
    build_routes();
    build_footpaths();
    build_walk_links();
    build_stop_indexes();
    for (auto const& [kind, n] : warning_counts_) tt_.warnings.push_back({.kind = strings_.get(kind), .count = n});
    return std::move(tt_);
  }

 private:
  void problem(std::string_view file, std::uint32_t line, std::string kind, std::string message) {
    ++warning_counts_[kind];
    if (report_) report_({file_prefix_ + std::string{file}, line, std::move(kind), std::move(message)});
  }

  // ------------------------------------------------------------------ service days
  void compute_date_range() {
    std::optional<date_t> lo, hi;
    auto const extend = [&](date_t d) {
      if (!lo || d < *lo) lo = d;
      if (!hi || d > *hi) hi = d;
    };
    for (auto const& f : feeds_) {
      for (auto const& c : f.calendars) {
        if (c.start <= c.end) extend(c.start), extend(c.end);
      }
      for (auto const& c : f.calendar_dates) extend(c.date);
    }
    if (!lo) {
      tt_.first_date = date_t{};
      tt_.n_days = 0;
    } else {
      tt_.first_date = *lo;
      auto const n = (*hi - *lo).count() + 1;
      if (n > max_days) {
        problem("calendar.txt", 0, "date_range_clamped",
                "service dates span " + std::to_string(n) + " days; only the first " +
                    std::to_string(max_days) + " are kept");
      }
      tt_.n_days = static_cast<std::uint32_t>(std::min<std::int64_t>(n, max_days));
    }
    tt_.bitfield_words = std::max<std::uint32_t>(1, (tt_.n_days + 63) / 64);
  }

  bitfield_idx intern_bitfield(std::vector<std::uint64_t> const& bits) {
    if (auto it = bitfield_index_.find(bits); it != bitfield_index_.end()) return it->second;
    auto const idx = bitfield_idx{static_cast<std::uint32_t>(tt_.n_bitfields())};
    tt_.bitfields.insert(tt_.bitfields.end(), bits.begin(), bits.end());
    bitfield_index_.emplace(bits, idx);
    return idx;
  }

  view_map<bitfield_idx> build_services(feed const& f) {
    view_map<std::vector<std::uint64_t>> days;
    auto const set = [&](std::vector<std::uint64_t>& bits, std::int64_t day, bool on) {
      if (day < 0 || day >= static_cast<std::int64_t>(tt_.n_days)) return;
      auto& w = bits[static_cast<std::size_t>(day) / 64];
      auto const mask = std::uint64_t{1} << (static_cast<std::size_t>(day) % 64);
      w = on ? (w | mask) : (w & ~mask);
    };
    auto const empty = std::vector<std::uint64_t>(tt_.bitfield_words, 0);
    for (auto const& c : f.calendars) {
      auto [it, inserted] = days.emplace(c.service_id, empty);
      if (!inserted) {
        problem("calendar.txt", c.file_line, "duplicate_id", "duplicate service_id '" + std::string{c.service_id} + "'");
        continue;
      }
      if (c.start > c.end) {
        problem("calendar.txt", c.file_line, "bad_date", "start_date after end_date");
        continue;
      }
      for (auto d = c.start; d <= c.end; d += std::chrono::days{1}) {
        auto const weekday = (std::chrono::weekday{d}.iso_encoding() - 1);  // 0 = Monday
        if ((c.weekdays >> weekday) & 1U) set(it->second, (d - tt_.first_date).count(), true);
      }
    }
    for (auto const& c : f.calendar_dates) {
      auto [it, inserted] = days.emplace(c.service_id, empty);
      set(it->second, (c.date - tt_.first_date).count(), c.exception_type == 1);
    }
    view_map<bitfield_idx> result;
    for (auto const& [id, bits] : days) result.emplace(id, intern_bitfield(bits));
    return result;
  }

  // ------------------------------------------------------------------ translations
  lang_idx language(std::string_view code) {
    for (auto l = lang_idx{0}; l.v() < tt_.languages.size(); ++l) {
      if (tt_.strings[tt_.languages[l]] == code) return l;
    }
    return tt_.languages.push_back(strings_.get(code));
  }

  text_idx make_text(translation_index const& idx, std::string_view table, std::string_view field,
                     std::string_view record_id, std::string_view sub_id, std::string_view value) {
    std::vector<translation_entry> entries;
    if (auto const* found = idx.find(table, field, record_id, sub_id, value)) {
      for (auto const* t : *found) entries.push_back({.lang = language(t->language), .value = strings_.get(t->translation)});
      std::sort(entries.begin(), entries.end(), [](auto const& a, auto const& b) { return a.lang < b.lang; });
      entries.erase(std::unique(entries.begin(), entries.end(),
                                [](auto const& a, auto const& b) { return a.lang == b.lang; }),
                    entries.end());
    }
    auto const default_value = strings_.get(value);
    std::vector<std::uint32_t> key{default_value.v()};
    for (auto const& e : entries) key.push_back(e.lang.v()), key.push_back(e.value.v());
    if (auto it = text_index_.find(key); it != text_index_.end()) return it->second;
    auto const t = tt_.text_default.push_back(default_value);
    tt_.text_translations.emplace_back(entries);
    text_index_.emplace(std::move(key), t);
    return t;
  }

  // ------------------------------------------------------------------ one feed
  void load_feed(feed const& f, feed_idx fi) {
    file_prefix_ = feeds_.size() > 1 ? f.name + "/" : std::string{};
    tt_.feed_names.push_back(strings_.get(f.name));
    tt_.feed_stats.push_back(f.rows_read);
    if (!f.default_lang.empty()) language(f.default_lang);
    translation_index const translations{f};
    for (auto const& t : f.translations) language(t.language);

    // agencies
    view_map<agency_idx> agencies;
    for (auto const& a : f.agencies) {
      if (!agencies.emplace(a.id, tt_.agency_ids.next_idx()).second) {
        problem("agency.txt", a.file_line, "duplicate_id", "duplicate agency_id '" + std::string{a.id} + "'");
        continue;
      }
      tt_.agency_ids.push_back(strings_.get(a.id));
      tt_.agency_feed.push_back(fi);
      tt_.agency_names.push_back(make_text(translations, "agency", "agency_name", a.id, "", a.name));
      tt_.agency_timezones.push_back(strings_.get(a.timezone));
      tt_.agency_urls.push_back(strings_.get(a.url));
    }

    // stops
    view_map<stop_idx> stops;
    auto const first_stop = tt_.stop_ids.next_idx();
    for (auto const& s : f.stops) {
      if (!stops.emplace(s.id, tt_.stop_ids.next_idx()).second) {
        problem("stops.txt", s.file_line, "duplicate_id", "duplicate stop_id '" + std::string{s.id} + "'");
        continue;
      }
      tt_.stop_ids.push_back(strings_.get(s.id));
      tt_.stop_feed.push_back(fi);
      tt_.stop_names.push_back(make_text(translations, "stops", "stop_name", s.id, "", s.name));
      tt_.stop_coords.push_back(s.coord.value_or(latlon{}));
      tt_.stop_has_coords.push_back(s.coord ? 1 : 0);
      tt_.stop_parent.push_back(stop_idx::invalid());
      tt_.stop_platform_codes.push_back(strings_.get(s.platform_code));
      tt_.stop_location_type.push_back(s.location_type);
      tt_.stop_wheelchair_boarding.push_back(s.wheelchair_boarding);
      tt_.stop_min_change_s.push_back(no_min_change_time);
    }
    for (auto const& s : f.stops) {
      if (s.parent_id.empty()) continue;
      auto const self = stops.find(s.id);
      auto const parent = stops.find(s.parent_id);
      if (parent == stops.end()) {
        problem("stops.txt", s.file_line, "unknown_parent_station",
                "unknown parent_station '" + std::string{s.parent_id} + "'");
        continue;
      }
      if (self->second.v() >= first_stop.v()) tt_.stop_parent[self->second] = parent->second;
    }

    // lines
    view_map<line_idx> lines;
    for (auto const& l : f.lines) {
      auto agency = agency_idx::invalid();
      if (auto it = agencies.find(l.agency_id); it != agencies.end()) {
        agency = it->second;
      } else if (l.agency_id.empty() && f.agencies.size() == 1 && !agencies.empty()) {
        agency = agencies.begin()->second;
      } else {
        problem("routes.txt", l.file_line, "unknown_agency", "unknown agency_id '" + std::string{l.agency_id} + "'");
      }
      if (!lines.emplace(l.id, tt_.line_ids.next_idx()).second) {
        problem("routes.txt", l.file_line, "duplicate_id", "duplicate route_id '" + std::string{l.id} + "'");
        continue;
      }
      tt_.line_ids.push_back(strings_.get(l.id));
      tt_.line_feed.push_back(fi);
      tt_.line_agency.push_back(agency);
      tt_.line_short_names.push_back(make_text(translations, "routes", "route_short_name", l.id, "", l.short_name));
      tt_.line_long_names.push_back(make_text(translations, "routes", "route_long_name", l.id, "", l.long_name));
      tt_.line_types.push_back(l.type);
      tt_.line_colors.push_back(strings_.get(l.color));
      tt_.line_text_colors.push_back(strings_.get(l.text_color));
    }

    auto const services = build_services(f);

    // trips
    view_map<std::uint32_t> trips;  // trip_id -> index into f.trips
    std::vector<std::optional<trip_idx>> staged(f.trips.size());
    for (auto i = 0U; i < f.trips.size(); ++i) {
      auto const& t = f.trips[i];
      if (!trips.emplace(t.id, i).second) {
        problem("trips.txt", t.file_line, "duplicate_id", "duplicate trip_id '" + std::string{t.id} + "'");
        continue;
      }
      auto const line = lines.find(t.line_id);
      if (line == lines.end()) {
        problem("trips.txt", t.file_line, "unknown_route", "unknown route_id '" + std::string{t.line_id} + "'");
        continue;
      }
      auto const service = services.find(t.service_id);
      if (service == services.end()) {
        problem("trips.txt", t.file_line, "unknown_service", "unknown service_id '" + std::string{t.service_id} + "'");
        continue;
      }
      staged[i] = trip_idx{static_cast<std::uint32_t>(staged_trips_.size())};
      staged_trips_.push_back({strings_.get(t.id), line->second, service->second,
                               make_text(translations, "trips", "trip_headsign", t.id, "", t.headsign),
                               strings_.get(t.short_name), t.wheelchair_accessible});
    }

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
      std::stable_sort(begin, end, [&](auto a, auto b) {
        return f.stop_times[a].stop_sequence < f.stop_times[b].stop_sequence;
      });
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

    // transfers
    for (auto const& tr : f.transfers) {
      if (tr.transfer_type != 2) continue;
      auto const from = stops.find(tr.from_stop), to = stops.find(tr.to_stop);
      if (from == stops.end() || to == stops.end()) {
        problem("transfers.txt", tr.file_line, "unknown_stop",
                "unknown stop_id '" + std::string{from == stops.end() ? tr.from_stop : tr.to_stop} + "'");
        continue;
      }
      auto const duration = tr.min_transfer_time.value_or(0);
      if (from->second == to->second) {
        auto& m = tt_.stop_min_change_s[from->second];
        m = static_cast<std::uint16_t>(std::min<std::uint32_t>(duration, no_min_change_time - 1));
      } else {
        transfers_.push_back({from->second, to->second, duration});
      }
    }
  }

  std::optional<trip_instance> make_trip_instance(feed const& f, translation_index const& translations,
                                                  view_map<stop_idx> const& stops, trip const& t,
                                                  trip_idx staged, std::span<std::uint32_t const> rows) {
    trip_instance inst;
    inst.gtfs_trip = staged;
    std::vector<std::optional<seconds_t>> arr, dep;
    std::vector<std::uint32_t> lines;
    std::vector<std::string_view> headsigns;
    std::vector<std::uint32_t> sequences;
    std::optional<std::uint32_t> last_sequence;
    for (auto const r : rows) {
      auto const& st = f.stop_times[r];
      if (st.flex) continue;  // GTFS-Flex zones and windows are not timetabled stops
      if (last_sequence && *last_sequence == st.stop_sequence) {
        problem("stop_times.txt", st.file_line, "duplicate_stop_sequence",
                "duplicate stop_sequence " + std::to_string(st.stop_sequence) + " in trip '" +
                    std::string{t.id} + "'");
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
        auto const v = *dep[a] + static_cast<seconds_t>(
            std::floor(static_cast<double>(span) * static_cast<double>(i - a) / static_cast<double>(b - a)));
        arr[i] = dep[i] = v;
      }
      a = b;
    }
    auto const keep_begin = *first_timed, keep_end = *last_timed + 1;
    if (keep_begin != 0 || keep_end != arr.size()) {
      problem("stop_times.txt", lines[keep_begin == 0 ? keep_end : 0], "untimed_edge_stop",
              "untimed stops before the first or after the last timed stop of trip '" +
                  std::string{t.id} + "' dropped");
    }
    auto const slice = [&](auto& v) {
      v.erase(v.begin() + static_cast<std::ptrdiff_t>(keep_end), v.end());
      v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(keep_begin));
    };
    slice(inst.stops), slice(inst.flags), slice(arr), slice(dep), slice(lines), slice(headsigns);
    slice(sequences);

    for (std::size_t i = 0; i < arr.size(); ++i) {
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
        inst.stop_headsigns.push_back(make_text(translations, "stop_times", "stop_headsign", t.id,
                                                std::to_string(sequences[i]), headsigns[i]));
      }
    }
    return inst;
  }

  void expand_frequencies(trip_instance const& base, std::vector<frequency const*> const& rows) {
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
        for (auto& v : copy.arr) v += static_cast<seconds_t>(shift);
        for (auto& v : copy.dep) v += static_cast<seconds_t>(shift);
        instances_.push_back(std::move(copy));
      }
    }
  }

  // ------------------------------------------------------------------ RAPTOR routes
  void build_routes() {
    struct vec_hash {
      std::size_t operator()(std::vector<std::uint32_t> const& v) const {
        std::size_t h = v.size();
        for (auto x : v) h = h * 1'000'003U ^ x;
        return h;
      }
    };
    std::unordered_map<std::vector<std::uint32_t>, std::uint32_t, vec_hash> pattern_index;
    std::vector<std::vector<std::uint32_t>> pattern_trips;
    for (auto i = 0U; i < instances_.size(); ++i) {
      auto const& inst = instances_[i];
      std::vector<std::uint32_t> key;
      key.reserve(inst.stops.size());
      for (std::size_t s = 0; s < inst.stops.size(); ++s) key.push_back(inst.stops[s].v() * 4U + inst.flags[s]);
      auto [it, inserted] = pattern_index.emplace(std::move(key), static_cast<std::uint32_t>(pattern_trips.size()));
      if (inserted) pattern_trips.emplace_back();
      pattern_trips[it->second].push_back(i);
    }

    auto const overtakes = [&](trip_instance const& earlier, trip_instance const& later) {
      for (std::size_t s = 0; s < earlier.arr.size(); ++s) {
        if (earlier.arr[s] > later.arr[s] || earlier.dep[s] > later.dep[s]) return true;
      }
      return false;
    };

    std::vector<std::vector<std::vector<std::uint32_t>>> stop_route_lists(tt_.n_stops());
    for (auto& members : pattern_trips) {
      std::sort(members.begin(), members.end(), [&](auto a, auto b) {
        auto const& x = instances_[a];
        auto const& y = instances_[b];
        return std::tie(x.dep.front(), x.arr.back()) < std::tie(y.dep.front(), y.arr.back());
      });
      // Split so that trips of one route never overtake: each trip joins the first group whose
      // last trip it does not overtake.
      std::vector<std::vector<std::uint32_t>> groups;
      for (auto const m : members) {
        auto placed = false;
        for (auto& g : groups) {
          if (!overtakes(instances_[g.back()], instances_[m])) {
            g.push_back(m);
            placed = true;
            break;
          }
        }
        if (!placed) groups.push_back({m});
      }
      for (auto const& g : groups) add_route(g);
    }
  }

  void add_route(std::vector<std::uint32_t> const& members) {
    auto const& first = instances_[members.front()];
    auto const r = tt_.route_first_trip.push_back(tt_.trip_ids.next_idx());
    tt_.route_n_trips.push_back(static_cast<std::uint32_t>(members.size()));
    tt_.route_time_base.push_back(static_cast<std::uint32_t>(tt_.arrivals.size()));
    tt_.route_type.push_back(tt_.line_types[staged_trips_[first.gtfs_trip.v()].line]);
    tt_.route_stops.emplace_back(first.stops);
    tt_.route_stop_flags.emplace_back(first.flags);
    for (std::size_t s = 0; s < first.stops.size(); ++s) {
      for (auto const m : members) {
        tt_.arrivals.push_back(instances_[m].arr[s]);
        tt_.departures.push_back(instances_[m].dep[s]);
      }
    }
    for (auto const m : members) {
      auto const& inst = instances_[m];
      auto const& st = staged_trips_[inst.gtfs_trip.v()];
      tt_.trip_ids.push_back(st.id);
      tt_.trip_line.push_back(st.line);
      tt_.trip_route.push_back(r);
      tt_.trip_service.push_back(st.service);
      tt_.trip_headsigns.push_back(st.headsign);
      tt_.trip_short_names.push_back(st.short_name);
      tt_.trip_wheelchair_accessible.push_back(st.wheelchair);
      tt_.trip_stop_headsigns.emplace_back(inst.stop_headsigns);
    }
  }

  // ------------------------------------------------------------------ footpaths
  struct staged_transfer {
    stop_idx from, to;
    std::uint32_t duration;
  };

  void build_footpaths() {
    std::sort(transfers_.begin(), transfers_.end(), [](auto const& a, auto const& b) {
      return std::tie(a.from, a.to, a.duration) < std::tie(b.from, b.to, b.duration);
    });
    std::vector<footpath> out;
    auto it = transfers_.begin();
    for (auto s = stop_idx{0}; s.v() < tt_.n_stops(); ++s) {
      out.clear();
      for (; it != transfers_.end() && it->from == s; ++it) {
        if (!out.empty() && out.back().target == it->to) continue;  // keep the shortest
        out.push_back({it->to, it->duration});
      }
      tt_.stop_footpaths.emplace_back(out);
    }
  }

  void build_walk_links() {
    tt_.walk_link_radius_m = opt_.walk_link_radius_m;
    auto const radius = static_cast<double>(opt_.walk_link_radius_m);
    // A grid of cells about `radius` wide: neighbours are in the 3x3 block around a stop's cell.
    auto const cell_lat = std::max(radius, 1.0) / geo::metres_per_degree;
    std::map<std::pair<std::int64_t, std::int64_t>, std::vector<stop_idx>> grid;
    auto const cell_of = [&](latlon p) {
      auto const lat_cell = static_cast<std::int64_t>(std::floor(p.lat / cell_lat));
      auto const lon_scale = std::max(std::cos(std::min(std::abs(p.lat) + cell_lat, 89.0) * std::numbers::pi / 180.0), 0.01);
      return std::pair{lat_cell, static_cast<std::int64_t>(std::floor(p.lon * lon_scale / cell_lat))};
    };
    std::vector<std::pair<std::int64_t, std::int64_t>> cells(tt_.n_stops());
    for (auto s = stop_idx{0}; s.v() < tt_.n_stops(); ++s) {
      if (!tt_.stop_has_coords[s]) continue;
      cells[s.v()] = cell_of(tt_.stop_coords[s]);
      grid[cells[s.v()]].push_back(s);
    }
    std::vector<walk_link> links;
    for (auto s = stop_idx{0}; s.v() < tt_.n_stops(); ++s) {
      links.clear();
      if (tt_.stop_has_coords[s] && radius > 0.0) {
        auto const [cy, cx] = cells[s.v()];
        // Longitude cells shrink towards the poles; scan a margin wide enough for this latitude.
        for (auto dy = -1; dy <= 1; ++dy) {
          for (auto dx = -2; dx <= 2; ++dx) {
            auto const it = grid.find({cy + dy, cx + dx});
            if (it == grid.end()) continue;
            for (auto const o : it->second) {
              if (o == s) continue;
              auto const d = haversine_m(tt_.stop_coords[s], tt_.stop_coords[o]);
              if (d <= radius) links.push_back({o, static_cast<float>(d)});
            }
          }
        }
        std::sort(links.begin(), links.end(), [](auto const& a, auto const& b) {
          return std::tie(a.distance_m, a.target) < std::tie(b.distance_m, b.target);
        });
      }
      tt_.stop_walk_links.emplace_back(links);
    }
  }

  void build_stop_indexes() {
    std::vector<std::vector<route_idx>> routes(tt_.n_stops());
    for (auto r = route_idx{0}; r.v() < tt_.n_routes(); ++r) {
      for (auto const s : tt_.route_stops[r]) {
        if (routes[s.v()].empty() || routes[s.v()].back() != r) routes[s.v()].push_back(r);
      }
    }
    std::vector<std::vector<stop_idx>> children(tt_.n_stops());
    for (auto s = stop_idx{0}; s.v() < tt_.n_stops(); ++s) {
      if (tt_.stop_parent[s].valid()) children[tt_.stop_parent[s].v()].push_back(s);
    }
    for (std::size_t s = 0; s < tt_.n_stops(); ++s) {
      std::sort(routes[s].begin(), routes[s].end());
      routes[s].erase(std::unique(routes[s].begin(), routes[s].end()), routes[s].end());
      tt_.stop_routes.emplace_back(routes[s]);
      tt_.stop_children.emplace_back(children[s]);
    }
    tt_.stops_by_id.resize(tt_.n_stops());
    std::iota(tt_.stops_by_id.begin(), tt_.stops_by_id.end(), stop_idx{0});
    std::sort(tt_.stops_by_id.begin(), tt_.stops_by_id.end(), [&](stop_idx a, stop_idx b) {
      return tt_.stop_feed[a] != tt_.stop_feed[b] ? tt_.stop_feed[a] < tt_.stop_feed[b]
                                                  : tt_.strings[tt_.stop_ids[a]] < tt_.strings[tt_.stop_ids[b]];
    });
    if (tt_.stop_footpaths.size() != tt_.n_stops()) {
      tt_.stop_footpaths = {};
      for (std::size_t s = 0; s < tt_.n_stops(); ++s) tt_.stop_footpaths.emplace_back_empty();
    }
  }

  std::vector<feed> const& feeds_;
  options const& opt_;
  problem_sink const& report_;
  timetable tt_;
  string_interner strings_;
  std::map<std::string, std::uint64_t> warning_counts_;
  std::string file_prefix_;
  std::map<std::vector<std::uint64_t>, bitfield_idx> bitfield_index_;
  std::map<std::vector<std::uint32_t>, text_idx> text_index_;
  std::vector<staged_trip> staged_trips_;
  std::vector<trip_instance> instances_;
  std::size_t expanded_stop_times_{0};
  std::vector<staged_transfer> transfers_;
};

}  // namespace

timetable compile(std::vector<feed> const& feeds, options const& opt, problem_sink const& report,
                  std::vector<std::pair<std::string, std::uint64_t>> const& reader_warnings) {
  return compiler{feeds, opt, report}.run(reader_warnings);
}

}  // namespace nebuta::build
