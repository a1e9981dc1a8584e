// A static feed of ../shared/data loaded the way `nebuta serve --rt` loads it: timetable,
// schedule extras (stop_sequence, blocks, shapes), realtime context and id resolver.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "nebuta/gtfs_import/import.h"
#include "nebuta/gtfs_rt/gtfs_rt.h"
#include "nebuta/rt/context.h"

namespace nebuta::test {

struct rt_sample {
  gtfs_import::load_result loaded;
  std::unique_ptr<rt::context> ctx;
  std::unique_ptr<gtfs_rt::resolver> ids;

  explicit rt_sample(std::filesystem::path const& feed, std::string const& name = "feed") {
    std::vector<gtfs_import::feed_spec> const specs{{name, feed}};
    loaded = gtfs_import::load(specs);
    ctx = std::make_unique<rt::context>(loaded.tt, gtfs_rt::read_schedule_extras(specs, loaded.tt));
    ids = std::make_unique<gtfs_rt::resolver>(*ctx);
  }
  timetable const& tt() const { return loaded.tt; }

  trip_idx trip(std::string const& id) const {
    auto const t = ids->trips(id);
    return t.empty() ? trip_idx::invalid() : t.front();
  }
  stop_idx stop(std::string const& id) const { return ids->stop(id).value_or(stop_idx::invalid()); }
};

inline std::string read_bytes(std::filesystem::path const& p) {
  std::ifstream in{p, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

}  // namespace nebuta::test
