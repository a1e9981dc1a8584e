// The simulation's own random numbers: splitmix64 to seed and to hash keys, xoshiro256** for
// streams. Fixed algorithms (not std:: distributions, whose output differs between standard
// libraries), so a scenario and a seed give the same day everywhere.
#pragma once

#include <cmath>
#include <cstdint>

namespace nebuta::sim {

inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31U);
}

// A well-mixed 64-bit value from a few keys (seed, stream, index, ...).
inline std::uint64_t hash_keys(std::uint64_t a, std::uint64_t b, std::uint64_t c = 0) {
  std::uint64_t s = a;
  auto h = splitmix64(s);
  s = h ^ b;
  h = splitmix64(s);
  s = h ^ c;
  return splitmix64(s);
}

// Uniform in [0, 1) with 53 random bits.
inline double to_unit(std::uint64_t x) { return static_cast<double>(x >> 11U) * 0x1.0p-53; }

class rng {
 public:
  explicit rng(std::uint64_t seed) {
    for (auto& w : s_) w = splitmix64(seed);
  }

  std::uint64_t next() {
    auto const result = rotl(s_[1] * 5, 7) * 9;
    auto const t = s_[1] << 17U;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  double uniform() { return to_unit(next()); }
  double uniform(double a, double b) { return a + (b - a) * uniform(); }
  // Exponentially distributed with the given rate (> 0), by inversion.
  double exponential(double rate) { return -std::log1p(-uniform()) / rate; }
  // Uniform integer in [0, n), n > 0 (multiply-shift; the bias is below 2^-32 for our n).
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64U);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4]{};
};

}  // namespace nebuta::sim
