#include "nebuta/gtfs_flex/writer.h"

#include <zip.h>

#include <memory>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "nebuta/core/civil_time.h"
#include "nebuta/io/csv.h"
#include "nebuta/io/geojson.h"

namespace nebuta::gtfs_flex {
namespace {

// One CSV line from its fields.
std::string line(std::initializer_list<std::string> fields) {
  std::string out;
  bool first = true;
  for (auto const& f : fields) {
    if (!first) out += ',';
    first = false;
    out += io::csv_field(f);
  }
  return out + "\r\n";
}

std::string gtfs_date(date_t d) {
  auto s = civil::format_date(d);  // YYYY-MM-DD
  std::erase(s, '-');
  return s;
}

std::string opt_int(std::optional<std::int32_t> v) { return v ? std::to_string(*v) : std::string{}; }
std::string opt_clock(std::optional<seconds_t> v) { return v ? civil::format_clock(*v) : std::string{}; }
std::string kind_value(flex::service_kind k) { return std::to_string(static_cast<int>(k)); }

}  // namespace

feed_files write_feed(flex::model const& m, feed_identity const& id) {
  feed_files out;
  out.emplace_back(
      "agency.txt",
      line({"agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang", "agency_phone"}) +
          line({id.agency_id, id.agency_name, id.agency_url, id.agency_timezone, id.agency_lang, id.agency_phone}));

  auto routes = line({"route_id", "agency_id", "route_short_name", "route_long_name", "route_type"});
  std::set<std::string> route_ids;
  for (auto const& t : m.trips) route_ids.insert(t.route_id);
  for (auto const& r : route_ids) routes += line({r, id.agency_id, "", id.route_name, std::to_string(id.route_type)});
  out.emplace_back("routes.txt", std::move(routes));

  auto calendar = line({"service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                        "start_date", "end_date"});
  auto dates = line({"service_id", "date", "exception_type"});
  bool any_calendar = false;
  for (auto const& s : m.services) {
    if (s.start && s.end) {
      any_calendar = true;
      std::string days;
      for (int d = 0; d < 7; ++d) days += std::string{(s.weekdays >> d) & 1U ? "1" : "0"} + (d < 6 ? "," : "");
      calendar += io::csv_field(s.id) + "," + days + "," + gtfs_date(*s.start) + "," + gtfs_date(*s.end) + "\r\n";
    }
    for (auto const d : s.added) dates += line({s.id, gtfs_date(d), "1"});
    for (auto const d : s.removed) dates += line({s.id, gtfs_date(d), "2"});
  }
  if (any_calendar) out.emplace_back("calendar.txt", std::move(calendar));
  out.emplace_back("calendar_dates.txt", std::move(dates));

  auto trips = line({"route_id", "service_id", "trip_id"});
  for (auto const& t : m.trips) trips += line({t.route_id, m.services[t.service].id, t.id});
  out.emplace_back("trips.txt", std::move(trips));

  auto stops = line({"stop_id", "stop_name", "stop_lat", "stop_lon"});
  for (auto const& s : m.stops)
    stops += line({s.id, s.name, io::exact_decimal(s.pos.lat), io::exact_decimal(s.pos.lon)});
  out.emplace_back("stops.txt", std::move(stops));

  auto groups = line({"location_group_id", "location_group_name"});
  auto members = line({"location_group_id", "stop_id"});
  for (auto const& g : m.groups) {
    groups += line({g.id, g.name});
    for (auto const s : g.stops) members += line({g.id, m.stops[s].id});
  }
  if (!m.groups.empty()) {
    out.emplace_back("location_groups.txt", std::move(groups));
    out.emplace_back("location_group_stops.txt", std::move(members));
  }

  auto features = nlohmann::json::array();
  for (auto const& z : m.zones) {
    features.push_back({{"type", "Feature"},
                        {"id", z.id},
                        {"properties", {{"stop_name", z.name}}},
                        {"geometry", io::geojson::area_json(z.rings)}});
  }
  if (!m.zones.empty()) {
    out.emplace_back("locations.geojson",
                     nlohmann::json{{"type", "FeatureCollection"}, {"features", std::move(features)}}.dump() + "\n");
  }

  auto rules = line({"booking_rule_id", "booking_type", "prior_notice_duration_min", "prior_notice_duration_max",
                     "prior_notice_last_day", "prior_notice_last_time", "prior_notice_start_day",
                     "prior_notice_start_time", "prior_notice_service_id", "message", "pickup_message",
                     "drop_off_message", "phone_number", "info_url", "booking_url"});
  for (auto const& r : m.booking_rules) {
    rules += line({r.id, std::to_string(static_cast<int>(r.type)), opt_int(r.prior_notice_duration_min),
                   opt_int(r.prior_notice_duration_max), opt_int(r.prior_notice_last_day),
                   opt_clock(r.prior_notice_last_time), opt_int(r.prior_notice_start_day),
                   opt_clock(r.prior_notice_start_time),
                   r.prior_notice_service.valid() ? m.services[r.prior_notice_service].id : std::string{}, r.message,
                   r.pickup_message, r.drop_off_message, r.phone_number, r.info_url, r.booking_url});
  }
  if (!m.booking_rules.empty()) out.emplace_back("booking_rules.txt", std::move(rules));

  auto times = line({"trip_id", "arrival_time", "departure_time", "stop_id", "location_group_id", "location_id",
                     "stop_sequence", "start_pickup_drop_off_window", "end_pickup_drop_off_window", "pickup_type",
                     "drop_off_type", "pickup_booking_rule_id", "drop_off_booking_rule_id"});
  for (auto t = flex::trip_idx{0}; t.v() < m.trips.size(); ++t) {
    for (auto const& w : m.windows_of(t)) {
      std::string stop, group, zone, arrival, departure, start, end;
      switch (w.where.kind) {
        case flex::location_kind::stop: stop = m.stops[w.where.stop()].id; break;
        case flex::location_kind::group: group = m.groups[w.where.group()].id; break;
        case flex::location_kind::zone: zone = m.zones[w.where.zone()].id; break;
      }
      if (w.is_time_window) {
        start = civil::format_clock(w.start), end = civil::format_clock(w.end);
      } else {
        arrival = civil::format_clock(w.start), departure = civil::format_clock(w.end);
      }
      auto const rule = [&](flex::booking_rule_idx r) { return r.valid() ? m.booking_rules[r].id : std::string{}; };
      times += line({m.trips[t].id, arrival, departure, stop, group, zone, std::to_string(w.stop_sequence), start, end,
                     kind_value(w.pickup), kind_value(w.drop_off), rule(w.pickup_rule), rule(w.drop_off_rule)});
    }
  }
  out.emplace_back("stop_times.txt", std::move(times));

  out.emplace_back("feed_info.txt", line({"feed_publisher_name", "feed_publisher_url", "feed_lang", "feed_version"}) +
                                        line({id.publisher_name, id.publisher_url,
                                              id.agency_lang.empty() ? std::string{"mul"} : id.agency_lang, id.version}));
  return out;
}

std::string zip_feed(feed_files const& files) {
  zip_error_t error;
  zip_error_init(&error);
  auto* source = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (source == nullptr) throw std::runtime_error{std::string{"zip: "} + zip_error_strerror(&error)};
  zip_source_keep(source);  // read the archive back from it after zip_close
  auto const fail = [&](char const* what) {
    zip_source_free(source);
    throw std::runtime_error{std::string{"zip: "} + what};
  };
  zip_t* archive = zip_open_from_source(source, ZIP_TRUNCATE, &error);
  if (archive == nullptr) fail(zip_error_strerror(&error));
  for (auto const& [name, bytes] : files) {
    auto* data = zip_source_buffer(archive, bytes.data(), bytes.size(), 0);
    if (data == nullptr || zip_file_add(archive, name.c_str(), data, ZIP_FL_ENC_UTF_8) < 0) {
      if (data != nullptr) zip_source_free(data);
      zip_discard(archive);
      fail("cannot add a file");
    }
  }
  if (zip_close(archive) != 0) {
    zip_discard(archive);
    fail("cannot write the archive");
  }
  std::string out;
  if (zip_source_open(source) != 0) fail("cannot read the archive back");
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_source_stat(source, &st) != 0 || (st.valid & ZIP_STAT_SIZE) == 0) {
    zip_source_close(source);
    fail("archive has no size");
  }
  out.resize(static_cast<std::size_t>(st.size));
  auto const n = zip_source_read(source, out.data(), out.size());
  zip_source_close(source);
  zip_source_free(source);
  if (n < 0 || static_cast<std::size_t>(n) != out.size()) throw std::runtime_error{"zip: short read of the archive"};
  return out;
}

}  // namespace nebuta::gtfs_flex
