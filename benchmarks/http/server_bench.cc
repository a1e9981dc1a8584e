// Where the CPU time of a plan request goes inside the server, without sockets: every query of
// the HTTP benchmark's set (queries.sh) through api::handle (the whole pipeline) on one thread,
// and the same requests stage by stage (the journey search, the answer message, its JSON).
// Thread CPU time, so other jobs on the machine change the figures little. Lines that are not
// /v1/plan requests (departures, stops...) go through the whole pipeline only.
//   bench_http_server FEED QUERIES [ROUNDS]
// e.g. build/benchmarks/bench_http_server ../shared/data/jp-hachinohe-citybus queries.txt 3
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "../bench_timing.h"
#include "nebuta/api/timetable_source.h"
#include "nebuta/api_server/server.h"
#include "nebuta/api_service/json.h"
#include "nebuta/api_service/service.h"

namespace {

using nebuta::bench::thread_cpu_us;

// The GET parameters of a query line as a PlanRequest (what planner_routes.cc builds).
nebuta::v1::PlanRequest plan_request(std::string const& target) {
  nebuta::v1::PlanRequest pr;
  auto const q = target.substr(target.find('?') + 1);
  std::size_t start = 0;
  while (start < q.size()) {
    auto const end = std::min(q.find('&', start), q.size());
    auto const item = q.substr(start, end - start);
    auto const eq = item.find('=');
    auto const key = item.substr(0, eq), value = item.substr(eq + 1);
    if (key == "from") pr.set_from(value);
    if (key == "to") pr.set_to(value);
    if (key == "date") pr.set_date(value);
    if (key == "depart") pr.set_depart(value);
    start = end + 1;
  }
  return pr;
}

struct summary {
  double mean, p50, p90, p99;
};

summary summarise(std::vector<double> v) {
  if (v.empty()) return {};
  std::sort(v.begin(), v.end());
  double sum = 0;
  for (auto const x : v) sum += x;
  auto const at = [&](double p) {
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
  };
  return {sum / static_cast<double>(v.size()), at(0.5), at(0.9), at(0.99)};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_http_server FEED QUERIES [ROUNDS]\n");
    return 2;
  }
  auto const rounds = argc > 3 ? std::stoi(argv[3]) : 3;
  std::vector<std::string> queries;
  {
    std::ifstream in{argv[2]};
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) queries.push_back(line);
    }
  }
  if (queries.empty()) {
    std::fprintf(stderr, "bench_http_server: no queries in %s\n", argv[2]);
    return 2;
  }
  nebuta::api::timetable_source src;
  src.feeds = {argv[1]};
  auto const loaded = nebuta::api::load_timetable(src);
  // The limits of `nebuta serve`.
  nebuta::api_service::limits lim;
  lim.strict_dates = true;
  lim.max_compute = std::chrono::milliseconds{2000};
  lim.max_window_s = 360 * 60;
  nebuta::api_service::service const svc{loaded.tt, lim};
  nebuta::api_server::server_config cfg;
  cfg.access_log = false;
  nebuta::api_server::api api{svc, cfg};
  nebuta::raptor::router router{svc.raptor_index()};
  auto const chain = nebuta::api_service::make_lang_chain({});

  std::vector<double> whole, search, message, json;
  std::size_t bytes = 0, ok = 0;
  // Each round times every query through the whole pipeline, then every query stage by stage
  // (two passes, so that neither measurement finds the router's arrays warm from the other).
  for (int round = 0; round <= rounds; ++round) {  // round 0 warms up
    for (auto const& q : queries) {
      nebuta::api_server::http_request req;
      req.method = "GET";
      req.target = q;
      req.headers = {{"host", "x"}};
      nebuta::api_server::endpoint ep{};
      auto const t0 = thread_cpu_us();
      auto const res = api.handle(req, router, ep);
      auto const t1 = thread_cpu_us();
      if (round == 0) continue;
      whole.push_back(t1 - t0);
      ok += res.status == 200 ? 1 : 0;
    }
    for (auto const& q : queries) {
      if (!q.starts_with("/v1/plan?")) continue;
      auto const pr = plan_request(q);
      auto const t2 = thread_cpu_us();
      nebuta::api_service::plan_result result;
      try {
        result = svc.plan_journeys(pr, chain, router);
      } catch (std::exception const&) {
        continue;  // an error answer: no stages to time
      }
      auto const t3 = thread_cpu_us();
      auto const msg = svc.plan_message(result);
      auto const t4 = thread_cpu_us();
      auto const text = nebuta::api_service::to_json(msg);
      auto const t5 = thread_cpu_us();
      if (round == 0) continue;
      search.push_back(t3 - t2);
      message.push_back(t4 - t3);
      json.push_back(t5 - t4);
      bytes += text.size();
    }
  }
  auto const header = [] { std::printf("| stage | mean | p50 | p90 | p99 |\n|---|---|---|---|---|\n"); };
  auto const row = [](char const* what, summary const& s) {
    std::printf("| %s | %.1f | %.1f | %.1f | %.1f |\n", what, s.mean, s.p50, s.p90, s.p99);
  };
  std::printf("%zu requests (%zu answered 200), %zu rounds; thread CPU time, us\n\n", whole.size(), ok,
              static_cast<std::size_t>(rounds));
  header();
  row("api::handle (whole pipeline, no sockets)", summarise(whole));
  if (json.empty()) return 0;  // no plan requests: no stages
  std::printf("\n%zu plan requests timed by stage, mean answer %.0f bytes\n\n", json.size(),
              static_cast<double>(bytes) / static_cast<double>(json.size()));
  header();
  row("journey search (service::plan_journeys)", summarise(search));
  row("answer message (service::plan_message)", summarise(message));
  row("JSON (api_service::to_json)", summarise(json));
  auto const w = summarise(whole), s = summarise(search), m = summarise(message), j = summarise(json);
  std::printf("\npipeline, parameters and the rest: %.1f us per request (mean)\n", w.mean - s.mean - m.mean - j.mean);
  return 0;
}
