// libFuzzer target: the OSM reader (feeds/osm) and the road-graph build on bytes in memory.
// The first byte picks the format (even: .osm.pbf, odd: OPL text), the rest is the file.
// Allowed outcome besides a graph: std::runtime_error from read_osm (unreadable data). The
// reader's own counters must agree with what it handed to the builder.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "nebuta/osm/reader.h"

namespace road = nebuta::road;

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  if (size == 0) return 0;
  auto const format = (data[0] & 1U) == 0 ? "pbf" : "opl";
  std::string_view const bytes{reinterpret_cast<char const*>(data + 1), size - 1};
  road::graph_builder builder;
  nebuta::osm::read_stats stats;
  try {
    stats = nebuta::osm::read_osm(bytes, format, builder);
  } catch (std::runtime_error const&) {
    return 0;
  }
  require(stats.n_nodes == builder.n_nodes() && stats.n_edges == builder.n_edges());
  require(stats.n_drivable_ways <= stats.n_ways && stats.n_oneway_ways <= stats.n_drivable_ways);
  auto const graph = std::move(builder).build();
  (void)graph;
  return 0;
}
