#include "nebuta/sim/matrix_model.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace nebuta::sim {

std::size_t matrix_model::coord_hash::operator()(latlon const& c) const {
  auto const a = std::bit_cast<std::uint64_t>(c.lat), b = std::bit_cast<std::uint64_t>(c.lon);
  return static_cast<std::size_t>((a * 0x9E3779B97F4A7C15ULL) ^ (b + 0x632BE59BD9B4E019ULL + (a << 6U) + (a >> 2U)));
}

matrix_model::matrix_model(road::travel_model const& underlying, std::span<latlon const> points,
                           std::function<void(std::size_t, std::size_t)> const& progress)
    : base_{underlying} {
  for (auto const& p : points) {
    if (index_.emplace(p, static_cast<std::uint32_t>(points_.size())).second) points_.push_back(p);
  }
  auto const n = points_.size();
  base_points_.reserve(n);
  for (auto const& p : points_) base_points_.push_back(base_.snap(p));
  table_.assign(n * n, entry{});
  constexpr std::size_t block = 32;
  std::vector<std::optional<road::travel_cost>> out;
  for (std::size_t row = 0; row < n; row += block) {
    auto const rows = std::min(block, n - row);
    out.assign(rows * n, std::nullopt);
    base_.many_to_many(std::span{base_points_}.subspan(row, rows), base_points_, out);
    for (std::size_t i = 0; i < rows; ++i) {
      for (std::size_t j = 0; j < n; ++j) {
        auto const& c = out[i * n + j];
        if (c) table_[(row + i) * n + j] = entry{c->seconds, c->metres};
      }
    }
    if (progress) progress(row + rows, n);
  }
}

road::snapped_point matrix_model::snap(latlon c) const {
  auto const it = index_.find(c);
  if (it == index_.end()) return base_.snap(c);
  if (!base_points_[it->second].valid) return {c, 0, 0, false};
  return {c, table_flag | it->second, 0, true};
}

road::snapped_point const& matrix_model::base_point(road::snapped_point const& p) const {
  return (p.node & table_flag) != 0 ? base_points_[p.node & ~table_flag] : p;
}

std::optional<road::travel_cost> matrix_model::cost(road::snapped_point const& a, road::snapped_point const& b) const {
  if (!a.valid || !b.valid) return std::nullopt;
  if ((a.node & b.node & table_flag) != 0) {
    auto const& e = table_[(a.node & ~table_flag) * points_.size() + (b.node & ~table_flag)];
    if (e.seconds < 0) return std::nullopt;
    return road::travel_cost{e.seconds, e.metres};
  }
  return base_.cost(base_point(a), base_point(b));
}

void matrix_model::many_to_many(std::span<road::snapped_point const> from, std::span<road::snapped_point const> to,
                                std::span<std::optional<road::travel_cost>> out) const {
  auto const all_table = [](std::span<road::snapped_point const> pts) {
    return std::all_of(pts.begin(), pts.end(), [](auto const& p) { return !p.valid || (p.node & table_flag) != 0; });
  };
  if (all_table(from) && all_table(to)) {
    auto const n = points_.size();
    for (std::size_t i = 0; i < from.size(); ++i) {
      auto const& a = from[i];
      for (std::size_t j = 0; j < to.size(); ++j) {
        auto const& b = to[j];
        auto& o = out[i * to.size() + j];
        if (!a.valid || !b.valid) {
          o = std::nullopt;
          continue;
        }
        auto const& e = table_[(a.node & ~table_flag) * n + (b.node & ~table_flag)];
        if (e.seconds < 0) {
          o = std::nullopt;
        } else {
          o = road::travel_cost{e.seconds, e.metres};
        }
      }
    }
    return;
  }
  // Some point is not in the table: one call of the underlying model with its own points.
  std::vector<road::snapped_point> f(from.size()), t(to.size());
  std::transform(from.begin(), from.end(), f.begin(), [&](auto const& p) { return base_point(p); });
  std::transform(to.begin(), to.end(), t.begin(), [&](auto const& p) { return base_point(p); });
  base_.many_to_many(f, t, out);
}

}  // namespace nebuta::sim
