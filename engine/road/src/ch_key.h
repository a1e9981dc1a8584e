// Packed (time_ds, length) keys shared by the contraction and the queries: time in the high 32
// bits, the length in whole units of metres_per_unit in the low 32 bits. Integer sums are exact
// and associative, so every search of the hierarchy minimises the same lexicographic cost, and
// adding an arc is one integer addition (the PHAST sweep's inner loop is add, compare, move).
//
// The unit is chosen per graph so that twice the summed length of all arcs fits 32 bits (no path
// label, plus one arc, can exceed that, so the low half never carries into the time); it is
// 1 mm up to 2,147 km of road in total. Unreached is any key >= inf_key = 2^63, which stays
// >= inf_key after adding an arc, so the sweeps need no branch for it.
#pragma once

#include <cstdint>
#include <limits>

#include "nebuta/road/query.h"

namespace nebuta::road::ch_detail {

using key_t = std::uint64_t;
inline constexpr key_t inf_key = key_t{1} << 63U;

inline std::uint32_t time_of(key_t k) { return static_cast<std::uint32_t>(k >> 32U); }

inline key_t pack(std::uint64_t time_ds, std::uint64_t length_units) { return (time_ds << 32U) | length_units; }

inline node_cost to_cost(key_t k, double metres_per_unit) {
  if (k >= inf_key) return {};
  return {time_of(k), static_cast<float>(static_cast<double>(k & 0xFFFF'FFFFU) * metres_per_unit)};
}

}  // namespace nebuta::road::ch_detail
