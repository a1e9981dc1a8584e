#include "nebuta/search/name_index.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <optional>
#include <unordered_map>

#include "nebuta/search/words.h"

namespace nebuta::search {

namespace {

constexpr std::uint16_t no_word = std::numeric_limits<std::uint16_t>::max();
constexpr std::size_t max_name_tokens = 32;

// Match codes of a query word against a vocabulary entry; smaller is better, 0 is none.
enum : std::uint8_t { none = 0, exact, prefix, infix, typo1, typo1_prefix, typo2, typo2_prefix };

std::vector<std::string_view> split_forms(std::string_view forms) {
  std::vector<std::string_view> out;
  while (!forms.empty()) {
    auto const bar = forms.find('|');
    out.push_back(forms.substr(0, bar));
    if (bar == std::string_view::npos) break;
    forms.remove_prefix(bar + 1);
  }
  return out;
}

std::uint64_t letter_mask(std::u32string_view s) {
  std::uint64_t m = 0;
  for (auto const c : s) m |= std::uint64_t{1} << (c % 64U);
  return m;
}

bool has_han(std::u32string_view s) {
  return std::any_of(s.begin(), s.end(), [](char32_t c) { return script_of(c) == script::han; });
}

// Optimal-string-alignment distance of a to b and to the closest prefix of b, each capped at
// max_edits + 1.
std::pair<unsigned, unsigned> osa(std::u32string_view a, std::u32string_view b, unsigned max_edits,
                                  std::vector<std::uint32_t>& rows) {
  auto const n = a.size(), m = b.size();
  rows.assign(3 * (m + 1), 0);
  auto* prev2 = rows.data();
  auto* prev = prev2 + (m + 1);
  auto* cur = prev + (m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = static_cast<std::uint32_t>(j);
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<std::uint32_t>(i);
    auto row_min = cur[0];
    for (std::size_t j = 1; j <= m; ++j) {
      auto const cost = a[i - 1] == b[j - 1] ? 0U : 1U;
      auto v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = std::min(v, prev2[j - 2] + 1);
      cur[j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > max_edits) return {max_edits + 1, max_edits + 1};
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  auto const full = std::min<unsigned>(prev[m], max_edits + 1);
  auto const best_prefix = std::min<unsigned>(*std::min_element(prev, prev + m + 1), max_edits + 1);
  return {full, best_prefix};
}

struct token {
  std::u32string key;  // literal key (romaji or folded Han); empty for a place word
  std::uint16_t word{no_word};
  bool han{false};
  std::vector<std::u32string> alternatives;                   // query: other literal keys
  std::vector<std::pair<std::uint16_t, std::uint8_t>> words;  // query: place words it may be
};

struct tokenized {
  std::vector<token> tokens;
  std::u32string whole;
  bool han_whole{false};
};

enum class mode : std::uint8_t { name, reading, query };

}  // namespace

struct word_lookup {
  std::vector<std::pair<std::u32string, std::uint16_t>> written, readings, hangul;  // longest first
  std::unordered_map<std::u32string, std::uint16_t> latin;                          // phrases too
  std::vector<std::pair<std::u32string, std::uint16_t>> latin_words;                // single words
  std::vector<std::string_view> english;
  std::size_t max_phrase_words{1};
};

struct build_state {
  std::unordered_map<std::u32string, std::uint32_t> ids;
  text_tools tools;
};

unsigned match_quality::rank() const {
  if (typos > 0) return 3;
  if (partial >= 2) return 2;
  if (partial > 0 || missing_words > 0 || extra_words > 0 || extra_place_words > 0) return 1;
  return 0;
}

struct name_index::impl {
  static word_lookup make_words(text_tools& tools) {
    word_lookup w;
    auto const words = place_words();
    for (std::uint16_t id = 0; id < words.size(); ++id) {
      auto const& pw = words[id];
      w.english.push_back(pw.english);
      for (auto const f : split_forms(pw.written)) {
        auto s = tools.normalize(f);
        text_tools::fold_kana(s);
        w.written.emplace_back(tools.han_key(s), id);
      }
      for (auto const f : split_forms(pw.readings)) w.readings.emplace_back(tools.normalize(f), id);
      for (auto const f : split_forms(pw.hangul)) w.hangul.emplace_back(tools.normalize(f), id);
      for (auto const f : split_forms(pw.latin)) {
        auto const s = tools.normalize(f);
        w.latin.emplace(s, id);
        auto const n_words = static_cast<std::size_t>(std::count(s.begin(), s.end(), U' ')) + 1;
        w.max_phrase_words = std::max(w.max_phrase_words, n_words);
        if (n_words == 1) w.latin_words.emplace_back(s, id);
      }
    }
    auto const longest_first = [](auto const& a, auto const& b) { return a.first.size() > b.first.size(); };
    for (auto* v : {&w.written, &w.readings, &w.hangul}) std::stable_sort(v->begin(), v->end(), longest_first);
    return w;
  }

  // A place word the whole text is, or the longest one it ends with (leaving something before).
  static std::pair<std::uint16_t, std::size_t> place_suffix(
      std::u32string_view s, std::vector<std::pair<std::u32string, std::uint16_t>> const& forms, std::size_t min_rest,
      std::vector<std::uint16_t> const* allowed) {
    for (auto const& [form, id] : forms) {
      if (allowed != nullptr && std::find(allowed->begin(), allowed->end(), id) == allowed->end()) continue;
      if (s == form) return {id, form.size()};
      if (s.size() >= form.size() + min_rest && s.ends_with(form)) return {id, form.size()};
    }
    return {no_word, 0};
  }

  // Splits a Japanese run (Han and kana, katakana folded to hiragana) into a stem and the place
  // words it ends with: 市民病院前 -> 市民 + hospital + in front of.
  static void japanese_run(std::u32string run, mode m, std::vector<std::uint16_t> const* reading_words,
                           word_lookup const& w, text_tools& tools, std::vector<token>& out) {
    std::vector<std::uint16_t> suffixes;
    while (!run.empty()) {
      auto found = place_suffix(run, w.written, 1, nullptr);
      if (found.first == no_word && m != mode::name) {
        found = place_suffix(run, w.readings, 2, m == mode::reading ? reading_words : nullptr);
      }
      if (found.first == no_word) break;
      suffixes.push_back(found.first);
      run.resize(run.size() - found.second);
    }
    if (!run.empty()) {
      token t;
      t.han = has_han(run);
      t.key = t.han ? run : tools.kana_key(run);
      if (!t.key.empty()) out.push_back(std::move(t));
    }
    for (auto it = suffixes.rbegin(); it != suffixes.rend(); ++it) out.push_back(token{{}, *it, false, {}, {}});
  }

  static void hangul_word(std::u32string_view word, mode m, word_lookup const& w, text_tools& tools,
                          std::vector<token>& out) {
    auto const [id, len] = place_suffix(word, w.hangul, 2, nullptr);
    auto const stem = word.substr(0, word.size() - len);
    if (!stem.empty()) {
      token t;
      t.key = tools.hangul_key(stem);
      // Korean writes the voiceless initial of a Japanese word voiced (다네사시 for Tanesashi,
      // 가부시마 for Kabushima): a query may mean either.
      if (m == mode::query && !t.key.empty()) {
        auto alt = t.key;
        if (alt[0] == U'g') alt[0] = U'k';
        else if (alt[0] == U'd') alt[0] = U't';
        else if (alt.starts_with(U"zi")) alt[0] = U't';
        else if (alt.starts_with(U"zy")) alt[0] = U't';
        if (alt != t.key) t.alternatives.push_back(std::move(alt));
      }
      if (!t.key.empty()) out.push_back(std::move(t));
    }
    if (id != no_word) out.push_back(token{{}, id, false, {}, {}});
  }

  static void latin_words(std::vector<std::u32string> const& words, mode m, word_lookup const& w,
                          std::vector<token>& out, std::vector<std::uint32_t>& rows) {
    for (std::size_t i = 0; i < words.size();) {
      auto matched = false;
      for (auto n = std::min(w.max_phrase_words, words.size() - i); n >= 1 && !matched; --n) {
        std::u32string phrase = words[i];
        for (std::size_t k = 1; k < n; ++k) phrase += U' ' + words[i + k];
        if (auto const it = w.latin.find(phrase); it != w.latin.end()) {
          out.push_back(token{{}, it->second, false, {}, {}});
          i += n;
          matched = true;
        }
      }
      if (matched) continue;
      token t;
      t.key = romaji_key(words[i]);
      if (m == mode::query) {
        // A place word being typed ("stat") or mistyped ("staion").
        for (auto const& [form, id] : w.latin_words) {
          if (words[i].size() >= 3 && form.size() > words[i].size() && form.starts_with(words[i])) {
            t.words.emplace_back(id, prefix);
          } else if (words[i].size() >= 5 && osa(words[i], form, 1, rows).first <= 1) {
            t.words.emplace_back(id, typo1);
          }
        }
      }
      if (!t.key.empty()) out.push_back(std::move(t));
      ++i;
    }
  }

  static tokenized tokenize(std::string_view text, mode m, std::vector<std::uint16_t> const* reading_words,
                            word_lookup const& w, text_tools& tools, std::vector<std::uint32_t>& rows) {
    tokenized out;
    auto const s = tools.normalize(text);
    // Runs of one kind: Japanese (Han with its kana), katakana, Latin, Hangul.
    enum class run_kind : std::uint8_t { japanese, katakana, latin, hangul };
    std::vector<std::pair<run_kind, std::u32string>> runs;
    auto kind_of = [](script sc) {
      switch (sc) {
        case script::han:
        case script::kana: return run_kind::japanese;
        case script::katakana: return run_kind::katakana;
        case script::hangul: return run_kind::hangul;
        default: return run_kind::latin;
      }
    };
    auto open = false;
    for (auto const c : s) {
      auto const sc = script_of(c);
      if (sc == script::separator) {
        open = false;
        continue;
      }
      auto k = kind_of(sc);
      if (c == 0x30FCU && open) k = runs.back().first;  // ー belongs to the word it lengthens
      if (open && runs.back().first == k) {
        runs.back().second.push_back(c);
      } else {
        runs.emplace_back(k, std::u32string(1, c));
        open = true;
      }
    }
    std::vector<std::u32string> latin;
    auto const flush_latin = [&] {
      latin_words(latin, m, w, out.tokens, rows);
      latin.clear();
    };
    for (auto& [k, run] : runs) {
      if (k != run_kind::latin) flush_latin();
      switch (k) {
        case run_kind::latin:
          out.whole += romaji_key(run);
          latin.push_back(std::move(run));
          break;
        case run_kind::japanese:
        case run_kind::katakana: {
          text_tools::fold_kana(run);
          auto folded = tools.han_key(run);
          auto const han = has_han(folded);
          out.whole += han ? folded : tools.kana_key(folded);
          out.han_whole = out.han_whole || han;
          japanese_run(std::move(folded), m, reading_words, w, tools, out.tokens);
          break;
        }
        case run_kind::hangul:
          out.whole += tools.hangul_key(run);
          hangul_word(run, m, w, tools, out.tokens);
          break;
      }
    }
    flush_latin();
    // A place word said twice ("Hachinohe Eki Sta.", "Shimin Byoin Hospital") is one word.
    std::vector<token> unique;
    for (auto& t : out.tokens) {
      auto const dup = t.word != no_word &&
                       std::any_of(unique.begin(), unique.end(), [&](token const& u) { return u.word == t.word; });
      if (!dup) unique.push_back(std::move(t));
    }
    out.tokens = std::move(unique);
    return out;
  }

  static bool is_reading(name_input const& n, text_tools& tools) {
    if (n.lang == "ja-Hrkt" || n.lang == "ja-Kana" || n.lang == "ja-Hira") return true;
    auto const s = tools.normalize(n.text);
    auto kana = false;
    for (auto const c : s) {
      auto const sc = script_of(c);
      if (sc == script::kana || sc == script::katakana) kana = true;
      else if (sc != script::separator) return false;
    }
    return kana;
  }

  static std::uint32_t intern(name_index& ix, std::u32string const& key, bool han) {
    auto& ids = ix.build_->ids;
    if (auto const it = ids.find(key); it != ids.end()) return it->second;
    auto const id = static_cast<std::uint32_t>(ix.vocab_offsets_.size() - 1);
    ids.emplace(key, id);
    ix.vocab_chars_.insert(ix.vocab_chars_.end(), key.begin(), key.end());
    ix.vocab_offsets_.push_back(static_cast<std::uint32_t>(ix.vocab_chars_.size()));
    ix.vocab_masks_.push_back(letter_mask(key));
    ix.vocab_han_.push_back(han ? 1 : 0);
    return id;
  }

  static std::u32string_view key(name_index const& ix, std::uint32_t v) {
    return {ix.vocab_chars_.data() + ix.vocab_offsets_[v], ix.vocab_offsets_[v + 1] - ix.vocab_offsets_[v]};
  }

  // Marks every vocabulary entry a literal query key meets, with its best code.
  static void match_literal(name_index const& ix, std::u32string_view k, bool han, std::uint8_t* codes,
                            std::vector<std::uint32_t>& touched, std::vector<std::uint32_t>& rows) {
    auto const set = [&](std::uint32_t v, std::uint8_t c) {
      if (codes[v] == none) touched.push_back(v);
      if (codes[v] == none || c < codes[v]) codes[v] = c;
    };
    auto it = std::lower_bound(ix.vocab_sorted_.begin(), ix.vocab_sorted_.end(), k,
                               [&](std::uint32_t v, std::u32string_view q) { return key(ix, v) < q; });
    for (; it != ix.vocab_sorted_.end() && key(ix, *it).starts_with(k); ++it) {
      set(*it, key(ix, *it).size() == k.size() ? exact : prefix);
    }
    auto const n = k.size();
    unsigned const max_edits = han ? (n >= 3 ? 1U : 0U) : (n >= 8 ? 2U : n >= 4 ? 1U : 0U);
    auto const infix_ok = han ? n >= 2 : n >= 3;
    auto const mask = letter_mask(k);
    auto const n_words = static_cast<std::uint32_t>(place_words().size());
    for (auto v = n_words; v + 1 < ix.vocab_offsets_.size(); ++v) {
      if ((ix.vocab_han_[v] != 0) != han || (codes[v] != none && codes[v] <= prefix)) continue;
      auto const kv = key(ix, v);
      if (infix_ok && kv.size() > n && kv.find(k) != std::u32string_view::npos) {
        set(v, infix);
        continue;
      }
      if (max_edits == 0 || kv.size() + max_edits < n) continue;
      if (static_cast<unsigned>(std::popcount(mask & ~ix.vocab_masks_[v])) > max_edits) continue;
      auto const can_full = kv.size() <= n + max_edits;
      if (!can_full && n < 5) continue;
      auto const [full, best_prefix] = osa(k, kv, max_edits, rows);
      if (can_full && full <= max_edits) {
        set(v, full == 1 ? typo1 : typo2);
      } else if (n >= 5 && best_prefix <= max_edits) {
        set(v, best_prefix == 1 ? typo1_prefix : typo2_prefix);
      }
    }
  }

  static void add_quality(match_quality& q, std::uint8_t code) {
    if (code == prefix) q.partial += 1;
    if (code == infix) q.partial += 2;
    if (code == typo1 || code == typo1_prefix) q.typos += 1;
    if (code == typo2 || code == typo2_prefix) q.typos += 2;
    if (code == typo1_prefix || code == typo2_prefix) q.partial += 1;
  }
};

name_index::name_index() {
  text_tools tools;
  words_ = std::make_unique<word_lookup>(impl::make_words(tools));
  // Ids below the number of place words are those words (empty keys).
  for (std::size_t i = 0; i < place_words().size(); ++i) {
    vocab_offsets_.push_back(0);
    vocab_masks_.push_back(0);
    vocab_han_.push_back(0);
  }
}

name_index::~name_index() = default;
name_index::name_index(name_index&&) noexcept = default;
name_index& name_index::operator=(name_index&&) noexcept = default;

void name_index::add(std::span<name_input const> names) {
  if (!build_) build_ = std::make_unique<build_state>();
  auto& tools = build_->tools;
  std::vector<std::uint32_t> rows;
  doc_first_variant_.push_back(static_cast<std::uint32_t>(variant_doc_.size()));
  auto const doc = static_cast<std::uint32_t>(doc_first_variant_.size() - 1);
  // The place words of the Japanese names: a reading drops the same words' readings
  // (はちのへえき -> hachinohe + station only because the name is 八戸駅).
  std::vector<std::uint16_t> japanese_words;
  auto any_japanese = false;
  for (auto const& n : names) {
    if (impl::is_reading(n, tools) || !(n.lang.empty() || n.lang == "ja")) continue;
    auto const t = impl::tokenize(n.text, mode::name, nullptr, *words_, tools, rows);
    if (!t.han_whole) continue;
    any_japanese = true;
    for (auto const& tok : t.tokens) {
      if (tok.word != no_word) japanese_words.push_back(tok.word);
    }
  }
  for (std::uint32_t ni = 0; ni < names.size(); ++ni) {
    auto const reading = impl::is_reading(names[ni], tools);
    auto const t = impl::tokenize(names[ni].text, reading ? mode::reading : mode::name,
                                  any_japanese ? &japanese_words : nullptr, *words_, tools, rows);
    if (t.whole.empty()) continue;
    variant_doc_.push_back(doc);
    variant_name_.push_back(ni);
    for (std::size_t i = 0; i < t.tokens.size() && i < max_name_tokens; ++i) {
      auto const& tok = t.tokens[i];
      variant_tokens_.push_back(tok.word != no_word ? tok.word : impl::intern(*this, tok.key, tok.han));
    }
    variant_token_offsets_.push_back(static_cast<std::uint32_t>(variant_tokens_.size()));
    variant_whole_.push_back(impl::intern(*this, t.whole, t.han_whole));
  }
}

void name_index::finish() {
  build_.reset();
  auto const n_vocab = static_cast<std::uint32_t>(vocab_offsets_.size() - 1);
  auto const n_words = static_cast<std::uint32_t>(place_words().size());
  vocab_sorted_.clear();
  for (auto v = n_words; v < n_vocab; ++v) vocab_sorted_.push_back(v);
  std::sort(vocab_sorted_.begin(), vocab_sorted_.end(),
            [&](std::uint32_t a, std::uint32_t b) { return impl::key(*this, a) < impl::key(*this, b); });
  // Postings: vocabulary id -> the variants that use it (each once).
  std::vector<std::vector<std::uint32_t>> lists(n_vocab);
  for (std::uint32_t var = 0; var < variant_doc_.size(); ++var) {
    auto const add = [&](std::uint32_t v) {
      if (lists[v].empty() || lists[v].back() != var) lists[v].push_back(var);
    };
    for (auto i = variant_token_offsets_[var]; i < variant_token_offsets_[var + 1]; ++i) add(variant_tokens_[i]);
    add(variant_whole_[var]);
  }
  postings_offsets_.assign(1, 0);
  postings_.clear();
  for (auto const& l : lists) {
    postings_.insert(postings_.end(), l.begin(), l.end());
    postings_offsets_.push_back(static_cast<std::uint32_t>(postings_.size()));
  }
}

std::size_t name_index::memory_bytes() const {
  auto const bytes = [](auto const& v) { return v.capacity() * sizeof(v[0]); };
  return bytes(vocab_chars_) + bytes(vocab_offsets_) + bytes(vocab_masks_) + bytes(vocab_han_) + bytes(vocab_sorted_) +
         bytes(postings_offsets_) + bytes(postings_) + bytes(variant_doc_) + bytes(variant_name_) +
         bytes(variant_token_offsets_) + bytes(variant_tokens_) + bytes(variant_whole_) + bytes(doc_first_variant_);
}

std::vector<std::string> name_index::explain(std::string_view text, std::string_view lang, scratch& s) const {
  auto const reading = impl::is_reading({text, lang}, s.tools_);
  auto const t = impl::tokenize(text, reading ? mode::reading : mode::query, nullptr, *words_, s.tools_, s.osa_rows_);
  std::vector<std::string> out;
  for (auto const& tok : t.tokens) {
    out.push_back(tok.word != no_word ? "<" + std::string{words_->english[tok.word]} + ">" : to_utf8(tok.key));
  }
  return out;
}

bool name_index::has_words(std::string_view query, scratch& s) const {
  return !impl::tokenize(query, mode::query, nullptr, *words_, s.tools_, s.osa_rows_).whole.empty();
}

name_index::scratch::scratch() = default;
name_index::scratch::~scratch() = default;

void name_index::find(std::string_view query, scratch& s, std::vector<hit>& out) const {
  out.clear();
  auto q = impl::tokenize(query, mode::query, nullptr, *words_, s.tools_, s.osa_rows_);
  if (q.whole.empty()) return;
  if (q.tokens.size() > max_query_words) q.tokens.resize(max_query_words);
  auto const n_vocab = vocab_offsets_.size() - 1;
  if (s.codes_.size() < max_query_words + 1) {
    s.codes_.resize(max_query_words + 1);
    s.touched_.resize(max_query_words + 1);
  }
  for (std::size_t i = 0; i < s.codes_.size(); ++i) {
    auto& codes = s.codes_[i];
    if (codes.size() != n_vocab) codes.assign(n_vocab, none);
    for (auto const v : s.touched_[i]) codes[v] = none;
    s.touched_[i].clear();
  }
  auto const mark_word = [&](std::size_t slot, std::uint16_t id, std::uint8_t code) {
    auto& c = s.codes_[slot][id];
    if (c == none) s.touched_[slot].push_back(id);
    if (c == none || code < c) c = code;
  };
  for (std::size_t i = 0; i < q.tokens.size(); ++i) {
    auto const& t = q.tokens[i];
    if (t.word != no_word) mark_word(i, t.word, exact);
    for (auto const& [id, code] : t.words) mark_word(i, id, code);
    if (!t.key.empty()) impl::match_literal(*this, t.key, t.han, s.codes_[i].data(), s.touched_[i], s.osa_rows_);
    for (auto const& alt : t.alternatives) {
      impl::match_literal(*this, alt, t.han, s.codes_[i].data(), s.touched_[i], s.osa_rows_);
    }
  }
  auto const whole_slot = q.tokens.size();
  impl::match_literal(*this, q.whole, q.han_whole, s.codes_[whole_slot].data(), s.touched_[whole_slot], s.osa_rows_);

  // Candidates: the variants of the rarest literal word's matches, and of the whole query's.
  auto const postings_of = [&](std::size_t slot) {
    std::size_t n = 0;
    for (auto const v : s.touched_[slot]) n += postings_offsets_[v + 1] - postings_offsets_[v];
    return n;
  };
  std::vector<std::size_t> sources{whole_slot};
  std::size_t rarest = whole_slot;
  for (std::size_t i = 0; i < q.tokens.size(); ++i) {
    if (q.tokens[i].word != no_word || q.tokens[i].key.empty()) continue;
    if (rarest == whole_slot || postings_of(i) < postings_of(rarest)) rarest = i;
  }
  if (rarest != whole_slot) {
    sources.push_back(rarest);
  } else {
    for (std::size_t i = 0; i < q.tokens.size(); ++i) sources.push_back(i);  // only place words
  }
  if (s.variant_stamp_.size() != variant_doc_.size()) s.variant_stamp_.assign(variant_doc_.size(), 0);
  if (++s.stamp_ == 0) {
    std::fill(s.variant_stamp_.begin(), s.variant_stamp_.end(), 0);
    s.stamp_ = 1;
  }
  s.candidates_.clear();
  for (auto const slot : sources) {
    for (auto const v : s.touched_[slot]) {
      for (auto p = postings_offsets_[v]; p < postings_offsets_[v + 1]; ++p) {
        auto const var = postings_[p];
        if (s.variant_stamp_[var] == s.stamp_) continue;
        s.variant_stamp_[var] = s.stamp_;
        s.candidates_.push_back(var);
      }
    }
  }

  auto const n_words = static_cast<std::uint32_t>(place_words().size());
  if (s.doc_hit_.size() != n_docs()) s.doc_hit_.assign(n_docs(), -1);
  for (auto const var : s.candidates_) {
    auto const first = variant_token_offsets_[var], last = variant_token_offsets_[var + 1];
    std::optional<match_quality> best;
    auto const consider = [&](match_quality const& mq) {
      if (!best || mq.packed() < best->packed()) best = mq;
    };
    // Word by word, in any order, each query word on its own name word.
    {
      std::uint32_t used = 0;
      match_quality mq;
      auto ok = true, any = false;
      for (std::size_t i = 0; i < q.tokens.size() && ok; ++i) {
        std::uint8_t best_code = none;
        std::uint32_t best_j = 0;
        for (auto j = first; j < last; ++j) {
          auto const c = s.codes_[i][variant_tokens_[j]];
          if (c != none && (used & (1U << (j - first))) == 0 && (best_code == none || c < best_code)) {
            best_code = c;
            best_j = j;
          }
        }
        if (best_code == none) {
          if (q.tokens[i].word != no_word) ++mq.missing_words;  // "Kabushima Shrine": the shrine may be unnamed
          else ok = false;
          continue;
        }
        any = true;
        used |= 1U << (best_j - first);
        impl::add_quality(mq, best_code);
      }
      if (ok && any) {
        for (auto j = first; j < last; ++j) {
          if ((used & (1U << (j - first))) != 0) continue;
          if (variant_tokens_[j] < n_words) ++mq.extra_place_words;
          else ++mq.extra_words;
        }
        consider(mq);
      }
    }
    // The whole query on the whole name ("hachinoheeki"), or on one word of it.
    if (auto const c = s.codes_[whole_slot][variant_whole_[var]]; c != none) {
      match_quality mq;
      impl::add_quality(mq, c);
      consider(mq);
    } else {
      for (auto j = first; j < last; ++j) {
        auto const cj = s.codes_[whole_slot][variant_tokens_[j]];
        if (cj == none) continue;
        match_quality mq;
        impl::add_quality(mq, cj);
        for (auto k = first; k < last; ++k) {
          if (k == j) continue;
          if (variant_tokens_[k] < n_words) ++mq.extra_place_words;
          else ++mq.extra_words;
        }
        consider(mq);
      }
    }
    if (!best) continue;
    auto const doc = variant_doc_[var];
    auto& slot = s.doc_hit_[doc];
    if (slot < 0) {
      slot = static_cast<std::int32_t>(out.size());
      out.push_back(hit{doc, variant_name_[var], *best});
    } else if (best->packed() < out[static_cast<std::size_t>(slot)].quality.packed()) {
      out[static_cast<std::size_t>(slot)].quality = *best;
      out[static_cast<std::size_t>(slot)].name = variant_name_[var];
    }
  }
  for (auto const& h : out) s.doc_hit_[h.doc] = -1;
}

}  // namespace nebuta::search
