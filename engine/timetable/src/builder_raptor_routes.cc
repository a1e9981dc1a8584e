// RAPTOR routes over all feeds: trips grouped by stop pattern and pickup/drop-off flags, split
// so that no trip overtakes another, stop times stored stop-major.
#include "builder_internal.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>

namespace nebuta::build::detail {

void compiler::build_routes() {
  struct vec_hash {
    std::size_t operator()(std::vector<std::uint32_t> const& v) const {
      std::size_t h = v.size();
      for (auto x : v) h = h * 1'000'003U ^ x;
      return h;
    }
  };
  std::unordered_map<std::vector<std::uint32_t>, std::uint32_t, vec_hash> pattern_index;
  std::vector<std::vector<std::uint32_t>> pattern_trips;
  for (auto i = 0U; i < instances_.size(); ++i) {
    auto const& inst = instances_[i];
    std::vector<std::uint32_t> key;
    key.reserve(inst.stops.size());
    for (std::size_t s = 0; s < inst.stops.size(); ++s) key.push_back(inst.stops[s].v() * 4U + inst.flags[s]);
    auto [it, inserted] = pattern_index.emplace(std::move(key), static_cast<std::uint32_t>(pattern_trips.size()));
    if (inserted) pattern_trips.emplace_back();
    pattern_trips[it->second].push_back(i);
  }

  auto const overtakes = [&](trip_instance const& earlier, trip_instance const& later) {
    for (std::size_t s = 0; s < earlier.arr.size(); ++s) {
      if (earlier.arr[s] > later.arr[s] || earlier.dep[s] > later.dep[s]) return true;
    }
    return false;
  };

  std::vector<std::vector<std::vector<std::uint32_t>>> stop_route_lists(tt_.n_stops());
  for (auto& members : pattern_trips) {
    std::sort(members.begin(), members.end(), [&](auto a, auto b) {
      auto const& x = instances_[a];
      auto const& y = instances_[b];
      return std::tie(x.dep.front(), x.arr.back()) < std::tie(y.dep.front(), y.arr.back());
    });
    // Split so that trips of one route never overtake: each trip joins the first group whose
    // last trip it does not overtake.
    std::vector<std::vector<std::uint32_t>> groups;
    for (auto const m : members) {
      auto placed = false;
      for (auto& g : groups) {
        if (!overtakes(instances_[g.back()], instances_[m])) {
          g.push_back(m);
          placed = true;
          break;
        }
      }
      if (!placed) groups.push_back({m});
    }
    for (auto const& g : groups) add_route(g);
  }
}

void compiler::add_route(std::vector<std::uint32_t> const& members) {
  auto const& first = instances_[members.front()];
  auto const r = tt_.route_first_trip.push_back(tt_.trip_ids.next_idx());
  tt_.route_n_trips.push_back(static_cast<std::uint32_t>(members.size()));
  tt_.route_time_base.push_back(static_cast<std::uint32_t>(tt_.arrivals.size()));
  tt_.route_type.push_back(tt_.line_types[staged_trips_[first.gtfs_trip.v()].line]);
  tt_.route_stops.emplace_back(first.stops);
  tt_.route_stop_flags.emplace_back(first.flags);
  for (std::size_t s = 0; s < first.stops.size(); ++s) {
    for (auto const m : members) {
      tt_.arrivals.push_back(instances_[m].arr[s]);
      tt_.departures.push_back(instances_[m].dep[s]);
    }
  }
  // Trips of the route on one shape (with the same shape_dist_traveled) share a path.
  std::map<std::pair<std::uint32_t, std::vector<std::optional<double>>>, path_idx> paths;
  for (auto const m : members) {
    auto const& inst = instances_[m];
    auto const& st = staged_trips_[inst.gtfs_trip.v()];
    auto path = path_idx::invalid();
    if (st.shape != no_shape) {
      auto [it, added] = paths.emplace(std::pair{st.shape, inst.shape_dist}, path_idx::invalid());
      if (added) it->second = add_path(st.shape, first.stops, inst.shape_dist);
      path = it->second;
    }
    tt_.trip_path.push_back(path);
    auto const t = tt_.trip_ids.push_back(st.id);
    tt_.trip_line.push_back(st.line);
    tt_.trip_route.push_back(r);
    tt_.trip_service.push_back(st.service);
    tt_.trip_headsigns.push_back(st.headsign);
    tt_.trip_short_names.push_back(st.short_name);
    tt_.trip_wheelchair_accessible.push_back(st.wheelchair);
    tt_.trip_block.push_back(inst.from_frequency ? no_block : st.block);
    if (trip_of_staged_.size() < staged_trips_.size())
      trip_of_staged_.resize(staged_trips_.size(), trip_idx::invalid());
    trip_of_staged_[inst.gtfs_trip.v()] = inst.from_frequency ? trip_idx::invalid() : t;
    tt_.trip_stop_headsigns.emplace_back(inst.stop_headsigns);
  }
}

}  // namespace nebuta::build::detail
