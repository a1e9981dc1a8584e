// Typed GTFS and GTFS-JP records. Text fields are views into buffers owned by gtfs::feed.
// Optional numeric fields are std::optional; enumerations keep the spec's integer codes.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace nebuta::gtfs {

using date = std::chrono::sys_days;
using seconds = std::int32_t;  // since midnight of the service day; may exceed 24 h

struct record {
  std::uint32_t line{0};  // physical line of the row in its file
};

struct agency : record {
  std::string_view agency_id, agency_name, agency_url, agency_timezone, agency_lang, agency_phone, agency_fare_url,
      agency_email;
};

struct stop : record {
  std::string_view stop_id, stop_code, stop_name, tts_stop_name, stop_desc, zone_id, stop_url, parent_station,
      stop_timezone, level_id, platform_code;
  std::optional<double> stop_lat, stop_lon;
  std::uint8_t location_type{0};
  std::uint8_t wheelchair_boarding{0};
};

struct route : record {
  std::string_view route_id, agency_id, route_short_name, route_long_name, route_desc, route_url, route_color,
      route_text_color, jp_parent_route_id, network_id;
  std::int16_t route_type{3};
  std::optional<std::int32_t> route_sort_order;
};

struct trip : record {
  std::string_view route_id, service_id, trip_id, trip_headsign, trip_short_name, block_id, shape_id, jp_trip_desc,
      jp_trip_desc_symbol, jp_office_id, jp_pattern_id;
  std::int8_t direction_id{-1};
  std::uint8_t wheelchair_accessible{0};
  std::uint8_t bikes_allowed{0};
};

struct stop_time : record {
  std::string_view trip_id, stop_id, location_group_id, location_id, stop_headsign;
  std::string_view pickup_booking_rule_id, drop_off_booking_rule_id;  // GTFS-Flex (read by feeds/flex)
  std::optional<seconds> arrival_time, departure_time;
  std::optional<seconds> start_pickup_drop_off_window, end_pickup_drop_off_window;
  std::uint32_t stop_sequence{0};
  std::uint8_t pickup_type{0}, drop_off_type{0};
  std::optional<std::uint8_t> timepoint;
  std::optional<double> shape_dist_traveled;

  // GTFS-Flex: the row serves a zone or group, or a time window, rather than a timed stop.
  bool is_flex() const {
    return stop_id.empty() || !location_group_id.empty() || !location_id.empty() || start_pickup_drop_off_window ||
           end_pickup_drop_off_window;
  }
};

struct calendar : record {
  std::string_view service_id;
  std::uint8_t weekdays{0};  // bit 0 = Monday ... bit 6 = Sunday
  date start_date, end_date;
};

struct calendar_date : record {
  std::string_view service_id;
  date day;
  std::uint8_t exception_type{0};
};

struct frequency : record {
  std::string_view trip_id;
  seconds start_time{0}, end_time{0}, headway_secs{0};
  std::uint8_t exact_times{0};
};

struct transfer : record {
  std::string_view from_stop_id, to_stop_id, from_route_id, to_route_id, from_trip_id, to_trip_id;
  std::uint8_t transfer_type{0};
  std::optional<std::uint32_t> min_transfer_time;
};

struct fare_attribute : record {
  std::string_view fare_id, currency_type, agency_id;
  double price{0.0};
  std::uint8_t payment_method{0};
  std::optional<std::uint8_t> transfers;  // empty = unlimited
  std::optional<std::uint32_t> transfer_duration;
};

struct fare_rule : record {
  std::string_view fare_id, route_id, origin_id, destination_id, contains_id;
};

// GTFS-Fares v2 (fare_media, fare_products, rider_categories, fare_leg_rules, fare_transfer_rules,
// timeframes, areas, stop_areas, networks, route_networks).
struct timeframe : record {
  std::string_view timeframe_group_id, service_id;
  std::optional<seconds> start_time, end_time;  // empty: 00:00:00 resp. 24:00:00
};

struct rider_category : record {
  std::string_view rider_category_id, rider_category_name, eligibility_url;
  std::uint8_t is_default_fare_category{0};
};

struct fare_media : record {
  std::string_view fare_media_id, fare_media_name;
  std::uint8_t fare_media_type{0};
};

struct fare_product : record {
  std::string_view fare_product_id, fare_product_name, rider_category_id, fare_media_id, currency;
  double amount{0.0};  // may be negative (a transfer discount)
};

struct fare_leg_rule : record {
  std::string_view leg_group_id, network_id, from_area_id, to_area_id, from_timeframe_group_id, to_timeframe_group_id,
      fare_product_id;
  std::optional<std::uint32_t> rule_priority;
};

struct fare_transfer_rule : record {
  std::string_view from_leg_group_id, to_leg_group_id, fare_product_id;
  std::optional<std::int32_t> transfer_count;  // -1 = no limit
  std::optional<std::uint32_t> duration_limit;
  std::optional<std::uint8_t> duration_limit_type;
  std::uint8_t fare_transfer_type{0};
};

struct area : record {
  std::string_view area_id, area_name;
};

struct stop_area : record {
  std::string_view area_id, stop_id;
};

struct network : record {
  std::string_view network_id, network_name;
};

struct route_network : record {
  std::string_view network_id, route_id;
};

struct feed_info : record {
  std::string_view feed_publisher_name, feed_publisher_url, feed_lang, default_lang, feed_version, feed_contact_email,
      feed_contact_url;
  std::optional<date> feed_start_date, feed_end_date;
};

struct shape_point : record {
  std::string_view shape_id;
  double lat{0.0}, lon{0.0};
  std::uint32_t sequence{0};
  std::optional<double> dist_traveled;
};

// Both dialects: GTFS (table_name, field_name, language, translation, record_id, record_sub_id,
// field_value) and legacy GTFS-JP v1 (trans_id, lang, translation), where trans_id is the
// original string and is returned here as field_value with an empty table and field.
struct translation : record {
  std::string_view table_name, field_name, language, translation, record_id, record_sub_id, field_value;
  bool legacy_jp{false};
};

struct agency_jp : record {
  std::string_view agency_id, agency_official_name, agency_zip_number, agency_address, agency_president_pos,
      agency_president_name;
};

struct route_jp : record {
  std::string_view route_id, route_update_date, origin_stop, via_stop, destination_stop;
};

struct office_jp : record {
  std::string_view office_id, office_name, office_url, office_phone;
};

struct pattern_jp : record {
  std::string_view jp_pattern_id, route_update_date, origin_stop, via_stop, destination_stop;
};

}  // namespace nebuta::gtfs
