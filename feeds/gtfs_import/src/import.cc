#include "nebuta/gtfs_import/import.h"

#include <chrono>
#include <map>

#include "nebuta/fare/build.h"

namespace nebuta::gtfs_import {

feed_spec parse_feed_arg(std::string_view arg) {
  if (auto const eq = arg.find('='); eq != std::string_view::npos && eq > 0) {
    return {std::string{arg.substr(0, eq)}, std::filesystem::path{std::string{arg.substr(eq + 1)}}};
  }
  std::filesystem::path p{std::string{arg}};
  auto name = p.filename().empty() ? p.parent_path().filename() : p.filename();
  if (name.extension() == ".zip") name = name.stem();
  return {name.string(), p};
}

build::feed to_build_feed(gtfs::feed const& src, std::string name) {
  build::feed out;
  out.name = std::move(name);
  if (src.info && !src.info->feed_lang.empty()) {
    out.default_lang = src.info->feed_lang;
  } else if (!src.agencies.empty()) {
    out.default_lang = src.agencies.front().agency_lang;
  }
  auto const rows = [&](std::string const& file) {
    auto const it = src.rows_read.find(file);
    return it == src.rows_read.end() ? std::uint64_t{0} : it->second;
  };
  out.rows_read = {rows("agency.txt"), rows("stops.txt"), rows("routes.txt"), rows("trips.txt"), rows("stop_times.txt")};

  out.agencies.reserve(src.agencies.size());
  for (auto const& a : src.agencies) {
    out.agencies.push_back({{a.line}, a.agency_id, a.agency_name, a.agency_timezone, a.agency_url, a.agency_lang});
  }
  out.stops.reserve(src.stops.size());
  for (auto const& s : src.stops) {
    build::stop b{{s.line},         s.stop_id,    s.stop_name,     s.platform_code,
                  s.parent_station, std::nullopt, s.location_type, s.wheelchair_boarding};
    if (s.stop_lat && s.stop_lon) b.coord = latlon{*s.stop_lat, *s.stop_lon};
    out.stops.push_back(b);
  }
  out.lines.reserve(src.routes.size());
  for (auto const& r : src.routes) {
    out.lines.push_back({{r.line},
                         r.route_id,
                         r.agency_id,
                         r.route_short_name,
                         r.route_long_name,
                         r.route_color,
                         r.route_text_color,
                         r.route_type});
  }
  out.trips.reserve(src.trips.size());
  for (auto const& t : src.trips) {
    out.trips.push_back({{t.line},
                         t.trip_id,
                         t.route_id,
                         t.service_id,
                         t.trip_headsign,
                         t.trip_short_name,
                         t.wheelchair_accessible,
                         t.block_id,
                         t.shape_id});
  }
  out.stop_times.reserve(src.stop_times.size());
  for (auto const& s : src.stop_times) {
    out.stop_times.push_back({{s.line},
                              s.trip_id,
                              s.stop_id,
                              s.stop_headsign,
                              s.stop_sequence,
                              s.arrival_time,
                              s.departure_time,
                              s.pickup_type,
                              s.drop_off_type,
                              s.is_flex(),
                              s.shape_dist_traveled});
  }
  for (auto const& c : src.calendars) {
    out.calendars.push_back({{c.line}, c.service_id, c.weekdays, c.start_date, c.end_date});
  }
  for (auto const& c : src.calendar_dates) {
    out.calendar_dates.push_back({{c.line}, c.service_id, c.day, c.exception_type});
  }
  for (auto const& f : src.frequencies) {
    out.frequencies.push_back({{f.line}, f.trip_id, f.start_time, f.end_time, f.headway_secs});
  }
  for (auto const& t : src.transfers) {
    out.transfers.push_back(
        {{t.line}, t.from_stop_id, t.to_stop_id, t.transfer_type, t.min_transfer_time, t.from_trip_id, t.to_trip_id});
  }
  out.shapes.reserve(src.shapes.size());
  for (auto const& p : src.shapes)
    out.shapes.push_back({{p.line}, p.shape_id, {p.lat, p.lon}, p.sequence, p.dist_traveled});
  out.translations.reserve(src.translations.size());
  for (auto const& t : src.translations) {
    out.translations.push_back(
        {{t.line}, t.table_name, t.field_name, t.language, t.translation, t.record_id, t.record_sub_id, t.field_value});
  }
  return out;
}

fare::feed to_fare_feed(gtfs::feed const& src, std::string name) {
  fare::feed out;
  out.name = std::move(name);
  for (auto const& s : src.stops) {
    if (!s.zone_id.empty()) out.stop_zones.push_back({s.stop_id, s.zone_id});
  }
  for (auto const& a : src.fare_attributes) {
    out.attributes.push_back(
        {{a.line}, a.fare_id, a.currency_type, a.agency_id, a.price, a.transfers, a.transfer_duration});
  }
  for (auto const& r : src.fare_rules) {
    out.rules.push_back({{r.line}, r.fare_id, r.route_id, r.origin_id, r.destination_id, r.contains_id});
  }
  for (auto const& p : src.fare_products) {
    out.products.push_back(
        {{p.line}, p.fare_product_id, p.fare_product_name, p.rider_category_id, p.fare_media_id, p.currency, p.amount});
  }
  for (auto const& c : src.rider_categories) {
    out.rider_categories.push_back({{c.line}, c.rider_category_id, c.is_default_fare_category == 1});
  }
  out.leg_rules_have_priority = src.fare_leg_rules_have_priority;
  for (auto const& r : src.fare_leg_rules) {
    out.leg_rules.push_back({{r.line},
                             r.leg_group_id,
                             r.network_id,
                             r.from_area_id,
                             r.to_area_id,
                             r.from_timeframe_group_id,
                             r.to_timeframe_group_id,
                             r.fare_product_id,
                             r.rule_priority.value_or(0)});
  }
  for (auto const& r : src.fare_transfer_rules) {
    out.transfer_rules.push_back({{r.line},
                                  r.from_leg_group_id,
                                  r.to_leg_group_id,
                                  r.fare_product_id,
                                  r.transfer_count,
                                  r.duration_limit,
                                  r.duration_limit_type.value_or(0),
                                  r.fare_transfer_type});
  }
  for (auto const& t : src.timeframes) {
    out.timeframes.push_back(
        {{t.line}, t.timeframe_group_id, t.service_id, t.start_time.value_or(0), t.end_time.value_or(seconds_per_day)});
  }
  for (auto const& a : src.areas) out.areas.push_back({{a.line}, a.area_id});
  for (auto const& sa : src.stop_areas) out.stop_areas.push_back({{sa.line}, sa.area_id, sa.stop_id});
  for (auto const& n : src.networks) out.networks.push_back({{n.line}, n.network_id});
  for (auto const& r : src.routes) {
    if (!r.network_id.empty()) out.route_networks.push_back({{r.line}, r.route_id, r.network_id, true});
  }
  for (auto const& rn : src.route_networks)
    out.route_networks.push_back({{rn.line}, rn.route_id, rn.network_id, false});
  if (!out.timeframes.empty()) {
    for (auto const& c : src.calendars) {
      out.calendars.push_back({{c.line}, c.service_id, c.weekdays, c.start_date, c.end_date});
    }
    for (auto const& c : src.calendar_dates)
      out.calendar_dates.push_back({{c.line}, c.service_id, c.day, c.exception_type});
  }
  return out;
}

load_result load(std::vector<feed_spec> const& feeds, build::options const& opt, progress_fn const& progress) {
  auto const start = std::chrono::steady_clock::now();
  auto const prefix = [&](std::string const& feed_name, std::string const& file) {
    return feeds.size() > 1 ? feed_name + "/" + file : file;
  };
  load_result result;
  std::vector<gtfs::feed> sources;
  sources.reserve(feeds.size());
  std::map<std::string, std::uint64_t> reader_counts;
  gtfs::read_options read_opt;  // shapes too: answers draw rides along them
  for (auto const& spec : feeds) {
    if (progress) progress("reading " + spec.path.string());
    auto& src = sources.emplace_back(gtfs::read_feed(spec.path, read_opt));
    for (auto const& p : src.problems.entries()) {
      result.problems.push_back({prefix(spec.name, p.file), p.line, p.kind, p.message});
    }
    for (auto const& [kind, n] : src.problems.counts()) reader_counts[kind] += n;
  }
  std::vector<build::feed> inputs;
  inputs.reserve(feeds.size());
  for (auto i = 0U; i < feeds.size(); ++i) inputs.push_back(to_build_feed(sources[i], feeds[i].name));

  if (progress) progress("compiling timetable");
  auto const report = [&](problem const& p) { result.problems.push_back(p); };
  result.tt = build::compile(inputs, opt, report, {reader_counts.begin(), reader_counts.end()});
  if (progress) progress("compiling fares");
  std::vector<fare::feed> fare_inputs;
  fare_inputs.reserve(feeds.size());
  for (auto i = 0U; i < feeds.size(); ++i) fare_inputs.push_back(to_fare_feed(sources[i], feeds[i].name));
  fare::build(result.tt, fare_inputs, report);
  result.load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace nebuta::gtfs_import
