// Names as a visitor reads them: the language chain (asked, then English, then the feed's own
// text) with the language of each name said, the route badge the bus shows ("[Ｐ8]ラピア" keeps
// "P8" in English), and a route without a name in the visitor's language told by its badge
// and terminals.
#include <algorithm>
#include <cctype>
#include <map>

#include "nebuta/api_service/service.h"
#include "nebuta/search/text.h"
#include "service_detail.h"

namespace nebuta::api_service {

using namespace detail;

namespace {

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Region tags of Chinese say the script that feeds write as a subtag.
std::string canonical_tag(std::string_view tag) {
  auto t = lower(tag);
  if (t == "zh-cn" || t == "zh-sg" || t == "zh-my") return "zh-hans";
  if (t == "zh-tw" || t == "zh-hk" || t == "zh-mo") return "zh-hant";
  return t;
}

bool is_script_subtag(std::string_view s) {
  return s.size() == 4 &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
}

// Does text in `have` serve a reader who asked for `want` (both lower case)? "en" serves "en-us",
// "zh-hans" serves "zh"; but kana (ja-hrkt) does not serve "ja", nor kanji "ja-hrkt".
bool serves(std::string_view want, std::string_view have) {
  if (want == have) return true;
  if (have.size() > want.size() && have.starts_with(want) && have[want.size()] == '-') {
    auto const sub = have.substr(want.size() + 1, 4);
    return !(want == "ja" && (sub == "hrkt" || sub == "kana" || sub == "hira"));
  }
  if (want.size() > have.size() && want.starts_with(have) && want[have.size()] == '-') {
    auto sub = want.substr(have.size() + 1);
    sub = sub.substr(0, sub.find('-'));
    return !is_script_subtag(sub);
  }
  return false;
}

// "[Ｐ8]ラピア（…経由）" -> "P8": the bracketed badge at the start, full-width letters folded.
std::string headsign_badge(std::string_view s) {
  std::string_view close;
  if (s.starts_with("[")) {
    s.remove_prefix(1);
    close = "]";
  } else if (s.starts_with("［")) {
    s.remove_prefix(3);
    close = "］";
  } else {
    return {};
  }
  auto const end = s.find(close);
  if (end == std::string_view::npos || end == 0 || end > 24) return {};
  std::string out;
  for (auto c : search::to_u32(s.substr(0, end))) {
    if (c >= 0xFF01U && c <= 0xFF5EU) c -= 0xFEE0U;
    if (c == 0x3000U) c = U' ';
    if (c >= 0x80U) return {};  // not a route badge
    out.push_back(static_cast<char>(c));
  }
  return out;
}

}  // namespace

std::string service::default_lang(text_idx t) const {
  auto const def = tt_.text(t);
  for (auto const& tr : tt_.text_translations[t]) {
    if (tt_.strings[tr.value] == def) return str(tt_.strings[tt_.languages[tr.lang]]);
  }
  auto han = false, kana = false, hangul = false, latin = false;
  for (auto const c : search::to_u32(def)) {
    switch (search::script_of(c)) {
      case search::script::kana:
      case search::script::katakana: kana = true; break;
      case search::script::han: han = true; break;
      case search::script::hangul: hangul = true; break;
      case search::script::latin: latin = true; break;
      default: break;
    }
  }
  if (kana) return "ja";
  if (han) return feed_script_lang_.empty() ? "zh" : feed_script_lang_;
  if (hangul) return "ko";
  if (latin && tt_.languages.size() == 1) return str(tt_.strings[tt_.languages.raw().front()]);
  return def.empty() ? std::string{} : "und";
}

named_text service::name(text_idx t, lang_chain const& chain) const {
  auto const translations = tt_.text_translations[t];
  std::optional<std::string> def_lang;
  // A plan answer names every stop it passes: the feed's language tags are lower-cased once
  // (index_lines), not per name.
  for (auto const& asked : chain) {
    auto const want = canonical_tag(asked);
    for (auto const& tr : translations) {
      if (language_tags_[tr.lang.v()] == want)
        return {str(tt_.strings[tr.value]), str(tt_.strings[tt_.languages[tr.lang]])};
    }
    for (auto const& tr : translations) {
      if (serves(want, language_tags_[tr.lang.v()]))
        return {str(tt_.strings[tr.value]), str(tt_.strings[tt_.languages[tr.lang]])};
    }
    if (!def_lang) def_lang = default_lang(t);
    if (serves(want, lower(*def_lang))) return {str(tt_.text(t)), *def_lang};
  }
  return {str(tt_.text(t)), def_lang ? *def_lang : default_lang(t)};
}

named_text service::trip_headsign(trip_idx t, std::uint32_t pos, lang_chain const& chain) const {
  auto text = tt_.trip_headsigns[t];
  auto const stop_headsigns = tt_.trip_stop_headsigns[t];
  if (pos < stop_headsigns.size() && !tt_.text(stop_headsigns[pos]).empty()) text = stop_headsigns[pos];
  auto n = name(text, chain);
  auto const def = tt_.text(text);
  if (n.text != def) {  // a translation: keep the badge the bus shows
    auto const badge = headsign_badge(def);
    if (!badge.empty() && n.text.find(badge) == std::string::npos) n.text = badge + " " + n.text;
  }
  return n;
}

named_text service::route_long_name(line_idx l, lang_chain const& chain) const {
  auto n = name(tt_.line_long_names[l], chain);
  auto const asked = std::any_of(chain.begin(), chain.end(),
                                 [&](std::string const& c) { return serves(canonical_tag(c), lower(n.lang)); });
  auto const [first, last] = line_ends_[l.v()];
  if (asked || n.text.empty() || !first.valid()) return n;
  // Not in a language the reader asked for: what the bus shows and where it goes.
  auto label = str(tt_.text(tt_.line_short_names[l]));
  if (label.empty()) label = line_badges_[l.v()];
  auto const from = name(tt_.stop_names[first], chain), to = name(tt_.stop_names[last], chain);
  if (!label.empty()) label += " ";
  return {label + from.text + " – " + to.text, to.lang};
}

void service::index_lines() {
  line_badges_.assign(tt_.n_lines(), {});
  line_ends_.assign(tt_.n_lines(), {stop_idx::invalid(), stop_idx::invalid()});
  for (auto l = line_idx{0}; l.v() < tt_.n_lines(); ++l) {
    auto const& routes = line_routes_[l.v()];
    if (routes.empty()) continue;
    auto const busiest = *std::max_element(routes.begin(), routes.end(), [&](route_idx a, route_idx b) {
      return tt_.route_n_trips[a] < tt_.route_n_trips[b];
    });
    auto const stops = tt_.route_stops[busiest];
    line_ends_[l.v()] = {stops.front(), stops.back()};
    std::map<std::string, std::uint32_t> badges;
    for (auto const r : routes) {
      auto const t = tt_.route_first_trip[r];
      auto const stop_headsigns = tt_.trip_stop_headsigns[t];
      auto const text = stop_headsigns.empty() ? tt_.trip_headsigns[t] : stop_headsigns.front();
      if (auto b = headsign_badge(tt_.text(text)); !b.empty()) badges[b] += tt_.route_n_trips[r];
    }
    if (!badges.empty()) {
      line_badges_[l.v()] = std::max_element(badges.begin(), badges.end(), [](auto const& a, auto const& b) {
                              return a.second < b.second;
                            })->first;
    }
  }
  // Han text without a translation that says otherwise: Japanese in a Japanese feed.
  for (auto const tz : tt_.agency_timezones.raw()) {
    if (tt_.strings[tz] == "Asia/Tokyo") feed_script_lang_ = "ja";
  }
  for (auto const l : tt_.languages.raw()) language_tags_.push_back(lower(tt_.strings[l]));
}

}  // namespace nebuta::api_service
