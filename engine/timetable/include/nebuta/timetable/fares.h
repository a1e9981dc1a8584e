// Fares as the timetable keeps them: GTFS-Fares v1 (fare_attributes, fare_rules) and v2 (fare
// products, leg and transfer rules, areas, networks, timeframes) compiled into flat arrays. They are
// built once at load by engine/fare (fare::build) and read by fare::compute; no string is compared
// at query time. Prices are integers in the currency's minor unit (cents; the yen has none), so
// sums are exact.
#pragma once

#include <cstdint>
#include <vector>

#include "nebuta/timetable/types.h"

namespace nebuta {

using zone_idx = strong_idx<struct zone_tag>;                        // a stops.zone_id of one feed
using fare_idx = strong_idx<struct fare_tag>;                        // a v1 fare_attributes row
using network_idx = strong_idx<struct network_tag>;                  // v2 networks
using area_idx = strong_idx<struct area_tag>;                        // v2 areas
using fare_product_idx = strong_idx<struct fare_product_tag>;        // v2 fare_product_id
using leg_group_idx = strong_idx<struct leg_group_tag>;              // v2 leg_group_id
using timeframe_group_idx = strong_idx<struct timeframe_group_tag>;  // v2 timeframe_group_id

// Which fare model prices the rides of a feed. A feed with both uses v2, as the spec recommends.
enum class fare_system : std::uint8_t { none = 0, v1 = 1, v2 = 2 };

inline constexpr std::uint8_t unlimited_transfers = 0xFF;

// Element types are written to snapshots byte for byte: no padding (see timetable.h).
struct fare_v1_attribute {
  string_idx id;
  string_idx currency;
  std::int64_t price;                // minor units
  agency_idx agency;                 // invalid: every agency of the feed
  std::int32_t transfer_duration_s;  // -1: none
  feed_idx feed;
  std::uint8_t transfers;        // unlimited_transfers: no limit
  std::uint8_t currency_digits;  // ISO 4217 minor unit digits
  std::uint8_t reserved[4]{};
};

// One (origin, destination, contains) condition of a v1 fare with the routes it applies to:
// fare_rules rows that differ only in route_id are one entry, rows that differ only in
// contains_id one contains set. Invalid origin / destination: any zone; no contains zones: no
// condition on the zones passed; no lines: any route of the fare's feed.
struct fare_v1_rule {
  zone_idx origin, destination;
  fare_idx fare;
  std::uint32_t contains_begin, contains_end;  // into fare_tables::v1_contains, sorted
  std::uint32_t lines_begin, lines_end;        // into fare_tables::v1_rule_lines, sorted
};

// A v2 fare product as the default rider category pays it: the cheapest of its fare media.
struct fare_product_entry {
  string_idx id, name, currency;
  std::uint32_t reserved0{0};
  std::int64_t amount;  // minor units; may be negative (a transfer discount)
  feed_idx feed;
  std::uint8_t currency_digits;
  std::uint8_t eligible;  // 0: no entry for the default rider category; rules using it never match
  std::uint32_t reserved1{0};
};

struct fare_leg_rule {
  leg_group_idx group;  // invalid: none
  network_idx network;  // invalid: the field is empty
  area_idx from_area, to_area;
  timeframe_group_idx from_timeframe, to_timeframe;
  fare_product_idx product;
  std::uint32_t priority;  // rule_priority, 0 when empty
};

struct fare_transfer_rule {
  leg_group_idx from_group, to_group;  // invalid: the field is empty
  fare_product_idx product;            // invalid: the transfer costs nothing
  std::int32_t transfer_count;         // -1: no limit; 0: not given
  std::int32_t duration_limit_s;       // -1: none
  std::uint8_t duration_limit_type;    // 0 dep->arr, 1 dep->dep, 2 arr->dep, 3 arr->arr
  std::uint8_t fare_transfer_type;     // 0 A+AB, 1 A+AB+B, 2 AB
  std::uint16_t reserved{0};
};

struct fare_timeframe {
  seconds_t start, end;  // [start, end) of a local day, 0 .. 86,400
  std::uint32_t days;    // offset into fare_tables::timeframe_days (timetable::bitfield_words words)
};

struct fare_tables {
  vecmap<feed_idx, std::uint8_t> feed_system;  // fare_system per feed

  // --- v1
  vecmap<zone_idx, string_idx> zone_ids;
  vecmap<stop_idx, zone_idx> stop_zone;  // empty when no feed has zones
  vecmap<fare_idx, fare_v1_attribute> v1_fares;
  std::vector<fare_v1_rule> v1_rules;  // sorted by (origin, destination, fare)
  std::vector<zone_idx> v1_contains;
  std::vector<line_idx> v1_rule_lines;
  std::vector<fare_idx> v1_unruled;   // fares of feeds without fare_rules: they apply to every ride
  std::uint32_t v1_uses_contains{0};  // some rule has a contains_id condition
  std::uint32_t v1_max_transfers{0};  // the most transfers any fare allows (unlimited_transfers: no limit)

  // --- v2
  vecmap<line_idx, network_idx> line_network;  // empty when no feed has networks
  vecmap<network_idx, string_idx> network_ids;
  vecmap<area_idx, string_idx> area_ids;
  multimap<stop_idx, area_idx> stop_areas;  // empty when no feed has areas; stations' areas passed on to platforms
  vecmap<fare_product_idx, fare_product_entry> products;
  vecmap<leg_group_idx, string_idx> leg_group_ids;
  vecmap<timeframe_group_idx, string_idx> timeframe_group_ids;
  std::vector<fare_leg_rule> leg_rules;            // grouped by feed
  std::vector<std::uint32_t> feed_leg_rules;       // per feed: its leg rules are [v[f], v[f + 1])
  std::vector<fare_transfer_rule> transfer_rules;  // grouped by feed
  std::vector<std::uint32_t> feed_transfer_rules;
  vecmap<feed_idx, std::uint8_t> feed_rule_priority;  // fare_leg_rules has rule_priority: empty = wildcard
  // Values some rule names explicitly: without rule_priority an empty field matches only the others.
  vecmap<network_idx, std::uint8_t> network_listed;
  vecmap<area_idx, std::uint8_t> from_area_listed, to_area_listed;
  vecmap<leg_group_idx, std::uint8_t> from_group_listed, to_group_listed;
  multimap<timeframe_group_idx, fare_timeframe> timeframes;
  std::vector<std::uint64_t> timeframe_days;

  bool empty() const { return feed_system.empty(); }

  template <typename F>
  void for_each_member(F&& f) {
    f(feed_system.raw());
    f(zone_ids.raw());
    f(stop_zone.raw());
    f(v1_fares.raw());
    f(v1_rules);
    f(v1_contains);
    f(v1_rule_lines);
    f(v1_unruled);
    f(v1_uses_contains);
    f(v1_max_transfers);
    f(line_network.raw());
    f(network_ids.raw());
    f(area_ids.raw());
    f(stop_areas.raw_offsets());
    f(stop_areas.raw_data());
    f(products.raw());
    f(leg_group_ids.raw());
    f(timeframe_group_ids.raw());
    f(leg_rules);
    f(feed_leg_rules);
    f(transfer_rules);
    f(feed_transfer_rules);
    f(feed_rule_priority.raw());
    f(network_listed.raw());
    f(from_area_listed.raw());
    f(to_area_listed.raw());
    f(from_group_listed.raw());
    f(to_group_listed.raw());
    f(timeframes.raw_offsets());
    f(timeframes.raw_data());
    f(timeframe_days);
  }
};

}  // namespace nebuta
