// The server's realtime sources (docs/realtime.md): an HTTP source polled with conditional GET,
// failing sources kept until --rt-max-age and then dropped (healthz, metrics), push with the
// operator token, /v1/alerts in the request's language chain, and the merged state republished
// as GTFS-RT, on BART's sample (rt-samples/us-bart) read independently with the generated classes.
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "gtfs-realtime.pb.h"
#include "nebuta/api_server/realtime.h"
#include "nebuta/api_server/server.h"
#include "nebuta/gtfs_import/import.h"
#include "rt_source_server.h"
#include "server_client.h"
#include "shared_data.h"
#include "temp_dir.h"

namespace pb = transit_realtime;
using namespace nebuta;
using json = nlohmann::json;

namespace {

constexpr rt::unix_time bart_feed_time = 1565199921;  // header timestamp of bart-trip-updates.pb
std::string const token = "0123456789abcdef-operator";

std::string read_bytes(std::filesystem::path const& p) {
  std::ifstream in{p, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

// BART's static feed, loaded once for the whole binary.
struct bart {
  std::filesystem::path dir;
  std::vector<gtfs_import::feed_spec> specs;
  gtfs_import::load_result loaded;
  static bart const* get() {
    static auto const b = [] {
      auto const dir = test::shared_data_root() / "rt-samples/us-bart";
      auto out = std::make_unique<bart>();
      if (!std::filesystem::exists(dir)) return out;
      out->dir = dir;
      out->specs = {{"bart", dir / "gtfs"}};
      out->loaded = gtfs_import::load(out->specs);
      return out;
    }();
    return b->dir.empty() ? nullptr : b.get();
  }
};

// The realtime sources and the API in process (no sockets for the API), on a clock the test moves.
struct rt_world {
  std::shared_ptr<std::atomic<rt::unix_time>> clock = std::make_shared<std::atomic<rt::unix_time>>(bart_feed_time + 30);
  std::unique_ptr<api_server::realtime> rt;
  api_server::server_config cfg;
  std::unique_ptr<api_service::service> svc;  // with_planner: /v1/plan and the boards answer too
  std::unique_ptr<api_server::api> api;

  rt_world(bart const& b, std::vector<std::string> sources, std::int64_t max_age_s = 300, unsigned timeout_s = 5,
           bool with_planner = false) {
    api_server::realtime_options opt;
    opt.sources = std::move(sources);
    opt.max_age_s = max_age_s;
    opt.timeout_s = timeout_s;
    opt.operator_token = token;
    opt.clock = [c = clock] { return c->load(); };
    rt = std::make_unique<api_server::realtime>(b.loaded.tt, b.specs, std::move(opt));
    cfg.max_body_bytes = 1U << 20U;
    if (with_planner) svc = std::make_unique<api_service::service>(b.loaded.tt);
    api = std::make_unique<api_server::api>(svc.get(), nullptr, cfg);
    api->set_realtime(rt.get());
  }
  api_server::http_response get(std::string const& target, std::string const& accept = "application/json",
                                std::string const& accept_language = {}) {
    api_server::http_request r;
    r.method = "GET";
    r.target = target;
    r.accept = accept;
    r.accept_language = accept_language;
    return api->serve(r);
  }
  api_server::http_response post(std::string const& target, std::string const& body, std::string const& auth,
                                 std::string const& content_type = "application/x-protobuf") {
    api_server::http_request r;
    r.method = "POST";
    r.target = target;
    r.content_type = content_type;
    r.authorization = auth;
    r.body = body;
    r.accept = "application/json";
    return api->serve(r);
  }
  json health() { return json::parse(get("/healthz").body); }
  std::string metrics() { return get("/metrics", "").body; }
  rt::source_status status(std::size_t i = 0) const { return rt->store().sources()[i]; }
};

pb::FeedMessage parse_feed(std::string const& bytes) {
  pb::FeedMessage m;
  REQUIRE(m.ParseFromString(bytes));
  return m;
}

// Every (trip_id, stop_id) → arrival time the feed gives explicitly.
std::map<std::pair<std::string, std::string>, std::int64_t> explicit_arrivals(pb::FeedMessage const& m) {
  std::map<std::pair<std::string, std::string>, std::int64_t> out;
  for (auto const& e : m.entity()) {
    if (!e.has_trip_update()) continue;
    for (auto const& s : e.trip_update().stop_time_update()) {
      if (s.has_arrival() && s.arrival().has_time() && s.has_stop_id())
        out[{e.trip_update().trip().trip_id(), s.stop_id()}] = s.arrival().time();
    }
  }
  return out;
}

bool contains(std::string const& text, std::string const& line) { return text.find(line) != std::string::npos; }

}  // namespace

TEST_CASE("polled HTTP source: applied, ETag honoured, the republished trip updates are BART's times", "[api][rt]") {
  auto const* b = bart::get();
  if (b == nullptr) {
    NEBUTA_REQUIRE_DATASET(dir, "rt-samples/us-bart");
    return;
  }
  auto const bytes = read_bytes(b->dir / "bart-trip-updates.pb");
  test::rt_source_server src;
  src.set(bytes, "\"v1\"");
  rt_world w{*b, {"bart=" + src.url()}};
  CHECK(w.health()["realtime"][0]["state"] == "waiting");

  w.rt->poll_once();
  CHECK(w.status().messages == 1);
  CHECK(w.status().entities == 91);
  CHECK(w.rt->current()->trips().size() > 60);
  auto const v1 = w.rt->store().version();

  // The second poll sends the ETag and gets 304: nothing is rebuilt.
  w.rt->poll_once();
  auto const inm = src.if_none_match();
  REQUIRE(inm.size() == 2);
  CHECK(inm[0].empty());
  CHECK(inm[1] == "\"v1\"");
  CHECK(w.status().messages == 1);
  CHECK(w.rt->store().version() == v1);
  CHECK(contains(w.metrics(), "nebuta_rt_not_modified_total{source=\"bart\"} 1\n"));
  CHECK(contains(w.metrics(), "nebuta_rt_fetches_total{source=\"bart\"} 2\n"));
  CHECK(contains(w.metrics(), "nebuta_rt_entities{source=\"bart\"} 91\n"));
  CHECK(contains(w.metrics(), "nebuta_rt_skipped{source=\"bart\",reason=\"unknown_trip\"} 18\n"));
  // Without validators the same bytes again are not applied again either.
  src.set(bytes, "");
  w.rt->poll_once();
  CHECK(src.if_none_match().back() == "\"v1\"");
  CHECK(w.status().messages == 1);
  CHECK(contains(w.metrics(), "nebuta_rt_not_modified_total{source=\"bart\"} 2\n"));
  auto const h = w.health();
  CHECK(h["realtime"][0]["name"] == "bart");
  CHECK(h["realtime"][0]["state"] == "ok");
  CHECK(h["realtime"][0]["feed_time"] == "2019-08-07T10:45:21-07:00");

  // Republished (protobuf by default): a valid FeedMessage whose times at the stops BART named
  // are BART's own, for every trip the static feed knows.
  auto const res = w.get("/v1/gtfs-rt/trip-updates", "");
  CHECK(res.status == 200);
  CHECK(res.content_type == "application/x-protobuf");
  auto const out = parse_feed(res.body);
  auto const in = parse_feed(bytes);
  CHECK(out.header().timestamp() == in.header().timestamp());
  std::set<std::string> out_trips;
  for (auto const& e : out.entity()) {
    if (e.has_trip_update()) out_trips.insert(e.trip_update().trip().trip_id());
  }
  CHECK(out_trips.size() == 73);  // 91 entities less the 18 with unknown trip ids (decode_test)
  // A trip whose given times go backwards along its stops (BART's 3711056WKDY: 19TH after MCAR
  // with a later time) is corrected (docs/realtime.md, "times never go backwards"); the others
  // keep every given time exactly. The order of a trip's stops is the republished one (the
  // static trip's).
  auto const expected = explicit_arrivals(in);
  auto const got = explicit_arrivals(out);
  auto compared = 0, corrected_trips = 0;
  for (auto const& e : out.entity()) {
    if (!e.has_trip_update()) continue;
    auto const& trip = e.trip_update().trip().trip_id();
    std::int64_t last = 0;
    auto monotone = true;
    for (auto const& s : e.trip_update().stop_time_update()) {
      if (auto const it = expected.find({trip, s.stop_id()}); it != expected.end()) {
        monotone = monotone && it->second >= last;
        last = it->second;
      }
    }
    if (!monotone) {
      ++corrected_trips;
      continue;
    }
    for (auto const& s : e.trip_update().stop_time_update()) {
      auto const it = expected.find({trip, s.stop_id()});
      if (it == expected.end()) continue;
      INFO(trip << " at " << s.stop_id());
      REQUIRE(got.contains({trip, s.stop_id()}));
      CHECK(got.at({trip, s.stop_id()}) == it->second);
      ++compared;
    }
  }
  CHECK(compared > 100);
  CHECK(corrected_trips <= 3);
  CHECK(got.at({"1011112WKDY", "DALY"}) == 1565201526);  // hand-read off the file (decode_test)

  // JSON on Accept.
  auto const j = w.get("/v1/gtfs-rt/trip-updates", "application/json");
  CHECK(j.content_type == "application/json");
  CHECK(json::parse(j.body)["entity"].size() == static_cast<std::size_t>(out.entity_size()));
  CHECK(w.get("/v1/gtfs-rt/alerts", "").status == 200);
}

TEST_CASE("a failing source keeps its last good state until --rt-max-age, then the schedule", "[api][rt]") {
  auto const* b = bart::get();
  if (b == nullptr) return;
  auto const bytes = read_bytes(b->dir / "bart-trip-updates.pb");
  test::rt_source_server src;
  src.set(bytes, "\"v1\"");
  rt_world w{*b, {"bart=" + src.url()}, 300};
  w.rt->poll_once();
  auto const applied = w.rt->current();
  REQUIRE(!applied->trips().empty());

  src.set_mode(test::rt_source_server::mode::fail_500);
  *w.clock += 200;
  w.rt->poll_once();
  CHECK(w.rt->current() == applied);  // kept
  auto h = w.health();
  CHECK(h["realtime"][0]["state"] == "failing");
  CHECK(h["realtime"][0]["age_seconds"] == "200");
  CHECK(h["realtime"][0]["last_error"] == "HTTP 500");
  CHECK(contains(w.metrics(), "nebuta_rt_fetch_failures_total{source=\"bart\"} 1\n"));
  CHECK(contains(w.metrics(), "nebuta_rt_source_expired{source=\"bart\"} 0\n"));

  *w.clock += 101;  // 301 s since the last delivery
  w.rt->poll_once();
  CHECK(w.rt->current()->trips().empty());  // that feed runs on the schedule
  h = w.health();
  CHECK(h["realtime"][0]["state"] == "expired");
  CHECK(contains(w.metrics(), "nebuta_rt_source_expired{source=\"bart\"} 1\n"));
  auto const tu = parse_feed(w.get("/v1/gtfs-rt/trip-updates", "").body);
  CHECK(tu.entity_size() == 0);

  // Back: fetched without validators (a 304 would not bring back what was dropped).
  src.set_mode(test::rt_source_server::mode::serve);
  w.rt->poll_once();
  CHECK(src.if_none_match().back().empty());
  CHECK(w.rt->current()->trips().size() == applied->trips().size());
  CHECK(w.health()["realtime"][0]["state"] == "ok");
}

TEST_CASE("bad bytes, a stalled source and a missing file are counted, never fatal", "[api][rt]") {
  auto const* b = bart::get();
  if (b == nullptr) return;
  auto const bytes = read_bytes(b->dir / "bart-trip-updates.pb");
  test::rt_source_server src;
  src.set(bytes, "\"v1\"");
  auto const dir = std::filesystem::temp_directory_path() / ("nebuta-rt-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto const file = dir / "tu.pb";
  std::filesystem::copy_file(b->dir / "bart-trip-updates.pb", file, std::filesystem::copy_options::overwrite_existing);
  rt_world w{*b, {"bart=" + src.url(), "bart-file=" + file.string()}, 0, 1};
  w.rt->poll_once();
  CHECK(w.status(0).messages == 1);
  CHECK(w.status(1).messages == 1);
  auto const good = w.rt->current();

  // Garbage with a new ETag: refused, the state stays, and the validators are not kept.
  src.set("this is not a FeedMessage \xff\xff\xff\xff", "\"v2\"");
  w.rt->poll_once();
  CHECK(w.status(0).refused == 1);
  CHECK(w.rt->current() == good);
  CHECK(contains(w.metrics(), "nebuta_rt_bad_messages_total{source=\"bart\"} 1\n"));
  w.rt->poll_once();
  CHECK(src.if_none_match().back() == "\"v1\"");  // still the last good one's

  // An unchanged file is not read again; a missing one is a failure; max-age 0 never expires.
  CHECK(contains(w.metrics(), "nebuta_rt_not_modified_total{source=\"bart-file\"} 2\n"));
  std::filesystem::remove(file);
  *w.clock += 100000;
  w.rt->poll_once();
  CHECK(w.health()["realtime"][1]["state"] == "failing");
  CHECK(w.rt->current()->trips().size() == good->trips().size());

  // A source that never answers is cut at --rt-timeout.
  src.set_mode(test::rt_source_server::mode::stall);
  auto const t0 = std::chrono::steady_clock::now();
  w.rt->poll_once();
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds{3});
  CHECK(w.health()["realtime"][0]["state"] == "failing");
  std::filesystem::remove_all(dir);
}

TEST_CASE("POST /v1/rt/NAME: the operator token, the media type, bad bytes, unknown sources", "[api][rt]") {
  auto const* b = bart::get();
  if (b == nullptr) return;
  auto const bytes = read_bytes(b->dir / "bart-trip-updates.pb");
  rt_world w{*b, {"bart=" + (std::filesystem::temp_directory_path() / "nebuta-no-such-file.pb").string()}};
  CHECK(w.post("/v1/rt/bart", bytes, "").status == 401);
  CHECK(w.post("/v1/rt/bart", bytes, "Bearer wrong-token-wrong-token").status == 403);
  CHECK(w.rt->current()->trips().empty());
  CHECK(json::parse(w.post("/v1/rt/bart", bytes, "").body)["code"] == "unauthorized");

  auto const ok = w.post("/v1/rt/bart", bytes, "Bearer " + token);
  REQUIRE(ok.status == 200);
  auto const j = json::parse(ok.body);
  CHECK(j["applied"] == true);
  CHECK(j["entities"] == "91");  // uint64 in protobuf's JSON mapping: a string
  CHECK(j["skipped"]["unknown_trip"] == "18");
  CHECK(!w.rt->current()->trips().empty());
  CHECK(w.health()["realtime"][0]["state"] == "ok");

  auto const bad = w.post("/v1/rt/bart", "\x0a\xff\xff garbage", "Bearer " + token);
  CHECK(bad.status == 400);
  CHECK(json::parse(bad.body)["code"] == "malformed_body");
  CHECK(w.post("/v1/rt/bart", bytes, "Bearer " + token, "text/plain").status == 415);
  CHECK(w.post("/v1/rt/nope", bytes, "Bearer " + token).status == 404);
  // An older message than the last: 409, nothing changes.
  auto older = parse_feed(bytes);
  older.mutable_header()->set_timestamp(bart_feed_time - 60);
  CHECK(w.post("/v1/rt/bart", older.SerializeAsString(), "Bearer " + token).status == 409);
  // Counted: the pushes that reached the source (applied, bad bytes, older), not 401/403/415/404.
  CHECK(contains(w.metrics(), "nebuta_rt_pushes_total{source=\"bart\"} 3\n"));
}

TEST_CASE("/v1/alerts: texts in the request's language chain, filters, active periods, BART's alert", "[api][rt]") {
  auto const* b = bart::get();
  if (b == nullptr) return;
  rt_world w{*b, {"bart-alerts=" + (b->dir / "bart-alerts.pb").string(), "bart-push=push"}, 0};
  w.rt->poll_once();

  // BART's own alert (no active period: active while in the feed), read off the file.
  auto const raw = parse_feed(read_bytes(b->dir / "bart-alerts.pb"));
  REQUIRE(raw.entity_size() == 1);
  auto j = json::parse(w.get("/v1/alerts").body);
  REQUIRE(j["alerts"].size() == 1);
  CHECK(j["alerts"][0]["id"] == raw.entity(0).id());
  CHECK(j["alerts"][0]["header"] == raw.entity(0).alert().header_text().translation(0).text());
  CHECK(j["alerts"][0]["header_lang"] == "en-US");
  CHECK(j["alerts"][0]["cause"] == "medical_emergency");
  CHECK(j["alerts"][0]["effect"] == "significant_delays");
  CHECK(j["alerts"][0]["informed"][0]["agency_id"] == "BART");
  CHECK(j["alerts"][0]["url"] == "http://www.bart.gov/schedules/advisories");

  // A pushed alert in three languages on one stop, active 09:00-10:00 PDT on 2019-08-07.
  pb::FeedMessage m;
  m.mutable_header()->set_gtfs_realtime_version("2.0");
  m.mutable_header()->set_timestamp(static_cast<std::uint64_t>(bart_feed_time));
  auto& a = *m.add_entity();
  a.set_id("closure-1");
  auto& al = *a.mutable_alert();
  al.set_cause(pb::Alert::CONSTRUCTION);
  al.set_effect(pb::Alert::STOP_MOVED);
  al.add_informed_entity()->set_stop_id("DALY");
  auto& period = *al.add_active_period();
  period.set_start(1565193600);  // 2019-08-07T09:00:00-07:00
  period.set_end(1565197200);
  for (auto const& [lang, text] :
       std::vector<std::pair<std::string, std::string>>{{"en", "Daly City: boarding moved to platform 2"},
                                                        {"ja", "デイリーシティ駅：乗り場が2番線に変更"},
                                                        {"es", "Daly City: el embarque se traslada al andén 2"}}) {
    auto& t = *al.mutable_header_text()->add_translation();
    t.set_language(lang);
    t.set_text(text);
  }
  REQUIRE(w.post("/v1/rt/bart-push", m.SerializeAsString(), "Bearer " + token).status == 200);

  auto const at_nine_thirty = std::string{"&at=2019-08-07T09:30-07:00"};
  auto const header_of = [&](std::string const& q, std::string const& accept_language = {}) {
    auto const r = w.get("/v1/alerts?stop=DALY" + q + at_nine_thirty, "application/json", accept_language);
    REQUIRE(r.status == 200);
    auto const body = json::parse(r.body);
    REQUIRE(body["alerts"].size() == 1);  // only the stop's alert: BART's informs the agency
    return std::pair{body["alerts"][0]["header"].get<std::string>(), body["alerts"][0]["header_lang"].get<std::string>()};
  };
  CHECK(header_of("&lang=ja") == std::pair<std::string, std::string>{"デイリーシティ駅：乗り場が2番線に変更", "ja"});
  CHECK(header_of("&lang=fr,es").second == "es");
  CHECK(header_of("", "ja-JP,ja;q=0.9").second == "ja");
  CHECK(header_of("&lang=ko").second == "en");        // not in the alert: English ends every chain
  CHECK(header_of("&lang=es", "ja").second == "es");  // lang wins over Accept-Language

  // Outside its period it is not listed, unless all=true (then marked inactive).
  j = json::parse(w.get("/v1/alerts?stop=DALY&at=2019-08-07T10:30-07:00").body);
  CHECK(j["alerts"].empty());
  j = json::parse(w.get("/v1/alerts?stop=DALY&all=true&at=2019-08-07T10:30-07:00").body);
  REQUIRE(j["alerts"].size() == 1);
  CHECK(j["alerts"][0]["active"] == false);
  CHECK(j["alerts"][0]["active_periods"][0]["start"] == "2019-08-07T09:00:00-07:00");
  CHECK(j["alerts"][0]["effect"] == "stop_moved");
  CHECK(j["alerts"][0]["informed"][0]["stop_id"] == "DALY");
  // Another stop: not informed. Unknown ids and bad times are 4xx with a JSON error.
  CHECK(json::parse(w.get("/v1/alerts?stop=12TH" + at_nine_thirty).body)["alerts"].empty());
  CHECK(w.get("/v1/alerts?stop=NOPE").status == 404);
  CHECK(w.get("/v1/alerts?at=yesterday").status == 400);
  CHECK(w.get("/v1/alerts?colour=red").status == 400);
  // Both alerts without a filter at 09:30, and both republished.
  CHECK(json::parse(w.get("/v1/alerts?at=2019-08-07T09:30-07:00").body)["alerts"].size() == 2);
  CHECK(parse_feed(w.get("/v1/gtfs-rt/alerts", "").body).entity_size() == 2);
}

TEST_CASE("requests on several threads while states are polled and pushed: every answer is one published state",
          "[api][rt][concurrency]") {
  auto const* b = bart::get();
  if (b == nullptr) return;
  auto const full = parse_feed(read_bytes(b->dir / "bart-trip-updates.pb"));
  auto half = full;
  half.mutable_entity()->DeleteSubrange(0, full.entity_size() / 2);
  test::rt_source_server src;
  src.set(full.SerializeAsString(), "\"full\"");
  rt_world w{*b, {"bart=" + src.url(), "bart-push=push"}, 0, 5, true};
  REQUIRE(w.post("/v1/rt/bart-push", half.SerializeAsString(), "Bearer " + token).status == 200);
  auto const n_half = parse_feed(w.get("/v1/gtfs-rt/trip-updates", "").body).entity_size();
  w.rt->poll_once();
  auto const n_both = parse_feed(w.get("/v1/gtfs-rt/trip-updates", "").body).entity_size();
  pb::FeedMessage empty;
  empty.mutable_header()->set_gtfs_realtime_version("2.0");
  empty.mutable_header()->set_timestamp(static_cast<std::uint64_t>(bart_feed_time));
  REQUIRE(w.post("/v1/rt/bart-push", empty.SerializeAsString(), "Bearer " + token).status == 200);
  auto const n_full = parse_feed(w.get("/v1/gtfs-rt/trip-updates", "").body).entity_size();
  CHECK(n_half > 0);
  CHECK(n_full > n_half);
  // Both sources say what the full feed says (half is a part of it): trips updated by both are
  // one trip-day each, and so are the NEW trips both add (one trip id runs once a day).
  CHECK(n_both == n_full);

  std::atomic<bool> done{false};
  std::atomic<int> bad{0}, answers{0};
  std::vector<std::thread> readers;
  for (auto i = 0; i < 3; ++i) {
    readers.emplace_back([&] {
      while (!done) {
        auto const r = w.get("/v1/gtfs-rt/trip-updates", "");
        pb::FeedMessage m;
        if (r.status != 200 || !m.ParseFromString(r.body) ||
            (m.entity_size() != n_full && m.entity_size() != n_half && m.entity_size() != n_both && m.entity_size() != 0)) {
          ++bad;
        }
        if (w.get("/healthz").status != 200 || w.get("/v1/alerts").status != 200) ++bad;
        // The planner and the boards with the state each request took (ThreadSanitizer: the
        // routers' per-state caches while states are swapped).
        auto const plan = w.get("/v1/plan?from=12TH&to=EMBR&date=2019-08-07&depart=10:40");
        if (plan.status != 200 || json::parse(plan.body)["realtime"] != true) ++bad;
        if (w.get("/v1/stops/MONT/departures?date=2019-08-07&time=10:40&n=5").status != 200) ++bad;
        ++answers;
      }
    });
  }
  // The poller thread alternates the full feed and an empty one; pushes go on beside it.
  w.rt->start();
  for (auto k = 0; k < 40; ++k) {
    if (k % 2 == 0) {
      empty.mutable_header()->set_timestamp(static_cast<std::uint64_t>(bart_feed_time + k));
      src.set(empty.SerializeAsString(), "\"e" + std::to_string(k) + "\"");
    } else {
      auto f = full;
      f.mutable_header()->set_timestamp(static_cast<std::uint64_t>(bart_feed_time + k));
      src.set(f.SerializeAsString(), "\"f" + std::to_string(k) + "\"");
    }
    w.rt->poll_once();
    half.mutable_header()->set_timestamp(static_cast<std::uint64_t>(bart_feed_time + k));
    CHECK(w.post("/v1/rt/bart-push", k % 3 == 0 ? empty.SerializeAsString() : half.SerializeAsString(), "Bearer " + token)
              .status == 200);
  }
  w.rt->stop();
  done = true;
  for (auto& t : readers) t.join();
  CHECK(bad == 0);
  CHECK(answers > 0);
  CHECK(w.rt->current()->validate(w.rt->context()).empty());
}

TEST_CASE("nebuta serve --rt: a file source, health, push with the token from the environment", "[api][rt][cli]") {
  auto const* b = bart::get();
  if (b == nullptr) return;
  std::string const bin = NEBUTA_BINARY_DIR "/api/nebuta";
  test::temp_dir dir{"rt-serve"};
  auto const port = test::free_port();
  std::vector<std::string> args{bin,
                                "serve",
                                "--feed",
                                "bart=" + (b->dir / "gtfs").string(),
                                "--rt",
                                "bart=" + (b->dir / "bart-trip-updates.pb").string(),
                                "--rt",
                                "bart-push=push",
                                "--rt-max-age",
                                "0",
                                "--rt-interval",
                                "1",
                                "--address",
                                "127.0.0.1",
                                "--port",
                                std::to_string(port),
                                "--quiet"};
  auto const pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    auto const log = (dir.path / "server.log").string();
    if (std::freopen(log.c_str(), "w", stderr) == nullptr) ::_exit(126);
    ::setenv("NEBUTA_OPERATOR_TOKEN", token.c_str(), 1);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  struct killer {
    pid_t pid;
    ~killer() {
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
    }
  } const k{pid};
  json health;
  for (auto i = 0; i < 600 && health.is_null(); ++i) {
    try {
      if (auto const r = test::http_get(port, "/healthz"); r.status == 200) health = json::parse(r.body);
    } catch (std::exception const&) {
    }
    if (health.is_null()) std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  REQUIRE(!health.is_null());
  REQUIRE(health["realtime"].size() == 2);
  CHECK(health["realtime"][0]["state"] == "ok");       // polled before the server listened
  CHECK(health["realtime"][1]["state"] == "waiting");  // push only: nothing pushed yet
  auto const alerts = read_bytes(b->dir / "bart-alerts.pb");
  CHECK(test::http_post(port, "/v1/rt/bart-push", "application/x-protobuf", alerts).status == 401);
  auto const pushed = test::http_post(port, "/v1/rt/bart-push", "application/x-protobuf", alerts,
                                      "Authorization: Bearer " + token + "\r\n");
  CHECK(pushed.status == 200);
  auto const listed = json::parse(test::http_get(port, "/v1/alerts").body);
  CHECK(listed["alerts"].size() == 1);
  CHECK(test::http_get(port, "/v1/gtfs-rt/trip-updates").status == 200);
  CHECK(contains(test::http_get(port, "/metrics").body, "nebuta_rt_messages_applied_total{source=\"bart\"} 1\n"));
}
