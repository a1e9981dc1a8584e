// The OSM reader on .osm.pbf bytes written here with protozero (the encoding of
// https://wiki.openstreetmap.org/wiki/PBF_Format, blobs stored raw), so that a test can hold what
// a real extract never does: strings with NUL bytes inside.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include <protozero/pbf_writer.hpp>

#include "nebuta/osm/reader.h"

using namespace nebuta;

namespace {

struct pbf_way {
  std::int64_t id;
  std::vector<std::uint32_t> keys;  // indices into the string table
  std::vector<std::uint32_t> vals;
  std::vector<std::int64_t> refs;
};

// One file block: 4-byte big-endian header length, BlobHeader, Blob with the raw message.
void append_block(std::string& file, char const* type, std::string const& message) {
  std::string blob;
  {
    protozero::pbf_writer w{blob};
    w.add_bytes(1, message);                                    // raw
    w.add_int32(2, static_cast<std::int32_t>(message.size()));  // raw_size
  }
  std::string header;
  {
    protozero::pbf_writer w{header};
    w.add_string(1, type);
    w.add_int32(3, static_cast<std::int32_t>(blob.size()));  // datasize
  }
  auto const n = static_cast<std::uint32_t>(header.size());
  file += static_cast<char>((n >> 24U) & 0xFFU);
  file += static_cast<char>((n >> 16U) & 0xFFU);
  file += static_cast<char>((n >> 8U) & 0xFFU);
  file += static_cast<char>(n & 0xFFU);
  file += header;
  file += blob;
}

// Nodes 1..n at (10, 10 + 0.001 i), then the ways, with the given string table.
std::string make_pbf(std::vector<std::string> const& strings, int n_nodes, std::vector<pbf_way> const& ways) {
  std::string file;
  std::string header_block;
  {
    protozero::pbf_writer w{header_block};
    w.add_string(4, "OsmSchema-V0.6");  // required_features
  }
  append_block(file, "OSMHeader", header_block);

  std::string block;
  {
    protozero::pbf_writer w{block};
    {
      protozero::pbf_writer table{w, 1};  // stringtable
      for (auto const& s : strings) table.add_bytes(1, s);
    }
    {
      protozero::pbf_writer group{w, 2};  // primitivegroup of nodes
      for (int i = 1; i <= n_nodes; ++i) {
        protozero::pbf_writer node{group, 1};
        node.add_sint64(1, i);                         // id
        node.add_sint64(8, 100'000'000);               // lat in units of 100 nanodegrees: 10°
        node.add_sint64(9, 100'000'000 + 10'000 * i);  // lon: 10° + 0.001° i
      }
    }
    {
      protozero::pbf_writer group{w, 2};  // primitivegroup of ways
      for (auto const& way : ways) {
        protozero::pbf_writer wr{group, 3};
        wr.add_int64(1, way.id);
        wr.add_packed_uint32(2, way.keys.begin(), way.keys.end());
        wr.add_packed_uint32(3, way.vals.begin(), way.vals.end());
        std::vector<std::int64_t> deltas;
        std::int64_t prev = 0;
        for (auto const r : way.refs) {
          deltas.push_back(r - prev);
          prev = r;
        }
        wr.add_packed_sint64(8, deltas.begin(), deltas.end());
      }
    }
  }
  append_block(file, "OSMData", block);
  return file;
}

}  // namespace

TEST_CASE("osm pbf: a hand-written file reads like its OPL twin", "[road][osm]") {
  // Strings: 0 "" (PBF convention), 1 highway, 2 residential, 3 oneway, 4 yes.
  auto const pbf = make_pbf({"", "highway", "residential", "oneway", "yes"}, 3,
                            {{10, {1}, {2}, {1, 2}}, {11, {1, 3}, {2, 4}, {2, 3}}});
  road::graph_builder b;
  auto const st = osm::read_osm(pbf, "pbf", b);
  CHECK(st.n_ways == 2);
  CHECK(st.n_drivable_ways == 2);
  CHECK(st.n_oneway_ways == 1);
  CHECK(st.n_nodes == 3);
  CHECK(st.n_edges == 3);
  CHECK(st.n_unreadable_tags == 0);
}

TEST_CASE("osm pbf: a string with a NUL inside leaves a key without value, the way is skipped", "[road][osm]") {
  // Regression for what osm_fuzz found (tests/fuzz/corpus/osm_fuzz/regression_way_key_without_value.pbf):
  // libosmium keeps a tag as "key\0value\0", so the key "one\0y" splits in two and way 11's tag list
  // reads highway=residential, one=y and then "yes" without a value; osmium::Tag::value() read past
  // the list. The reader now reads tags within the list's bytes and skips that way.
  std::string const nul_key{"one\0y", 5};
  auto const pbf = make_pbf({"", "highway", "residential", nul_key, "yes", std::string{"resi\0den\0tial", 13}}, 4,
                            {{10, {1}, {2}, {1, 2}},        // fine
                             {11, {1, 3}, {2, 4}, {2, 3}},  // odd number of strings: skipped
                             {12, {1}, {5}, {3, 4}}});      // two NULs: pairs again, read (wrongly, safely)
  road::graph_builder b;
  auto const st = osm::read_osm(pbf, "pbf", b);
  CHECK(st.n_unreadable_tags == 1);
  CHECK(st.n_ways == 2);           // way 12 reads as highway=resi, den=tial...
  CHECK(st.n_drivable_ways == 1);  // ...and "resi" is no highway class a car drives
  CHECK(st.n_nodes == 2);
  CHECK(st.n_edges == 2);
  auto const g = std::move(b).build();
  CHECK(g.n_nodes() == 2);
}
