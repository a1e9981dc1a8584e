// How long a vehicle takes between two points: the one question the dispatcher asks of the road
// network. Implemented by the OSM road graph and, without OSM, by a straight-line model.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "nebuta/core/geo.h"   // latlon, haversine_m
#include "nebuta/core/time.h"  // seconds_t

namespace nebuta::road {

struct travel_cost {
  std::int32_t seconds{0};
  double metres{0.0};
  constexpr bool operator==(travel_cost const&) const = default;
};

// A point as the model knows it: snapped once, then reused for every query from or to it.
// `node` is the model's own handle (a graph vertex; unused by the straight-line model).
struct snapped_point {
  latlon coord{};
  std::uint32_t node{0};
  std::int32_t offset_s{0};  // seconds between the coordinate and the node (driving the last bit)
  bool valid{false};
};

class travel_model {
 public:
  virtual ~travel_model() = default;

  // Nullopt-like invalid point when the coordinate cannot be reached by car (e.g. far outside the
  // road network's extract).
  virtual snapped_point snap(latlon c) const = 0;

  // Cost from a to b; nullopt when b cannot be reached from a.
  virtual std::optional<travel_cost> cost(snapped_point const& a, snapped_point const& b) const = 0;

  // out[i * to.size() + j] = cost(from[i], to[j]). Implementations override this with one search
  // per source instead of |from| x |to| point queries.
  virtual void many_to_many(std::span<snapped_point const> from, std::span<snapped_point const> to,
                            std::span<std::optional<travel_cost>> out) const {
    for (std::size_t i = 0; i < from.size(); ++i) {
      for (std::size_t j = 0; j < to.size(); ++j) out[i * to.size() + j] = cost(from[i], to[j]);
    }
  }
};

// Without OSM: haversine distance x detour factor at a constant speed, so that the dispatcher
// runs on any feed. Defaults: detour 1.3, 30 km/h.
class straight_line_model final : public travel_model {
 public:
  explicit straight_line_model(double detour_factor = 1.3, double speed_kmh = 30.0)
      : detour_{detour_factor}, speed_mps_{speed_kmh / 3.6} {}

  snapped_point snap(latlon c) const override { return {c, 0, 0, true}; }

  std::optional<travel_cost> cost(snapped_point const& a, snapped_point const& b) const override {
    if (!a.valid || !b.valid) return std::nullopt;
    auto const metres = haversine_m(a.coord, b.coord) * detour_;
    return travel_cost{static_cast<std::int32_t>(metres / speed_mps_ + 0.5), metres};
  }

  double detour_factor() const { return detour_; }
  double speed_kmh() const { return speed_mps_ * 3.6; }

 private:
  double detour_;
  double speed_mps_;
};

}  // namespace nebuta::road
