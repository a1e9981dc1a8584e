#include "nebuta/osm/reader.h"

#include <cstring>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include <osmium/handler.hpp>
#include <osmium/handler/node_locations_for_ways.hpp>
#include <osmium/index/map/flex_mem.hpp>
#include <osmium/io/file.hpp>
#include <osmium/io/opl_input.hpp>
#include <osmium/io/pbf_input.hpp>
#include <osmium/io/reader.hpp>
#include <osmium/osm/way.hpp>
#include <osmium/visitor.hpp>

#include "nebuta/osm/profile.h"

namespace nebuta::osm {

namespace {

using location_index = osmium::index::map::FlexMem<osmium::unsigned_object_id_type, osmium::Location>;
using location_handler = osmium::handler::NodeLocationsForWays<location_index>;

// The tags of a tag list, read within the list's bytes. libosmium lays a tag out as "key\0value\0"
// and finds a value by the key's terminating NUL, but a string of a PBF string table may hold NUL
// bytes of its own (the format allows any bytes): such a string splits in two, the list can end in
// a key without a value, and osmium::Tag::value() and the list's iterator then read past the list
// (found by tests/fuzz/osm_fuzz). False for a list that does not split into key-value pairs.
bool read_tags(osmium::TagList const& list, std::vector<tag>& out) {
  auto const* p = reinterpret_cast<char const*>(list.data()) + sizeof(osmium::TagList);
  auto const* const end = reinterpret_cast<char const*>(list.data()) + list.byte_size();
  auto const next_nul = [&](char const* from) {
    return from < end ? static_cast<char const*>(std::memchr(from, '\0', static_cast<std::size_t>(end - from))) : nullptr;
  };
  while (p < end) {
    auto const* const key_end = next_nul(p);
    if (key_end == nullptr) return false;
    auto const* const value = key_end + 1;
    auto const* const value_end = next_nul(value);
    if (value_end == nullptr) return false;
    out.emplace_back(std::string_view{p, key_end}, std::string_view{value, value_end});
    p = value_end + 1;
  }
  return true;
}

class way_handler : public osmium::handler::Handler {
 public:
  way_handler(road::graph_builder& b, read_options opt, read_stats& st) : b_{b}, opt_{opt}, st_{st} {}

  void way(osmium::Way const& w) {
    tags_.clear();
    if (!read_tags(w.tags(), tags_)) {
      ++st_.n_unreadable_tags;
      return;
    }
    if (find("highway") == nullptr) return;
    ++st_.n_ways;
    auto const p = car_profile(tags_);
    if (!p.drivable) return;
    ++st_.n_drivable_ways;
    if (p.forward != p.backward) ++st_.n_oneway_ways;
    if (auto const* ms = find("maxspeed"); ms != nullptr && !parse_maxspeed(ms->second)) ++st_.n_unread_maxspeed;
    auto const mps = p.speed_kmh * opt_.speed_factor / 3.6;

    std::uint32_t prev = 0;
    latlon prev_c{};
    bool have_prev = false;
    for (auto const& ref : w.nodes()) {
      auto const loc = ref.location();
      if (!loc.valid()) {
        ++st_.n_missing_locations;
        have_prev = false;
        continue;
      }
      latlon const c{loc.lat(), loc.lon()};
      auto const [it, inserted] = ids_.try_emplace(ref.ref(), 0U);
      if (inserted) {
        it->second = b_.add_node(c);
        ++st_.n_nodes;
      }
      auto const cur = it->second;
      if (have_prev && cur != prev) {
        auto const m = haversine_m(prev_c, c);
        auto const s = m / mps;
        if (p.forward) {
          b_.add_edge(prev, cur, m, s);
          ++st_.n_edges;
        }
        if (p.backward) {
          b_.add_edge(cur, prev, m, s);
          ++st_.n_edges;
        }
      }
      prev = cur;
      prev_c = c;
      have_prev = true;
    }
  }

 private:
  tag const* find(std::string_view key) const {
    for (auto const& t : tags_) {
      if (t.first == key) return &t;
    }
    return nullptr;
  }

  road::graph_builder& b_;
  read_options opt_;
  read_stats& st_;
  std::vector<tag> tags_;
  std::unordered_map<osmium::object_id_type, std::uint32_t> ids_;
};

read_stats read_source(osmium::io::File const& f, std::string const& what, road::graph_builder& b, read_options opt) {
  if (!(opt.speed_factor > 0.0)) throw std::invalid_argument{"osm: speed_factor must be positive"};
  read_stats st;
  try {
    location_index index;
    location_handler locations{index};
    locations.ignore_errors();  // ways cut at the extract's border: counted in the way handler
    way_handler ways{b, opt, st};
    osmium::io::Reader reader{f, osmium::osm_entity_bits::node | osmium::osm_entity_bits::way};
    osmium::apply(reader, locations, ways);
    reader.close();
  } catch (std::exception const& e) {
    throw std::runtime_error{"osm: cannot read " + what + ": " + e.what()};
  }
  return st;
}

}  // namespace

read_stats read_osm(std::filesystem::path const& file, road::graph_builder& b, read_options opt) {
  if (!std::filesystem::exists(file)) throw std::runtime_error{"osm: no such file: " + file.string()};
  return read_source(osmium::io::File{file.string()}, file.string(), b, opt);
}

read_stats read_osm(std::string_view bytes, std::string_view format, road::graph_builder& b, read_options opt) {
  return read_source(osmium::io::File{bytes.data(), bytes.size(), std::string{format}}, "<memory>", b, opt);
}

loaded_graph load_road_graph(std::filesystem::path const& file, read_options opt) {
  road::graph_builder b;
  auto st = read_osm(file, b, opt);
  return {std::move(b).build(), st};
}

}  // namespace nebuta::osm
