// The reader's order: the GTFS files (feeds/gtfs), the calendars, zones, location groups, booking
// rules, then the flex rows of stop_times.txt that refer to all of them.
#include "nebuta/gtfs_flex/reader.h"

#include "nebuta/gtfs/reader.h"
#include "reader_internal.h"

namespace nebuta::gtfs_flex {

namespace detail {

std::optional<flex::stop_idx> state::stop(std::string_view id) {
  if (auto const it = stops.find(std::string{id}); it != stops.end()) return it->second;
  auto const it = gtfs_stops.find(id);
  if (it == gtfs_stops.end()) return std::nullopt;
  auto const& g = f.stops[it->second];
  if (!g.stop_lat || !g.stop_lon) return std::nullopt;
  auto const idx = b.add_stop({std::string{id}, std::string{g.stop_name}, latlon{*g.stop_lat, *g.stop_lon}});
  stops.emplace(std::string{id}, idx);
  return idx;
}

using gtfs::detail::open_table;
using gtfs::detail::table;

// Columns of pre-v2 Flex drafts that v2 dropped: reported once per file, then ignored.
void report_draft_columns(state& s, table& t, std::string const& file, std::initializer_list<char const*> columns) {
  for (auto const* c : columns) {
    if (t.column(c) >= 0) {
      s.problem(file, 1, "draft_column",
                std::string{"column "} + c + " is from a GTFS-Flex draft, not GTFS-Flex v2; ignored");
    }
  }
}

namespace {

void read_services(state& s) {
  auto const service_of = [&](std::string_view id) {
    auto [it, inserted] = s.services.emplace(std::string{id}, flex::service_idx::invalid());
    if (inserted) {
      flex::service sv;
      sv.id = std::string{id};
      it->second = s.b.add_service(std::move(sv));
    }
    return it->second;
  };
  for (auto const& c : s.f.calendars) {
    auto const idx = service_of(c.service_id);
    auto& sv = s.b.service_at(idx);
    if (sv.start) {
      s.problem("calendar.txt", c.line, "duplicate_id", "duplicate service_id '" + std::string{c.service_id} + "'");
      continue;
    }
    sv.weekdays = c.weekdays, sv.start = c.start_date, sv.end = c.end_date;
  }
  for (auto const& c : s.f.calendar_dates) {
    auto& sv = s.b.service_at(service_of(c.service_id));
    (c.exception_type == 1 ? sv.added : sv.removed).push_back(c.day);
  }
}

void read_groups(gtfs::feed_source const& src, state& s) {
  if (auto t = open_table(src, s.f, "location_groups.txt", false)) {
    auto const id = t->require("location_group_id"), name = t->column("location_group_name");
    report_draft_columns(s, *t, "location_groups.txt", {"location_id"});
    while (t->next()) {
      if (!t->require_value(id, "location_group_id")) continue;
      auto const key = std::string{(*t)[id]};
      if (s.groups.contains(key) || s.zones.contains(key)) {
        t->report("duplicate_id", "location_group_id '" + key + "' is already a group or a zone id");
        continue;
      }
      s.groups.emplace(key, s.b.add_group({key, std::string{(*t)[name]}, {}}));
    }
  }
  if (auto t = open_table(src, s.f, "location_group_stops.txt", false)) {
    auto const group = t->require("location_group_id"), stop = t->require("stop_id");
    while (t->next()) {
      if (!t->require_value(group, "location_group_id") || !t->require_value(stop, "stop_id")) continue;
      auto const g = s.groups.find(std::string{(*t)[group]});
      if (g == s.groups.end()) {
        t->report("unknown_location_group", "unknown location_group_id '" + std::string{(*t)[group]} + "'");
        continue;
      }
      auto const member = s.stop((*t)[stop]);
      if (!member) {
        t->report("unknown_stop", "unknown stop_id '" + std::string{(*t)[stop]} + "' (or a stop without coordinates)");
        continue;
      }
      s.b.group_at(g->second).stops.push_back(*member);
      ++s.out.group_stops;
    }
  }
}

void read_booking_rules(gtfs::feed_source const& src, state& s) {
  auto t = open_table(src, s.f, "booking_rules.txt", false);
  if (!t) return;
  auto const id = t->require("booking_rule_id"), type = t->require("booking_type"),
             min = t->column("prior_notice_duration_min"), max = t->column("prior_notice_duration_max"),
             last_day = t->column("prior_notice_last_day"), last_time = t->column("prior_notice_last_time"),
             start_day = t->column("prior_notice_start_day"), start_time = t->column("prior_notice_start_time"),
             service = t->column("prior_notice_service_id"), message = t->column("message"),
             pickup_message = t->column("pickup_message"), drop_off_message = t->column("drop_off_message"),
             phone = t->column("phone_number"), info = t->column("info_url"), booking = t->column("booking_url");
  // C-TRAN writes prior_duration_notice_min next to prior_notice_duration_min: read only where the
  // spec's column is empty.
  auto const min_quirk = t->column("prior_duration_notice_min");
  if (min_quirk >= 0) {
    s.problem("booking_rules.txt", 1, "nonstandard_column",
              "column prior_duration_notice_min is not GTFS; read only where prior_notice_duration_min is empty");
  }
  while (t->next()) {
    flex::booking_rule r;
    r.id = std::string{(*t)[id]};
    std::uint8_t kind = 0;
    if (!t->require_value(id, "booking_rule_id") || !t->get_int(type, kind, "booking_type", true) ||
        !t->get_int(min, r.prior_notice_duration_min, "prior_notice_duration_min") ||
        !t->get_int(max, r.prior_notice_duration_max, "prior_notice_duration_max") ||
        !t->get_int(last_day, r.prior_notice_last_day, "prior_notice_last_day") ||
        !t->get_int(start_day, r.prior_notice_start_day, "prior_notice_start_day") ||
        !t->get_time(last_time, r.prior_notice_last_time, "prior_notice_last_time") ||
        !t->get_time(start_time, r.prior_notice_start_time, "prior_notice_start_time")) {
      continue;
    }
    if (!r.prior_notice_duration_min && !t->get_int(min_quirk, r.prior_notice_duration_min, "prior_duration_notice_min")) {
      continue;
    }
    if (kind > 2) {
      t->report("bad_value", "booking_type must be 0, 1 or 2, not " + std::to_string(kind));
      continue;
    }
    r.type = static_cast<flex::booking_type>(kind);
    auto const negative = [](std::optional<std::int32_t> v) { return v && *v < 0; };
    if (negative(r.prior_notice_duration_min) || negative(r.prior_notice_duration_max) ||
        negative(r.prior_notice_last_day) || negative(r.prior_notice_start_day)) {
      t->report("bad_value", "negative prior notice");
      continue;
    }
    if (r.type == flex::booking_type::same_day && !r.prior_notice_duration_min) {
      t->report("missing_value", "booking_type 1 needs prior_notice_duration_min");
      continue;
    }
    if (r.type == flex::booking_type::prior_days && (!r.prior_notice_last_day || !r.prior_notice_last_time)) {
      t->report("missing_value", "booking_type 2 needs prior_notice_last_day and prior_notice_last_time");
      continue;
    }
    if (r.prior_notice_start_day && !r.prior_notice_start_time) {
      t->report("missing_value", "prior_notice_start_day needs prior_notice_start_time");
      continue;
    }
    if (!(*t)[service].empty()) {
      auto const sv = s.services.find(std::string{(*t)[service]});
      if (sv == s.services.end()) {
        t->report("unknown_service", "unknown prior_notice_service_id '" + std::string{(*t)[service]} + "'");
        continue;
      }
      r.prior_notice_service = sv->second;
    }
    r.message = (*t)[message], r.pickup_message = (*t)[pickup_message], r.drop_off_message = (*t)[drop_off_message];
    r.phone_number = (*t)[phone], r.info_url = (*t)[info], r.booking_url = (*t)[booking];
    if (s.rules.contains(r.id)) {
      t->report("duplicate_id", "duplicate booking_rule_id '" + r.id + "'");
      continue;
    }
    auto const key = r.id;
    s.rules.emplace(key, s.b.add_booking_rule(std::move(r)));
  }
}

}  // namespace
}  // namespace detail

result read(gtfs::feed_source const& src) {
  result out;
  auto f = gtfs::read_feed(src, gtfs::read_options{.shapes = false, .fares = false, .jp_extensions = false});
  detail::state s{f, out, {}, {}, {}, {}, {}, {}, {}};
  for (std::size_t i = 0; i < f.stops.size(); ++i) s.gtfs_stops.emplace(f.stops[i].stop_id, i);
  for (auto const& a : f.column_aliases) {
    s.problem(a.file, 1, "nonstandard_column", "column " + a.column + " is not GTFS; read as " + a.read_as);
  }
  for (auto const* file : {"stop_times.txt", "trips.txt"}) {  // their rows were read above
    if (auto t = gtfs::detail::open_table(src, f, file, false)) {
      detail::report_draft_columns(
          s, *t, file, {"mean_duration_factor", "mean_duration_offset", "safe_duration_factor", "safe_duration_offset"});
    }
  }
  detail::read_services(s);
  detail::read_locations(src, s);
  detail::read_groups(src, s);
  detail::read_booking_rules(src, s);
  detail::read_flex_stop_times(s);
  out.model = std::move(s.b).finish();
  out.problems = f.problems.entries();
  out.problem_counts = f.problems.counts();
  return out;
}

result read(std::filesystem::path const& path) { return read(gtfs::feed_source{path}); }

}  // namespace nebuta::gtfs_flex
