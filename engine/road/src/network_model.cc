#include "nebuta/road/network_model.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <mutex>
#include <numbers>
#include <stdexcept>
#include <utility>
#include <vector>

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/segment.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/iterator/function_output_iterator.hpp>

namespace nebuta::road {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace {

using xy = bg::model::d2::point_xy<double>;
using segment = bg::model::segment<xy>;
using rtree_value = std::pair<segment, std::uint32_t>;  // segment, index into segments_
using rtree = bgi::rtree<rtree_value, bgi::rstar<16>>;

constexpr double earth_radius_m = geo::earth_radius_m;
constexpr double deg = geo::radians_per_degree;

// Local equirectangular projection in metres around (lat0, lon0).
struct projection {
  double lat0{0.0};
  double lon0{0.0};
  double kx{0.0};
  double ky{earth_radius_m * deg};

  xy to_xy(latlon c) const { return {(c.lon - lon0) * kx, (c.lat - lat0) * ky}; }
  latlon to_latlon(xy p) const { return {p.y() / ky + lat0, kx > 0.0 ? p.x() / kx + lon0 : lon0}; }
};

struct seg_info {
  std::uint32_t from;
  std::uint32_t to;
  std::uint32_t time_ds;  // of from -> to
};

struct cache_entry {
  std::uint64_t key{~std::uint64_t{0}};
  node_cost value{};
};

// Worker state borrowed from the pool for one call: the search of the model's kind.
struct scratch {
  std::optional<road_query> q;
  std::optional<ch_query> chq;
  std::vector<road_node_idx> targets;
  std::vector<node_cost> results;
  std::vector<std::size_t> columns;  // which column of the row each search target answers
  std::vector<road_node_idx> sources;
  std::vector<double> source_offset_m;
  std::vector<double> target_offset_m;
};

}  // namespace

struct road_network_model::impl {
  impl(road_graph graph, network_options o) : g{std::move(graph)}, opt{o} {
    if (opt.cache_entries > 0) {
      cache.resize(std::bit_ceil(opt.cache_entries));
      cache_shift = 64 - std::countr_zero(cache.size());
    }
    build_index();
    if (opt.search == road_search::contraction_hierarchy) {
      auto const t0 = std::chrono::steady_clock::now();
      try {
        ch.emplace(g, opt.ch);
      } catch (std::length_error const&) {
        // Beyond the hierarchy's key range (arc times summing to 68 years: a continent): plain
        // Dijkstra still answers, slowly; hierarchy() tells the caller.
        ch.reset();
      }
      ch_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
  }

  void build_index() {
    auto const n = g.n_nodes();
    if (n == 0) return;
    double lat = 0.0;
    double lon = 0.0;
    for (auto const c : g.raw_coords()) {
      lat += c.lat;
      lon += c.lon;
    }
    proj.lat0 = lat / static_cast<double>(n);
    proj.lon0 = lon / static_cast<double>(n);
    proj.kx = earth_radius_m * deg * std::cos(proj.lat0 * deg);

    auto const& csr = g.csr();
    std::vector<rtree_value> values;
    values.reserve(g.n_edges());
    for (std::uint32_t v = 0; v < n; ++v) {
      for (auto [it, end] = out_edges(v, csr); it != end; ++it) {
        auto const w = static_cast<std::uint32_t>(target(*it, csr));
        if (w < v && edge(w, v, csr).second) continue;  // a two-way segment is indexed once
        auto const id = static_cast<std::uint32_t>(segments.size());
        segments.push_back({v, w, csr[*it].time_ds});
        values.emplace_back(segment{proj.to_xy(g.coord(road_node_idx{v})), proj.to_xy(g.coord(road_node_idx{w}))}, id);
      }
    }
    index = rtree{values.begin(), values.end()};  // bulk loading (packing)
  }

  std::unique_ptr<scratch> acquire() const {
    {
      std::lock_guard lock{pool_mutex};
      if (!pool.empty()) {
        auto s = std::move(pool.back());
        pool.pop_back();
        return s;
      }
    }
    auto s = std::make_unique<scratch>();
    if (ch) {
      s->chq.emplace(*ch);
    } else {
      s->q.emplace(g);
    }
    return s;
  }
  void release(std::unique_ptr<scratch> s) const {
    std::lock_guard lock{pool_mutex};
    pool.push_back(std::move(s));
  }

  static std::uint64_t key_of(road_node_idx a, road_node_idx b) {
    return (static_cast<std::uint64_t>(a.v()) << 32U) | b.v();
  }
  std::size_t slot_of(std::uint64_t key) const {
    // Fibonacci hashing: the high bits of the product mix both vertices.
    return cache_shift >= 64 ? 0 : static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> cache_shift);
  }
  // Caller holds cache_mutex.
  bool cache_find(road_node_idx a, road_node_idx b, node_cost& out) const {
    if (cache.empty()) return false;
    auto const key = key_of(a, b);
    auto const& e = cache[slot_of(key)];
    if (e.key != key) {
      ++stats.misses;
      return false;
    }
    ++stats.hits;
    out = e.value;
    return true;
  }
  void cache_put(road_node_idx a, road_node_idx b, node_cost c) const {
    if (cache.empty()) return;
    auto const key = key_of(a, b);
    cache[slot_of(key)] = {key, c};
  }

  double offset_metres(snapped_point const& p) const { return haversine_m(p.coord, g.coord(road_node_idx{p.node})); }

  bool usable(snapped_point const& p) const { return p.valid && p.node < g.n_nodes(); }

  std::optional<travel_cost> combine(snapped_point const& a, snapped_point const& b, node_cost c) const {
    return combine(a, b, c, offset_metres(a), offset_metres(b));
  }
  std::optional<travel_cost> combine(snapped_point const& a, snapped_point const& b, node_cost c, double a_offset_m,
                                     double b_offset_m) const {
    if (a.node == b.node && a.coord == b.coord && a.offset_s == b.offset_s) return travel_cost{0, 0.0};
    if (!c.reachable()) return std::nullopt;
    auto const s = static_cast<std::int64_t>(a.offset_s) + (static_cast<std::int64_t>(c.time_ds) + 5) / 10 +
                   static_cast<std::int64_t>(b.offset_s);
    auto const m = a_offset_m + static_cast<double>(c.metres) + b_offset_m;
    return travel_cost{static_cast<std::int32_t>(std::min<std::int64_t>(s, std::numeric_limits<std::int32_t>::max())), m};
  }

  road_graph g;
  network_options opt;
  projection proj;
  std::vector<seg_info> segments;
  rtree index;
  std::optional<contraction_hierarchy> ch;
  double ch_seconds{0.0};

  mutable std::mutex pool_mutex;
  mutable std::vector<std::unique_ptr<scratch>> pool;

  mutable std::mutex cache_mutex;
  mutable std::vector<cache_entry> cache;  // direct-mapped: a new pair overwrites its slot
  int cache_shift{64};
  mutable cache_stats stats;
};

road_network_model::road_network_model(road_graph g, network_options opt)
    : impl_{std::make_unique<impl>(std::move(g), opt)} {}

road_network_model::~road_network_model() = default;
road_network_model::road_network_model(road_network_model&&) noexcept = default;
road_network_model& road_network_model::operator=(road_network_model&&) noexcept = default;

road_graph const& road_network_model::graph() const { return impl_->g; }
network_options const& road_network_model::options() const { return impl_->opt; }
contraction_hierarchy const* road_network_model::hierarchy() const { return impl_->ch ? &*impl_->ch : nullptr; }
double road_network_model::hierarchy_build_seconds() const { return impl_->ch_seconds; }

cache_stats road_network_model::cache_statistics() const {
  std::lock_guard lock{impl_->cache_mutex};
  return impl_->stats;
}

void road_network_model::clear_cache() const {
  std::lock_guard lock{impl_->cache_mutex};
  std::fill(impl_->cache.begin(), impl_->cache.end(), cache_entry{});
  impl_->stats = {};
}

snap_result road_network_model::snap_detailed(latlon c) const {
  auto const& m = *impl_;
  snap_result r;
  r.point.coord = c;
  if (m.index.empty() || !std::isfinite(c.lat) || !std::isfinite(c.lon) || std::abs(c.lat) > 90.0 ||
      std::abs(c.lon) > 180.0) {
    r.distance_m = std::numeric_limits<double>::infinity();
    return r;
  }
  auto const p = m.proj.to_xy(c);
  rtree_value best;
  bool found = false;
  m.index.query(bgi::nearest(p, 1), boost::make_function_output_iterator([&](rtree_value const& v) {
                  best = v;
                  found = true;
                }));
  if (!found) return r;

  auto const& s = m.segments[best.second];
  auto const a = best.first.first;
  auto const b = best.first.second;
  auto const dx = b.x() - a.x();
  auto const dy = b.y() - a.y();
  auto const len2 = dx * dx + dy * dy;
  auto t = len2 > 0.0 ? ((p.x() - a.x()) * dx + (p.y() - a.y()) * dy) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  xy const foot{a.x() + t * dx, a.y() + t * dy};
  r.on_network = m.proj.to_latlon(foot);
  r.distance_m = haversine_m(c, r.on_network);
  r.from = road_node_idx{s.from};
  r.to = road_node_idx{s.to};
  if (!(r.distance_m <= m.opt.max_snap_m)) return r;

  auto const near_from = t <= 0.5;
  auto const along = near_from ? t : 1.0 - t;
  r.point.node = near_from ? s.from : s.to;
  r.point.offset_s = static_cast<std::int32_t>(std::lround(along * static_cast<double>(s.time_ds) / 10.0));
  r.point.valid = true;
  return r;
}

node_cost road_network_model::node_to_node(road_node_idx a, road_node_idx b) const {
  auto& m = *impl_;
  node_cost c;
  auto const cached = !m.cache.empty();  // sized once in the constructor
  if (cached) {
    std::lock_guard lock{m.cache_mutex};
    if (m.cache_find(a, b, c)) return c;
  }
  auto s = m.acquire();
  c = s->chq ? s->chq->point_to_point(a, b) : s->q->point_to_point(a, b);
  m.release(std::move(s));
  if (cached) {
    std::lock_guard lock{m.cache_mutex};
    m.cache_put(a, b, c);
  }
  return c;
}

std::optional<travel_cost> road_network_model::cost(snapped_point const& a, snapped_point const& b) const {
  auto const& m = *impl_;
  if (!m.usable(a) || !m.usable(b)) return std::nullopt;
  return m.combine(a, b, node_to_node(road_node_idx{a.node}, road_node_idx{b.node}));
}

void road_network_model::many_to_many(std::span<snapped_point const> from, std::span<snapped_point const> to,
                                      std::span<std::optional<travel_cost>> out) const {
  auto& m = *impl_;
  auto const cols = to.size();
  if (m.ch) {
    many_to_many_ch(from, to, out);
    return;
  }
  std::unique_ptr<scratch> s;
  for (std::size_t i = 0; i < from.size(); ++i) {
    auto const row = out.subspan(i * cols, cols);
    if (!m.usable(from[i])) {
      std::fill(row.begin(), row.end(), std::nullopt);
      continue;
    }
    auto const src = road_node_idx{from[i].node};
    if (!s) s = m.acquire();
    s->targets.clear();
    s->columns.clear();
    {
      std::lock_guard lock{m.cache_mutex};
      for (std::size_t j = 0; j < cols; ++j) {
        row[j] = std::nullopt;
        if (!m.usable(to[j])) continue;
        node_cost c;
        if (m.cache_find(src, road_node_idx{to[j].node}, c)) {
          row[j] = m.combine(from[i], to[j], c);
        } else {
          s->targets.push_back(road_node_idx{to[j].node});
          s->columns.push_back(j);
        }
      }
    }
    if (s->targets.empty()) continue;
    s->results.resize(s->targets.size());
    s->q->one_to_many(src, s->targets, s->results);
    std::lock_guard lock{m.cache_mutex};
    for (std::size_t k = 0; k < s->targets.size(); ++k) {
      m.cache_put(src, s->targets[k], s->results[k]);
      row[s->columns[k]] = m.combine(from[i], to[s->columns[k]], s->results[k]);
    }
  }
  if (s) m.release(std::move(s));
}

}  // namespace nebuta::road

namespace nebuta::road {

void road_network_model::many_to_many_ch(std::span<snapped_point const> from, std::span<snapped_point const> to,
                                         std::span<std::optional<travel_cost>> out) const {
  auto const& m = *impl_;
  auto s = m.acquire();
  // Unusable points become out-of-range vertices, which the CH answers as unreachable; the
  // offsets' straight-line metres are computed once per point, not once per pair.
  auto const prepare = [&](std::span<snapped_point const> pts, std::vector<road_node_idx>& nodes,
                           std::vector<double>& offsets) {
    nodes.clear();
    offsets.clear();
    for (auto const& p : pts) {
      auto const ok = m.usable(p);
      nodes.push_back(ok ? road_node_idx{p.node} : road_node_idx::invalid());
      offsets.push_back(ok ? m.offset_metres(p) : 0.0);
    }
  };
  prepare(from, s->sources, s->source_offset_m);
  prepare(to, s->targets, s->target_offset_m);
  s->results.resize(from.size() * to.size());
  s->chq->many_to_many(s->sources, s->targets, s->results);
  auto const cols = to.size();
  for (std::size_t i = 0; i < from.size(); ++i) {
    for (std::size_t j = 0; j < cols; ++j) {
      auto const k = i * cols + j;
      out[k] = s->sources[i].valid() && s->targets[j].valid()
                   ? m.combine(from[i], to[j], s->results[k], s->source_offset_m[i], s->target_offset_m[j])
                   : std::nullopt;
    }
  }
  m.release(std::move(s));
}

}  // namespace nebuta::road
