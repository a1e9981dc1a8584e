// Our own on-demand service described as GTFS-Flex v2, so that other planners can show it
// (issue 16 item 5; GET /v1/drt/gtfs-flex.zip): the service area as one zone, the meeting points
// as one location group, the hours from the fleet's shifts date by date, and one booking rule from
// the rules' booking horizon. The result is a flex::model, the same the reader builds, so the
// export is checked by reading it back.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "nebuta/core/civil_time.h"
#include "nebuta/core/geo.h"
#include "nebuta/core/time.h"
#include "nebuta/dispatch/fleet_calendar.h"
#include "nebuta/flex/model.h"

namespace nebuta::flex {

struct service_to_publish {
  std::string id{"drt"};                  // prefix of every id in the feed
  std::string name;                       // of the zone, the group and the trips' route
  std::vector<std::vector<latlon>> area;  // the dispatcher's service area (rings, even-odd)
  // Where riders are picked up and set down when the service uses meeting points, with their
  // names; only those inside the area are published when there is an area.
  std::vector<latlon> meeting_points;
  std::vector<std::string> meeting_point_names;  // empty or one per meeting point

  std::span<dispatch::shift_pattern const> shifts;
  dispatch::holiday_calendar const* holidays{nullptr};
  date_t first{}, last{};  // the service dates published (inclusive)

  seconds_t max_booking_ahead{2 * 86'400};
  std::string message, phone_number, info_url, booking_url;  // of the booking rule
};

// Hours: on each date, the union of the shifts that run that date (touching or overlapping
// shifts merged), one flex trip per interval; dates with the same intervals share one service
// (listed date by date in calendar_dates, as holidays and exceptions make weekly rules
// unreliable). Each trip has two windows over the interval on the same place (the meeting-point
// group when there are meeting points, else the zone): pick up on the first, set down on the
// second, both to be arranged with the operator (pickup_type / drop_off_type 2) under the rule:
// booking_type 1 (same day) with prior_notice_duration_min 0 (immediate rides) and
// prior_notice_duration_max the booking horizon in minutes.
// Throws std::invalid_argument when there is neither an area nor a meeting point to publish.
model publish(service_to_publish const&);

}  // namespace nebuta::flex
