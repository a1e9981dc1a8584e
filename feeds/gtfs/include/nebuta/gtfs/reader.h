// The GTFS / GTFS-JP reader. read_feed() turns a folder or .zip into typed records.
//
// Error policy: a missing required file or column throws feed_error naming it; a bad row is
// reported as "file:line: reason" in feed::problems, counted by kind and skipped; no input makes
// the reader crash. Cross-file checks (unknown stop in stop_times, ...) belong to whoever
// compiles the records.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nebuta/gtfs/csv.h"
#include "nebuta/gtfs/fare_readers.h"
#include "nebuta/gtfs/feed.h"
#include "nebuta/gtfs/parse.h"
#include "nebuta/gtfs/records.h"
#include "nebuta/gtfs/source.h"
#include "nebuta/gtfs/table.h"

namespace nebuta::gtfs {

namespace detail {

inline void read_agencies(table& t, feed& f) {
  auto const id = t.column("agency_id"), name = t.require("agency_name"), url = t.column("agency_url"),
             tz = t.column("agency_timezone"), lang = t.column("agency_lang"), phone = t.column("agency_phone"),
             fare = t.column("agency_fare_url"), email = t.column("agency_email");
  while (t.next()) {
    agency a;
    a.line = t.line();
    a.agency_id = t[id], a.agency_name = t[name], a.agency_url = t[url], a.agency_timezone = t[tz];
    a.agency_lang = t[lang], a.agency_phone = t[phone], a.agency_fare_url = t[fare];
    a.agency_email = t[email];
    f.agencies.push_back(a);
  }
}

inline void read_stops(table& t, feed& f) {
  auto const id = t.require("stop_id"), code = t.column("stop_code"), name = t.column("stop_name"),
             tts = t.column("tts_stop_name"), desc = t.column("stop_desc"), lat = t.column("stop_lat"),
             lon = t.column("stop_lon"), zone = t.column("zone_id"), url = t.column("stop_url"),
             type = t.column("location_type"), parent = t.column("parent_station"), tz = t.column("stop_timezone"),
             wheelchair = t.column("wheelchair_boarding"), level = t.column("level_id"),
             platform = t.column("platform_code");
  while (t.next()) {
    stop s;
    s.line = t.line();
    s.stop_id = t[id], s.stop_code = t[code], s.stop_name = t[name], s.tts_stop_name = t[tts];
    s.stop_desc = t[desc], s.zone_id = t[zone], s.stop_url = t[url], s.parent_station = t[parent];
    s.stop_timezone = t[tz], s.level_id = t[level], s.platform_code = t[platform];
    if (!t.require_value(id, "stop_id") || !t.get_double(lat, s.stop_lat, "stop_lat", "bad_coordinate") ||
        !t.get_double(lon, s.stop_lon, "stop_lon", "bad_coordinate") ||
        !t.get_int(type, s.location_type, "location_type") ||
        !t.get_int(wheelchair, s.wheelchair_boarding, "wheelchair_boarding")) {
      continue;
    }
    if ((s.stop_lat && (*s.stop_lat < -90.0 || *s.stop_lat > 90.0)) ||
        (s.stop_lon && (*s.stop_lon < -180.0 || *s.stop_lon > 180.0))) {
      t.report("bad_coordinate", "coordinate out of range");
      continue;
    }
    f.stops.push_back(s);
  }
}

inline void read_routes(table& t, feed& f) {
  auto const id = t.require("route_id"), agency_col = t.column("agency_id"), short_name = t.column("route_short_name"),
             long_name = t.column("route_long_name"), desc = t.column("route_desc"), type = t.require("route_type"),
             url = t.column("route_url"), color = t.column("route_color"), text_color = t.column("route_text_color"),
             sort = t.column("route_sort_order"), jp_parent = t.column("jp_parent_route_id"),
             network = t.column("network_id");
  while (t.next()) {
    route r;
    r.line = t.line();
    r.route_id = t[id], r.agency_id = t[agency_col], r.route_short_name = t[short_name];
    r.route_long_name = t[long_name], r.route_desc = t[desc], r.route_url = t[url];
    r.route_color = t[color], r.route_text_color = t[text_color], r.jp_parent_route_id = t[jp_parent];
    r.network_id = t[network];
    if (!t.require_value(id, "route_id") || !t.get_int(type, r.route_type, "route_type", true) ||
        !t.get_int(sort, r.route_sort_order, "route_sort_order")) {
      continue;
    }
    f.routes.push_back(r);
  }
}

inline void read_trips(table& t, feed& f) {
  auto const route_col = t.require("route_id"), service = t.require("service_id"), id = t.require("trip_id"),
             headsign = t.column("trip_headsign"), short_name = t.column("trip_short_name"),
             direction = t.column("direction_id"), block = t.column("block_id"), shape = t.column("shape_id"),
             wheelchair = t.column("wheelchair_accessible"), bikes = t.column("bikes_allowed"),
             desc = t.column("jp_trip_desc"), symbol = t.column("jp_trip_desc_symbol"),
             office = t.column("jp_office_id"), pattern = t.column("jp_pattern_id");
  while (t.next()) {
    trip r;
    r.line = t.line();
    r.route_id = t[route_col], r.service_id = t[service], r.trip_id = t[id];
    r.trip_headsign = t[headsign], r.trip_short_name = t[short_name], r.block_id = t[block];
    r.shape_id = t[shape], r.jp_trip_desc = t[desc], r.jp_trip_desc_symbol = t[symbol];
    r.jp_office_id = t[office], r.jp_pattern_id = t[pattern];
    if (!t.require_value(id, "trip_id") || !t.require_value(route_col, "route_id") ||
        !t.require_value(service, "service_id") || !t.get_int(direction, r.direction_id, "direction_id") ||
        !t.get_int(wheelchair, r.wheelchair_accessible, "wheelchair_accessible") ||
        !t.get_int(bikes, r.bikes_allowed, "bikes_allowed")) {
      continue;
    }
    f.trips.push_back(r);
  }
}

inline void read_stop_times(table& t, feed& f) {
  auto const trip_col = t.require("trip_id"), arrival = t.column("arrival_time"), departure = t.column("departure_time"),
             stop_col = t.column("stop_id"), group = t.column("location_group_id"), location = t.column("location_id"),
             seq = t.require("stop_sequence"), headsign = t.column("stop_headsign"), pickup = t.column("pickup_type"),
             dropoff = t.column("drop_off_type"), dist = t.column("shape_dist_traveled"),
             timepoint = t.column("timepoint"), window_start = t.column("start_pickup_drop_off_window"),
             window_end = t.column("end_pickup_drop_off_window"), pickup_rule = t.column("pickup_booking_rule_id");
  auto drop_off_rule = t.column("drop_off_booking_rule_id");
  if (drop_off_rule < 0 && (drop_off_rule = t.column("dropoff_booking_rule_id")) >= 0) {
    f.column_aliases.push_back({"stop_times.txt", "dropoff_booking_rule_id", "drop_off_booking_rule_id"});
  }
  if (stop_col < 0 && group < 0 && location < 0) t.require("stop_id");
  while (t.next()) {
    stop_time s;
    s.line = t.line();
    s.trip_id = t[trip_col], s.stop_id = t[stop_col], s.location_group_id = t[group];
    s.location_id = t[location], s.stop_headsign = t[headsign];
    s.pickup_booking_rule_id = t[pickup_rule], s.drop_off_booking_rule_id = t[drop_off_rule];
    if (!t.require_value(trip_col, "trip_id") || !t.get_int(seq, s.stop_sequence, "stop_sequence", true) ||
        !t.get_time(arrival, s.arrival_time, "arrival_time") ||
        !t.get_time(departure, s.departure_time, "departure_time") ||
        !t.get_time(window_start, s.start_pickup_drop_off_window, "start_pickup_drop_off_window") ||
        !t.get_time(window_end, s.end_pickup_drop_off_window, "end_pickup_drop_off_window") ||
        !t.get_int(pickup, s.pickup_type, "pickup_type") || !t.get_int(dropoff, s.drop_off_type, "drop_off_type") ||
        !t.get_int(timepoint, s.timepoint, "timepoint") ||
        !t.get_double(dist, s.shape_dist_traveled, "shape_dist_traveled", "bad_number")) {
      continue;
    }
    if (s.stop_id.empty() && s.location_group_id.empty() && s.location_id.empty()) {
      t.report("missing_value", "empty required field stop_id");
      continue;
    }
    f.stop_times.push_back(s);
  }
}

inline void read_calendar(table& t, feed& f) {
  static constexpr std::string_view day_names[] = {"monday", "tuesday",  "wednesday", "thursday",
                                                   "friday", "saturday", "sunday"};
  int day_cols[7];
  for (auto i = 0; i < 7; ++i) day_cols[i] = t.require(day_names[i]);
  auto const service = t.require("service_id"), start = t.require("start_date"), end = t.require("end_date");
  while (t.next()) {
    calendar c;
    c.line = t.line();
    c.service_id = t[service];
    bool ok = t.require_value(service, "service_id") && t.get_date(start, c.start_date, "start_date") &&
              t.get_date(end, c.end_date, "end_date");
    for (auto i = 0; ok && i < 7; ++i) {
      std::uint8_t flag = 0;
      ok = t.get_int(day_cols[i], flag, day_names[i], true);
      if (ok && flag > 1) {
        t.report("bad_number", "invalid " + std::string{day_names[i]} + " flag");
        ok = false;
      }
      if (ok && flag == 1) c.weekdays |= static_cast<std::uint8_t>(1U << i);
    }
    if (ok) f.calendars.push_back(c);
  }
}

inline void read_calendar_dates(table& t, feed& f) {
  auto const service = t.require("service_id"), day = t.require("date"), type = t.require("exception_type");
  while (t.next()) {
    calendar_date c;
    c.line = t.line();
    c.service_id = t[service];
    if (!t.require_value(service, "service_id") || !t.get_date(day, c.day, "date") ||
        !t.get_int(type, c.exception_type, "exception_type", true)) {
      continue;
    }
    if (c.exception_type != 1 && c.exception_type != 2) {
      t.report("bad_number", "exception_type must be 1 or 2");
      continue;
    }
    f.calendar_dates.push_back(c);
  }
}

inline void read_frequencies(table& t, feed& f) {
  auto const trip_col = t.require("trip_id"), start = t.require("start_time"), end = t.require("end_time"),
             headway = t.require("headway_secs"), exact = t.column("exact_times");
  while (t.next()) {
    frequency r;
    r.line = t.line();
    r.trip_id = t[trip_col];
    std::optional<seconds> s, e;
    if (!t.require_value(trip_col, "trip_id") || !t.get_time(start, s, "start_time") || !t.get_time(end, e, "end_time") ||
        !t.get_int(headway, r.headway_secs, "headway_secs", true) || !t.get_int(exact, r.exact_times, "exact_times")) {
      continue;
    }
    if (!s || !e || r.headway_secs <= 0) {
      t.report("bad_frequency", "frequency needs start_time, end_time and a positive headway_secs");
      continue;
    }
    r.start_time = *s, r.end_time = *e;
    f.frequencies.push_back(r);
  }
}

inline void read_transfers(table& t, feed& f) {
  auto const from = t.column("from_stop_id"), to = t.column("to_stop_id"), from_route = t.column("from_route_id"),
             to_route = t.column("to_route_id"), from_trip = t.column("from_trip_id"), to_trip = t.column("to_trip_id"),
             type = t.require("transfer_type"), min_time = t.column("min_transfer_time");
  while (t.next()) {
    transfer r;
    r.line = t.line();
    r.from_stop_id = t[from], r.to_stop_id = t[to], r.from_route_id = t[from_route];
    r.to_route_id = t[to_route], r.from_trip_id = t[from_trip], r.to_trip_id = t[to_trip];
    if (!t.get_int(type, r.transfer_type, "transfer_type") ||
        !t.get_int(min_time, r.min_transfer_time, "min_transfer_time")) {
      continue;
    }
    f.transfers.push_back(r);
  }
}

inline void read_feed_info(table& t, feed& f) {
  auto const name = t.column("feed_publisher_name"), url = t.column("feed_publisher_url"), lang = t.column("feed_lang"),
             default_lang = t.column("default_lang"), start = t.column("feed_start_date"),
             end = t.column("feed_end_date"), version = t.column("feed_version"),
             email = t.column("feed_contact_email"), contact_url = t.column("feed_contact_url");
  while (t.next()) {
    feed_info r;
    r.line = t.line();
    r.feed_publisher_name = t[name], r.feed_publisher_url = t[url], r.feed_lang = t[lang];
    r.default_lang = t[default_lang], r.feed_version = t[version];
    r.feed_contact_email = t[email], r.feed_contact_url = t[contact_url];
    if (!t.get_date(start, r.feed_start_date, "feed_start_date") || !t.get_date(end, r.feed_end_date, "feed_end_date")) {
      continue;
    }
    if (f.info) {
      t.report("extra_row", "feed_info.txt has more than one row; extra rows ignored");
      continue;
    }
    f.info = r;
  }
}

inline void read_shapes(table& t, feed& f) {
  auto const id = t.require("shape_id"), lat = t.require("shape_pt_lat"), lon = t.require("shape_pt_lon"),
             seq = t.require("shape_pt_sequence"), dist = t.column("shape_dist_traveled");
  while (t.next()) {
    shape_point r;
    r.line = t.line();
    r.shape_id = t[id];
    std::optional<double> la, lo;
    if (!t.get_double(lat, la, "shape_pt_lat", "bad_coordinate") ||
        !t.get_double(lon, lo, "shape_pt_lon", "bad_coordinate") ||
        !t.get_int(seq, r.sequence, "shape_pt_sequence", true) ||
        !t.get_double(dist, r.dist_traveled, "shape_dist_traveled", "bad_number")) {
      continue;
    }
    if (!la || !lo) {
      t.report("missing_value", "shape point without coordinates");
      continue;
    }
    r.lat = *la, r.lon = *lo;
    f.shapes.push_back(r);
  }
}

inline void read_translations(table& t, feed& f) {
  if (t.column("trans_id") >= 0) {  // legacy GTFS-JP v1
    auto const id = t.require("trans_id"), lang = t.require("lang"), value = t.require("translation");
    while (t.next()) {
      translation r;
      r.line = t.line();
      r.legacy_jp = true;
      r.field_value = t[id], r.language = t[lang], r.translation = t[value];
      if (t.require_value(id, "trans_id") && t.require_value(lang, "lang")) f.translations.push_back(r);
    }
    return;
  }
  auto const table_col = t.require("table_name"), field = t.require("field_name"), lang = t.require("language"),
             value = t.require("translation"), record_id = t.column("record_id"),
             record_sub_id = t.column("record_sub_id"), field_value = t.column("field_value");
  while (t.next()) {
    translation r;
    r.line = t.line();
    r.table_name = t[table_col], r.field_name = t[field], r.language = t[lang];
    r.translation = t[value], r.record_id = t[record_id], r.record_sub_id = t[record_sub_id];
    r.field_value = t[field_value];
    if (!t.require_value(table_col, "table_name") || !t.require_value(field, "field_name") ||
        !t.require_value(lang, "language")) {
      continue;
    }
    if (r.record_id.empty() && r.field_value.empty() && r.table_name != "feed_info") {
      t.report("bad_translation", "translation needs record_id or field_value");
      continue;
    }
    f.translations.push_back(r);
  }
}

inline void read_agencies_jp(table& t, feed& f) {
  auto const id = t.require("agency_id"), official = t.column("agency_official_name"),
             zip = t.column("agency_zip_number"), address = t.column("agency_address"),
             pos = t.column("agency_president_pos"), name = t.column("agency_president_name");
  while (t.next()) {
    agency_jp r;
    r.line = t.line();
    r.agency_id = t[id], r.agency_official_name = t[official], r.agency_zip_number = t[zip];
    r.agency_address = t[address], r.agency_president_pos = t[pos];
    r.agency_president_name = t[name];
    f.agencies_jp.push_back(r);
  }
}

inline void read_routes_jp(table& t, feed& f) {
  auto const id = t.require("route_id"), update = t.column("route_update_date"), origin = t.column("origin_stop"),
             via = t.column("via_stop"), destination = t.column("destination_stop");
  while (t.next()) {
    route_jp r;
    r.line = t.line();
    r.route_id = t[id], r.route_update_date = t[update], r.origin_stop = t[origin];
    r.via_stop = t[via], r.destination_stop = t[destination];
    f.routes_jp.push_back(r);
  }
}

inline void read_offices_jp(table& t, feed& f) {
  auto const id = t.require("office_id"), name = t.column("office_name"), url = t.column("office_url"),
             phone = t.column("office_phone");
  while (t.next()) {
    office_jp r;
    r.line = t.line();
    r.office_id = t[id], r.office_name = t[name], r.office_url = t[url], r.office_phone = t[phone];
    f.offices_jp.push_back(r);
  }
}

inline void read_patterns_jp(table& t, feed& f) {
  auto const id = t.require("jp_pattern_id"), update = t.column("route_update_date"), origin = t.column("origin_stop"),
             via = t.column("via_stop"), destination = t.column("destination_stop");
  while (t.next()) {
    pattern_jp r;
    r.line = t.line();
    r.jp_pattern_id = t[id], r.route_update_date = t[update], r.origin_stop = t[origin];
    r.via_stop = t[via], r.destination_stop = t[destination];
    f.patterns_jp.push_back(r);
  }
}

}  // namespace detail

inline feed read_feed(feed_source const& src, read_options const& opt = {}) {
  feed f;
  using namespace detail;
  read_into(src, f, "agency.txt", true, read_agencies);
  read_into(src, f, "stops.txt", true, read_stops);
  read_into(src, f, "routes.txt", true, read_routes);
  read_into(src, f, "trips.txt", true, read_trips);
  read_into(src, f, "stop_times.txt", true, read_stop_times);
  auto const has_calendar = read_into(src, f, "calendar.txt", false, read_calendar);
  auto const has_calendar_dates = read_into(src, f, "calendar_dates.txt", false, read_calendar_dates);
  if (!has_calendar && !has_calendar_dates) {
    throw feed_error{src.path().string() + ": missing required file calendar.txt or calendar_dates.txt"};
  }
  read_into(src, f, "frequencies.txt", false, read_frequencies);
  read_into(src, f, "transfers.txt", false, read_transfers);
  read_into(src, f, "feed_info.txt", false, read_feed_info);
  read_into(src, f, "translations.txt", false, read_translations);
  if (opt.fares) {
    detail::read_fares(src, f);
  }
  if (opt.shapes) read_into(src, f, "shapes.txt", false, read_shapes);
  if (opt.jp_extensions) {
    read_into(src, f, "agency_jp.txt", false, read_agencies_jp);
    read_into(src, f, "routes_jp.txt", false, read_routes_jp);
    read_into(src, f, "office_jp.txt", false, read_offices_jp);
    read_into(src, f, "pattern_jp.txt", false, read_patterns_jp);
  }
  return f;
}

inline feed read_feed(std::filesystem::path const& path, read_options const& opt = {}) {
  return read_feed(feed_source{path}, opt);
}

}  // namespace nebuta::gtfs
