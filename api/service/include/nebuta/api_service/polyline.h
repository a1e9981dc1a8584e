// Google's encoded polyline algorithm, the form in which answers carry lines (Leg.geometry).
#pragma once

#include <span>
#include <string>

#include "nebuta/core/geo.h"

namespace nebuta::api_service {

// precision: decimal digits kept (5 is Google's, 6 OSRM's and Valhalla's polyline6). Each
// coordinate is rounded once and the differences of the rounded values are encoded, so errors
// do not add up along the line.
std::string encode_polyline(std::span<latlon const> points, int precision = 6);

}  // namespace nebuta::api_service
