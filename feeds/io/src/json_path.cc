#include "nebuta/io/json_path.h"

#include <charconv>
#include <cmath>

namespace nebuta::io {

void throw_json_error(std::string const& message) { throw json_error{message}; }

json_path json_path::key(std::string_view k) const {
  return {source, path.empty() ? std::string{k} : path + "." + std::string{k}, raise};
}

json_path json_path::index(std::size_t i) const { return {source, path + "[" + std::to_string(i) + "]", raise}; }

void json_path::fail(std::string const& reason) const {
  auto const message = source + ": " + (path.empty() ? std::string{} : path + ": ") + reason;
  raise(message);
  throw_json_error(message);  // a raise_fn that returned: still never go on
}

std::string number_text(double d) {
  char buf[32];
  auto const [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return ec == std::errc{} ? std::string(buf, end) : std::string{"?"};
}

double finite_number(nlohmann::json const& v, json_path const& w) {
  if (!v.is_number()) w.fail("must be a number");
  auto const d = v.get<double>();
  if (!std::isfinite(d)) w.fail("must be a finite number");
  return d;
}

latlon checked_latlon(double lat, double lon, json_path const& w) {
  if (lat < -90.0 || lat > 90.0) w.fail("latitude " + number_text(lat) + " out of range [-90, 90]");
  if (lon < -180.0 || lon > 180.0) w.fail("longitude " + number_text(lon) + " out of range [-180, 180]");
  return {lat, lon};
}

}  // namespace nebuta::io
