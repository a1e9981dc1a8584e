#include "chains.h"

#include <cassert>
#include <cmath>
#include <span>

namespace nebuta::road::ch_detail {

namespace {

enum class vertex_kind : std::uint8_t { junction, two_way_inner, one_way_inner };

// The road graph's arcs as flat arrays (heads and keys by tail), for the walks along chains.
struct flat_arcs {
  flat_arcs(road_graph const& g, double metres_per_unit) : first_out(g.n_nodes() + 1, 0), in_degree(g.n_nodes(), 0) {
    auto const& csr = g.csr();
    head.reserve(g.n_edges());
    key.reserve(g.n_edges());
    for (std::uint32_t v = 0; v < g.n_nodes(); ++v) {
      for (auto [it, end] = out_edges(v, csr); it != end; ++it) {
        auto const w = static_cast<std::uint32_t>(target(*it, csr));
        head.push_back(w);
        key.push_back(arc_key(csr[*it], metres_per_unit));
        ++in_degree[w];
      }
      first_out[v + 1] = static_cast<std::uint32_t>(head.size());
    }
  }
  std::uint32_t out_degree(std::uint32_t v) const { return first_out[v + 1] - first_out[v]; }
  std::span<std::uint32_t const> heads(std::uint32_t v) const { return {head.data() + first_out[v], out_degree(v)}; }
  // The key of u -> w, or inf_key when there is no such arc (the builder kept one arc per pair).
  key_t find(std::uint32_t u, std::uint32_t w) const {
    for (auto a = first_out[u]; a < first_out[u + 1]; ++a) {
      if (head[a] == w) return key[a];
    }
    return inf_key;
  }

  std::vector<std::uint32_t> first_out;
  std::vector<std::uint32_t> head;
  std::vector<key_t> key;
  std::vector<std::uint32_t> in_degree;
};

vertex_kind classify(flat_arcs const& a, std::uint32_t v) {
  auto const out = a.heads(v);
  if (out.size() == 2 && a.in_degree[v] == 2 && out[0] != out[1] && a.find(out[0], v) != inf_key &&
      a.find(out[1], v) != inf_key) {
    return vertex_kind::two_way_inner;
  }
  if (out.size() == 1 && a.in_degree[v] == 1 && a.find(out[0], v) == inf_key) return vertex_kind::one_way_inner;
  return vertex_kind::junction;
}

class decomposer {
 public:
  decomposer(road_graph const& g, double metres_per_unit)
      : a_{g, metres_per_unit}, n_{static_cast<std::uint32_t>(g.n_nodes())}, kind_(n_) {
    out_.vertex_chain.assign(n_, no_chain);
    out_.vertex_slot.assign(n_, 0);
    for (std::uint32_t v = 0; v < n_; ++v) kind_[v] = classify(a_, v);
  }

  chain_decomposition run() && {
    for (std::uint32_t v = 0; v < n_; ++v) {
      if (kind_[v] == vertex_kind::junction) walk_chains_from(v);
    }
    // Inner vertices left over lie on cycles without a junction: promote the lowest of each.
    for (std::uint32_t v = 0; v < n_; ++v) {
      if (kind_[v] != vertex_kind::junction && out_.vertex_chain[v] == no_chain) {
        kind_[v] = vertex_kind::junction;
        walk_chains_from(v);
      }
    }
    for (std::uint32_t v = 0; v < n_; ++v) {
      if (kind_[v] != vertex_kind::junction) continue;
      out_.vertex_slot[v] = static_cast<std::uint32_t>(out_.junction_vertex.size());
      out_.junction_vertex.push_back(v);
    }
    // Chain ends were recorded as graph vertices; now that junctions are numbered, as junction ids.
    for (auto& c : out_.chains) {
      c.tail = out_.vertex_slot[c.tail];
      c.head = out_.vertex_slot[c.head];
      if (c.tail != c.head) {
        out_.arcs.push_back({c.tail, c.head, out_.from_tail[c.last]});
        if (c.two_way) out_.arcs.push_back({c.head, c.tail, out_.to_tail[c.last]});
      }
    }
    for (auto const u : out_.junction_vertex) {
      for (auto x = a_.first_out[u]; x < a_.first_out[u + 1]; ++x) {
        auto const w = a_.head[x];
        if (kind_[w] == vertex_kind::junction) {
          out_.arcs.push_back({out_.vertex_slot[u], out_.vertex_slot[w], a_.key[x]});
        }
      }
    }
    return std::move(out_);
  }

 private:
  // Every chain that leaves junction j over one of its arcs and was not walked yet (a two-way chain
  // is walked once, from whichever end comes first).
  void walk_chains_from(std::uint32_t j) {
    for (auto x = a_.first_out[j]; x < a_.first_out[j + 1]; ++x) {
      auto const first = a_.head[x];
      if (kind_[first] == vertex_kind::junction || out_.vertex_chain[first] != no_chain) continue;
      walk(j, first, a_.key[x]);
    }
  }

  void walk(std::uint32_t tail, std::uint32_t first, key_t first_key) {
    auto const c = static_cast<std::uint32_t>(out_.chains.size());
    auto const two_way = kind_[first] == vertex_kind::two_way_inner;
    chain_record rec{static_cast<std::uint32_t>(out_.flat_vertex.size()), 0, tail, 0, two_way};
    push(tail, 0, 0);
    auto prev = tail;
    auto cur = first;
    key_t forward = first_key;
    key_t backward = two_way ? a_.find(first, tail) : 0;
    while (kind_[cur] != vertex_kind::junction) {
      assert((kind_[cur] == vertex_kind::two_way_inner) == two_way);
      assert(out_.vertex_chain[cur] == no_chain);
      out_.vertex_chain[cur] = c;
      out_.vertex_slot[cur] = push(cur, forward, backward);
      auto const heads = a_.heads(cur);
      auto const next = two_way && heads[0] == prev ? heads[1] : heads[0];
      forward += a_.find(cur, next);
      if (two_way) backward += a_.find(next, cur);
      prev = cur;
      cur = next;
    }
    rec.last = push(cur, forward, backward);
    rec.head = cur;
    out_.chains.push_back(rec);
  }

  std::uint32_t push(std::uint32_t v, key_t forward, key_t backward) {
    out_.flat_vertex.push_back(v);
    out_.from_tail.push_back(forward);
    out_.to_tail.push_back(backward);
    return static_cast<std::uint32_t>(out_.flat_vertex.size() - 1);
  }

  flat_arcs a_;
  std::uint32_t n_;
  std::vector<vertex_kind> kind_;
  chain_decomposition out_;
};

}  // namespace

key_t arc_key(road_edge const& e, double metres_per_unit) {
  auto const units = e.metres > 0.0F ? std::llround(static_cast<double>(e.metres) / metres_per_unit) : 0LL;
  return pack(e.time_ds, static_cast<std::uint64_t>(units));
}

chain_decomposition decompose_chains(road_graph const& g, double metres_per_unit) {
  return decomposer{g, metres_per_unit}.run();
}

}  // namespace nebuta::road::ch_detail
