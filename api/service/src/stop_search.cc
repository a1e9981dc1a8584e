// The stop-name index (stop groups and their folded names) and the stop search over it.
#include "nebuta/api_service/service.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "nebuta/api_service/text_fold.h"
#include "service_detail.h"

namespace nebuta::api_service {

using namespace detail;

// ------------------------------------------------------------------ the name index

void service::index_stop_names() {
  auto const& tt = tt_;
  // Stop groups: a station with its platforms; stops without a station grouped by feed and name
  // when within 1 km of the group's first stop (the poles of one bus stop).
  std::vector<std::uint32_t> group_of(tt.n_stops(), std::numeric_limits<std::uint32_t>::max());
  for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    if (!is_station(tt, s)) continue;
    group_of[s.v()] = static_cast<std::uint32_t>(groups_.size());
    stop_group g{s, {}, tt.stop_coords[s], 0};
    for (auto const c : tt.stop_children[s]) {
      if (tt.stop_location_type[c] == 0) g.members.push_back(c);
    }
    if (g.members.empty()) g.members.push_back(s);
    groups_.push_back(std::move(g));
  }
  std::map<std::pair<std::uint16_t, std::string_view>, std::vector<std::uint32_t>> by_name;
  for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    if (tt.stop_location_type[s] != 0) continue;
    auto const parent = tt.stop_parent[s];
    if (parent.valid() && group_of[parent.v()] != std::numeric_limits<std::uint32_t>::max()) continue;
    auto& candidates = by_name[{tt.stop_feed[s].v(), tt.text(tt.stop_names[s])}];
    auto found = false;
    for (auto const gi : candidates) {
      if (haversine_m(groups_[gi].anchor, tt.stop_coords[s]) <= 1000.0) {
        groups_[gi].members.push_back(s);
        found = true;
        break;
      }
    }
    if (!found) {
      candidates.push_back(static_cast<std::uint32_t>(groups_.size()));
      groups_.push_back(stop_group{s, {s}, tt.stop_coords[s], 0});
    }
  }
  for (std::uint32_t gi = 0; gi < groups_.size(); ++gi) {
    auto& g = groups_[gi];
    std::set<route_idx> routes;
    for (auto const m : g.members) routes.insert(tt.stop_routes[m].begin(), tt.stop_routes[m].end());
    g.weight = static_cast<std::uint32_t>(routes.size());
    std::set<std::u32string> seen;
    auto const add = [&](string_idx v) {
      auto folded = fold_for_search(tt.strings[v]);
      if (!folded.empty() && seen.insert(folded).second) names_.push_back({std::move(folded), gi, v});
    };
    auto const name = tt.stop_names[g.key];
    add(tt.text_default[name]);
    for (auto const& tr : tt.text_translations[name]) add(tr.value);
  }

  for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    auto const name = tt.stop_names[s];
    std::set<std::u32string> seen;
    auto const add = [&](string_idx v) {
      auto folded = fold_for_search(tt.strings[v]);
      if (!folded.empty() && seen.insert(folded).second) folded_stop_names_.emplace_back(std::move(folded), s);
    };
    add(tt.text_default[name]);
    for (auto const& tr : tt.text_translations[name]) add(tr.value);
  }
  std::sort(folded_stop_names_.begin(), folded_stop_names_.end());
}

void service::fill_group(v1::Stop& out, stop_group const& g, lang_chain const& chain) const {
  fill_stop(out, g.key, chain, false);
  if (!is_station(tt_, g.key)) {
    out.clear_platforms();
    for (auto const m : g.members) fill_platform(*out.add_platforms(), m, chain);
  }
  std::set<line_idx> lines;
  for (auto const m : g.members) {
    for (auto const r : tt_.stop_routes[m]) {
      if (tt_.route_n_trips[r] > 0) lines.insert(tt_.trip_line[tt_.route_first_trip[r]]);
    }
  }
  for (auto const l : lines) fill_route_ref(*out.add_routes(), l, chain);
}

// ------------------------------------------------------------------ stops

v1::StopSearchResponse service::search_stops(std::string_view q, unsigned limit, lang_chain const& chain) const {
  auto const fq = fold_for_search(q);
  if (fq.empty()) throw api_error{400, "missing_parameter", {"q"}};
  if (limit == 0 || limit > limits_.max_results) {
    throw api_error{400, "invalid_parameter", {"limit", "must be between 1 and " + std::to_string(limits_.max_results)}};
  }
  auto const ascii = std::all_of(fq.begin(), fq.end(), [](char32_t c) { return c < 0x80U; });
  // A kanji or kana carries more than a letter: allow a typo from 3 of them, from 4 letters.
  auto const max_edits = ascii ? (fq.size() >= 8 ? 2U : fq.size() >= 4 ? 1U : 0U) : (fq.size() >= 3 ? 1U : 0U);

  struct hit {
    unsigned rank{99};
    std::size_t dist{0};
    std::size_t entry{0};
  };
  std::vector<hit> best(groups_.size());
  for (std::size_t e = 0; e < names_.size(); ++e) {
    auto const& n = names_[e].folded;
    hit h;
    h.entry = e;
    if (n == fq) {
      h.rank = 0;
    } else if (n.starts_with(fq)) {
      h.rank = 1;
    } else if (n.find(fq) != std::u32string::npos) {
      h.rank = 2;
    } else if (max_edits > 0) {
      auto d = edit_distance(fq, n, max_edits);
      for (std::size_t len = fq.size() > max_edits ? fq.size() - max_edits : 1; len <= fq.size() + max_edits && d > 0;
           ++len) {
        if (len < n.size()) d = std::min(d, edit_distance(fq, std::u32string_view{n}.substr(0, len), max_edits));
      }
      if (d > max_edits) continue;
      h.rank = 3;
      h.dist = d;
    } else {
      continue;
    }
    auto& b = best[names_[e].group];
    if (std::tie(h.rank, h.dist) < std::tie(b.rank, b.dist)) b = h;
  }
  std::vector<std::uint32_t> order;
  for (std::uint32_t g = 0; g < groups_.size(); ++g) {
    if (best[g].rank != 99) order.push_back(g);
  }
  auto const key = [&](std::uint32_t g) {
    return std::tuple{best[g].rank, best[g].dist, -static_cast<std::int64_t>(groups_[g].weight),
                      names_[best[g].entry].folded.size(), groups_[g].key};
  };
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return key(a) < key(b); });
  if (order.size() > limit) order.resize(limit);
  v1::StopSearchResponse out;
  out.set_query(str(q));
  for (auto const g : order) {
    auto& m = *out.add_results();
    fill_group(*m.mutable_stop(), groups_[g], chain);
    m.set_matched(str(tt_.strings[names_[best[g].entry].text]));
    m.set_rank(best[g].rank);
  }
  return out;
}

}  // namespace nebuta::api_service
