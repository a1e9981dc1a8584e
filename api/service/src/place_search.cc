#include "nebuta/api_service/place_search.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace nebuta::api_service {
namespace {

// A stop name without its trailing qualifier: 八戸中心街ターミナル（八日町） -> 八戸中心街ターミナル.
std::string_view base_name(std::string_view name) {
  for (auto const& [open, close] : {std::pair<std::string_view, std::string_view>{"（", "）"}, {"(", ")"}}) {
    if (!name.ends_with(close)) continue;
    auto const at = name.rfind(open);
    if (at == std::string_view::npos || at == 0) continue;
    auto base = name.substr(0, at);
    while (!base.empty() && (base.back() == ' ')) base.remove_suffix(1);
    if (!base.empty()) return base;
  }
  return name;
}

}  // namespace

class place_search::scratch_lease {
 public:
  explicit scratch_lease(place_search const& ps) : ps_{ps} {
    std::lock_guard const lock{ps_.scratch_mutex_};
    if (!ps_.scratch_pool_.empty()) {
      s_ = std::move(ps_.scratch_pool_.back());
      ps_.scratch_pool_.pop_back();
    }
    if (!s_) s_ = std::make_unique<search::name_index::scratch>();
  }
  ~scratch_lease() {
    std::lock_guard const lock{ps_.scratch_mutex_};
    ps_.scratch_pool_.push_back(std::move(s_));
  }
  scratch_lease(scratch_lease const&) = delete;
  scratch_lease& operator=(scratch_lease const&) = delete;
  search::name_index::scratch& get() { return *s_; }

 private:
  place_search const& ps_;
  std::unique_ptr<search::name_index::scratch> s_;
};

place_search::place_search(timetable const& tt, std::vector<search::place> places)
    : tt_{tt}, group_of_(tt.n_stops(), npos), places_{std::move(places)} {
  // Stations with their platforms.
  for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    if (tt.stop_location_type[s] != 1) continue;
    stop_group g{s, {}, tt.stop_coords[s], false};
    for (auto const c : tt.stop_children[s]) {
      if (tt.stop_location_type[c] == 0) g.members.push_back(c);
    }
    if (g.members.empty()) g.members.push_back(s);
    for (auto const m : g.members) group_of_[m.v()] = static_cast<std::uint32_t>(groups_.size());
    group_of_[s.v()] = static_cast<std::uint32_t>(groups_.size());
    groups_.push_back(std::move(g));
  }
  // Poles of one name (qualifier aside) within a short walk of the group's first pole.
  std::map<std::pair<std::uint16_t, std::string_view>, std::vector<std::uint32_t>> by_name;
  for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    if (tt.stop_location_type[s] != 0 || group_of_[s.v()] != npos) continue;
    auto const name = tt.text(tt.stop_names[s]);
    auto& candidates = by_name[{tt.stop_feed[s].v(), base_name(name)}];
    auto const found = std::find_if(candidates.begin(), candidates.end(), [&](std::uint32_t gi) {
      return haversine_m(groups_[gi].anchor, tt.stop_coords[s]) <= group_radius_m;
    });
    if (found != candidates.end()) {
      auto& g = groups_[*found];
      g.names_differ = g.names_differ || name != tt.text(tt.stop_names[g.key]);
      g.members.push_back(s);
      group_of_[s.v()] = *found;
    } else {
      candidates.push_back(static_cast<std::uint32_t>(groups_.size()));
      group_of_[s.v()] = static_cast<std::uint32_t>(groups_.size());
      groups_.push_back(stop_group{s, {s}, tt.stop_coords[s], false});
    }
  }

  // Trips calling at each group, by service bitfield (a trip calling at two poles counts once).
  std::vector<std::uint32_t> seen(tt.n_trips(), npos);
  trips_offsets_.push_back(0);
  for (std::uint32_t gi = 0; gi < groups_.size(); ++gi) {
    std::map<bitfield_idx, std::uint32_t> counts;
    for (auto const m : groups_[gi].members) {
      for (auto const r : tt.stop_routes[m]) {
        for (std::uint32_t i = 0; i < tt.route_n_trips[r]; ++i) {
          auto const t = trip_idx{tt.route_first_trip[r].v() + i};
          if (seen[t.v()] == gi) continue;
          seen[t.v()] = gi;
          ++counts[tt.trip_service[t]];
        }
      }
    }
    trips_by_bitfield_.insert(trips_by_bitfield_.end(), counts.begin(), counts.end());
    trips_offsets_.push_back(static_cast<std::uint32_t>(trips_by_bitfield_.size()));
  }
  std::vector<std::uint64_t> per_bitfield(tt.n_bitfields(), 0);
  for (auto const b : tt.trip_service) ++per_bitfield[b.v()];
  std::uint64_t best = 0;
  for (std::int64_t d = 0; d < static_cast<std::int64_t>(tt.n_days); ++d) {
    std::uint64_t n = 0;
    for (std::size_t b = 0; b < per_bitfield.size(); ++b) {
      if (per_bitfield[b] > 0 && tt.active(bitfield_idx{static_cast<std::uint32_t>(b)}, d)) n += per_bitfield[b];
    }
    if (n > best) {
      best = n;
      busiest_day_ = d;
    }
  }

  // The index: every name of every member (each text once), the qualifier-free name of a
  // group whose poles differ in it; a railway station also as "<name> Station" in each
  // language, since feeds name stations without the word (青森 for 青森駅). Then the places.
  auto const is_rail = [&](stop_group const& g) {
    if (tt.stop_location_type[g.key] == 1) return true;
    return std::any_of(g.members.begin(), g.members.end(), [&](stop_idx m) {
      auto const routes = tt.stop_routes[m];
      return std::any_of(routes.begin(), routes.end(), [&](route_idx r) {
        auto const t = tt.route_type[r];
        return t == 0 || t == 1 || t == 2 || t == 5 || t == 7 || t == 12 || (t >= 100 && t < 200) ||
               (t >= 400 && t < 500) || t == 900;
      });
    });
  };
  auto const with_station_word = [](std::string_view text, std::string_view lang) {
    std::string out{text};
    if (lang.empty() || lang == "ja") return out + "駅";
    if (lang.starts_with("ja-")) return out + "えき";
    if (lang.starts_with("zh")) return out + "站";
    if (lang.starts_with("ko")) return out + "역";
    return out + " Station";
  };
  std::vector<search::name_input> in;
  std::vector<std::string> texts;
  for (auto const& g : groups_) {
    auto& names = doc_names_.emplace_back();
    std::set<std::string_view> seen_text;
    auto const add = [&](std::string_view text, std::string_view lang) {
      if (!text.empty() && seen_text.insert(text).second) names.emplace_back(std::string{text}, std::string{lang});
    };
    auto ordered = g.members;
    std::stable_partition(ordered.begin(), ordered.end(), [&](stop_idx m) { return m == g.key; });
    if (tt.stop_location_type[g.key] == 1) ordered.insert(ordered.begin(), g.key);
    for (auto const m : ordered) {
      auto const name = tt.stop_names[m];
      add(tt.text(name), "");
      if (g.names_differ) add(base_name(tt.text(name)), "");
      for (auto const& tr : tt.text_translations[name]) add(tt.strings[tr.value], tt.strings[tt.languages[tr.lang]]);
    }
    texts.clear();
    for (auto const& [text, lang] : names) texts.push_back(text);
    if (is_rail(g)) {
      auto const n_names = names.size();
      for (std::size_t i = 0; i < n_names; ++i) {
        texts.push_back(with_station_word(names[i].first, names[i].second));
        names.push_back(names[i]);  // shown as the name it was made from
      }
    }
    in.clear();
    for (std::size_t i = 0; i < names.size(); ++i) in.push_back({texts[i], names[i].second});
    index_.add(in);
  }
  for (auto const& p : places_) {
    auto& names = doc_names_.emplace_back();
    for (auto const& n : p.names) names.emplace_back(n.text, n.lang);
    in.clear();
    for (auto const& [text, lang] : names) in.push_back({text, lang});
    index_.add(in);
  }
  index_.finish();
}

place_search::~place_search() = default;

bool place_search::has_words(std::string_view q) const {
  scratch_lease lease{*this};
  return index_.has_words(q, lease.get());
}

std::uint64_t place_search::trips_on(std::uint32_t group, std::int64_t day) const {
  std::uint64_t n = 0;
  for (auto i = trips_offsets_[group]; i < trips_offsets_[group + 1]; ++i) {
    if (tt_.active(trips_by_bitfield_[i].first, day)) n += trips_by_bitfield_[i].second;
  }
  return n;
}

std::pair<std::string, std::string> place_search::matched_name(place_hit const& h) const {
  auto const doc = h.is_place ? groups_.size() + h.index : h.index;
  auto const& names = doc_names_[doc];
  return h.name < names.size() ? names[h.name] : std::pair<std::string, std::string>{};
}

std::vector<place_hit> place_search::find(std::string_view q, std::optional<std::int64_t> day, unsigned limit,
                                          bool with_places) const {
  std::vector<search::hit> hits;
  {
    scratch_lease lease{*this};
    index_.find(q, lease.get(), hits);
  }
  auto const d = day.value_or(busiest_day_);
  auto const n_groups = static_cast<std::uint32_t>(groups_.size());
  std::vector<place_hit> out;
  out.reserve(hits.size());
  for (auto const& h : hits) {
    place_hit p;
    p.is_place = h.doc >= n_groups;
    if (p.is_place && !with_places) continue;
    p.index = p.is_place ? h.doc - n_groups : h.doc;
    p.name = h.name;
    p.quality = h.quality;
    p.trips = p.is_place ? 0 : trips_on(p.index, d);
    out.push_back(p);
  }
  // A place before a stop that carries the same name (三内丸山遺跡 the site before 三内丸山遺跡
  // the bus stop); otherwise stops of equal quality by the trips serving them.
  auto const same_text = [](std::string_view t) {
    std::string kept;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[i] == ' ') continue;
      if (t.substr(i).starts_with("・") || t.substr(i).starts_with("　")) {
        i += 2;
        continue;
      }
      kept += t[i];
    }
    return kept;
  };
  std::set<std::pair<std::uint32_t, std::string>> place_names;
  if (with_places) {
    for (auto const& p : out) {
      if (p.is_place) place_names.emplace(p.quality.packed(), same_text(matched_name(p).first));
    }
  }
  std::vector<std::uint8_t> after_place(out.size(), 0);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (!out[i].is_place && !place_names.empty()) {
      after_place[i] = place_names.contains({out[i].quality.packed(), same_text(matched_name(out[i]).first)}) ? 1 : 0;
    }
    out[i].rank_hint = after_place[i];
  }
  auto const key = [&](place_hit const& p) {
    auto const doc = p.is_place ? n_groups + p.index : p.index;
    return std::tuple{p.quality.packed(), p.rank_hint, -static_cast<std::int64_t>(p.trips),
                      doc_names_[doc].empty() ? 0 : doc_names_[doc].front().first.size(), doc};
  };
  auto const by_key = [&](place_hit const& a, place_hit const& b) { return key(a) < key(b); };
  if (out.size() > limit) {
    std::partial_sort(out.begin(), out.begin() + limit, out.end(), by_key);
    out.resize(limit);
  } else {
    std::sort(out.begin(), out.end(), by_key);
  }
  return out;
}

}  // namespace nebuta::api_service
