// The one error type and the one error catalogue of both APIs (planner and on-demand), the
// HTTP gate included: a stable code per error, its HTTP status, and its message in English,
// Japanese, simplified and traditional Chinese and Korean (docs/http.md lists them all).
#pragma once

#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "nebuta/v1/nebuta.pb.h"

namespace nebuta::api_service {

using lang_chain = std::vector<std::string>;

// An answer for the client instead of a result: HTTP status, the catalogue id of its message and
// the message's arguments (the text itself is chosen per language by error_message()). An id is
// the error's code ("unknown_stop"), or the code and a variant of its message after a dot
// ("unknown_stop.no_timetable": code "unknown_stop"); clients see only the code. what() is the
// English message, for the CLI.
class api_error : public std::runtime_error {
 public:
  api_error(int status, std::string id, std::vector<std::string> args = {});
  int status() const { return status_; }
  std::string_view code() const { return std::string_view{id_}.substr(0, id_.find('.')); }
  std::string const& id() const { return id_; }
  std::vector<std::string> const& args() const { return args_; }
  // ambiguous_place: what the name could mean (v1::Error.candidates).
  std::vector<v1::PlaceCandidate> const& candidates() const { return candidates_; }
  api_error& with_candidates(std::vector<v1::PlaceCandidate> c) {
    candidates_ = std::move(c);
    return *this;
  }

 private:
  int status_;
  std::string id_;
  std::vector<std::string> args_;
  std::vector<v1::PlaceCandidate> candidates_;
};

// The languages of the catalogue, and the one error messages of a request are written in: the
// first tag of the chain that names one of them (zh-Hant also for zh-TW, zh-HK, zh-MO; zh-Hans
// for other zh), English when none does. A kana tag (ja-Hrkt) alone does not count as asking for
// Japanese.
enum class message_language { en, ja, zh_hans, zh_hant, ko };
message_language error_language(lang_chain const& chain);

// One message of the catalogue; {0}, {1}, ... stand for the error's arguments.
struct catalogue_entry {
  std::string_view id, en, ja, zh_hans, zh_hant, ko;
  std::string_view text(message_language l) const;
};
std::span<catalogue_entry const> error_catalogue();
bool known_error(std::string_view id);

// The message of `id` with its arguments (invalid UTF-8 in them replaced by U+FFFD: they often
// echo client input) in the chain's error language; the id itself when it is not in the catalogue.
std::string error_message(std::string_view id, std::span<std::string const> args, lang_chain const& chain);
v1::Error error_to_message(api_error const& e, lang_chain const& chain);

}  // namespace nebuta::api_service
