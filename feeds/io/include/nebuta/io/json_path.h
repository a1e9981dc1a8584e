// Where a value sits in a JSON input, for error messages every JSON reader writes alike:
// "rules.json: service_area.coordinates[0][3]: reason". Each reader raises its own exception type.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "nebuta/core/geo.h"

namespace nebuta::io {

// What json_path::fail throws unless the reader chose its own exception.
struct json_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void throw_json_error(std::string const& message);

struct json_path {
  using raise_fn = void (*)(std::string const& message);  // must throw

  std::string source;  // the file (or its name), first in every message
  std::string path;    // keys and indices from the top: "demand.generate.zones[2].radius_m"
  raise_fn raise{&throw_json_error};

  json_path key(std::string_view k) const;
  json_path index(std::size_t i) const;
  // Raises "source: path: reason" ("source: reason" at the top).
  [[noreturn]] void fail(std::string const& reason) const;
};

// The shortest text that reads back as the same double ("91", not "91.0").
std::string number_text(double d);

// A number that is finite, else fails "must be a number" / "must be a finite number".
double finite_number(nlohmann::json const& v, json_path const& w);

// A position within [-90, 90] x [-180, 180], else fails naming the coordinate out of range.
latlon checked_latlon(double lat, double lon, json_path const& w);

}  // namespace nebuta::io
