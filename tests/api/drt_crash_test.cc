// Crash recovery of the real `nebuta dispatch` binary: clients book rides, post positions and stop
// events concurrently; the server is killed with SIGKILL at a random moment (fixed seeds), then
// restarted on the same database. Every acknowledged answer (a complete HTTP 200/201 reply) must
// be reflected after the restart: bookings with the same promises, rider tokens still valid,
// events applied, positions at the acknowledged value or at a later one that was sent. The server
// compacts its journal every 25 commands (and every second in the background when due), so kills
// land before, in and after compactions alike. A fourth client books journeys of two legs
// (POST /v1/journeys with a token signed under the database's secret, as a plan answer carries):
// after the restart an acknowledged journey has both legs booked, and an unacknowledged one has
// both or neither (one command: never half a journey). It runs on both backends of the journal:
// a SQLite file, and a service area of a PostgreSQL cluster of the test's own (pg_cluster.h).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "drt_client.h"
#include "nebuta/api_server/journey_token.h"
#include "nebuta/storage/store.h"
#include "pg_cluster.h"

namespace {

using nebuta::test::bearer;
using nebuta::test::http_call;
using nlohmann::json;

std::string const token = "crash-test-operator-token-42";
std::string const op = bearer(token);

using nebuta::test::free_port;

// Starts `nebuta dispatch` on the database `db` (a SQLite path or a PostgreSQL URI, with its
// service area) and waits until it answers.
pid_t start_server(std::filesystem::path const& dir, std::uint16_t port, std::string const& db, std::string const& area) {
  auto const child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto const log = (dir / "server.log").string();
    auto const fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::setenv("NEBUTA_OPERATOR_TOKEN", token.c_str(), 1);
    auto const bin = std::string{NEBUTA_BINARY_DIR "/api/nebuta"};
    auto const fleet = (dir / "fleet.csv").string();
    auto const port_s = std::to_string(port);
    ::execl(bin.c_str(), bin.c_str(), "dispatch", "--db", db.c_str(), "--service-area", area.c_str(), "--fleet",
            fleet.c_str(), "--address", "127.0.0.1", "--port", port_s.c_str(), "--threads", "4", "--quiet",
            "--reoptimise-every", "1", "--compact-every", "25", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds{40};
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(child, &status, WNOHANG) == child)
      FAIL("nebuta dispatch exited at start; see " << (dir / "server.log"));
    try {
      if (http_call(port, "GET", "/v1/drt/info").status == 200) return child;
    } catch (std::exception const&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  ::kill(child, SIGKILL);
  FAIL("nebuta dispatch did not start");
  return -1;
}

struct booking {
  std::string id, rider_token;
  std::string status;  // as acknowledged last
  std::string vehicle;
  int window_start{0}, window_end{0}, latest_dropoff{0};
  bool unacknowledged_after{false};  // a later command for it was sent without an answer
};

struct journey_booking {
  std::vector<std::string> legs;  // request ids
  std::string id, rider_token;    // when acknowledged
  bool acknowledged{false};
};

struct vehicle_positions {
  std::vector<std::pair<double, double>> sent;  // in order
  int last_acked{-1};
};

using nebuta::test::try_http_call;

}  // namespace

TEST_CASE("drt crash: SIGKILL of nebuta dispatch under load loses nothing acknowledged", "[drt][crash]") {
  auto const backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  for (auto const seed : {11U, 29U}) {
    INFO(backend << ", seed " << seed);
    nebuta::test::drt_temp_dir dir{"crash"};
    std::string db = (dir.path / "state.sqlite").string(), area = "crash-" + std::to_string(seed);
    if (backend == "postgresql") {
      auto* const cluster = nebuta::test::shared_pg_cluster();
      if (cluster == nullptr) {
        WARN("SKIPPED: the PostgreSQL journal (no PostgreSQL server binaries)");
        return;
      }
      db = cluster->uri();
    }
    {
      std::ofstream fleet{dir.path / "fleet.csv"};
      fleet << "vehicle_id,seats,wheelchair_spaces,depot_lat,depot_lon,shift_start,shift_end,days\n";
      for (int i = 0; i < 6; ++i)
        fleet << "car" << i << ",4,1," << 35.68 + 0.004 * i << "," << 139.76 - 0.004 * i << ","
              << nebuta::test::two_day_shift_today() << "\n";
    }
    auto const port = free_port();
    auto const pid = start_server(dir.path, port, db, area);

    std::mutex mutex;
    std::vector<booking> bookings;
    std::vector<vehicle_positions> positions(6);
    std::atomic<bool> down{false};
    std::atomic<int> n_acks{0};

    // Each vehicle's positions come from one client, so their order at the server is the send order.
    auto const client = [&](unsigned client_seed, int client_index) {
      std::mt19937 rng{client_seed};
      std::uniform_real_distribution<double> jitter{-0.01, 0.01};
      while (!down) {
        auto const action = rng() % 3;
        if (action == 0) {  // a position report
          auto const v = client_index + 3 * static_cast<int>(rng() % 2);
          auto const p = std::pair{35.68 + jitter(rng), 139.76 + jitter(rng)};
          int index = 0;
          {
            std::lock_guard const lock{mutex};
            positions[static_cast<std::size_t>(v)].sent.push_back(p);
            index = static_cast<int>(positions[static_cast<std::size_t>(v)].sent.size()) - 1;
          }
          auto const r = try_http_call(port, "POST", "/v1/drt/vehicles/car" + std::to_string(v) + "/position",
                                       json{{"lat", p.first}, {"lon", p.second}}.dump(), op);
          if (!r) break;
          if (r->status == 200) {
            std::lock_guard const lock{mutex};
            auto& vp = positions[static_cast<std::size_t>(v)];
            vp.last_acked = std::max(vp.last_acked, index);
            ++n_acks;
          }
          continue;
        }
        // A booking: offer, accept, then maybe arrived + picked up.
        auto const body = json{{"pickup", {{"lat", 35.68 + jitter(rng)}, {"lon", 139.76 + jitter(rng)}}},
                               {"dropoff", {{"lat", 35.68 + jitter(rng)}, {"lon", 139.76 + jitter(rng)}}}}
                              .dump();
        auto const offer = try_http_call(port, "POST", "/v1/drt/offers", body, {});
        if (!offer) break;
        auto const o = json::parse(offer->body);
        if (!o.value("offered", false)) continue;
        booking b;
        b.id = o["request_id"];
        b.rider_token = o["rider_token"];
        b.status = "offered";
        std::size_t slot = 0;
        {
          std::lock_guard const lock{mutex};
          bookings.push_back(b);
          slot = bookings.size() - 1;
        }
        auto const accepted =
            try_http_call(port, "POST", "/v1/drt/requests/" + b.id + "/accept", {}, bearer(b.rider_token));
        if (!accepted) {
          std::lock_guard const lock{mutex};
          bookings[slot].unacknowledged_after = true;
          break;
        }
        if (accepted->status != 200) continue;
        auto const a = json::parse(accepted->body);
        {
          std::lock_guard const lock{mutex};
          auto& s = bookings[slot];
          s.status = a["status"];
          s.vehicle = a["vehicle_id"];
          s.window_start = a["pickup_window_start"]["seconds"];
          s.window_end = a["pickup_window_end"]["seconds"];
          s.latest_dropoff = a["latest_dropoff"]["seconds"];
          ++n_acks;
        }
        if (rng() % 2 == 0) continue;
        // The driver reaches the pickup: the vehicle is read again (re-optimisation may move rides).
        auto const st = try_http_call(port, "GET", "/v1/drt/requests/" + b.id, {}, op);
        if (!st) break;
        auto const vehicle = json::parse(st->body).value("vehicle_id", "");
        bool lost = false;
        for (auto const* kind : {"arrived", "picked_up"}) {
          auto const ev = try_http_call(port, "POST", "/v1/drt/vehicles/" + vehicle + "/events",
                                        json{{"request_id", b.id}, {"kind", kind}}.dump(), op);
          if (!ev) {
            lost = true;
            break;
          }
          if (ev->status != 200) break;
          if (std::string{kind} == "picked_up") {
            std::lock_guard const lock{mutex};
            bookings[slot].status = "on_board";
            bookings[slot].vehicle = vehicle;
            ++n_acks;
          }
        }
        if (lost) {
          std::lock_guard const lock{mutex};
          bookings[slot].unacknowledged_after = true;
          break;
        }
      }
    };

    // Journeys: two offers, signed together as the planner would, booked as one.
    auto const secret = nebuta::storage::open_store(db, area)->meta_get("rider_token_secret");
    REQUIRE(secret.has_value());
    std::vector<journey_booking> journeys;
    auto const journey_client = [&](unsigned client_seed) {
      std::mt19937 rng{client_seed};
      std::uniform_real_distribution<double> jitter{-0.01, 0.01};
      while (!down) {
        nebuta::api_server::journey_offer j;
        journey_booking jb;
        auto const now_unix = static_cast<std::int64_t>(std::time(nullptr));
        j.expires_unix = now_unix + 50;
        for (int leg = 0; leg < 2 && !down; ++leg) {
          auto const body = json{{"pickup", {{"lat", 35.68 + jitter(rng)}, {"lon", 139.76 + jitter(rng)}}},
                                 {"dropoff", {{"lat", 35.68 + jitter(rng)}, {"lon", 139.76 + jitter(rng)}}}}
                                .dump();
          auto const offer = try_http_call(port, "POST", "/v1/drt/offers", body, {});
          if (!offer) return;
          auto const o = json::parse(offer->body);
          if (!o.value("offered", false)) break;
          jb.legs.push_back(o["request_id"]);
          j.legs.push_back({static_cast<std::uint32_t>(std::stoul(jb.legs.back())),
                            {nebuta::api_server::journey_link::kind::before_departure, "T" + jb.legs.back(), "S",
                             now_unix + 4 * 3600, 300}});
        }
        if (jb.legs.size() != 2) continue;
        std::size_t slot = 0;
        {
          std::lock_guard const lock{mutex};
          journeys.push_back(jb);
          slot = journeys.size() - 1;
        }
        auto const booked =
            try_http_call(port, "POST", "/v1/journeys",
                          json{{"token", nebuta::api_server::encode_journey_token(j, *secret)}}.dump(), {});
        if (!booked) return;
        if (booked->status != 201) continue;
        auto const b = json::parse(booked->body);
        std::lock_guard const lock{mutex};
        journeys[slot].acknowledged = true;
        journeys[slot].id = b["journey_id"];
        journeys[slot].rider_token = b["rider_token"];
        ++n_acks;
      }
    };

    std::vector<std::thread> clients;
    for (unsigned c = 0; c < 3; ++c) clients.emplace_back(client, seed * 100 + c, static_cast<int>(c));
    clients.emplace_back(journey_client, seed * 100 + 7);
    std::mt19937 rng{seed};
    auto const delay_ms = 600 + static_cast<int>(rng() % 1400);
    std::this_thread::sleep_for(std::chrono::milliseconds{delay_ms});
    REQUIRE(::kill(pid, SIGKILL) == 0);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status));
    down = true;
    for (auto& t : clients) t.join();
    INFO("seed " << seed << ", killed after " << delay_ms << " ms, " << n_acks << " acknowledged answers");
    REQUIRE(n_acks > 0);

    auto const pid2 = start_server(dir.path, port, db, area);
    std::size_t n_checked = 0;
    for (auto const& b : bookings) {
      // The rider token of the first run still works after the restart.
      auto const r = http_call(port, "GET", "/v1/drt/requests/" + b.id, {}, bearer(b.rider_token));
      INFO("request " << b.id << " acknowledged as " << b.status << ": " << r.body);
      REQUIRE(r.status == 200);
      auto const j = json::parse(r.body);
      if (b.status == "offered") continue;  // never acknowledged as booked
      ++n_checked;
      CHECK(j["pickup_window_start"]["seconds"] == b.window_start);
      CHECK(j["pickup_window_end"]["seconds"] == b.window_end);
      CHECK(j["latest_dropoff"]["seconds"] == b.latest_dropoff);
      if (b.unacknowledged_after) {
        // The lost command may or may not have been stored before the kill.
        CHECK((j["status"] == b.status || j["status"] == "on_board"));
      } else {
        CHECK(j["status"] == b.status);
      }
      if (b.status == "on_board") CHECK(j["vehicle_id"] == b.vehicle);
    }
    std::size_t n_journeys = 0, n_unacknowledged_journeys = 0;
    for (auto const& jb : journeys) {
      std::vector<std::string> statuses;
      for (auto const& id : jb.legs)
        statuses.push_back(json::parse(http_call(port, "GET", "/v1/drt/requests/" + id, {}, op).body)["status"]);
      INFO("journey of requests " << jb.legs[0] << ", " << jb.legs[1] << (jb.acknowledged ? " acknowledged" : ""));
      if (jb.acknowledged) {
        ++n_journeys;
        auto const r = http_call(port, "GET", "/v1/journeys/" + jb.id, {}, bearer(jb.rider_token));
        REQUIRE(r.status == 200);
        auto const j = json::parse(r.body);
        CHECK(j["status"] == "booked");
        REQUIRE(j["legs"].size() == 2);
        for (std::size_t k = 0; k < 2; ++k) {
          CHECK(j["legs"][k]["request"]["request_id"] == jb.legs[k]);
          CHECK(j["legs"][k]["request"]["status"] == "assigned");
        }
      } else {
        ++n_unacknowledged_journeys;
        // Both legs or neither: never half a journey.
        auto const booked = [](std::string const& s) { return s == "assigned"; };
        CHECK(booked(statuses[0]) == booked(statuses[1]));
      }
    }
    CHECK(n_journeys > 0);
    auto const fleet = json::parse(http_call(port, "GET", "/v1/drt/vehicles", {}, op).body);
    REQUIRE(fleet["vehicles"].size() == 6);  // fleet.csv was not registered twice
    for (std::size_t v = 0; v < 6; ++v) {
      auto const& vp = positions[v];
      if (vp.last_acked < 0) continue;
      auto const& pos = fleet["vehicles"][v]["position"];
      auto found = false;
      for (auto i = static_cast<std::size_t>(vp.last_acked); i < vp.sent.size(); ++i)
        found = found || (pos["lat"] == vp.sent[i].first && pos["lon"] == vp.sent[i].second);
      INFO("car" << v << " at " << pos.dump());
      CHECK(found);
    }
    WARN(backend << ", seed " << seed << ": killed after " << delay_ms << " ms; " << n_acks << " acknowledged answers, "
                 << n_checked << " bookings checked after the restart; " << n_journeys << " journeys acknowledged, "
                 << n_unacknowledged_journeys << " not");
    ::kill(pid2, SIGTERM);
    ::waitpid(pid2, &status, 0);
  }
}
