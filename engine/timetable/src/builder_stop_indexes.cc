// Per-stop indexes after all feeds: routes calling, children of stations, stops sorted by id.
#include "builder_internal.h"

#include <algorithm>
#include <numeric>

namespace nebuta::build::detail {

void compiler::build_stop_indexes() {
  std::vector<std::vector<route_idx>> routes(tt_.n_stops());
  for (auto r = route_idx{0}; r.v() < tt_.n_routes(); ++r) {
    for (auto const s : tt_.route_stops[r]) {
      if (routes[s.v()].empty() || routes[s.v()].back() != r) routes[s.v()].push_back(r);
    }
  }
  std::vector<std::vector<stop_idx>> children(tt_.n_stops());
  for (auto s = stop_idx{0}; s.v() < tt_.n_stops(); ++s) {
    if (tt_.stop_parent[s].valid()) children[tt_.stop_parent[s].v()].push_back(s);
  }
  for (std::size_t s = 0; s < tt_.n_stops(); ++s) {
    std::sort(routes[s].begin(), routes[s].end());
    routes[s].erase(std::unique(routes[s].begin(), routes[s].end()), routes[s].end());
    tt_.stop_routes.emplace_back(routes[s]);
    tt_.stop_children.emplace_back(children[s]);
  }
  tt_.stops_by_id.resize(tt_.n_stops());
  std::iota(tt_.stops_by_id.begin(), tt_.stops_by_id.end(), stop_idx{0});
  std::sort(tt_.stops_by_id.begin(), tt_.stops_by_id.end(), [&](stop_idx a, stop_idx b) {
    return tt_.stop_feed[a] != tt_.stop_feed[b] ? tt_.stop_feed[a] < tt_.stop_feed[b]
                                                : tt_.strings[tt_.stop_ids[a]] < tt_.strings[tt_.stop_ids[b]];
  });
  if (tt_.stop_footpaths.size() != tt_.n_stops()) {
    tt_.stop_footpaths = {};
    for (std::size_t s = 0; s < tt_.n_stops(); ++s) tt_.stop_footpaths.emplace_back_empty();
  }
}

}  // namespace nebuta::build::detail
