// Time arithmetic shared by the dispatcher's source files (not a public header).
#pragma once

#include <cstdint>
#include <optional>

#include "nebuta/road/travel_model.h"

namespace nebuta::dispatch::detail {

// Internal arithmetic in 64 bits so that "unreachable" can be added without overflow.
using t64 = std::int64_t;
inline constexpr t64 inf = t64{1} << 40;
// The travel time of a leg the model cannot drive: far beyond any promise, far below inf.
inline constexpr std::int32_t unreachable_s = std::int32_t{1} << 29;

inline t64 secs(std::optional<road::travel_cost> const& c) { return c ? t64{c->seconds} : inf; }

}  // namespace nebuta::dispatch::detail
