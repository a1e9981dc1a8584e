// Search: index build time and size at load, and query latency, on one feed (+ a gazetteer).
//   bench_search [--places FILE] [--queries N] FEED     prints markdown table rows
// Rows: feed | size | index build ms (thread CPU) | index MiB | RSS growth MiB; then per query
// set: queries | p50 | p90 | p99 | max µs.
// Latency is thread CPU time per query (p50/p90/p99/max, µs).
// Queries: the visitor queries of benchmarks/search_queries.txt, then N queries made from the
// feed's own names (seed 42): whole names, 3-6 letter prefixes, one swapped or dropped letter,
// two words swapped, in every language the feed has.
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "bench_timing.h"
#include "nebuta/api/timetable_source.h"
#include "nebuta/api_service/place_search.h"
#include "nebuta/api_service/service.h"
#include "nebuta/gtfs_import/import.h"
#include "nebuta/places/gazetteer.h"
#include "nebuta/search/text.h"

namespace {

using nebuta::bench::percentile;
using nebuta::bench::thread_cpu_us;

long rss_kib() {
  std::ifstream in{"/proc/self/status"};
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("VmRSS:")) return std::atol(line.c_str() + 6);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string places_file, feed_arg;
  std::size_t n_generated = 5000;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--places") == 0 && i + 1 < argc) places_file = argv[++i];
    else if (std::strcmp(argv[i], "--queries") == 0 && i + 1 < argc) n_generated = std::strtoul(argv[++i], nullptr, 10);
    else feed_arg = argv[i];
  }
  if (feed_arg.empty()) {
    std::fprintf(stderr, "usage: bench_search [--places FILE] [--queries N] FEED\n");
    return 2;
  }
  auto const feed = nebuta::gtfs_import::parse_feed_arg(feed_arg);
  auto loaded = nebuta::gtfs_import::load({feed});
  auto const& tt = loaded.tt;
  std::vector<nebuta::search::place> places;
  if (!places_file.empty()) {
    auto const bytes = nebuta::api::read_file_bytes(places_file);
    places = nebuta::places::read_gazetteer({bytes.data(), bytes.size()}, places_file).places;
  }

  auto const rss0 = rss_kib();
  auto const t0 = thread_cpu_us();
  nebuta::api_service::place_search ps{tt, places};
  auto const build_ms = (thread_cpu_us() - t0) / 1000.0;
  auto const rss1 = rss_kib();

  std::vector<std::string> queries;
  {
    std::ifstream in{std::string{NEBUTA_SOURCE_DIR} + "/benchmarks/search_queries.txt"};
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line[0] != '#') queries.push_back(line);
    }
  }
  auto const n_visitor = queries.size();
  std::mt19937_64 rng{42};
  std::vector<std::string> names;
  for (auto s = nebuta::stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    names.emplace_back(tt.text(tt.stop_names[s]));
    for (auto const& tr : tt.text_translations[tt.stop_names[s]]) names.emplace_back(tt.strings[tr.value]);
  }
  for (std::size_t i = 0; i < n_generated && !names.empty(); ++i) {
    auto u = nebuta::search::to_u32(names[rng() % names.size()]);
    if (u.empty()) continue;
    switch (rng() % 5) {
      case 0: break;
      case 1: u.resize(std::min<std::size_t>(u.size(), 3 + rng() % 4)); break;
      case 2:
        if (u.size() > 3) {
          auto const k = 1 + rng() % (u.size() - 2);
          std::swap(u[k], u[k + 1]);
        }
        break;
      case 3:
        if (u.size() > 3) u.erase(1 + rng() % (u.size() - 2), 1);
        break;
      case 4:
        if (auto const sp = u.find(U' '); sp != std::u32string::npos) u = u.substr(sp + 1) + U' ' + u.substr(0, sp);
        break;
    }
    queries.push_back(nebuta::search::to_utf8(u));
  }

  std::vector<double> all_us, visitor_us;
  std::size_t found = 0;
  for (int pass = 0; pass < 2; ++pass) {  // the first pass warms the scratch up
    all_us.clear();
    visitor_us.clear();
    found = 0;
    for (std::size_t i = 0; i < queries.size(); ++i) {
      auto const q0 = thread_cpu_us();
      auto const hits = ps.find(queries[i], std::nullopt, 10, true);
      auto const us = thread_cpu_us() - q0;
      all_us.push_back(us);
      if (i < n_visitor) visitor_us.push_back(us);
      found += hits.empty() ? 0 : 1;
      if (pass == 1 && us > 2000 && std::getenv("BENCH_SEARCH_SLOW") != nullptr)
        std::fprintf(stderr, "slow %.0f us: %s\n", us, queries[i].c_str());
    }
  }
  // The whole answer of GET /v1/places (search, then the message with groups, routes, nearest
  // stops of places), as the server builds it, without HTTP.
  nebuta::api_service::service const svc{tt, {}, places};
  auto const chain = nebuta::api_service::make_lang_chain("en");
  std::vector<double> answer_us;
  for (int pass = 0; pass < 2; ++pass) {
    answer_us.clear();
    for (auto const& q : queries) {
      auto const q0 = thread_cpu_us();
      try {
        [[maybe_unused]] auto const r = svc.search_places(q, 10, chain);
      } catch (nebuta::api_service::api_error const&) {  // a query of nothing but punctuation
      }
      answer_us.push_back(thread_cpu_us() - q0);
    }
  }
  std::printf("| %s | %zu stops, %zu groups, %zu places | %.1f | %.2f | %ld |\n", feed.name.c_str(), tt.n_stops(),
              ps.groups().size(), places.size(), build_ms, static_cast<double>(ps.index_bytes()) / (1024.0 * 1024.0),
              (rss1 - rss0) / 1024);
  auto const row = [&](char const* what, std::vector<double> const& v) {
    if (v.empty()) return;
    std::printf("| %s | %s | %zu | %.0f | %.0f | %.0f | %.0f |\n", feed.name.c_str(), what, v.size(),
                percentile(v, 0.5), percentile(v, 0.9), percentile(v, 0.99), *std::max_element(v.begin(), v.end()));
  };
  row("visitor queries", visitor_us);
  row("all queries", all_us);
  row("all queries, whole /v1/places answer", answer_us);
  std::fprintf(stderr, "%zu of %zu queries found something\n", found, queries.size());
  return 0;
}
