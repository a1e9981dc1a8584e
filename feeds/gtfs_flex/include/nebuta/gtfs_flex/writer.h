// GTFS-Flex v2 out: a flex::model as the files of a feed (agency, routes, trips, calendar_dates,
// stops, stop_times with pickup/drop-off windows, locations.geojson, location groups, booking
// rules, feed_info) and as a .zip. The reader (reader.h) reads them back to the same model, which
// the tests check. See docs/flex.md.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "nebuta/flex/model.h"

namespace nebuta::gtfs_flex {

// What the model does not hold: who runs the service and what the route is called.
struct feed_identity {
  std::string agency_id{"nebuta"}, agency_name{"Nebuta on-demand"}, agency_url{"https://example.org/"};
  std::string agency_timezone{"Asia/Tokyo"}, agency_phone, agency_lang;
  std::string route_name;  // route_long_name of every route the trips name
  int route_type{3};       // bus
  std::string publisher_name{"Nebuta"}, publisher_url{"https://example.org/"}, version;
};

using feed_files = std::vector<std::pair<std::string, std::string>>;  // file name → bytes, in order

// Every file of the feed. Coordinates are written in their shortest exact decimal form, so they
// read back to the same doubles.
feed_files write_feed(flex::model const&, feed_identity const&);

// The files as a .zip archive in memory (libzip); throws std::runtime_error when libzip fails.
std::string zip_feed(feed_files const&);

}  // namespace nebuta::gtfs_flex
