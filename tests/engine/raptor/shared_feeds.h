// The real feeds the router is checked on (../shared/data), loaded with their build inputs so
// that the independent reference (reference.h) can read the same rows.
#pragma once

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "nebuta/gtfs/reader.h"
#include "nebuta/gtfs_import/import.h"
#include "shared_data.h"

namespace nebuta::test {

struct loaded_feeds {
  std::vector<gtfs::feed> sources;
  std::vector<build::feed> inputs;
  timetable tt;
};

inline date_t parse_date(char const* s) {
  int y = 0, m = 0, d = 0;
  std::sscanf(s, "%d-%d-%d", &y, &m, &d);
  return std::chrono::year{y} / std::chrono::month{static_cast<unsigned>(m)} / std::chrono::day{static_cast<unsigned>(d)};
}

inline std::unique_ptr<loaded_feeds> load(std::vector<std::filesystem::path> const& paths) {
  auto l = std::make_unique<loaded_feeds>();
  gtfs::read_options ro;
  ro.shapes = false;
  ro.fares = false;
  l->sources.reserve(paths.size());
  for (auto const& p : paths) l->sources.push_back(gtfs::read_feed(p, ro));
  for (auto i = 0U; i < paths.size(); ++i) {
    l->inputs.push_back(gtfs_import::to_build_feed(l->sources[i], paths[i].filename().string()));
  }
  build::options bo;
  bo.walk_link_radius_m = 1000.0F;
  l->tt = build::compile(l->inputs, bo, [](build::problem const&) {});
  return l;
}

struct feed_case {
  char const* name;
  std::vector<char const*> paths;
  char const* date;
};

// The feeds of a case, compiled; null when a dataset is absent (shared_dataset reports it).
inline std::unique_ptr<loaded_feeds> load_case(feed_case const& fc) {
  std::vector<std::filesystem::path> paths;
  for (auto const* p : fc.paths) {
    auto const path = shared_dataset(p);
    if (path.empty()) return nullptr;
    paths.push_back(path);
  }
  return load(paths);
}

inline std::vector<feed_case> const& feed_cases() {
  static std::vector<feed_case> const cases = {
      {"hachinohe", {"jp-hachinohe-citybus"}, "2026-04-08"},
      {"hakodate", {"jp-hakodate-citytram"}, "2018-05-15"},
      {"portliner", {"jp-kobe-portliner-unofficial"}, "2026-05-12"},
      {"yamanashi", {"jp-yamanashi-bus-2019"}, "2019-08-27"},
      {"tampa", {"us-tampa-hart-multimodal"}, "2018-07-10"},
      {"wmata", {"us-dc-wmata-metrorail"}, "2026-05-05"},
      {"cdmx", {"mx-cdmx-multimodal-frequencies"}, "2018-06-05"},
      {"portoalegre",
       {"br-portoalegre-bus-metro-osm/gtfs-eptc-bus", "br-portoalegre-bus-metro-osm/gtfs-trensurb-metro"},
       "2019-05-14"},
      {"saopaulo", {"br-saopaulo-frequencies-osm/gtfs-sptrans-sample"}, "2019-05-14"},
      {"cobb", {"us-cobbcounty-flex-osm/cobblinc-bus-30-only", "us-cobbcounty-flex-osm/marta-bus-856-only"}, "2021-11-02"},
      {"cobb-flex", {"us-cobbcounty-flex-osm/cobblinc-scheduled-deviated-flex"}, "2021-11-02"},
      {"ctran-flex", {"us-ctran-flex"}, "2025-11-04"},
      {"aspen-flex", {"us-aspen-flex-on-demand"}, "2021-06-01"},
      {"caltrain", {"rt-samples/us-caltrain/gtfs"}, "2023-11-07"},
      {"bart", {"rt-samples/us-bart/gtfs"}, "2019-08-07"},
  };
  return cases;
}

// The case of that name (one of feed_cases()).
inline feed_case const& find_case(std::string_view name) {
  for (auto const& fc : feed_cases()) {
    if (std::string_view{fc.name} == name) return fc;
  }
  throw std::invalid_argument{"no feed case " + std::string{name}};
}

// The case of that name, compiled; null when a dataset is absent.
inline std::unique_ptr<loaded_feeds> load_case(std::string_view name) { return load_case(find_case(name)); }

}  // namespace nebuta::test
