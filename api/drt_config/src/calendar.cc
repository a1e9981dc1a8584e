#include "nebuta/drt_config/calendar.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "nebuta/drt_config/config.h"
#include "nebuta/gtfs/reader.h"
#include "nebuta/gtfs/source.h"

namespace nebuta::drt_config {

namespace {

constexpr std::array<std::string_view, 7> weekday_names{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::optional<int> weekday_of(std::string_view s) {
  for (std::size_t i = 0; i < weekday_names.size(); ++i)
    if (s == weekday_names[i]) return static_cast<int>(i);
  return std::nullopt;
}

std::optional<std::pair<date_t, date_t>> date_range(std::string_view s) {
  auto const dots = s.find("..");
  auto const a = civil::parse_date(s.substr(0, dots));
  auto const b = dots == std::string_view::npos ? a : civil::parse_date(s.substr(dots + 2));
  if (!a || !b || *b < *a) return std::nullopt;
  return std::pair{*a, *b};
}

}  // namespace

std::optional<dispatch::day_rule> parse_days(std::string_view text, std::string* error) {
  auto const fail = [&](std::string const& why) -> std::optional<dispatch::day_rule> {
    if (error != nullptr) *error = why;
    return std::nullopt;
  };
  std::string lowered{text};
  for (auto& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto& c : lowered)
    if (c == ',' || c == ';' || c == '\t') c = ' ';
  dispatch::day_rule rule;
  std::istringstream items{lowered};
  std::string item;
  bool any_positive = false;
  while (items >> item) {
    bool const negated = item.front() == '!';
    std::string_view it{item};
    if (negated) it.remove_prefix(1);
    if (it.empty()) return fail("'!' without an item");
    std::uint8_t bits = 0;
    std::optional<bool> holidays;
    if (it == "daily") {
      bits = 0x7f;
      holidays = true;
    } else if (it == "hol" || it == "holidays") {
      holidays = true;
    } else if (auto const day = weekday_of(it)) {
      bits = static_cast<std::uint8_t>(1U << *day);
    } else if (auto const dash = it.find('-');
               dash == 3 && it.size() == 7 && weekday_of(it.substr(0, 3)) && weekday_of(it.substr(4))) {
      for (auto d = *weekday_of(it.substr(0, 3));; d = (d + 1) % 7) {
        bits = static_cast<std::uint8_t>(bits | 1U << d);
        if (d == *weekday_of(it.substr(4))) break;
      }
    } else if (auto const range = date_range(it)) {
      (negated ? rule.except : rule.also).push_back(*range);
      any_positive = any_positive || !negated;
      continue;
    } else {
      return fail("unknown item '" + std::string{it} +
                  "' (mon..sun, mon-fri, hol, daily, YYYY-MM-DD, YYYY-MM-DD..YYYY-MM-DD, each with ! to leave out)");
    }
    if (negated) {
      rule.weekdays = static_cast<std::uint8_t>(rule.weekdays & ~bits);
      if (holidays) rule.holidays = false;
    } else {
      rule.weekdays = static_cast<std::uint8_t>(rule.weekdays | bits);
      if (holidays) rule.holidays = true;
      any_positive = true;
    }
  }
  if (!any_positive) return fail("no day on which the shift runs (an empty list, or only '!' items)");
  return rule;
}

holiday_list holidays_from_gtfs(std::filesystem::path const& feed) {
  holiday_list out;
  try {
    gtfs::feed_source const src{feed};
    gtfs::feed f;
    auto calendar = gtfs::detail::open_table(src, f, "calendar.txt", true);
    gtfs::detail::read_calendar(*calendar, f);
    if (auto dates = gtfs::detail::open_table(src, f, "calendar_dates.txt", false))
      gtfs::detail::read_calendar_dates(*dates, f);
    for (auto const& p : f.problems.entries()) out.errors.push_back(feed.string() + ": " + p.to_string());
    constexpr std::uint8_t sunday_only = 1U << 6;
    std::set<std::string_view> sunday_services;
    for (auto const& c : f.calendars)
      if (c.weekdays == sunday_only) sunday_services.insert(c.service_id);
    if (sunday_services.empty())
      throw config_error{feed.string() +
                         ": calendar.txt has no service that runs on Sundays only, so the feed "
                         "does not say which dates are holidays; give a holiday list file instead"};
    for (auto const& d : f.calendar_dates) {
      if (d.exception_type != 1 || !sunday_services.contains(d.service_id)) continue;
      if (std::chrono::weekday{d.day} != std::chrono::Sunday) out.days.push_back(d.day);
    }
  } catch (gtfs::feed_error const& e) {
    throw config_error{e.what()};
  }
  std::sort(out.days.begin(), out.days.end());
  out.days.erase(std::unique(out.days.begin(), out.days.end()), out.days.end());
  return out;
}

holiday_list load_holidays(std::filesystem::path const& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec) || path.extension() == ".zip") return holidays_from_gtfs(path);
  std::ifstream in{path, std::ios::binary};
  if (!in || !std::filesystem::is_regular_file(path, ec))
    throw config_error{path.string() + ": cannot read file (missing or not a regular file)"};
  holiday_list out;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (n == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
    if (auto const hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    auto const comma = line.find(',');
    std::string_view date{line};
    date = date.substr(0, comma);
    while (!date.empty() && std::isspace(static_cast<unsigned char>(date.front()))) date.remove_prefix(1);
    while (!date.empty() && std::isspace(static_cast<unsigned char>(date.back()))) date.remove_suffix(1);
    if (date.empty()) continue;
    auto const d = civil::parse_date(date);
    if (!d) {
      out.errors.push_back(path.string() + ":" + std::to_string(n) + ": '" + std::string{date.substr(0, 40)} +
                           "' is not a date YYYY-MM-DD; line skipped");
      continue;
    }
    out.days.push_back(*d);
  }
  std::sort(out.days.begin(), out.days.end());
  out.days.erase(std::unique(out.days.begin(), out.days.end()), out.days.end());
  return out;
}

}  // namespace nebuta::drt_config
