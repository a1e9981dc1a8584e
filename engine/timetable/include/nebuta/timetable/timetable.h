// The compiled timetable: a struct of flat arrays, built once by timetable_builder and then
// only read. Every query module takes it by const reference.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nebuta/timetable/column.h"
#include "nebuta/timetable/fares.h"
#include "nebuta/timetable/types.h"

namespace nebuta {

// The timetable's containers: vecmap and multimap (engine/core) over columns, so that a
// timetable read from a mapped snapshot views the file instead of copying it.
template <typename Idx, typename T>
using column_vecmap = vecmap<Idx, T, column<T>>;
template <typename Idx, typename T>
using column_multimap = multimap<Idx, T, column<T>, column<std::uint32_t>>;

// All strings of the timetable in one buffer, so that the timetable stays flat and a snapshot is
// a handful of contiguous writes.
struct string_store {
  column<std::uint32_t> offsets{0U};
  column<char> chars;

  std::string_view operator[](string_idx i) const {
    return {chars.data() + offsets[i.v()], offsets[i.v() + 1] - offsets[i.v()]};
  }
  std::size_t size() const { return offsets.size() - 1; }
};

// Element types are written to snapshots byte for byte, so none may contain padding: unnamed
// padding would carry whatever was in memory and make equal timetables give different files.
struct translation_entry {
  lang_idx lang;
  std::uint16_t reserved{0};
  string_idx value;
};

struct footpath {
  stop_idx target;
  std::uint32_t duration_s;
};

struct walk_link {
  stop_idx target;
  float distance_m;
};

enum class route_stop_flags : std::uint8_t {
  none = 0,
  no_pickup = 1,   // pickup_type 1: boarding forbidden
  no_dropoff = 2,  // drop_off_type 1: alighting forbidden
};

// Counts of what the loader read and how it judged it, kept in the timetable so that a snapshot
// can be inspected like the feeds it came from.
struct load_stats {
  std::uint64_t agencies{0};
  std::uint64_t stops{0};
  std::uint64_t routes{0};
  std::uint64_t trips{0};
  std::uint64_t stop_times{0};
};

struct warning_count {
  string_idx kind;
  std::uint32_t reserved{0};
  std::uint64_t count;
};

inline constexpr std::uint16_t no_min_change_time = 0xFFFF;
inline constexpr std::uint32_t no_block = 0xFFFF'FFFF;

// A point of shapes.txt in fixed point, 1e-7 degree (about 1 cm): half a latlon's size, and
// finer than the six or seven decimals feeds write.
struct shape_point {
  std::int32_t lat_e7{0};
  std::int32_t lon_e7{0};
  static shape_point of(latlon c) {
    return {static_cast<std::int32_t>(std::lround(c.lat * 1e7)), static_cast<std::int32_t>(std::lround(c.lon * 1e7))};
  }
  latlon coord() const { return {lat_e7 / 1e7, lon_e7 / 1e7}; }
  bool operator==(shape_point const&) const = default;
};

// transfers.txt linked trips: transfer_type 4 (the rider may stay on board from `from` into `to`)
// or 5 (the vehicle runs on as `to`, but riders must alight and board again).
struct trip_link {
  trip_idx from, to;
  std::uint8_t transfer_type;
  std::uint8_t reserved[3]{};
};

struct timetable {
  // --- feeds
  column_vecmap<feed_idx, string_idx> feed_names;
  column_vecmap<feed_idx, load_stats> feed_stats;  // rows read per feed
  column<warning_count> warnings;                  // problems found at load, per kind

  // --- strings, languages and translations
  string_store strings;
  column_vecmap<lang_idx, string_idx> languages;     // BCP 47 codes present in the feeds
  column_vecmap<text_idx, string_idx> text_default;  // value as written in the feed file
  column_multimap<text_idx, translation_entry> text_translations;

  // --- agencies
  column_vecmap<agency_idx, string_idx> agency_ids;
  column_vecmap<agency_idx, feed_idx> agency_feed;
  column_vecmap<agency_idx, text_idx> agency_names;
  column_vecmap<agency_idx, string_idx> agency_timezones;
  column_vecmap<agency_idx, string_idx> agency_urls;

  // --- stops
  column_vecmap<stop_idx, string_idx> stop_ids;  // as in the feed, without the feed prefix
  column_vecmap<stop_idx, feed_idx> stop_feed;
  column_vecmap<stop_idx, text_idx> stop_names;
  column_vecmap<stop_idx, latlon> stop_coords;
  column_vecmap<stop_idx, std::uint8_t> stop_has_coords;
  column_vecmap<stop_idx, stop_idx> stop_parent;  // invalid() when none
  column_vecmap<stop_idx, string_idx> stop_platform_codes;
  column_vecmap<stop_idx, std::uint8_t> stop_location_type;
  column_vecmap<stop_idx, std::uint8_t> stop_wheelchair_boarding;  // 0 unknown, 1 yes, 2 no
  column_vecmap<stop_idx, std::uint16_t> stop_min_change_s;        // no_min_change_time if unset
  column_multimap<stop_idx, stop_idx> stop_children;
  column_multimap<stop_idx, footpath> stop_footpaths;    // from transfers.txt (type 2, from != to)
  column_multimap<stop_idx, walk_link> stop_walk_links;  // stops within walk_link_radius_m, nearest first
  column_multimap<stop_idx, route_idx> stop_routes;
  column<stop_idx> stops_by_id;  // sorted by (feed, id): lookup by binary search
  float walk_link_radius_m{0.0F};

  // --- lines (GTFS routes)
  column_vecmap<line_idx, string_idx> line_ids;
  column_vecmap<line_idx, feed_idx> line_feed;
  column_vecmap<line_idx, agency_idx> line_agency;
  column_vecmap<line_idx, text_idx> line_short_names;
  column_vecmap<line_idx, text_idx> line_long_names;
  column_vecmap<line_idx, std::int16_t> line_types;
  column_vecmap<line_idx, string_idx> line_colors;
  column_vecmap<line_idx, string_idx> line_text_colors;

  // --- trips. Trips of one RAPTOR route are numbered contiguously, sorted by departure.
  column_vecmap<trip_idx, string_idx> trip_ids;
  column_vecmap<trip_idx, line_idx> trip_line;
  column_vecmap<trip_idx, route_idx> trip_route;
  column_vecmap<trip_idx, bitfield_idx> trip_service;
  column_vecmap<trip_idx, text_idx> trip_headsigns;
  column_vecmap<trip_idx, string_idx> trip_short_names;
  column_vecmap<trip_idx, std::uint8_t> trip_wheelchair_accessible;  // 0 unknown, 1 yes, 2 no
  column_multimap<trip_idx, text_idx> trip_stop_headsigns;           // empty, or one per route stop
  // block_id as a number unique over the feeds, or no_block (none given, or a trip expanded from
  // frequencies.txt). Which trips continue which is raptor::index's business (blocks.cc).
  column_vecmap<trip_idx, std::uint32_t> trip_block;
  column<trip_link> trip_links;  // sorted by (from, to)

  // --- shapes (shapes.txt), engine/timetable/shapes.h reads them. All empty when no trip has a
  // shape: legs are then drawn stop to stop. A path is a shape as one RAPTOR route runs it: the
  // position of each of the route's stops on it, in metres along the shape (haversine_m summed
  // over its points), non-decreasing.
  column_multimap<shape_idx, shape_point> shape_points;
  column_vecmap<path_idx, shape_idx> path_shape;
  column_multimap<path_idx, float> path_stop_along;  // per route stop
  column_vecmap<trip_idx, path_idx> trip_path;       // invalid() for a trip without shape

  // --- RAPTOR routes
  column_multimap<route_idx, stop_idx> route_stops;
  column_multimap<route_idx, std::uint8_t> route_stop_flags;  // route_stop_flags bits per route stop
  column_vecmap<route_idx, trip_idx> route_first_trip;
  column_vecmap<route_idx, std::uint32_t> route_n_trips;
  column_vecmap<route_idx, std::uint32_t> route_time_base;  // into arrivals/departures
  column_vecmap<route_idx, std::int16_t> route_type;
  // Stop-major per route: the times of route stop s for all the route's trips are contiguous,
  // so finding the earliest trip at a stop reads one sorted span.
  column<seconds_t> arrivals;
  column<seconds_t> departures;

  // --- service days
  date_t first_date{};
  std::uint32_t n_days{0};
  std::uint32_t bitfield_words{0};  // 64-bit words per bitfield
  column<std::uint64_t> bitfields;  // n_bitfields * bitfield_words

  // --- fares (GTFS-Fares v1 and v2), built by engine/fare after compile()
  fare_tables fares;

  // ---------------------------------------------------------------- accessors
  std::size_t n_stops() const { return stop_ids.size(); }
  std::size_t n_trips() const { return trip_ids.size(); }
  std::size_t n_routes() const { return route_first_trip.size(); }
  std::size_t n_lines() const { return line_ids.size(); }
  std::size_t n_agencies() const { return agency_ids.size(); }
  std::size_t n_bitfields() const { return bitfield_words ? bitfields.size() / bitfield_words : 0; }
  std::size_t n_stop_times() const { return arrivals.size(); }
  std::size_t n_feeds() const { return feed_names.size(); }
  std::size_t n_shapes() const { return shape_points.size(); }
  std::size_t n_paths() const { return path_shape.size(); }
  path_idx path_of(trip_idx t) const { return trip_path.empty() ? path_idx::invalid() : trip_path[t]; }

  std::span<seconds_t const> route_departures_at(route_idx r, std::uint32_t stop_pos) const {
    return {departures.data() + route_time_base[r] + stop_pos * route_n_trips[r], route_n_trips[r]};
  }
  std::span<seconds_t const> route_arrivals_at(route_idx r, std::uint32_t stop_pos) const {
    return {arrivals.data() + route_time_base[r] + stop_pos * route_n_trips[r], route_n_trips[r]};
  }
  seconds_t arrival(route_idx r, std::uint32_t stop_pos, std::uint32_t trip_in_route) const {
    return arrivals[route_time_base[r] + stop_pos * route_n_trips[r] + trip_in_route];
  }
  seconds_t departure(route_idx r, std::uint32_t stop_pos, std::uint32_t trip_in_route) const {
    return departures[route_time_base[r] + stop_pos * route_n_trips[r] + trip_in_route];
  }
  bool can_board(route_idx r, std::uint32_t stop_pos) const {
    return (route_stop_flags[r][stop_pos] & static_cast<std::uint8_t>(route_stop_flags::no_pickup)) == 0;
  }
  bool can_alight(route_idx r, std::uint32_t stop_pos) const {
    return (route_stop_flags[r][stop_pos] & static_cast<std::uint8_t>(route_stop_flags::no_dropoff)) == 0;
  }

  // Service on a day, as an index into [first_date, first_date + n_days). Days outside the
  // range have no service.
  std::optional<day_idx> day_of(date_t d) const;
  date_t date_of(day_idx d) const { return first_date + std::chrono::days{d.v()}; }
  bool active(bitfield_idx b, std::int64_t day) const {
    if (day < 0 || day >= static_cast<std::int64_t>(n_days)) return false;
    auto const w = bitfields[b.v() * bitfield_words + static_cast<std::size_t>(day) / 64];
    return (w >> (static_cast<std::size_t>(day) % 64)) & 1U;
  }
  bool trip_active(trip_idx t, std::int64_t day) const { return active(trip_service[t], day); }

  // External id as written in results: plain with one feed, "feed:id" with several.
  std::string external_stop_id(stop_idx s) const;
  std::string external_trip_id(trip_idx t) const;
  std::string external_line_id(line_idx l) const;
  // Accepts "feed:id", or a plain id when it is unambiguous.
  std::optional<stop_idx> find_stop(std::string_view external_id) const;

  // A text in the first language of `chain` that has it (exact code, then language prefix:
  // "zh" matches "zh-Hans"), else the value written in the feed.
  std::string_view text(text_idx t, std::span<std::string const> chain) const;
  std::string_view text(text_idx t) const { return strings[text_default[t]]; }
  std::optional<lang_idx> find_language(std::string_view code) const;

  std::uint64_t trips_active_on(std::int64_t day) const;

  // Internal invariants (sorted, FIFO, offsets consistent). Empty when valid; tests call it.
  std::vector<std::string> validate() const;

  // Every member, once, for the snapshot writer and reader.
  template <typename F>
  void for_each_member(F&& f) {
    f(feed_names.raw());
    f(feed_stats.raw());
    f(warnings);
    f(strings.offsets);
    f(strings.chars);
    f(languages.raw());
    f(text_default.raw());
    f(text_translations.raw_offsets());
    f(text_translations.raw_data());
    f(agency_ids.raw());
    f(agency_feed.raw());
    f(agency_names.raw());
    f(agency_timezones.raw());
    f(agency_urls.raw());
    f(stop_ids.raw());
    f(stop_feed.raw());
    f(stop_names.raw());
    f(stop_coords.raw());
    f(stop_has_coords.raw());
    f(stop_parent.raw());
    f(stop_platform_codes.raw());
    f(stop_location_type.raw());
    f(stop_wheelchair_boarding.raw());
    f(stop_min_change_s.raw());
    f(stop_children.raw_offsets());
    f(stop_children.raw_data());
    f(stop_footpaths.raw_offsets());
    f(stop_footpaths.raw_data());
    f(stop_walk_links.raw_offsets());
    f(stop_walk_links.raw_data());
    f(stop_routes.raw_offsets());
    f(stop_routes.raw_data());
    f(stops_by_id);
    f(walk_link_radius_m);
    f(line_ids.raw());
    f(line_feed.raw());
    f(line_agency.raw());
    f(line_short_names.raw());
    f(line_long_names.raw());
    f(line_types.raw());
    f(line_colors.raw());
    f(line_text_colors.raw());
    f(trip_ids.raw());
    f(trip_line.raw());
    f(trip_route.raw());
    f(trip_service.raw());
    f(trip_headsigns.raw());
    f(trip_short_names.raw());
    f(trip_wheelchair_accessible.raw());
    f(trip_stop_headsigns.raw_offsets());
    f(trip_stop_headsigns.raw_data());
    f(trip_block.raw());
    f(trip_links);
    f(shape_points.raw_offsets());
    f(shape_points.raw_data());
    f(path_shape.raw());
    f(path_stop_along.raw_offsets());
    f(path_stop_along.raw_data());
    f(trip_path.raw());
    f(route_stops.raw_offsets());
    f(route_stops.raw_data());
    f(route_stop_flags.raw_offsets());
    f(route_stop_flags.raw_data());
    f(route_first_trip.raw());
    f(route_n_trips.raw());
    f(route_time_base.raw());
    f(route_type.raw());
    f(arrivals);
    f(departures);
    f(first_date);
    f(n_days);
    f(bitfield_words);
    f(bitfields);
    fares.for_each_member(f);
  }
};

}  // namespace nebuta
