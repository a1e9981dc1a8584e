// Tiny inline feeds for golden-answer tests: stops on a line of longitude, trips given as
// "STOP HH:MM[:SS]" lists. Strings are kept alive by the fixture (the builder takes views).
#pragma once

#include <chrono>
#include <deque>
#include <initializer_list>
#include <string>
#include <vector>

#include "nebuta/timetable/builder.h"

namespace nebuta::test {

inline constexpr seconds_t hm(int h, int m, int s = 0) { return h * 3600 + m * 60 + s; }

struct mini_stop_time {
  std::string stop;
  seconds_t time;
  std::uint8_t pickup{0}, drop_off{0};
  seconds_t dep{-1};  // departure when different from the arrival
};

class mini_feed {
 public:
  mini_feed() {
    f_.name = "mini";
    f_.agencies.push_back({{1}, "A", "Agency", "Asia/Tokyo", "", "ja"});
    f_.lines.push_back({{1}, "L", "A", "1", "Line", "", "", 3});
    add_service("all", 0x7F, std::chrono::year{2024} / 1 / 1, std::chrono::year{2024} / 12 / 31);
  }

  std::string_view keep(std::string s) { return strings_.emplace_back(std::move(s)); }

  void add_stop(std::string const& id, double lat, double lon, std::uint8_t wheelchair = 0) {
    build::stop s;
    s.id = keep(id);
    s.name = s.id;
    s.coord = latlon{lat, lon};
    s.wheelchair_boarding = wheelchair;
    f_.stops.push_back(s);
  }

  void add_service(std::string const& id, std::uint8_t weekdays, date_t from, date_t to) {
    f_.calendars.push_back({{1}, keep(id), weekdays, from, to});
  }
  void add_date(std::string const& service, date_t d, std::uint8_t type) {
    f_.calendar_dates.push_back({{1}, keep(service), d, type});
  }

  void add_trip(std::string const& id, std::vector<mini_stop_time> const& times, std::string const& service = "all",
                std::uint8_t wheelchair = 0, std::string const& block = "", std::string const& line = "L") {
    build::trip t;
    t.id = keep(id);
    t.line_id = keep(line);
    t.block_id = keep(block);
    t.service_id = keep(service);
    t.headsign = "H";
    t.wheelchair_accessible = wheelchair;
    f_.trips.push_back(t);
    auto seq = 1U;
    for (auto const& st : times) {
      build::stop_time x;
      x.trip_id = t.id;
      x.stop_id = keep(st.stop);
      x.stop_sequence = seq++;
      x.arrival = st.time;
      x.departure = st.dep >= 0 ? st.dep : st.time;
      x.pickup_type = st.pickup;
      x.drop_off_type = st.drop_off;
      f_.stop_times.push_back(x);
    }
  }

  void add_line(std::string const& id) {
    f_.lines.push_back({{1}, keep(id), "A", keep(id), keep("Line " + id), "", "", 3});
  }

  void add_transfer(std::string const& from, std::string const& to, std::uint32_t seconds) {
    build::transfer t;
    t.from_stop = keep(from);
    t.to_stop = keep(to);
    t.transfer_type = 2;
    t.min_transfer_time = seconds;
    f_.transfers.push_back(t);
  }
  // transfers.txt linked trips: type 4 (stay on board) or 5 (alight and board again).
  void add_trip_link(std::string const& from_trip, std::string const& to_trip, std::uint8_t type) {
    build::transfer t;
    t.from_trip = keep(from_trip);
    t.to_trip = keep(to_trip);
    t.transfer_type = type;
    f_.transfers.push_back(t);
  }

  timetable compile(float walk_radius = 1000.0F) const {
    build::options opt;
    opt.walk_link_radius_m = walk_radius;
    return build::compile({f_}, opt, [](build::problem const&) {});
  }

  build::feed const& feed() const { return f_; }

 private:
  build::feed f_;
  std::deque<std::string> strings_;
};

}  // namespace nebuta::test
