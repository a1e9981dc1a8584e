// The search index on its own: romanisation keys (checked against spellings written out by
// hand, not computed), the Japanese forms of Chinese characters, how names and queries are cut
// into words, and ranking on small hand-made name lists.
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "nebuta/search/name_index.h"
#include "nebuta/search/text.h"

namespace search = nebuta::search;

namespace {

std::string key(std::u32string const& s) { return search::to_utf8(s); }
std::string romaji(std::string_view s) { return key(search::romaji_key(search::to_u32(s))); }

// The documents of a test index, each a list of (text, lang).
using doc = std::vector<std::pair<std::string, std::string>>;

struct fixture {
  search::name_index index;
  search::name_index::scratch scratch;
  std::vector<doc> docs;

  explicit fixture(std::vector<doc> d) : docs{std::move(d)} {
    for (auto const& names : docs) {
      std::vector<search::name_input> in;
      for (auto const& [text, lang] : names) in.push_back({text, lang});
      index.add(in);
    }
    index.finish();
  }

  // The first name of each hit, best first (ties by document order).
  std::vector<std::string> find(std::string_view q) {
    std::vector<search::hit> hits;
    index.find(q, scratch, hits);
    std::stable_sort(hits.begin(), hits.end(), [](auto const& a, auto const& b) {
      return std::pair{a.quality.packed(), a.doc} < std::pair{b.quality.packed(), b.doc};
    });
    std::vector<std::string> out;
    for (auto const& h : hits) out.push_back(docs[h.doc].front().first);
    return out;
  }
  std::string first(std::string_view q) {
    auto const all = find(q);
    return all.empty() ? std::string{"(none)"} : all.front();
  }
};

}  // namespace

TEST_CASE("search text: the romaji key brings the spellings of one name together", "[search][text]") {
  // Modified Hepburn, Kunrei and the usual informal spellings of the same names.
  for (auto const& [a, b] : std::vector<std::pair<std::string, std::string>>{{"tokyo", "toukyou"},
                                                                             {"tokyo", "tohkyoh"},
                                                                             {"tokyo", "tookyoo"},
                                                                             {"shinbashi", "shimbashi"},
                                                                             {"shinbashi", "sinbasi"},
                                                                             {"tsuruga", "turuga"},
                                                                             {"fuji", "huzi"},
                                                                             {"jinja", "zinzya"},
                                                                             {"chuo", "tyuou"},
                                                                             {"matcha", "mattya"},
                                                                             {"hasshoku", "hashoku"},
                                                                             {"niida", "nida"},
                                                                             {"sannohe", "sanohe"},
                                                                             {"oosaka", "osaka"}}) {
    INFO(a << " / " << b);
    CHECK(romaji(a) == romaji(b));
  }
  CHECK(romaji("hachinohe") == "hatinohe");
  CHECK(romaji("tanesashi") == "tanesasi");
  CHECK(romaji("kabushima") != romaji("kabusama"));
  CHECK(romaji("zzzzzz") == "zzzzzz");  // only a doubled consonant before its syllable is one
}

TEST_CASE("search text: kana, hangul and Chinese characters become comparable keys", "[search][text]") {
  search::text_tools t;
  auto const n = [&](std::string_view s) { return t.normalize(s); };
  CHECK(key(t.kana_key(n("はちのへえき"))) == romaji("hachinoheeki"));
  auto kata = n("ﾊﾁﾉﾍ");  // half-width katakana
  search::text_tools::fold_kana(kata);
  CHECK(key(kata) == "はちのへ");
  CHECK(key(t.kana_key(n("せんたー"))) == romaji("senta"));
  CHECK(key(t.kana_key(n("しんおおさか"))) == romaji("shinosaka"));
  // Korean transcriptions of Japanese readings.
  CHECK(key(t.hangul_key(n("하치노헤"))) == romaji("hachinohe"));
  CHECK(key(t.hangul_key(n("핫쇼쿠"))) == romaji("hasshoku"));
  CHECK(key(t.hangul_key(n("아오모리"))) == romaji("aomori"));
  // Simplified and traditional characters fold to the Japanese form.
  CHECK(key(t.han_key(n("八户"))) == "八戸");
  CHECK(key(t.han_key(n("八戶"))) == "八戸");
  CHECK(key(t.han_key(n("八戸"))) == "八戸");
  CHECK(key(t.han_key(n("驿"))) == "駅");
  CHECK(key(t.han_key(n("种差海岸"))) == "種差海岸");
  CHECK(key(t.han_key(n("市厅"))) == "市庁");
  CHECK(search::japanese_form(U'廣') == U'広');
  CHECK(search::japanese_form(U'八') == U'八');
  // Width and case.
  CHECK(key(n("ＨＡＣＨＩＮＯＨＥ")) == "hachinohe");
  CHECK(key(n("Tōkyō")) == "tokyo");
}

TEST_CASE("search words: names and queries are cut into words, place words as one", "[search][words]") {
  search::name_index index;
  index.finish();
  search::name_index::scratch s;
  using v = std::vector<std::string>;
  CHECK(index.explain("八戸駅", "ja", s) == v{"八戸", "<station>"});
  CHECK(index.explain("Hachinohe Eki Sta.", "en", s) == v{"hatinohe", "<station>"});
  CHECK(index.explain("Hachinohe Station", "en", s) == v{"hatinohe", "<station>"});
  CHECK(index.explain("hachinohe-eki", "", s) == v{"hatinohe", "<station>"});
  CHECK(index.explain("八户站", "", s) == v{"八戸", "<station>"});
  CHECK(index.explain("하치노헤역", "", s) == v{"hatinohe", "<station>"});
  CHECK(index.explain("はちのへえき", "", s) == v{"hatinohe", "<station>"});
  CHECK(index.explain("市民病院前", "ja", s) == v{"市民", "<hospital>", "<in front of>"});
  CHECK(index.explain("Tanesashi Shogakko-mae Elem.Sch.", "en", s) ==
        v{"tanesasi", "<elementary school>", "<in front of>"});
  CHECK(index.explain("八戸ニュータウン", "ja", s) == v{"八戸", romaji("nyutaun")});
  CHECK(index.explain("Lapia Bus Center", "en", s) == v{"rapia", "<bus>", "<center>"});
}

TEST_CASE("search index: any order, prefixes, typos, scripts, place words", "[search][index]") {
  fixture f{{
      {{"八戸駅", "ja"}, {"はちのへえき", "ja-Hrkt"}, {"Hachinohe Eki Sta.", "en"}},
      {{"本八戸駅", "ja"}, {"ほんはちのへえき", "ja-Hrkt"}, {"Hon-hachinohe Eki Sta.", "en"}},
      {{"八戸中心街ターミナル（八日町）", "ja"}, {"はちのへちゅうしんがいたーみなる（ようかまち）", "ja-Hrkt"}},
      {{"種差海岸", "ja"}, {"たねさしかいがん", "ja-Hrkt"}},
      {{"市民病院", "ja"}, {"しみんびょういん", "ja-Hrkt"}, {"Shimin Byoin Hospital", "en"}},
      {{"市民病院前", "ja"}, {"しみんびょういんまえ", "ja-Hrkt"}},
      {{"蕪島", "ja"},
       {"かぶしま", "ja-Hrkt"},
       {"Kabushima Island", "en"},
       {"Kabushima Shrine", "en"},
       {"蕪岛", "zh-Hans"},
       {"가부시마", "ko"}},
  }};
  CHECK(f.first("hachinohe") == "八戸駅");
  CHECK(f.first("Hachinohe Station") == "八戸駅");
  CHECK(f.first("station hachinohe") == "八戸駅");
  CHECK(f.first("hachinohe staion") == "八戸駅");
  CHECK(f.first("hachinoheeki") == "八戸駅");
  CHECK(f.first("Hachinohe-eki") == "八戸駅");
  CHECK(f.first("八户站") == "八戸駅");
  CHECK(f.first("하치노헤역") == "八戸駅");
  CHECK(f.first("hon hachinohe") == "本八戸駅");
  CHECK(f.first("honhachinohe") == "本八戸駅");
  CHECK(f.first("Tanesashi Coast") == "種差海岸");
  CHECK(f.first("tanesashi kaigan") == "種差海岸");
  CHECK(f.first("다네사시 해안") == "種差海岸");
  CHECK(f.first("种差海岸") == "種差海岸");
  CHECK(f.first("Shimin Hospital") == "市民病院");
  CHECK(f.first("shimin byoin mae") == "市民病院前");
  CHECK(f.first("chushingai") == "八戸中心街ターミナル（八日町）");
  CHECK(f.first("Kabushima Shrine") == "蕪島");
  CHECK(f.first("kabushima") == "蕪島");
  CHECK(f.first("가부시마") == "蕪島");
  CHECK(f.find("zzzz").empty());
  CHECK(f.find("  ").empty());
}
