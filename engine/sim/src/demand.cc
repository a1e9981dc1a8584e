#include "nebuta/sim/demand.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

namespace nebuta::sim {

namespace {

// A point uniform inside a circle (small radii: local flat approximation).
latlon in_circle(circle_zone const& z, rng& r) {
  auto const dist = z.radius_m * std::sqrt(r.uniform());
  auto const angle = 2.0 * std::numbers::pi * r.uniform();
  return geo::offset_by_m(z.centre, dist * std::cos(angle), dist * std::sin(angle));
}

std::size_t pick_weighted(std::vector<double> const& cumulative, rng& r) {
  auto const x = r.uniform() * cumulative.back();
  auto const it = std::upper_bound(cumulative.begin(), cumulative.end(), x);
  return std::min(static_cast<std::size_t>(it - cumulative.begin()), cumulative.size() - 1);
}

struct sampler {
  place_distribution const& d;
  std::vector<double> cumulative;  // zones first, then points

  explicit sampler(place_distribution const& dist) : d{dist} {
    double sum = 0.0;
    for (auto const& z : d.zones) cumulative.push_back(sum += std::max(0.0, z.weight));
    for (auto const& p : d.points) cumulative.push_back(sum += std::max(0.0, p.weight));
  }

  latlon draw(rng& r) const {
    auto const k = pick_weighted(cumulative, r);
    return k < d.zones.size() ? in_circle(d.zones[k], r) : d.points[k - d.zones.size()].at;
  }
};

}  // namespace

latlon draw_place(place_distribution const& d, rng& r) { return sampler{d}.draw(r); }

std::vector<trip_request> generate_demand(demand_model const& m, int days, std::uint64_t seed) {
  std::vector<trip_request> out;
  if (m.origins.empty() || days <= 0) return out;
  rng r{hash_keys(seed, 0x64656d616e64ULL)};  // "demand"
  sampler const from{m.origins};
  sampler const to{m.destinations.empty() ? m.origins : m.destinations};

  auto profile = m.hourly_profile;
  double total = 0.0;
  for (auto& w : profile) total += (w = std::max(0.0, w));
  if (total <= 0.0) {
    profile.fill(1.0);
    total = 24.0;
  }
  std::vector<double> group_cumulative;
  double gsum = 0.0;
  for (auto const w : m.group_size_weights) group_cumulative.push_back(gsum += std::max(0.0, w));
  if (gsum <= 0.0) group_cumulative.assign(1, 1.0);

  struct generated {
    trip_request req;
    std::size_t order;
  };
  std::vector<generated> all;
  auto const per_day = std::max(0.0, m.requests_per_day * m.scale);
  for (int day = 0; day < days; ++day) {
    for (int h = 0; h < 24; ++h) {
      auto const rate = per_day * profile[static_cast<std::size_t>(h)] / total / 3600.0;  // per second
      if (rate <= 0.0) continue;
      double const hour_start = day * 86'400.0 + h * 3600.0;
      double t = hour_start + r.exponential(rate);
      while (t < hour_start + 3600.0) {
        trip_request q;
        q.earliest_pickup = static_cast<seconds_t>(std::floor(t));
        q.origin = from.draw(r);
        q.destination = to.draw(r);
        for (int attempt = 0; attempt < 20 && haversine_m(q.origin, q.destination) < m.min_trip_m; ++attempt) {
          q.destination = to.draw(r);
        }
        q.passengers = static_cast<std::uint16_t>(pick_weighted(group_cumulative, r) + 1);
        q.wheelchair_users = r.uniform() < m.wheelchair_share ? 1 : 0;
        q.requested_at = q.earliest_pickup;
        if (r.uniform() < m.prebooked_share) {
          auto const lead =
              m.prebook_min_lead +
              static_cast<seconds_t>(r.below(
                  static_cast<std::uint64_t>(std::max<seconds_t>(0, m.prebook_max_lead - m.prebook_min_lead)) + 1));
          q.requested_at = std::max<seconds_t>(0, q.earliest_pickup - lead);
        }
        all.push_back({std::move(q), all.size()});
        t += r.exponential(rate);
      }
    }
  }
  std::sort(all.begin(), all.end(), [](generated const& a, generated const& b) {
    if (a.req.requested_at != b.req.requested_at) return a.req.requested_at < b.req.requested_at;
    if (a.req.earliest_pickup != b.req.earliest_pickup) return a.req.earliest_pickup < b.req.earliest_pickup;
    return a.order < b.order;
  });
  out.reserve(all.size());
  for (auto& g : all) {
    g.req.id = "g" + std::to_string(out.size() + 1);
    out.push_back(std::move(g.req));
  }
  return out;
}

}  // namespace nebuta::sim
