// Compiles the fare files of each feed (GTFS-Fares v1 and v2, given as plain records) into the
// timetable's fare tables. Like the timetable builder it knows nothing of files: feeds/gtfs_import
// turns the reader's records into these (string views into memory it keeps alive until build()
// returns) and calls build() after build::compile().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nebuta/timetable/builder.h"
#include "nebuta/timetable/timetable.h"

namespace nebuta::fare {

// ---------------------------------------------------------------- v1
struct attribute : build::origin {
  std::string_view fare_id, currency, agency_id;
  double price{0.0};
  std::optional<std::uint8_t> transfers;  // empty: unlimited
  std::optional<std::uint32_t> transfer_duration;
};

struct rule : build::origin {
  std::string_view fare_id, route_id, origin_id, destination_id, contains_id;
};

struct stop_zone {
  std::string_view stop_id, zone_id;
};

// ---------------------------------------------------------------- v2
struct product : build::origin {
  std::string_view id, name, rider_category_id, fare_media_id, currency;
  double amount{0.0};
};

struct rider_category : build::origin {
  std::string_view id;
  bool is_default{false};
};

struct leg_rule : build::origin {
  std::string_view leg_group_id, network_id, from_area_id, to_area_id, from_timeframe_group_id, to_timeframe_group_id,
      fare_product_id;
  std::uint32_t rule_priority{0};
};

struct transfer_rule : build::origin {
  std::string_view from_leg_group_id, to_leg_group_id, fare_product_id;
  std::optional<std::int32_t> transfer_count;
  std::optional<std::uint32_t> duration_limit;
  std::uint8_t duration_limit_type{0};
  std::uint8_t fare_transfer_type{0};
};

struct timeframe : build::origin {
  std::string_view group_id, service_id;
  seconds_t start{0}, end{seconds_per_day};
};

struct area : build::origin {
  std::string_view id;
};

struct stop_area : build::origin {
  std::string_view area_id, stop_id;
};

struct network : build::origin {
  std::string_view id;
};

// From routes.network_id (file "routes.txt") or route_networks.txt.
struct route_network : build::origin {
  std::string_view route_id, network_id;
  bool from_routes_txt{false};
};

// The fare records of one feed, in the order the feeds were given to build::compile().
struct feed {
  std::string name;
  std::vector<stop_zone> stop_zones;
  std::vector<attribute> attributes;
  std::vector<rule> rules;

  std::vector<product> products;
  std::vector<rider_category> rider_categories;
  std::vector<leg_rule> leg_rules;
  bool leg_rules_have_priority{false};  // the rule_priority column exists
  std::vector<transfer_rule> transfer_rules;
  std::vector<timeframe> timeframes;
  std::vector<area> areas;
  std::vector<stop_area> stop_areas;
  std::vector<network> networks;
  std::vector<route_network> route_networks;
  // The feed's service calendar, for timeframes.service_id.
  std::vector<build::calendar> calendars;
  std::vector<build::calendar_date> calendar_dates;
};

// Fills tt.fares (replacing what was there). Bad records are reported through `report` as
// file:line and skipped, and counted in tt.warnings like the timetable's own.
void build(timetable& tt, std::vector<feed> const& feeds, build::problem_sink const& report);

// ISO 4217 minor unit digits of a currency code: 0 for JPY, KRW, ...; 3 for BHD, KWD, ...; else 2.
std::uint8_t currency_digits(std::string_view code);

}  // namespace nebuta::fare
