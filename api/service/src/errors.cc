// Errors of both APIs and the gate (errors.h): the language of a request's messages, and the
// messages themselves from the catalogue (error_catalogue.cc).
#include "nebuta/api_service/errors.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "nebuta/api_service/text_fold.h"

namespace nebuta::api_service {
namespace {

std::string substitute(std::string_view tmpl, std::span<std::string const> args) {
  std::string out;
  out.reserve(tmpl.size() + 32);
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{' && i + 2 < tmpl.size() && std::isdigit(static_cast<unsigned char>(tmpl[i + 1])) &&
        tmpl[i + 2] == '}') {
      auto const k = static_cast<std::size_t>(tmpl[i + 1] - '0');
      // Arguments often echo client input (path segments, parameters): never let invalid
      // UTF-8 through into a JSON answer.
      if (k < args.size()) out += valid_utf8(args[k]) ? args[k] : replace_invalid_utf8(args[k]);
      i += 2;
    } else {
      out += tmpl[i];
    }
  }
  return out;
}

std::string lower_ascii(std::string_view s) {
  std::string out{s};
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The catalogue language a BCP 47 tag names, if any.
std::optional<message_language> language_of(std::string_view tag) {
  auto const t = lower_ascii(tag);
  auto const primary = std::string_view{t}.substr(0, t.find_first_of("-_"));
  if (primary == "en") return message_language::en;
  if (primary == "ja") return message_language::ja;
  if (primary == "ko") return message_language::ko;
  if (primary == "zh") {
    auto const rest = std::string_view{t}.substr(primary.size());
    for (auto const* traditional : {"hant", "tw", "hk", "mo"}) {
      for (std::size_t p = rest.find(traditional); p != std::string_view::npos; p = rest.find(traditional, p + 1)) {
        auto const end = p + std::string_view{traditional}.size();
        if (p > 0 && (rest[p - 1] == '-' || rest[p - 1] == '_') &&
            (end == rest.size() || rest[end] == '-' || rest[end] == '_'))
          return message_language::zh_hant;
      }
    }
    return message_language::zh_hans;
  }
  return std::nullopt;
}

}  // namespace

std::string_view catalogue_entry::text(message_language l) const {
  switch (l) {
    case message_language::en: return en;
    case message_language::ja: return ja;
    case message_language::zh_hans: return zh_hans;
    case message_language::zh_hant: return zh_hant;
    case message_language::ko: return ko;
  }
  return en;
}

bool known_error(std::string_view id) {
  auto const catalogue = error_catalogue();
  return std::any_of(catalogue.begin(), catalogue.end(), [&](auto const& m) { return m.id == id; });
}

message_language error_language(lang_chain const& chain) {
  for (std::size_t i = 0; i < chain.size(); ++i) {
    if (i > 0 && chain[i] == "ja-Hrkt") break;  // the fallbacks for names begin
    if (auto const l = language_of(chain[i])) return *l;
  }
  return message_language::en;
}

api_error::api_error(int status, std::string id, std::vector<std::string> args)
    : std::runtime_error{error_message(id, args, {})}, status_{status}, id_{std::move(id)}, args_{std::move(args)} {}

std::string error_message(std::string_view id, std::span<std::string const> args, lang_chain const& chain) {
  auto const catalogue = error_catalogue();
  auto const it = std::find_if(catalogue.begin(), catalogue.end(), [&](auto const& m) { return m.id == id; });
  if (it == catalogue.end()) return replace_invalid_utf8(id);
  return substitute(it->text(error_language(chain)), args);
}

v1::Error error_to_message(api_error const& e, lang_chain const& chain) {
  v1::Error out;
  out.set_code(std::string{e.code()});
  out.set_message(error_message(e.id(), e.args(), chain));
  for (auto const& c : e.candidates()) *out.add_candidates() = c;
  return out;
}

}  // namespace nebuta::api_service
