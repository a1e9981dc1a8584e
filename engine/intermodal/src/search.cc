#include "nebuta/intermodal/search.h"

#include <algorithm>
#include <tuple>

#include "nebuta/raptor/tight.h"

namespace nebuta::intermodal {

unsigned vehicle_legs(raptor::journey const& j) {
  auto const od = std::count_if(j.legs.begin(), j.legs.end(),
                                [](raptor::leg const& l) { return l.kind == raptor::leg_kind::access; });
  return j.rides + static_cast<unsigned>(od);
}

double walk_m(raptor::journey const& j) {
  double m = 0.0;
  for (auto const& l : j.legs) {
    if (l.kind == raptor::leg_kind::walk) m += l.distance_m;
  }
  return m;
}

od_use use_of(raptor::journey const& j) {
  unsigned bits = 0;
  for (auto const& l : j.legs) {
    if (l.kind != raptor::leg_kind::access) continue;
    if (l.access_tag >= door_to_door_tag) return od_use::door_to_door;
    bits |= l.access_tag >= last_mile_tag ? 2U : 1U;
  }
  return static_cast<od_use>(bits);
}

namespace {

void make_edges(std::span<candidate const> cands, settings const& s, std::uint32_t tag_base,
                std::vector<raptor::access_edge>& out) {
  out.clear();
  for (std::size_t i = 0; i < cands.size(); ++i) {
    auto const& c = cands[i];
    out.push_back({c.stop, s.expected_wait_s + c.road_s + c.buffer_s, c.road_m, tag_base + static_cast<std::uint32_t>(i)});
  }
}

}  // namespace

void search_on_demand(raptor::router& router, stop_catalog const& catalog, road::travel_model const& model,
                      query const& q, settings const& s, search_scratch& scratch, std::vector<od_journey>& out) {
  out.clear();
  if (!s.enabled) return;
  find_candidates(catalog, model, q.from, side::first_mile, s, scratch.cand, scratch.first);
  find_candidates(catalog, model, q.to, side::last_mile, s, scratch.cand, scratch.last);
  make_edges(scratch.first, s, 0U, scratch.first_edges);
  make_edges(scratch.last, s, last_mile_tag, scratch.last_edges);

  if (!scratch.first_edges.empty() || !scratch.last_edges.empty()) {
    auto const from = raptor::place::at_coord(q.from, scratch.first_edges);
    auto const to = raptor::place::at_coord(q.to, scratch.last_edges);
    raptor::tight_journeys(router, from, to, q.date, q.time, q.arrive_by, q.opt, scratch.one);
    for (auto& j : scratch.one) {
      auto const use = use_of(j);
      if (use != od_use::none) out.push_back({std::move(j), use});
    }
  }

  if (s.door_to_door && catalog.inside(q.from) && catalog.inside(q.to)) {
    auto const a = model.snap(q.from);
    auto const b = model.snap(q.to);
    auto const c = a.valid && b.valid ? model.cost(a, b) : std::nullopt;
    if (c && c->seconds <= s.max_door_to_door_s) {
      auto const dur = s.expected_wait_s + c->seconds;
      od_journey d;
      d.use = od_use::door_to_door;
      d.j.departure = q.arrive_by ? q.time - dur : q.time;
      d.j.arrival = d.j.departure + dur;
      raptor::leg l;
      l.kind = raptor::leg_kind::access;
      l.start = d.j.departure;
      l.end = d.j.arrival;
      l.distance_m = c->metres;
      l.access_tag = door_to_door_tag;
      d.j.legs.push_back(l);
      out.push_back(std::move(d));
    }
  }

  // Pareto among themselves: arrival, departure (the later the better) and vehicle legs.
  auto const dominates = [](raptor::journey const& a, raptor::journey const& b) {
    return a.arrival <= b.arrival && a.departure >= b.departure && vehicle_legs(a) <= vehicle_legs(b);
  };
  std::vector<bool> drop(out.size(), false);
  for (std::size_t i = 0; i < out.size(); ++i) {
    for (std::size_t k = 0; k < out.size() && !drop[i]; ++k) {
      if (k == i || drop[k] || !dominates(out[k].j, out[i].j)) continue;
      drop[i] = !dominates(out[i].j, out[k].j) || k < i;  // of equal journeys keep the first
    }
  }
  std::size_t w = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (drop[i]) continue;
    if (w != i) out[w] = std::move(out[i]);
    ++w;
  }
  out.resize(w);
  std::stable_sort(out.begin(), out.end(), [](od_journey const& a, od_journey const& b) {
    return std::make_tuple(vehicle_legs(a.j), a.j.arrival, -a.j.departure) <
           std::make_tuple(vehicle_legs(b.j), b.j.arrival, -b.j.departure);
  });
}

}  // namespace nebuta::intermodal
