// Formatting and parsing: clock times, dates, durations, languages, and the service day
// of a request's time.
#include "nebuta/api_service/service.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "nebuta/core/civil_time.h"
#include "service_detail.h"

namespace nebuta::api_service {

using namespace detail;

namespace {

int to_int(std::string_view s) {
  int v = 0;
  for (auto const c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

// ------------------------------------------------------------------ formatting and parsing

std::string clock_time(seconds_t t) {
  auto const day = t >= 0 ? t / day_s : -((-t + day_s - 1) / day_s);
  auto const s = t - day * day_s;
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%02d:%02d", s / 3600, (s / 60) % 60);
  std::string out{buf};
  if (day > 0) out += " (+" + std::to_string(day) + (day == 1 ? " day)" : " days)");
  if (day < 0) out += " (" + std::to_string(day) + (day == -1 ? " day)" : " days)");
  return out;
}

std::string iso_date(date_t date) { return civil::format_date(date); }

date_t parse_iso_date(std::string_view s, std::string_view param) {
  if (auto const d = civil::parse_date(s)) return *d;
  throw api_error{400, "invalid_date", {str(param), str(s)}};
}

seconds_t parse_clock(std::string_view s, std::string_view param) {
  // H:MM, HH:MM or HH:MM:SS; hours up to 47 (times after midnight of the service day).
  if (auto const t = civil::parse_clock(s, 47)) return *t;
  throw api_error{400, "invalid_time", {str(param), str(s)}};
}

seconds_t parse_duration(std::string_view s, std::string_view param) {
  // 2h, 90m, 45min, 3600s, 1h30m, or HH:MM
  auto const bad = [&] { return api_error{400, "invalid_window", {str(param), str(s)}}; };
  if (s.find(':') != std::string_view::npos) {
    try {
      return parse_clock(s, param);
    } catch (api_error const&) {
      throw bad();
    }
  }
  if (s.empty()) throw bad();
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = i;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    if (j == i || j - i > 6) throw bad();
    auto const n = static_cast<std::int64_t>(to_int(s.substr(i, j - i)));
    std::size_t k = j;
    while (k < s.size() && std::isalpha(static_cast<unsigned char>(s[k]))) ++k;
    auto const unit = s.substr(j, k - j);
    if (unit == "h") total += n * 3600;
    else if (unit == "m" || unit == "min" || unit.empty()) total += n * 60;
    else if (unit == "s") total += n;
    else throw bad();
    if (total > 10 * day_s) throw bad();
    i = k;
  }
  return static_cast<seconds_t>(total);
}

lang_chain make_lang_chain(std::string_view lang, std::string_view accept_language) {
  lang_chain chain;
  auto const valid_tag = [](std::string_view t) {
    return !t.empty() && t.size() <= 35 && std::all_of(t.begin(), t.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
  };
  auto const trim = [](std::string_view t) {
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
    return t;
  };
  auto const add = [&](std::string_view t) {
    std::string tag{t};
    std::replace(tag.begin(), tag.end(), '_', '-');
    if (std::find(chain.begin(), chain.end(), tag) == chain.end() && chain.size() < 16) chain.push_back(tag);
  };
  if (!trim(lang).empty()) {
    std::size_t start = 0;
    while (start <= lang.size()) {
      auto const end = std::min(lang.find(',', start), lang.size());
      auto const t = trim(lang.substr(start, end - start));
      if (valid_tag(t)) add(t);
      start = end + 1;
    }
  } else if (!trim(accept_language).empty()) {
    std::vector<std::pair<double, std::string_view>> tags;
    std::size_t start = 0;
    while (start <= accept_language.size() && tags.size() < 32) {
      auto const end = std::min(accept_language.find(',', start), accept_language.size());
      auto item = trim(accept_language.substr(start, end - start));
      start = end + 1;
      double q = 1.0;
      if (auto const semi = item.find(';'); semi != std::string_view::npos) {
        auto params = trim(item.substr(semi + 1));
        item = trim(item.substr(0, semi));
        if (params.starts_with("q=")) {
          char* endp = nullptr;
          std::string const qs{params.substr(2)};
          q = std::strtod(qs.c_str(), &endp);
          if (endp == qs.c_str() || !std::isfinite(q)) q = 0.0;
        }
      }
      if (q > 0.0 && item != "*" && valid_tag(item)) tags.emplace_back(q, item);
    }
    std::stable_sort(tags.begin(), tags.end(), [](auto const& a, auto const& b) { return a.first > b.first; });
    for (auto const& [q, t] : tags) add(t);
  }
  add("en");  // then English, then the feed's own text (service::name)
  return chain;
}

// ------------------------------------------------------------------ times of a service day

std::string service::iso_time(date_t date, seconds_t t) const { return day_clock{*this, date}.iso(t); }

service::day_clock::day_clock(service const& s, date_t date) : zone_{s.zone_ ? &*s.zone_ : nullptr}, date_{date} {
  if (zone_ != nullptr) day_start_ = zone_->service_time_to_unix(date, 0);  // GTFS: noon minus 12 h
}

std::string service::day_clock::iso(seconds_t t) {
  if (zone_ != nullptr) {
    auto const at = day_start_ + t;
    if (!span_.holds(at)) span_ = zone_->offset_span_at(at);
    return civil::time_zone::iso(at, span_.offset);
  }
  // No zone: the wall time on the date the time falls on, without an offset.
  auto const day = static_cast<int>(std::floor(static_cast<double>(t) / day_s));
  return civil::format_date(date_ + std::chrono::days{day}) + "T" + civil::format_clock(t - day * day_s);
}

std::pair<date_t, seconds_t> service::service_day_time(std::string_view date, std::string_view time,
                                                       std::string_view param) const {
  auto const iso = time.size() > 10 ? civil::parse_iso_datetime(time) : std::nullopt;
  if (!iso) {
    if (date.empty()) throw api_error{400, "missing_parameter", {"date"}};
    return {parse_iso_date(date, "date"), parse_clock(time, param)};
  }
  // An instant (or a wall time) with its date: the service day is the local date it falls on,
  // the time GTFS's seconds of that day.
  if (!zone_) {
    if (iso->utc_offset) throw api_error{400, "invalid_time", {str(param), str(time)}};
    return {iso->day, iso->seconds};
  }
  auto const unix = iso->utc_offset ? civil::to_unix(iso->day, iso->seconds, *iso->utc_offset)
                                    : zone_->local_to_unix(iso->day, iso->seconds);
  auto const day = zone_->local_date(unix);
  if (!date.empty() && parse_iso_date(date, "date") != day) {
    throw api_error{400, "invalid_time", {str(param), str(time)}};
  }
  return {day, static_cast<seconds_t>(unix - zone_->service_time_to_unix(day, 0))};
}

}  // namespace nebuta::api_service
