// An independent GTFS-Fares v1 reference for the tests, written from the spec's words and not
// from engine/fare: it reads the feed's files itself (its own small CSV reader), keeps every
// fare_rules row as text, and prices a journey by trying every way of cutting its rides into
// runs, each run paid by the cheapest fare that applies to it. Simple over fast.
//
// The rules it implements (GTFS reference, fare_attributes.txt / fare_rules.txt, and the fare
// examples of gtfs/spec/en/examples): a fare applies to a run of rides when
//  - its agency_id, if given, is the agency of every ride's route;
//  - the run has at most `transfers` transfers (empty: unlimited) and, with a transfer_duration,
//    the last boarding is at most that many seconds after the first;
//  - the feed has no fare_rules rows at all (then every fare applies), or some rows of the fare
//    with one origin_id / destination_id (empty = any zone; the zones of the run's first boarding
//    and last alighting stop) cover every ride's route (route_id empty = any route) and, where
//    those rows carry contains_id, the zones passed are exactly the contains_id set;
// and among the fares that apply the cheapest is paid ("the trip planner always chooses the
// least expensive applicable fare"). A ride no fare applies to is unknown.
#pragma once

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace nebuta::test::fares {

using row = std::map<std::string, std::string>;

// RFC 4180 as GTFS writes it: quotes, doubled quotes, BOM, CRLF; spaces around values trimmed.
inline std::vector<row> read_csv(std::filesystem::path const& p) {
  std::ifstream in{p, std::ios::binary};
  std::string data{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
  if (data.rfind("\xEF\xBB\xBF", 0) == 0) data.erase(0, 3);
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> rec;
  std::string field;
  bool quoted = false, any = false;
  auto const trim = [](std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(0, 1);
    return s;
  };
  auto const end_field = [&] { rec.push_back(trim(field)), field.clear(); };
  auto const end_record = [&] {
    end_field();
    if (!(rec.size() == 1 && rec[0].empty())) records.push_back(rec);
    rec.clear();
  };
  for (std::size_t i = 0; i < data.size(); ++i) {
    auto const c = data[i];
    any = true;
    if (quoted) {
      if (c == '"' && i + 1 < data.size() && data[i + 1] == '"') {
        field += '"', ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\n') {
      end_record();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (any && (!field.empty() || !rec.empty())) end_record();
  std::vector<row> out;
  if (records.empty()) return out;
  for (auto r = 1U; r < records.size(); ++r) {
    row m;
    for (auto c = 0U; c < records[0].size(); ++c) m[records[0][c]] = c < records[r].size() ? records[r][c] : "";
    out.push_back(std::move(m));
  }
  return out;
}

struct ride {
  std::string route_id, from_stop, to_stop;
  std::vector<std::string> stops_passed;  // boarding to alighting, both included
  long board{0}, alight{0};
};

struct leg_price {
  bool known{false};
  double amount{0.0};
  std::string fare_id;
};

struct journey_price {
  std::vector<leg_price> legs;
  bool known{false};
  double total{0.0};
  bool unique{true};  // no other cut of the rides is as cheap (then the per-leg split is the only one)
};

class v1_reference {
 public:
  explicit v1_reference(std::filesystem::path const& dir) {
    for (auto const& s : read_csv(dir / "stops.txt"))
      zone_[s.at("stop_id")] = s.count("zone_id") ? s.at("zone_id") : "";
    for (auto const& r : read_csv(dir / "routes.txt"))
      agency_[r.at("route_id")] = r.count("agency_id") ? r.at("agency_id") : "";
    for (auto const& a : read_csv(dir / "fare_attributes.txt")) {
      fare f;
      f.id = a.at("fare_id");
      f.price = std::stod(a.at("price"));
      f.agency = a.count("agency_id") ? a.at("agency_id") : "";
      auto const t = a.count("transfers") ? a.at("transfers") : "";
      f.transfers = t.empty() ? std::numeric_limits<int>::max() : std::stoi(t);
      auto const d = a.count("transfer_duration") ? a.at("transfer_duration") : "";
      f.duration = d.empty() ? -1 : std::stol(d);
      fares_.push_back(f);
    }
    if (std::filesystem::exists(dir / "fare_rules.txt")) rules_ = read_csv(dir / "fare_rules.txt");
    auto const get = [](row const& r, char const* k) { return r.count(k) ? r.at(k) : std::string{}; };
    for (auto const& r : rules_)
      by_key_[{r.at("fare_id"), get(r, "origin_id"), get(r, "destination_id")}].push_back(&r);
  }

  std::string zone(std::string const& stop) const {
    auto const it = zone_.find(stop);
    return it == zone_.end() ? "" : it->second;
  }

  // The cheapest fare for rides [b, e) as one run, or nullopt.
  std::optional<std::pair<double, std::string>> cheapest(std::vector<ride> const& rides, std::size_t b,
                                                         std::size_t e) const {
    std::optional<std::pair<double, std::string>> best;
    for (auto const& f : fares_) {
      if (!applies(f, rides, b, e)) continue;
      if (!best || f.price < best->first) best = std::pair{f.price, f.id};
    }
    return best;
  }

  journey_price price(std::vector<ride> const& rides) const {
    journey_price best;
    auto best_unknown = std::numeric_limits<int>::max();
    auto best_total = std::numeric_limits<double>::max();
    auto const n = rides.size();
    if (n == 0) return {{}, true, 0.0, true};
    // Bit i of `cuts` set: a new run starts at ride i + 1.
    for (std::uint64_t cuts = 0; cuts < (std::uint64_t{1} << (n - 1)); ++cuts) {
      journey_price p;
      p.legs.resize(n);
      auto unknown = 0;
      for (std::size_t b = 0; b < n;) {
        auto e = b + 1;
        while (e < n && ((cuts >> (e - 1)) & 1U) == 0U) ++e;
        auto const f = cheapest(rides, b, e);
        if (!f && e - b > 1) {
          unknown = std::numeric_limits<int>::max();
          break;
        }
        if (!f) {
          ++unknown;
        } else {
          for (auto i = b; i < e; ++i) p.legs[i] = {true, i == b ? f->first : 0.0, f->second};
          p.total += f->first;
        }
        b = e;
      }
      if (unknown == std::numeric_limits<int>::max()) continue;
      if (unknown < best_unknown || (unknown == best_unknown && p.total < best_total - 1e-9)) {
        best = p, best_unknown = unknown, best_total = p.total, best.unique = true;
      } else if (unknown == best_unknown && std::fabs(p.total - best_total) < 1e-9) {
        best.unique = false;
      }
    }
    best.known = best_unknown == 0;
    return best;
  }

 private:
  struct fare {
    std::string id, agency;
    double price{0.0};
    int transfers{0};
    long duration{-1};
  };

  bool applies(fare const& f, std::vector<ride> const& rides, std::size_t b, std::size_t e) const {
    if (static_cast<int>(e - b - 1) > f.transfers) return false;
    if (e - b > 1 && f.duration >= 0 && rides[e - 1].board - rides[b].board > f.duration) return false;
    for (auto i = b; i < e; ++i) {
      if (!f.agency.empty() && agency_.at(rides[i].route_id) != f.agency) return false;
    }
    if (rules_.empty()) return true;
    auto const from_zone = zone(rides[b].from_stop), to_zone = zone(rides[e - 1].to_stop);
    std::set<std::string> passed;
    for (auto i = b; i < e; ++i) {
      for (auto const& s : rides[i].stops_passed) {
        if (!zone(s).empty()) passed.insert(zone(s));
      }
    }
    auto const get = [](row const* r, char const* k) { return r->count(k) ? r->at(k) : std::string{}; };
    // The rows of this fare whose origin_id / destination_id fit (empty = any zone).
    std::set<std::pair<std::string, std::string>> const ods{
        {from_zone, to_zone}, {from_zone, ""}, {"", to_zone}, {"", ""}};
    for (auto const& [o, d] : ods) {
      auto const it = by_key_.find({f.id, o, d});
      if (it == by_key_.end()) continue;
      // Per route_id (empty included): is there a plain row, and which contains zones.
      std::map<std::string, std::pair<bool, std::set<std::string>>> per_route;
      for (auto const* r : it->second) {
        auto& pr = per_route[get(r, "route_id")];
        if (get(r, "contains_id").empty()) pr.first = true;
        else pr.second.insert(get(r, "contains_id"));
      }
      std::vector<std::set<std::string>> options{{}};  // {} = the plain rows
      for (auto const& [route, pr] : per_route) {
        if (!pr.second.empty()) options.push_back(pr.second);
      }
      for (auto const& contains : options) {
        if (!contains.empty() && contains != passed) continue;
        auto all = true;
        for (auto i = b; i < e && all; ++i) {
          auto ok = false;
          for (auto const& route : {rides[i].route_id, std::string{}}) {
            auto const pr = per_route.find(route);
            if (pr == per_route.end()) continue;
            if (contains.empty() ? pr->second.first : pr->second.second == contains) ok = true;
          }
          all = ok;
        }
        if (all) return true;
      }
    }
    return false;
  }

  std::map<std::string, std::string> zone_, agency_;
  std::vector<fare> fares_;
  std::vector<row> rules_;
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<row const*>> by_key_;  // fare, origin, destination
};

}  // namespace nebuta::test::fares
