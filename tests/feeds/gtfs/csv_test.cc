// CSV and field-parser edge cases of the GTFS reader, each as a tiny inline fixture with the
// expected answer written by hand.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "nebuta/gtfs/csv.h"
#include "nebuta/gtfs/parse.h"
#include "nebuta/gtfs/reader.h"
#include "temp_dir.h"

namespace gtfs = nebuta::gtfs;
using namespace std::chrono_literals;

namespace {

using nebuta::test::temp_dir;

struct parsed_row {
  std::vector<std::string> fields;
  std::uint32_t line;
};

// Every record of `data` (copied out, so the test does not depend on view lifetimes), and the
// status that ended the read.
std::vector<parsed_row> read_all(std::string_view data, gtfs::csv_status* last = nullptr) {
  gtfs::string_arena arena;
  gtfs::csv_reader reader{data, arena};
  std::vector<std::string_view> fields;
  std::vector<parsed_row> out;
  std::uint32_t line = 0;
  while (true) {
    auto const status = reader.next(fields, line);
    if (status != gtfs::csv_status::row) {
      if (last) *last = status;
      return out;
    }
    out.push_back({{fields.begin(), fields.end()}, line});
  }
}

using strings = std::vector<std::string>;

// A folder that removes itself.
}  // namespace

TEST_CASE("csv: plain rows with LF, line numbers count from 1", "[csv]") {
  auto const rows = read_all("a,b,c\n1,2,3\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].fields == strings{"a", "b", "c"});
  CHECK(rows[0].line == 1);
  CHECK(rows[1].fields == strings{"1", "2", "3"});
  CHECK(rows[1].line == 2);
}

TEST_CASE("csv: quoted fields and doubled quotes", "[csv]") {
  auto const rows = read_all("\"a\",\"say \"\"hi\"\"\",\"\"\"\"\n");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].fields == strings{"a", "say \"hi\"", "\""});
}

TEST_CASE("csv: commas and newlines inside quotes, the next row keeps its physical line", "[csv]") {
  auto const rows = read_all("id,name\n1,\"Tokyo, Japan\"\n2,\"two\nlines\nhere\"\n3,after\n");
  REQUIRE(rows.size() == 4);
  CHECK(rows[1].fields == strings{"1", "Tokyo, Japan"});
  CHECK(rows[1].line == 2);
  CHECK(rows[2].fields == strings{"2", "two\nlines\nhere"});
  CHECK(rows[2].line == 3);
  CHECK(rows[3].fields == strings{"3", "after"});
  CHECK(rows[3].line == 6);  // lines 3, 4, 5 are the three-line record
}

TEST_CASE("csv: CRLF inside and outside quotes", "[csv]") {
  auto const rows = read_all("a,b\r\n\"x\r\ny\",z\r\nlast,row\r\n");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].fields == strings{"a", "b"});
  CHECK(rows[1].fields == strings{"x\r\ny", "z"});
  CHECK(rows[1].line == 2);
  CHECK(rows[2].fields == strings{"last", "row"});
  CHECK(rows[2].line == 4);
}

TEST_CASE("csv: UTF-8 BOM is not part of the first header", "[csv]") {
  auto const rows = read_all("\xEF\xBB\xBFstop_id,stop_name\r\n1,八戸駅\r\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].fields == strings{"stop_id", "stop_name"});
  CHECK(rows[1].fields == strings{"1", "八戸駅"});
  // A BOM-like sequence later in the file is data.
  auto const later = read_all("a\n\xEF\xBB\xBFx\n");
  REQUIRE(later.size() == 2);
  CHECK(later[1].fields == strings{"\xEF\xBB\xBFx"});
}

TEST_CASE("csv: spaces around headers and values are padding", "[csv]") {
  auto const rows = read_all(" agency_id , agency_name\n  1 ,  \"Bus, Co\"  \n\t2\t,x\n");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].fields == strings{"agency_id", "agency_name"});
  CHECK(rows[1].fields == strings{"1", "Bus, Co"});
  CHECK(rows[2].fields == strings{"2", "x"});
}

TEST_CASE("csv: empty fields, trailing separator and empty quoted field", "[csv]") {
  auto const rows = read_all("a,b,c\n1,,\n,\"\",3\n");
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].fields == strings{"1", "", ""});
  CHECK(rows[2].fields == strings{"", "", "3"});
}

TEST_CASE("csv: last line without a newline", "[csv]") {
  auto const rows = read_all("a,b\n1,2");
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].fields == strings{"1", "2"});
  CHECK(rows[1].line == 2);
  auto const quoted = read_all("a,b\r\n1,\"2\"");
  REQUIRE(quoted.size() == 2);
  CHECK(quoted[1].fields == strings{"1", "2"});
}

TEST_CASE("csv: blank lines are skipped but counted", "[csv]") {
  auto const rows = read_all("a\n\n\r\n1\n\n2\n\n");
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].fields == strings{"1"});
  CHECK(rows[1].line == 4);
  CHECK(rows[2].fields == strings{"2"});
  CHECK(rows[2].line == 6);
}

TEST_CASE("csv: unclosed quote ends the read", "[csv]") {
  gtfs::csv_status last{};
  auto const rows = read_all("a,b\n1,\"never closed\n2,3\n", &last);
  CHECK(last == gtfs::csv_status::unclosed_quote);
  REQUIRE(rows.size() == 1);  // only the header is a complete record
  CHECK(rows[0].fields == strings{"a", "b"});

  gtfs::csv_status end{};
  read_all("a\n\"ok\"\n", &end);
  CHECK(end == gtfs::csv_status::end);
}

TEST_CASE("csv: empty input and a lone BOM have no rows", "[csv]") {
  gtfs::csv_status last{};
  CHECK(read_all("", &last).empty());
  CHECK(last == gtfs::csv_status::end);
  CHECK(read_all("\xEF\xBB\xBF", &last).empty());
  CHECK(read_all("\n\r\n\n", &last).empty());
}

TEST_CASE("parse_time: H:MM:SS, HH:MM:SS and hours past 23", "[csv][time]") {
  CHECK(gtfs::parse_time("9:59:00") == 35'940);
  CHECK(gtfs::parse_time("09:59:00") == 35'940);
  CHECK(gtfs::parse_time("0:00:00") == 0);
  CHECK(gtfs::parse_time("00:00:01") == 1);
  CHECK(gtfs::parse_time("23:59:59") == 86'399);
  CHECK(gtfs::parse_time("24:00:00") == 86'400);
  CHECK(gtfs::parse_time("27:12:00") == 97'920);
  CHECK(gtfs::parse_time("100:00:00") == 360'000);
}

TEST_CASE("parse_time: malformed times are rejected", "[csv][time]") {
  for (auto const* bad : {"",         "9",        "9:59",     "9:5:00",     "09:59:0",  "9:60:00", "9:00:60",
                          "ab:00:00", "09:5a:00", "-1:00:00", "9:00:00:00", ":00:00",   "09::00",  "09:00:00 ",
                          "09:+1:00", "+9:00:00", "09:00:-1", "9.5:00:00",  "09:00:+1", "1:-0:00"}) {
    INFO("time '" << bad << "'");
    CHECK_FALSE(gtfs::parse_time(bad).has_value());
  }
}

TEST_CASE("parse_time_without_seconds: H:MM and HH:MM only", "[csv][time][lenient]") {
  CHECK(gtfs::parse_time_without_seconds("9:59") == 35'940);
  CHECK(gtfs::parse_time_without_seconds("09:59") == 35'940);
  CHECK(gtfs::parse_time_without_seconds("0:00") == 0);
  CHECK(gtfs::parse_time_without_seconds("27:12") == 97'920);
  for (auto const* bad : {"", "9", "9:5", "09:590", "9:60", "9:59:00", "ab:00", "+9:00", "9:+1", "-1:00", ":00",
                          "09:", "9:5a", "9.5:00"}) {
    INFO("time '" << bad << "'");
    CHECK_FALSE(gtfs::parse_time_without_seconds(bad).has_value());
  }
}

TEST_CASE("parse_date: YYYYMMDD only, real calendar dates", "[csv][date]") {
  CHECK(gtfs::parse_date("20260408") == std::chrono::sys_days{2026y / 4 / 8});
  CHECK(gtfs::parse_date("20240229") == std::chrono::sys_days{2024y / 2 / 29});
  for (auto const* bad : {"", "2026040", "202604081", "2026-04-08", "20260230", "20231301", "20230001", "20230100",
                          "2023010a", "20230229", "+0260408", "2026+408", "-0260408", "202604-8"}) {
    INFO("date '" << bad << "'");
    CHECK_FALSE(gtfs::parse_date(bad).has_value());
  }
}

TEST_CASE("parse_int / parse_double", "[csv]") {
  CHECK(gtfs::parse_int<int>("42") == 42);
  CHECK(gtfs::parse_int<int>("-3") == -3);
  CHECK_FALSE(gtfs::parse_int<int>("").has_value());
  CHECK_FALSE(gtfs::parse_int<int>("4 2").has_value());
  CHECK_FALSE(gtfs::parse_int<std::uint8_t>("256").has_value());
  CHECK_FALSE(gtfs::parse_int<std::uint8_t>("-1").has_value());
  CHECK(gtfs::parse_double("40.508756") == Approx(40.508756));
  CHECK(gtfs::parse_double("-51.2282682008") == Approx(-51.2282682008));
  CHECK_FALSE(gtfs::parse_double("north").has_value());
  CHECK_FALSE(gtfs::parse_double("40.5x").has_value());
}

// The same tiny feed as the reader sees it from a folder: columns in an unusual order, unknown
// columns, padding, quoting, BOM and CRLF all at once.
TEST_CASE("reader: columns in any order, unknown columns ignored, padded and quoted values", "[csv][reader]") {
  temp_dir dir{"columns"};
  dir.write("agency.txt",
            "\xEF\xBB\xBF agency_timezone , agency_name ,agency_id,x_unknown\r\n"
            "Asia/Tokyo,\"Bus, Co \"\"Aomori\"\"\",A1,whatever\r\n");
  dir.write("stops.txt",
            "stop_lon,x_extra,stop_name,stop_id,stop_lat\n"
            "141.431944,,\"八戸駅\",\"509-01\",40.508756\n"
            " 141.5 ,?, Second stop ,S2, 40.5 \n");
  dir.write("routes.txt", "route_type,route_id,route_short_name,agency_id\n3,R1,\"1\",A1\n");
  dir.write("trips.txt", "trip_headsign,service_id,trip_id,route_id,direction_id\nNorth,WK,T1,R1, 1\n");
  dir.write("stop_times.txt",
            "stop_sequence,stop_id,departure_time,arrival_time,trip_id,foo\n"
            "1,509-01,9:59:00,9:58:30,T1,x\n"
            "2,S2,,24:10:00,T1,\n");
  dir.write("calendar.txt",
            "sunday,saturday,friday,thursday,wednesday,tuesday,monday,end_date,start_date,service_id\n"
            "0,1, 1,0,1,0,1,20270331,20260401,WK");

  auto const feed = gtfs::read_feed(dir.path);
  CHECK(feed.problems.total() == 0);
  for (auto const& p : feed.problems.entries()) INFO(p.to_string());

  REQUIRE(feed.agencies.size() == 1);
  CHECK(feed.agencies[0].agency_id == "A1");
  CHECK(feed.agencies[0].agency_name == "Bus, Co \"Aomori\"");
  CHECK(feed.agencies[0].agency_timezone == "Asia/Tokyo");

  REQUIRE(feed.stops.size() == 2);
  CHECK(feed.stops[0].stop_id == "509-01");
  CHECK(feed.stops[0].stop_name == "八戸駅");
  CHECK(feed.stops[0].stop_lat == Approx(40.508756));
  CHECK(feed.stops[0].stop_lon == Approx(141.431944));
  CHECK(feed.stops[0].line == 2);
  CHECK(feed.stops[1].stop_id == "S2");
  CHECK(feed.stops[1].stop_name == "Second stop");
  CHECK(feed.stops[1].stop_lat == Approx(40.5));
  CHECK(feed.stops[1].stop_lon == Approx(141.5));
  CHECK(feed.stops[1].line == 3);

  REQUIRE(feed.routes.size() == 1);
  CHECK(feed.routes[0].route_type == 3);
  CHECK(feed.routes[0].route_short_name == "1");
  REQUIRE(feed.trips.size() == 1);
  CHECK(feed.trips[0].direction_id == 1);
  CHECK(feed.trips[0].trip_headsign == "North");

  REQUIRE(feed.stop_times.size() == 2);
  CHECK(feed.stop_times[0].trip_id == "T1");
  CHECK(feed.stop_times[0].stop_sequence == 1);
  CHECK(feed.stop_times[0].arrival_time == 35'910);
  CHECK(feed.stop_times[0].departure_time == 35'940);
  CHECK(feed.stop_times[1].arrival_time == 87'000);
  CHECK_FALSE(feed.stop_times[1].departure_time.has_value());

  REQUIRE(feed.calendars.size() == 1);
  // monday, wednesday, friday, saturday: bits 0, 2, 4, 5
  CHECK(feed.calendars[0].weekdays == 0b0110101);
  CHECK(feed.calendars[0].start_date == std::chrono::sys_days{2026y / 4 / 1});
  CHECK(feed.calendars[0].end_date == std::chrono::sys_days{2027y / 3 / 31});
}
