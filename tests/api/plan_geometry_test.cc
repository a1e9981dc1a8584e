// Leg.geometry in /v1/plan (docs/api.md): the encoded polyline against Google's published
// example; on Tampa (shapes.txt) every ride's line starts and ends at its stops, follows the
// streets (longer than the straight line, no faster than a bus), and is in the JSON answer too;
// a feed without shapes gives no geometry.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "nebuta/api_service/json.h"
#include "nebuta/api_service/polyline.h"
#include "nebuta/api_service/service.h"
#include "nebuta/gtfs_import/import.h"
#include "shared_data.h"

namespace {

namespace v1 = nebuta::v1;
using nebuta::latlon;

// The decoder of the algorithm's description, written here as the reference.
std::vector<latlon> decode(std::string const& s, int precision) {
  std::vector<latlon> out;
  std::size_t i = 0;
  std::int64_t lat = 0, lon = 0;
  auto const next = [&] {
    std::int64_t result = 0;
    int shift = 0;
    int b = 0;
    do {
      REQUIRE(i < s.size());
      b = s[i++] - 63;
      REQUIRE((b >= 0 && b < 64));
      result |= static_cast<std::int64_t>(b & 0x1f) << shift;
      shift += 5;
    } while (b >= 0x20);
    return (result & 1) != 0 ? ~(result >> 1) : (result >> 1);
  };
  auto const scale = std::pow(10.0, precision);
  while (i < s.size()) {
    lat += next();
    lon += next();
    out.push_back({static_cast<double>(lat) / scale, static_cast<double>(lon) / scale});
  }
  return out;
}

}  // namespace

TEST_CASE("polyline: Google's example, and precision 6 round trips", "[api][geometry]") {
  // developers.google.com/maps/documentation/utilities/polylinealgorithm
  std::vector<latlon> const pts{{38.5, -120.2}, {40.7, -120.95}, {43.252, -126.453}};
  CHECK(nebuta::api_service::encode_polyline(pts, 5) == "_p~iF~ps|U_ulLnnqC_mqNvxq`@");
  std::vector<latlon> const fine{{27.9548191, -82.4585194}, {27.954929, -82.458519}, {-33.0, 151.2093}};
  auto const back = decode(nebuta::api_service::encode_polyline(fine, 6), 6);
  REQUIRE(back.size() == fine.size());
  for (std::size_t i = 0; i < fine.size(); ++i) {
    CHECK(std::abs(back[i].lat - fine[i].lat) <= 0.5e-6 + 1e-12);
    CHECK(std::abs(back[i].lon - fine[i].lon) <= 0.5e-6 + 1e-12);
  }
  CHECK(nebuta::api_service::encode_polyline({}, 6).empty());
}

TEST_CASE("plan geometry: Tampa rides drawn along their shapes", "[api][geometry][shared_data]") {
  NEBUTA_REQUIRE_DATASET(feed, "us-tampa-hart-multimodal");
  auto const loaded = nebuta::gtfs_import::load({{"tampa", feed}});
  nebuta::api_service::service const svc{loaded.tt};
  nebuta::raptor::router router{svc.raptor_index()};
  auto const chain = nebuta::api_service::make_lang_chain("en");

  // West end (Montague St @ Hillsborough Av) to east end (SR60 @ Strawberry Ridge).
  v1::PlanRequest req;
  req.set_from("7761");
  req.set_to("7887");
  req.set_date("2018-07-10");
  req.set_depart("07:00");
  auto const plan = svc.plan(req, chain, router);
  REQUIRE(plan.journeys_size() > 0);
  std::size_t rides = 0;
  for (auto const& j : plan.journeys()) {
    for (auto const& leg : j.legs()) {
      if (leg.mode() != "ride") {
        CHECK_FALSE(leg.has_geometry());
        continue;
      }
      ++rides;
      REQUIRE(leg.has_geometry());
      auto const line = decode(leg.geometry().polyline(), 6);
      INFO(leg.trip_id() << " " << leg.from().stop_id() << " → " << leg.to().stop_id());
      REQUIRE(line.size() == leg.geometry().points());
      // More points than stops: it follows the streets.
      CHECK(line.size() > static_cast<std::size_t>(leg.intermediate_stops_size()) + 2);
      latlon const from{leg.from().lat(), leg.from().lon()}, to{leg.to().lat(), leg.to().lon()};
      // Tampa's stops lie p50 8 m, p95 17 m, at most 124 m off their shapes (the nearest point:
      // shapes_test); 7576, a terminal, is 91 m off the street.
      CHECK(nebuta::haversine_m(line.front(), from) < 130.0);
      CHECK(nebuta::haversine_m(line.back(), to) < 130.0);
      double length = 0.0, via_stops = 0.0;
      for (std::size_t i = 1; i < line.size(); ++i) length += nebuta::haversine_m(line[i - 1], line[i]);
      CHECK(std::abs(length - leg.geometry().length_m()) < 1.0);
      std::vector<latlon> stops{from};
      for (auto const& s : leg.intermediate_stops()) {  // StopCall has no coordinates: the timetable's
        auto const idx = loaded.tt.find_stop(s.stop_id());
        REQUIRE(idx.has_value());
        stops.push_back(loaded.tt.stop_coords[*idx]);
      }
      stops.push_back(to);
      for (std::size_t i = 1; i < stops.size(); ++i) via_stops += nebuta::haversine_m(stops[i - 1], stops[i]);
      CHECK(length >= 0.95 * via_stops - 100.0);
      CHECK(length <= 30.0 * (leg.duration_s() + 60));
    }
  }
  CHECK(rides > 0);

  // The JSON answer has it under the proto field names, written as protobuf's printer would.
  auto const text = nebuta::api_service::to_json(plan);
  CHECK(text == nebuta::api_service::to_json_by_protobuf(plan));
  auto const json = nlohmann::json::parse(text);
  auto const& first_ride = [&]() -> nlohmann::json const& {
    for (auto const& leg : json["journeys"][0]["legs"]) {
      if (leg["mode"] == "ride") return leg;
    }
    FAIL("no ride");
    return json;
  }();
  CHECK(first_ride["geometry"]["polyline"].get<std::string>().size() > 10);
  CHECK(first_ride["geometry"]["points"].get<int>() > 2);
}

TEST_CASE("plan geometry: none without shapes.txt", "[api][geometry]") {
  auto const loaded = nebuta::gtfs_import::load({{"sample", NEBUTA_SOURCE_DIR "/data/sample"}});
  nebuta::api_service::service const svc{loaded.tt};
  nebuta::raptor::router router{svc.raptor_index()};
  v1::PlanRequest req;
  req.set_from("hachinohe");
  req.set_to("tanesashi_kaigan");
  req.set_date("2026-04-08");
  req.set_depart("09:00");
  auto const plan = svc.plan(req, nebuta::api_service::make_lang_chain("en"), router);
  REQUIRE(plan.journeys_size() > 0);
  for (auto const& j : plan.journeys()) {
    for (auto const& leg : j.legs()) CHECK_FALSE(leg.has_geometry());
  }
}
