// Writing CSV (RFC 4180): a field quoted only when it must be. Reading is feeds/gtfs's.
#pragma once

#include <string>
#include <string_view>

namespace nebuta::io {

// The field as it goes between commas: as is, or in double quotes with inner quotes doubled when
// it holds a comma, a quote or a line break.
std::string csv_field(std::string_view s);

// The shortest decimal form that reads back to the same double ("35.1", "-0.000123").
std::string exact_decimal(double v);

}  // namespace nebuta::io
