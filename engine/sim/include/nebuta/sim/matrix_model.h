// A travel model that answers from a precomputed table between a fixed set of points (meeting
// points, depots) and asks the underlying model for anything else. Every answer is the
// underlying model's own (the table is filled by its many_to_many from its snapped points), so a
// simulation on it is the same as one on the road network, only without a search per question.
// Immutable once built: any number of threads may use one table (and the underlying model must
// allow that too, as road_network_model does).
//
// Handles: a table point is snapped as {coordinate, table_flag | index, 0, valid}; any other
// coordinate is the underlying model's snapped point (its node must stay below table_flag).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "nebuta/road/travel_model.h"

namespace nebuta::sim {

class matrix_model final : public road::travel_model {
 public:
  static constexpr std::uint32_t table_flag = 0x8000'0000U;

  // Duplicated coordinates are kept once. `progress(done, total)` is called per block of rows.
  matrix_model(road::travel_model const& underlying, std::span<latlon const> points,
               std::function<void(std::size_t, std::size_t)> const& progress = {});

  road::snapped_point snap(latlon c) const override;
  std::optional<road::travel_cost> cost(road::snapped_point const& a, road::snapped_point const& b) const override;
  void many_to_many(std::span<road::snapped_point const> from, std::span<road::snapped_point const> to,
                    std::span<std::optional<road::travel_cost>> out) const override;

  std::size_t size() const { return points_.size(); }
  road::travel_model const& underlying() const { return base_; }

 private:
  struct coord_hash {
    std::size_t operator()(latlon const& c) const;
  };
  struct entry {
    std::int32_t seconds{-1};  // -1: unreachable
    double metres{0.0};
  };
  road::snapped_point const& base_point(road::snapped_point const& p) const;

  road::travel_model const& base_;
  std::vector<latlon> points_;
  std::vector<road::snapped_point> base_points_;
  std::unordered_map<latlon, std::uint32_t, coord_hash> index_;
  std::vector<entry> table_;  // row-major, size()^2
};

}  // namespace nebuta::sim
