// Journey-planner latency over a reproducible random query set, single-threaded.
//   bench_raptor --date YYYY-MM-DD [--queries N] [--seed S] [--window-queries M]
//                [--write-queries FILE] FEED [FEED ...]
// Prints one markdown row for earliest arrival and one for 2-hour range queries.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "nebuta/gtfs/parse.h"
#include "nebuta/gtfs_import/import.h"
#include "nebuta/raptor/router.h"

namespace {

struct stats {
  double p50, p90, p99, qps;
};

stats summarise(std::vector<double> us) {
  std::sort(us.begin(), us.end());
  auto const at = [&](double p) { return us[std::min(us.size() - 1, static_cast<std::size_t>(p * static_cast<double>(us.size())))]; };
  double sum = 0;
  for (auto const v : us) sum += v;
  return {at(0.5), at(0.9), at(0.99), static_cast<double>(us.size()) / (sum / 1e6)};
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t n_queries = 10'000, n_range = 1'000;
  unsigned seed = 42;
  std::string date_arg, write_queries;
  std::vector<nebuta::gtfs_import::feed_spec> feeds;
  std::string label;
  for (int i = 1; i < argc; ++i) {
    auto const arg = std::string{argv[i]};
    auto const next = [&] { return i + 1 < argc ? std::string{argv[++i]} : std::string{}; };
    if (arg == "--queries") n_queries = std::stoul(next());
    else if (arg == "--window-queries") n_range = std::stoul(next());
    else if (arg == "--seed") seed = static_cast<unsigned>(std::stoul(next()));
    else if (arg == "--date") date_arg = next();
    else if (arg == "--write-queries") write_queries = next();
    else {
      feeds.push_back(nebuta::gtfs_import::parse_feed_arg(arg));
      label += (label.empty() ? "" : " + ") + feeds.back().name;
    }
  }
  auto const compact = date_arg.size() == 10 ? date_arg.substr(0, 4) + date_arg.substr(5, 2) + date_arg.substr(8, 2) : "";
  auto const date = nebuta::gtfs::parse_date(compact);
  if (feeds.empty() || !date) {
    std::fprintf(stderr, "usage: bench_raptor --date YYYY-MM-DD [--queries N] [--seed S] FEED...\n");
    return 2;
  }
  auto const loaded = nebuta::gtfs_import::load(feeds);
  auto const& tt = loaded.tt;

  // Origins and destinations among stops that some trip serves; departures 05:00–22:00.
  std::vector<nebuta::stop_idx> served;
  for (auto s = nebuta::stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    if (!tt.stop_routes[s].empty()) served.push_back(s);
  }
  std::mt19937_64 rng{seed};
  std::uniform_int_distribution<std::size_t> pick{0, served.size() - 1};
  std::uniform_int_distribution<nebuta::seconds_t> when{5 * 3600, 22 * 3600};
  struct query {
    nebuta::stop_idx from, to;
    nebuta::seconds_t depart;
  };
  std::vector<query> queries(n_queries);
  for (auto& q : queries) q = {served[pick(rng)], served[pick(rng)], when(rng)};
  if (!write_queries.empty()) {
    std::ofstream out{write_queries};
    out << "id,from_stop,to_stop,departure\n";
    for (std::size_t i = 0; i < queries.size(); ++i) {
      out << i << "," << tt.external_stop_id(queries[i].from) << "," << tt.external_stop_id(queries[i].to) << ","
          << queries[i].depart << "\n";
    }
  }

  nebuta::raptor::index const idx{tt};
  nebuta::raptor::router router{idx};
  nebuta::raptor::options opt;  // defaults: 400 m walking links, 60 s change time, max 8 legs
  auto const run = [&](auto&& fn, std::size_t n) {
    std::vector<double> us;
    us.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      auto const t0 = std::chrono::steady_clock::now();
      fn(queries[i]);
      us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    }
    return summarise(us);
  };
  std::size_t reachable = 0;
  // One warm-up pass sizes the scratch buffers; the measured pass then allocates nothing.
  for (std::size_t i = 0; i < std::min<std::size_t>(100, queries.size()); ++i) {
    router.earliest_arrival(nebuta::raptor::place::at_stop(queries[i].from), nebuta::raptor::place::at_stop(queries[i].to), *date, queries[i].depart, opt);
  }
  auto const ea = run([&](query const& q) {
    auto const r = router.earliest_arrival(nebuta::raptor::place::at_stop(q.from), nebuta::raptor::place::at_stop(q.to), *date, q.depart, opt);
    reachable += r.reachable ? 1U : 0U;
  }, queries.size());
  std::vector<nebuta::raptor::range_entry> entries;
  std::size_t n_entries = 0;
  auto const range = run([&](query const& q) {
    router.range(nebuta::raptor::place::at_stop(q.from), nebuta::raptor::place::at_stop(q.to), *date, q.depart, q.depart + 7200, opt, entries);
    n_entries += entries.size();
  }, std::min(n_range, queries.size()));
  std::printf("| %s | earliest arrival | %zu | %.1f | %.1f | %.1f | %.0f | %zu reachable |\n", label.c_str(), queries.size(),
              ea.p50, ea.p90, ea.p99, ea.qps, reachable);
  std::printf("| %s | 2-hour range | %zu | %.1f | %.1f | %.1f | %.0f | %.2f journeys per query |\n", label.c_str(),
              std::min(n_range, queries.size()), range.p50, range.p90, range.p99, range.qps,
              static_cast<double>(n_entries) / static_cast<double>(std::max<std::size_t>(1, std::min(n_range, queries.size()))));
  return 0;
}
