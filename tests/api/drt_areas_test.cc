// Several service areas (issue 19, docs/maas.md#remote-areas): two `nebuta dispatch` processes,
// areas A and B (straight-line model, each its own journal), and one `nebuta serve --drt A=URL
// --drt B=URL` on a feed this test writes: two lines into CITY, from STA_A (in area A) and STA_B (in
// area B), every 20 minutes all day. An origin 11 km from its station has no bus or train within
// walking distance, so the only way is an on-demand first mile in its area.
//
// Checked: a plan in A gets a real offer of A's dispatcher (the request is in A's state, not B's)
// and one in B of B's; the connection is the train a hand computation picks; booking through the
// planner books at the right area and nowhere else; a token changed to name the other area is
// refused there; with A killed or B frozen (SIGSTOP) the plan is transit-only with a note within a
// bound, and a booking at the dead area is 503 area_unavailable.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "drt_client.h"
#include "run_nebuta.h"

using json = nlohmann::json;
using nebuta::test::bearer;
using nebuta::test::free_port;
using nebuta::test::http_call;

namespace {

std::string const operator_token = "areas-test-operator-token-42";
std::string const journey_secret = "areas-test-shared-journey-secret";

void write(std::filesystem::path const& p, std::string const& text) {
  std::ofstream out{p};
  out << text;
}

std::string hhmmss(int s) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  return buf;
}

// Two lines into CITY: STA_A -> CITY and STA_B -> CITY, departures every 20 min from 00:00 to
// 47:40 of every day, 30 min to CITY.
void write_feed(std::filesystem::path const& dir) {
  std::filesystem::create_directories(dir);
  write(dir / "agency.txt",
        "agency_id,agency_name,agency_url,agency_timezone\nX,Areas,https://example.org/,Asia/Tokyo\n");
  write(dir / "stops.txt",
        "stop_id,stop_name,stop_lat,stop_lon\nSTA_A,Station A,35.00,139.0\n"
        "STA_B,Station B,36.00,139.0\nCITY,City,35.50,139.0\n");
  write(dir / "routes.txt", "route_id,agency_id,route_short_name,route_type\nLA,X,A,2\nLB,X,B,2\n");
  write(dir / "calendar.txt",
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "ALL,1,1,1,1,1,1,1,20200101,20391231\n");
  std::string trips = "route_id,service_id,trip_id\n",
              times = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n";
  for (auto const* line : {"A", "B"}) {
    for (int dep = 0; dep < 48 * 3600; dep += 1200) {
      auto const id = std::string{line} + std::to_string(dep / 60);
      trips += std::string{"L"} + line + ",ALL," + id + "\n";
      times += id + "," + hhmmss(dep) + "," + hhmmss(dep) + ",STA_" + line + ",1\n";
      times += id + "," + hhmmss(dep + 1800) + "," + hhmmss(dep + 1800) + ",CITY,2\n";
    }
  }
  write(dir / "trips.txt", trips);
  write(dir / "stop_times.txt", times);
}

// Area of one station: a box of +-0.2 degrees around it, one car at the origins' latitude, on one
// 48-h shift from today's 00:00 (with a daily 00:00-24:00 shift the test failed in the hour before
// midnight JST: the ride to the train ended after midnight).
void write_area(std::filesystem::path const& dir, double station_lat) {
  std::filesystem::create_directories(dir);
  auto const lo = station_lat - 0.2, hi = station_lat + 0.2;
  char poly[512];
  std::snprintf(poly, sizeof poly,
                R"({"type":"Polygon","coordinates":[[[138.8,%.2f],[139.2,%.2f],[139.2,%.2f],[138.8,%.2f],[138.8,%.2f]]]})",
                lo, lo, hi, hi, lo);
  write(dir / "area.geojson", poly);
  write(dir / "rules.json", R"({"max_wait_s": 300, "ride_factor": 1.0, "ride_offset_s": 60, "dwell_s": 0,
    "offer_ttl_s": 600, "service_area": "area.geojson",
    "intermodal": {"hub_min_routes": 1, "door_to_door": false}})");
  char fleet[256];
  std::snprintf(fleet, sizeof fleet,
                "vehicle_id,seats,wheelchair_spaces,depot_lat,depot_lon,shift_start,shift_end,days\n"
                "car,4,1,%.2f,139.0,%s\n",
                station_lat - 0.1, nebuta::test::two_day_shift_today().c_str());
  write(dir / "fleet.csv", fleet);
}

pid_t spawn(std::vector<std::string> const& args, std::filesystem::path const& log) {
  auto const child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto const fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::setenv("NEBUTA_OPERATOR_TOKEN", operator_token.c_str(), 1);
    ::setenv("NEBUTA_JOURNEY_SECRET", journey_secret.c_str(), 1);
    std::vector<char*> argv;
    static std::string const bin = NEBUTA_BINARY_DIR "/api/nebuta";
    argv.push_back(const_cast<char*>(bin.c_str()));
    for (auto const& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  return child;
}

void wait_ready(pid_t pid, std::uint16_t port, std::string const& path, std::filesystem::path const& log) {
  auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds{40};
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) FAIL("exited at start; see " << log);
    try {
      if (http_call(port, "GET", path).status == 200) return;
    } catch (std::exception const&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  FAIL("did not start; see " << log);
}

struct process {
  pid_t pid{-1};
  void kill(int sig = SIGKILL) {
    if (pid <= 0) return;
    ::kill(pid, sig);
    if (sig == SIGKILL || sig == SIGTERM) {
      ::waitpid(pid, nullptr, 0);
      pid = -1;
    }
  }
  ~process() {
    if (pid > 0) {
      ::kill(pid, SIGCONT);
      kill(SIGKILL);
    }
  }
};

json on_demand_journey(json const& plan) {
  for (auto const& j : plan.value("journeys", json::array()))
    if (j.value("on_demand", false)) return j;
  return {};
}

int n_requests(std::uint16_t port) {
  auto const r = http_call(port, "GET", "/v1/drt/info");
  REQUIRE(r.status == 200);
  return json::parse(r.body)["n_requests"].get<int>();
}

}  // namespace

TEST_CASE("several areas: each area's dispatcher offers and books its own legs and a dead one leaves the plan",
          "[maas][areas]") {
  nebuta::test::drt_temp_dir dir{"areas"};
  write_feed(dir.path / "feed");
  write_area(dir.path / "A", 35.00);
  write_area(dir.path / "B", 36.00);
  auto const port_a = free_port(), port_b = free_port(), port_p = free_port();
  auto const dispatch = [&](char const* area, std::uint16_t port) {
    auto const d = dir.path / area;
    return spawn({"dispatch", "--db", (d / "state.sqlite").string(), "--fleet", (d / "fleet.csv").string(), "--rules",
                  (d / "rules.json").string(), "--address", "127.0.0.1", "--port", std::to_string(port), "--quiet",
                  "--reoptimise-every", "0", "--detour", "1.0", "--speed", "36"},
                 d / "log.txt");
  };
  process a{dispatch("A", port_a)}, b{dispatch("B", port_b)};
  wait_ready(a.pid, port_a, "/v1/drt/info", dir.path / "A" / "log.txt");
  wait_ready(b.pid, port_b, "/v1/drt/info", dir.path / "B" / "log.txt");

  // The area's description: its polygon, the model's parameters, the rules' intermodal object.
  auto const area_a = json::parse(http_call(port_a, "GET", "/v1/drt/area").body);
  CHECK(area_a["travel_model"] == "straight_line");
  CHECK(area_a["detour_factor"] == 1.0);
  CHECK(area_a["speed_kmh"] == Approx(36.0));
  REQUIRE(area_a["service_area"].size() == 1U);
  CHECK(area_a["service_area"][0]["points"].size() == 4U);  // the closing point is implied
  CHECK(area_a["intermodal"]["hub_min_routes"] == 1);
  auto const area_b = json::parse(http_call(port_b, "GET", "/v1/drt/area").body);
  CHECK(area_a["area_id"] != area_b["area_id"]);

  auto const url = [](std::uint16_t port) { return "http://127.0.0.1:" + std::to_string(port); };
  process planner{spawn(
      {"serve", "--feed", (dir.path / "feed").string(), "--address", "127.0.0.1", "--port", std::to_string(port_p),
       "--quiet", "--drt", "A=" + url(port_a), "--drt", "B=" + url(port_b), "--drt-timeout", "2", "--drt-refresh", "1"},
      dir.path / "serve.txt")};
  wait_ready(planner.pid, port_p, "/healthz", dir.path / "serve.txt");

  auto const now = nebuta::test::japan_now();
  auto const depart = now.seconds + 120;
  auto const query = [&](double from_lat) {
    char q[256];
    std::snprintf(q, sizeof q, "/v1/plan?from=%.2f,139.0&to=CITY&date=%s&depart=%s", from_lat, now.date.c_str(),
                  hhmmss(depart).substr(0, 5).c_str());
    return std::string{q};
  };
  auto const plan = [&](double from_lat, std::string const& extra = {}) {
    auto const r = http_call(port_p, "GET", query(from_lat) + extra);
    INFO(r.body);
    REQUIRE(r.status == 200);
    return json::parse(r.body);
  };
  // The train a hand computation picks: the first departure from the station at least the
  // assumed wait (600 s), the drive (11.12 km at 36 km/h, 1112 s) and the buffer (300 s) after
  // the minute asked.
  auto const depart_minute = depart / 60 * 60;
  auto const drive_s = static_cast<int>(nebuta::test::test_drive_s(34.90, 139.0, 35.00, 139.0, 1.0, 36.0) + 0.5);
  CHECK(drive_s == 1112);
  auto const ready = depart_minute + 600 + drive_s + 300;
  auto const train = (ready + 1199) / 1200 * 1200;

  SECTION("a plan in A is offered by A, one in B by B; booking books at A only") {
    CHECK(plan(34.90, "&on_demand=false").value("journeys", json::array()).empty());  // no bus or train alone
    auto const pa = plan(34.90);
    CHECK(pa["on_demand_status"] == "searched");
    auto const ja = on_demand_journey(pa);
    INFO(pa.dump());
    REQUIRE(ja.is_object());
    CHECK(ja["shown_reason"] == "only_way");
    auto const& leg = ja["legs"][0]["on_demand"];
    CHECK(leg["kind"] == "first_mile");
    CHECK(leg["connection_stop_id"] == "STA_A");
    // The same departure is also yesterday's trip 24 h later in the feed's day (47:40 at most).
    auto const trip = leg["connection_trip_id"].get<std::string>();
    CHECK((trip == "A" + std::to_string(train / 60) || trip == "A" + std::to_string(train / 60 + 1440)));
    CHECK(ja["legs"][0]["to"]["seconds"].get<int>() <= train - 300);  // the car drops off before the buffer
    auto const request_a = leg["request_id"].get<std::string>();
    CHECK(n_requests(port_a) == 1);
    CHECK(n_requests(port_b) == 0);
    // The offer is A's own request, offered, with A's car.
    auto const st = http_call(port_a, "GET", "/v1/drt/requests/" + request_a, "", bearer(operator_token));
    REQUIRE(st.status == 200);
    CHECK(json::parse(st.body)["status"] == "offered");
    CHECK(leg["vehicle_id"] == "car");

    auto const pb = plan(35.90);
    auto const jb = on_demand_journey(pb);
    REQUIRE(jb.is_object());
    CHECK(jb["legs"][0]["on_demand"]["connection_stop_id"] == "STA_B");
    CHECK(n_requests(port_a) == 1);
    CHECK(n_requests(port_b) == 1);

    // A token for A changed to name B: B does not take it (signed for A only); nothing booked.
    auto const token = ja["journey_token"].get<std::string>();
    REQUIRE(token.starts_with("A~"));
    auto const forged = http_call(port_p, "POST", "/v1/journeys", json{{"token", "B" + token.substr(1)}}.dump());
    CHECK(forged.status == 400);
    CHECK(json::parse(forged.body)["code"] == "invalid_journey_token");

    auto const booked = http_call(port_p, "POST", "/v1/journeys", json{{"token", token}}.dump());
    INFO(booked.body);
    REQUIRE(booked.status == 201);
    auto const bj = json::parse(booked.body);
    CHECK(bj["area"] == "A");
    CHECK(bj["status"] == "booked");
    auto const id = bj["journey_id"].get<std::string>(), rider = bj["rider_token"].get<std::string>();
    // Booked at A: its request is assigned there; B has no journey.
    auto const after = http_call(port_a, "GET", "/v1/drt/requests/" + request_a, "", bearer(operator_token));
    CHECK(json::parse(after.body)["status"] == "assigned");
    CHECK(http_call(port_a, "GET", "/v1/journeys/" + id, "", bearer(rider)).status == 200);
    CHECK(http_call(port_b, "GET", "/v1/journeys/0", "", bearer(operator_token)).status == 404);
    // Posting the same token again books nothing twice.
    auto const again = http_call(port_p, "POST", "/v1/journeys", json{{"token", token}}.dump());
    CHECK(again.status == 200);
    CHECK(json::parse(again.body)["journey_id"] == id);
    // Status and cancellation through the planner, with the rider token, naming the area.
    auto const got = http_call(port_p, "GET", "/v1/journeys/" + id + "?area=A", "", bearer(rider));
    CHECK(got.status == 200);
    CHECK(http_call(port_p, "GET", "/v1/journeys/" + id + "?area=B", "", bearer(rider)).status == 403);
    auto const cancelled = http_call(port_p, "POST", "/v1/journeys/" + id + "/cancel?area=A", "", bearer(rider));
    CHECK(cancelled.status == 200);
    CHECK(json::parse(cancelled.body)["status"] == "cancelled");
  }

  SECTION("area A dead, area B frozen: transit-only answers with a note, within a bound") {
    auto const pa = plan(34.90);  // a token of A while A lives
    auto const token = on_demand_journey(pa).value("journey_token", std::string{});
    REQUIRE(!token.empty());
    a.kill(SIGKILL);
    auto const t0 = std::chrono::steady_clock::now();
    auto const dead = plan(34.90);
    auto const dead_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(dead_s < 3.0);
    CHECK_FALSE(on_demand_journey(dead).is_object());
    REQUIRE(dead.contains("on_demand_notes"));
    CHECK(dead["on_demand_notes"][0].get<std::string>().find("area A") != std::string::npos);
    auto const booking = http_call(port_p, "POST", "/v1/journeys", json{{"token", token}}.dump());
    CHECK(booking.status == 503);
    CHECK(json::parse(booking.body)["code"] == "area_unavailable");
    // B still answers meanwhile.
    CHECK(on_demand_journey(plan(35.90)).is_object());

    // A frozen process accepts connections and never answers: the timeout (2 s) bounds the plan.
    b.kill(SIGSTOP);
    auto const t1 = std::chrono::steady_clock::now();
    auto const frozen = plan(35.90);
    auto const frozen_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    CHECK(frozen_s < 5.0);
    CHECK_FALSE(on_demand_journey(frozen).is_object());
    REQUIRE(frozen.contains("on_demand_notes"));
    CHECK(frozen.dump().find("area B") != std::string::npos);
    // Marked unreachable: the next plan does not wait for it again.
    auto const t2 = std::chrono::steady_clock::now();
    plan(35.90);
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t2).count() < 1.5);
    b.kill(SIGCONT);
    // Back: a refresh (every second) reaches it again and its offers return.
    auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds{15};
    auto back = false;
    while (!back && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds{500});
      back = on_demand_journey(plan(35.90)).is_object();
    }
    CHECK(back);
  }
}

TEST_CASE("several areas: serve --drt refuses bad configuration with a message", "[maas][areas][cli]") {
  nebuta::test::drt_temp_dir dir{"areas-cli"};
  write_feed(dir.path / "feed");
  auto const feed = "serve --feed " + nebuta::test::shell_quote((dir.path / "feed").string()) + " --port 0 ";
  auto const refused = [&](std::string const& args, std::string const& says) {
    auto const r = nebuta::test::run_nebuta(feed + args);
    INFO(args << " -> " << r.exit_code << " " << r.err);
    CHECK(r.exit_code != 0);
    CHECK(r.err.find(says) != std::string::npos);
  };
  ::unsetenv("NEBUTA_JOURNEY_SECRET");
  refused("--drt A=http://127.0.0.1:1", "NEBUTA_JOURNEY_SECRET");
  ::setenv("NEBUTA_JOURNEY_SECRET", "short", 1);
  refused("--drt A=http://127.0.0.1:1", "at least 16 characters");
  ::setenv("NEBUTA_JOURNEY_SECRET", journey_secret.c_str(), 1);
  refused("--drt A", "give AREA=VALUE");
  refused("--drt 'A B=http://127.0.0.1:1'", "give AREA=VALUE");
  refused("--drt A=ftp://127.0.0.1/", "must start with http:// or https://");
  refused("--drt A=http://127.0.0.1:1 --drt A=http://127.0.0.1:2", "given twice");
  refused("--drt A=http://127.0.0.1:1 --drt-osm C=x.osm.pbf", "no --drt area of that name");
  refused("--drt A=http://127.0.0.1:1 --db " + nebuta::test::shell_quote((dir.path / "x.sqlite").string()),
          "--drt and --db");
  ::unsetenv("NEBUTA_JOURNEY_SECRET");
}
