// router::for_each_access, included by the files whose searches start from a place (rounds,
// range, McRAPTOR): one definition of "leave the origin", whatever the search.
#pragma once

#include "internal.h"
#include "nebuta/raptor/router.h"

namespace nebuta::raptor {

template <bool Fwd, typename F>
void router::for_each_access(place const& src, F&& f) const {
  // Each stop of a set is left as a single stop is, in turn (McRAPTOR's round 0 relies on the
  // ways out of a stop following the stop itself).
  for (auto const s0 : src.stop_set()) {
    if (s0.v() >= n_stops_) continue;
    f(foot_parent{stop_idx::invalid(), 0U, 0.0F, walk_kind::access, true, 0U}, s0);
    if (use_fp_) {
      if constexpr (Fwd) {
        for (auto const& fp : tt_.stop_footpaths[s0]) {
          f(foot_parent{s0, fp.duration_s, 0.0F, walk_kind::footpath, false, 0U}, fp.target);
        }
      } else {
        for (auto const& fp : idx_.footpaths_into(s0)) {
          f(foot_parent{s0, fp.duration_s, 0.0F, walk_kind::footpath, false, 0U}, fp.target);
        }
      }
    }
    if (radius_ > 0.0) {
      for (auto x = wl_off_[s0.v()]; x < wl_off_[s0.v() + 1]; ++x) {
        auto const& l = wl_[x];
        f(foot_parent{s0, l.dur, l.dist, walk_kind::walk_link, false, 0U}, l.target);
      }
    }
  }
  if (!src.is_stop()) {
    idx_.stops_near(src.coord, max_walk_, [&](stop_idx s, double d) {
      f(foot_parent{stop_idx::invalid(), detail::walk_seconds(d, speed_), static_cast<float>(d), walk_kind::access,
                    false, 0U},
        s);
    });
  }
  for (auto i = 0U; i < src.extra.size() && i < 0xFFFFU; ++i) {
    auto const& e = src.extra[i];
    if (!e.stop.valid() || e.stop.v() >= n_stops_ || e.duration_s < 0) continue;
    f(foot_parent{stop_idx::invalid(), static_cast<std::uint32_t>(e.duration_s), e.distance_m, walk_kind::access, false,
                  static_cast<std::uint16_t>(i + 1U)},
      e.stop);
  }
}

template <typename F>
void router::for_each_direct_walk(place const& src, latlon dst, F&& f) const {
  auto const walk = [&](stop_idx s, latlon a) {
    if (auto const d = haversine_m(a, dst); d <= max_walk_) f(s, d);
  };
  if (!src.is_stop()) return walk(stop_idx::invalid(), src.coord);
  for (auto const s : src.stop_set()) {
    if (s.v() < n_stops_ && tt_.stop_has_coords[s] != 0U) walk(s, tt_.stop_coords[s]);
  }
}

}  // namespace nebuta::raptor
