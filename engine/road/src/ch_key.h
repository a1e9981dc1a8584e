// Packed (time_ds, metres) keys shared by the contraction and the queries: one 64-bit integer
// whose order is the lexicographic order of the pair, because the bit patterns of non-negative
// floats sort like the floats themselves.
#pragma once

#include <bit>
#include <cstdint>
#include <limits>

#include "nebuta/road/ch.h"

namespace nebuta::road::ch_detail {

using key_t = std::uint64_t;
inline constexpr key_t inf_key = std::numeric_limits<key_t>::max();
inline constexpr std::uint64_t max_time_ds = std::numeric_limits<std::uint32_t>::max() - 1;

inline key_t pack(std::uint32_t time_ds, float metres) {
  return (static_cast<key_t>(time_ds) << 32U) | std::bit_cast<std::uint32_t>(metres);
}
inline key_t pack(ch_weight w) { return pack(w.time_ds, w.metres); }
inline std::uint32_t time_of(key_t k) { return static_cast<std::uint32_t>(k >> 32U); }
inline float metres_of(key_t k) { return std::bit_cast<float>(static_cast<std::uint32_t>(k)); }

// a + w; infinite when a is, or when the time no longer fits (centuries of driving).
inline key_t add(key_t a, ch_weight w) {
  if (a == inf_key) return inf_key;
  auto const t = (a >> 32U) + w.time_ds;
  if (t > max_time_ds) return inf_key;
  return pack(static_cast<std::uint32_t>(t), metres_of(a) + w.metres);
}
inline key_t add(key_t a, key_t b) {
  if (b == inf_key) return inf_key;
  return add(a, ch_weight{time_of(b), metres_of(b)});
}
inline ch_weight add(ch_weight a, ch_weight b) {
  auto const t = std::uint64_t{a.time_ds} + b.time_ds;
  return {static_cast<std::uint32_t>(t > max_time_ds ? max_time_ds : t), a.metres + b.metres};
}

}  // namespace nebuta::road::ch_detail
