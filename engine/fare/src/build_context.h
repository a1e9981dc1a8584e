// What the v1 and v2 fare builders share: the timetable being extended, its ids per feed as
// lookup tables, new strings, and problem reporting with the timetable's warning counts.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

#include "nebuta/fare/build.h"

namespace nebuta::fare::detail {

template <typename Idx>
using id_map = std::unordered_map<std::string, Idx>;

template <typename Idx>
Idx find_id(id_map<Idx> const& m, std::string_view id) {
  auto const it = m.find(std::string{id});
  return it == m.end() ? Idx::invalid() : it->second;
}

class context {
 public:
  context(timetable& tt, build::problem_sink const& report) : tt_{tt}, report_{report} {}

  timetable& tt() { return tt_; }

  // Adds a string to the timetable (the builder's own interning is gone after compile()).
  string_idx str(std::string_view s) {
    auto const [it, inserted] = strings_.emplace(std::string{s}, string_idx{});
    if (inserted) {
      it->second = string_idx{static_cast<std::uint32_t>(tt_.strings.size())};
      tt_.strings.chars.insert(tt_.strings.chars.end(), s.begin(), s.end());
      tt_.strings.offsets.push_back(static_cast<std::uint32_t>(tt_.strings.chars.size()));
    }
    return it->second;
  }

  void begin_feed(feed_idx fi, std::string const& name) {
    feed_ = fi;
    prefix_ = tt_.n_feeds() > 1 ? name + "/" : std::string{};
    stops_.clear(), lines_.clear(), agencies_.clear();
    for (auto s = stop_idx{0U}; s.v() < tt_.n_stops(); ++s) {
      if (tt_.stop_feed[s] == fi) stops_.emplace(std::string{tt_.strings[tt_.stop_ids[s]]}, s);
    }
    for (auto l = line_idx{0U}; l.v() < tt_.n_lines(); ++l) {
      if (tt_.line_feed[l] == fi) lines_.emplace(std::string{tt_.strings[tt_.line_ids[l]]}, l);
    }
    for (auto a = agency_idx{0U}; a.v() < tt_.n_agencies(); ++a) {
      if (tt_.agency_feed[a] == fi) agencies_.emplace(std::string{tt_.strings[tt_.agency_ids[a]]}, a);
    }
    n_agencies_ = agencies_.size();
  }

  feed_idx feed() const { return feed_; }
  stop_idx stop(std::string_view id) const { return find_id(stops_, id); }
  line_idx line(std::string_view id) const { return find_id(lines_, id); }
  agency_idx agency(std::string_view id) const { return find_id(agencies_, id); }
  std::size_t n_agencies() const { return n_agencies_; }

  void problem(std::string_view file, std::uint32_t line, std::string kind, std::string message) {
    ++counts_[kind];
    if (report_) report_({prefix_ + std::string{file}, line, std::move(kind), std::move(message)});
  }

  // Adds this build's problem counts to the timetable's warning counts.
  void publish_counts() {
    for (auto const& [kind, n] : counts_) {
      auto found = false;
      for (auto& w : tt_.warnings) {
        if (tt_.strings[w.kind] == kind) {
          w.count += n;
          found = true;
        }
      }
      if (!found) tt_.warnings.push_back({.kind = str(kind), .count = n});
    }
  }

 private:
  timetable& tt_;
  build::problem_sink const& report_;
  std::unordered_map<std::string, string_idx> strings_;
  std::map<std::string, std::uint64_t> counts_;
  feed_idx feed_{};
  std::string prefix_;
  id_map<stop_idx> stops_;
  id_map<line_idx> lines_;
  id_map<agency_idx> agencies_;
  std::size_t n_agencies_{0};
};

// Price text as read (a double) to the currency's minor unit; nullopt when it has more decimals
// than the currency has (beyond rounding noise) or is not finite.
std::optional<std::int64_t> to_minor(double amount, std::uint8_t digits);

void build_v1(context& cx, feed const& f);
void build_v2(context& cx, feed const& f);

}  // namespace nebuta::fare::detail
