// Inside the timetable builder: the compiler and what its steps share. One step per GTFS file,
// as the records come (builder_agency.cc, builder_stops.cc, builder_routes.cc,
// builder_services.cc for calendar and calendar_dates, builder_trips.cc, builder_stop_times.cc
// with frequencies, builder_transfers.cc, builder_translations.cc), then the passes over all
// feeds (builder_raptor_routes.cc, builder_walk_links.cc, builder_stop_indexes.cc); builder.cc
// runs them in order. Not installed.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "nebuta/timetable/builder.h"

namespace nebuta::build::detail {

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

inline std::string key_of(std::initializer_list<std::string_view> parts) {
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

  explicit translation_index(feed const& f);
  std::vector<translation const*> const* find(std::string_view table, std::string_view field, std::string_view record_id,
                                              std::string_view sub_id, std::string_view value) const;
};

constexpr std::uint32_t no_shape = UINT32_MAX;

// A shape of shapes.txt as read, kept until a trip's path needs it (only used shapes are stored).
struct staged_shape {
  std::vector<latlon> points;  // at the timetable's precision (shape_point)
  std::vector<double> along;   // metres from the first point
  std::vector<double> dist;    // shape_dist_traveled per point; empty unless given for all, non-decreasing
  shape_idx stored{shape_idx::invalid()};
};

struct trip_instance {
  trip_idx gtfs_trip;  // index into the staging trip table
  std::vector<stop_idx> stops;
  std::vector<std::uint8_t> flags;
  std::vector<seconds_t> arr, dep;
  std::vector<text_idx> stop_headsigns;           // empty when the trip has none
  std::vector<std::optional<double>> shape_dist;  // per stop, when the trip has a shape
  bool from_frequency{false};                     // expanded from frequencies.txt: no block, no links
};

struct staged_trip {
  string_idx id;
  line_idx line;
  bitfield_idx service;
  text_idx headsign;
  string_idx short_name;
  std::uint8_t wheelchair;
  std::uint32_t block;            // no_block without block_id
  std::uint32_t shape{no_shape};  // into compiler::shapes_
};

// transfers.txt transfer_type 4 / 5 between two staged trips, resolved after build_routes.
struct staged_link {
  trip_idx from, to;  // staging indices
  std::uint8_t transfer_type;
  std::string file;  // with the feed prefix, for problems
  std::uint32_t line;
};

struct staged_transfer {
  stop_idx from, to;
  std::uint32_t duration;
};

// What the steps of one feed share: the feed, its index, and the maps from its ids to ours.
struct feed_state {
  feed_state(feed const& source, feed_idx i) : f{source}, index{i}, translations{source} {}

  feed const& f;
  feed_idx index;
  translation_index translations;
  view_map<agency_idx> agencies;
  view_map<stop_idx> stops;
  view_map<line_idx> lines;
  view_map<bitfield_idx> services;
  view_map<std::uint32_t> trips;                // trip_id -> index into f.trips
  view_map<std::uint32_t> blocks;               // block_id -> number unique over the feeds
  view_map<std::uint32_t> shapes;               // shape_id -> into compiler::shapes_ (no_shape: unusable)
  std::vector<std::optional<trip_idx>> staged;  // per row of f.trips: its staging index, if kept
};

class compiler {
 public:
  compiler(std::vector<feed> const& feeds, options const& opt, problem_sink const& report)
      : feeds_{feeds}, opt_{opt}, report_{report}, strings_{tt_.strings} {}

  timetable run(std::vector<std::pair<std::string, std::uint64_t>> const& reader_warnings);

 private:
  void problem(std::string_view file, std::uint32_t line, std::string kind, std::string message);

  // Service days (builder_services.cc): calendar.txt, calendar_dates.txt.
  void compute_date_range();
  bitfield_idx intern_bitfield(std::vector<std::uint64_t> const& bits);
  view_map<bitfield_idx> build_services(feed const& f);

  // Texts in every language (builder_translations.cc): translations.txt.
  lang_idx language(std::string_view code);
  text_idx make_text(translation_index const& idx, std::string_view table, std::string_view field,
                     std::string_view record_id, std::string_view sub_id, std::string_view value);

  // One feed (builder.cc), one step per file.
  void load_feed(feed const& f, feed_idx fi);
  void load_agencies(feed_state& fs);    // agency.txt
  void load_stops(feed_state& fs);       // stops.txt
  void load_routes(feed_state& fs);      // routes.txt (our lines)
  void load_shapes(feed_state& fs);      // shapes.txt (builder_shapes.cc)
  void load_trips(feed_state& fs);       // trips.txt
  void load_stop_times(feed_state& fs);  // stop_times.txt, frequencies.txt
  std::optional<trip_instance> make_trip_instance(feed const& f, translation_index const& translations,
                                                  view_map<stop_idx> const& stops, trip const& t, trip_idx staged,
                                                  std::span<std::uint32_t const> rows);
  void expand_frequencies(trip_instance const& base, std::vector<frequency const*> const& rows);
  void load_transfers(feed_state& fs);                      // transfers.txt
  void load_trip_link(feed_state& fs, transfer const& tr);  // transfer_type 4, 5 (builder_trip_links.cc)

  // Passes over all feeds.
  void build_routes();  // builder_raptor_routes.cc
  void add_route(std::vector<std::uint32_t> const& members);
  path_idx add_path(std::uint32_t shape, std::span<stop_idx const> stops,
                    std::span<std::optional<double> const> shape_dist);  // builder_shapes.cc
  void build_footpaths();                                                // builder_transfers.cc
  void build_walk_links();                                               // builder_walk_links.cc
  void build_stop_indexes();                                             // builder_stop_indexes.cc
  void build_trip_links();                                               // builder_trip_links.cc

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
  std::uint32_t n_blocks_{0};
  std::vector<staged_link> links_;
  std::vector<staged_shape> shapes_;
  std::vector<trip_idx> trip_of_staged_;  // the compiled trip of a staged trip (invalid: none or several)
};

}  // namespace nebuta::build::detail
