// The timetable's index types; the vocabulary under them (strong indices, latlon, seconds) is
// engine/core's.
#pragma once

#include <cstdint>

#include "nebuta/core/geo.h"         // latlon, haversine_m
#include "nebuta/core/strong_idx.h"  // strong_idx, vecmap, multimap
#include "nebuta/core/time.h"        // date_t, seconds_t

namespace nebuta {

using feed_idx = strong_idx<struct feed_tag, std::uint16_t>;
using agency_idx = strong_idx<struct agency_tag>;
using stop_idx = strong_idx<struct stop_tag>;
using line_idx = strong_idx<struct line_tag>;    // a GTFS route (what riders call a line)
using route_idx = strong_idx<struct route_tag>;  // a RAPTOR route: trips with one stop pattern
using trip_idx = strong_idx<struct trip_tag>;
using bitfield_idx = strong_idx<struct bitfield_tag>;
using string_idx = strong_idx<struct string_tag>;
using text_idx = strong_idx<struct text_tag>;  // a translatable text
using lang_idx = strong_idx<struct lang_tag, std::uint16_t>;
using shape_idx = strong_idx<struct shape_tag>;             // a polyline of shapes.txt
using path_idx = strong_idx<struct path_tag>;               // a shape as run by one RAPTOR route: where its stops lie
using day_idx = strong_idx<struct day_tag, std::uint16_t>;  // index into the timetable's dates

}  // namespace nebuta
