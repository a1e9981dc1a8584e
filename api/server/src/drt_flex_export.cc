// GET /v1/drt/gtfs-flex.zip?days=N (public): the running service as a GTFS-Flex v2 feed, so that
// other planners can show it (issue 16 item 5; docs/flex.md): the service area, the meeting
// points, the hours the fleet's shifts cover on each of the next N service dates (default 30,
// at most 366) and the booking rule; built by engine/flex's publish, written by feeds/gtfs_flex,
// whose reader reads it back to the same service (tests/feeds/gtfs_flex/writer_test.cc).
#include <chrono>

#include "drt_handlers.h"
#include "drt_state.h"
#include "nebuta/core/civil_time.h"
#include "nebuta/flex/publish.h"
#include "nebuta/gtfs_flex/writer.h"

namespace nebuta::api_server {

http_response drt_gtfs_flex(drt_state& m, call& c) {
  auto const days = c.param_int("days", 1, 366).value_or(30);
  auto const& pub = m.opt.publish;
  flex::service_to_publish s;
  s.name = pub.name;
  s.phone_number = pub.phone;
  s.info_url = pub.info_url;
  s.booking_url = pub.booking_url;
  s.message = pub.message;
  s.shifts = m.opt.shifts;
  s.holidays = &m.opt.holidays;
  gtfs_flex::feed_identity id;
  id.agency_name = pub.agency_name;
  id.agency_url = pub.agency_url;
  id.agency_lang = pub.agency_lang;
  id.agency_phone = pub.phone;
  id.agency_timezone = m.sclock.timezone;
  id.route_name = pub.name;
  flex::model published;
  {
    std::lock_guard const lock{m.mutex};
    auto const& rules = m.disp.service_rules();
    s.area = rules.service_area;
    s.meeting_points = rules.meeting_points;
    s.max_booking_ahead = rules.max_booking_ahead;
    if (m.opt.stop_at) {
      auto const langs = pub.agency_lang.empty() ? std::vector<std::string>{} : std::vector{pub.agency_lang};
      for (auto const p : s.meeting_points) {
        auto const label = m.opt.stop_at(p, langs);
        s.meeting_point_names.push_back(label ? label->name : std::string{});
      }
    }
    s.first = m.sclock.service_date(m.now());
    s.last = s.first + std::chrono::days{days - 1};
    id.version = civil::format_date(s.first) + "/" + std::to_string(days);
    try {
      published = flex::publish(s);
    } catch (std::invalid_argument const&) {
      throw api_error{409, "nothing_to_publish"};
    }
  }
  http_response out;
  out.content_type = "application/zip";
  out.headers.emplace_back("Content-Disposition", "attachment; filename=\"gtfs-flex.zip\"");
  out.body = gtfs_flex::zip_feed(gtfs_flex::write_feed(published, id));
  return out;
}

}  // namespace nebuta::api_server
