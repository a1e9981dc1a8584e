// Chain contraction: the road graph's vertices of degree two (a point in the middle of a street,
// where OSM needs it only for the street's shape) are folded into the arcs between the vertices
// that matter for routing: junctions, dead ends, and the places where a street changes from one-way
// to two-way. The contraction hierarchy is built on that junction graph; the chains keep, per
// position, the keys from and to their ends, so that a query from or to any graph vertex enters
// the junction graph at the ends of its chain with exact offsets.
//
// A vertex is inside a chain when it has exactly two neighbours a != b and either
// - two-way: arcs a -> v, v -> a, b -> v and v -> b, and nothing else; or
// - one-way: arcs a -> v and v -> b, and nothing else.
// Every other vertex is a junction. The neighbours of a two-way inner vertex are two-way inner
// vertices or junctions (likewise one-way), so a chain is one or the other along its whole
// length. A cycle made of inner vertices only (a ring road touching nothing) gets its lowest vertex
// promoted to a junction.
#pragma once

#include <cstdint>
#include <vector>

#include "ch_key.h"
#include "nebuta/road/graph.h"

namespace nebuta::road::ch_detail {

inline constexpr std::uint32_t no_chain = ~std::uint32_t{0};

struct junction_arc {
  std::uint32_t tail;
  std::uint32_t head;
  key_t w;
};

struct chain_record {
  std::uint32_t first;  // flat position of the tail end (a junction); inner vertices follow
  std::uint32_t last;   // flat position of the head end (a junction; may equal the tail's vertex: a loop)
  std::uint32_t tail;   // junction ids
  std::uint32_t head;
  bool two_way;  // also drivable head -> tail; one-way chains are stored in their direction of travel
};

struct chain_decomposition {
  std::vector<std::uint32_t> junction_vertex;  // junction id -> graph vertex, increasing
  std::vector<junction_arc> arcs;              // between junction ids, no self loops, maybe parallel
  // Per graph vertex: the chain holding it inside (no_chain for a junction), and its slot: the
  // junction id, or its flat position.
  std::vector<std::uint32_t> vertex_chain;
  std::vector<std::uint32_t> vertex_slot;
  std::vector<chain_record> chains;
  // Per flat position of a chain (its ends included): the graph vertex, the key of the drive from
  // the chain's tail to it, and (two-way chains) of the drive from it back to the tail.
  std::vector<std::uint32_t> flat_vertex;
  std::vector<key_t> from_tail;
  std::vector<key_t> to_tail;
};

// Packs an arc of the road graph into a key with lengths in units of metres_per_unit.
key_t arc_key(road_edge const& e, double metres_per_unit);

chain_decomposition decompose_chains(road_graph const& g, double metres_per_unit);

}  // namespace nebuta::road::ch_detail
