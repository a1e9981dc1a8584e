// Error codes and their messages in English and Japanese.
#include <algorithm>
#include <array>
#include <cctype>

#include "nebuta/api_service/service.h"
#include "nebuta/api_service/text_fold.h"

namespace nebuta::api_service {
namespace {

struct message_text {
  std::string_view code, en, ja;
};

// {0}, {1}, ... are the error's arguments.
constexpr std::array messages{
    message_text{"missing_parameter", "missing required parameter '{0}'", "必須パラメータ「{0}」がありません"},
    message_text{"invalid_parameter", "invalid value for '{0}': {1}", "「{0}」の値が不正です: {1}"},
    message_text{"unknown_parameter", "unknown parameter '{0}'", "不明なパラメータ「{0}」です"},
    message_text{"duplicate_parameter", "parameter '{0}' given more than once", "パラメータ「{0}」が複数回指定されています"},
    message_text{"too_many_parameters", "too many query parameters (at most {0})", "クエリパラメータが多すぎます（最大{0}個）"},
    message_text{"parameter_too_long", "parameter '{0}' is too long (at most {1} bytes)",
                 "パラメータ「{0}」が長すぎます（最大{1}バイト）"},
    message_text{"invalid_utf8", "parameter '{0}' is not valid UTF-8 (percent-encode UTF-8 text)",
                 "パラメータ「{0}」が正しいUTF-8ではありません"},
    message_text{"invalid_date", "'{0}' must be a date YYYY-MM-DD, got '{1}'",
                 "「{0}」はYYYY-MM-DD形式の日付で指定してください（指定値: {1}）"},
    message_text{"date_out_of_range", "date {0} is outside the timetable ({1} to {2})",
                 "日付 {0} は時刻表の期間外です（{1}〜{2}）"},
    message_text{"invalid_time", "'{0}' must be a time HH:MM, got '{1}'",
                 "「{0}」はHH:MM形式の時刻で指定してください（指定値: {1}）"},
    message_text{"invalid_coordinate", "invalid coordinate '{0}': latitude must be within ±90 and longitude within ±180",
                 "座標「{0}」が不正です（緯度は±90、経度は±180の範囲）"},
    message_text{"invalid_window", "'{0}' must be a duration like 2h, 90m or 1h30m, got '{1}'",
                 "「{0}」は2h、90m、1h30mのような時間で指定してください（指定値: {1}）"},
    message_text{"window_too_large", "the window must be between 1 minute and {0} minutes",
                 "時間幅は1分から{0}分の間で指定してください"},
    message_text{"depart_or_arrive", "give exactly one of 'depart' and 'arrive'",
                 "「depart」と「arrive」のどちらか一方だけを指定してください"},
    message_text{"window_needs_depart", "'window' goes with 'depart', not 'arrive'",
                 "「window」は「depart」と一緒に指定してください（「arrive」とは併用できません）"},
    message_text{"unknown_stop", "no stop with id or name '{0}'", "IDまたは名前が「{0}」の停留所はありません"},
    message_text{"ambiguous_place", "'{0}' is ambiguous; use a stop id:{1}",
                 "「{0}」は複数の停留所に該当します。停留所IDを指定してください:{1}"},
    message_text{"no_platforms", "stop '{0}' has no platforms with service", "停留所「{0}」には運行のある乗り場がありません"},
    message_text{"too_many_place_pairs", "too many candidate stops ({0} x {1}); use stop ids",
                 "候補の停留所が多すぎます（{0} × {1}）。停留所IDを指定してください"},
    message_text{"walk_radius_too_large", "walk_radius {0} exceeds the precomputed walking links ({1} m)",
                 "walk_radius {0} が事前計算された徒歩リンクの範囲（{1} m）を超えています"},
    message_text{"max_legs_too_large", "max_legs must be between 1 and {0}", "max_legsは1から{0}の間で指定してください"},
    message_text{"unknown_route", "no route with id '{0}'", "ID「{0}」の路線はありません"},
    message_text{"unknown_trip", "no trip with id '{0}'", "ID「{0}」の便はありません"},
    message_text{"not_found", "no such endpoint: {0}", "そのようなエンドポイントはありません: {0}"},
    message_text{"method_not_allowed", "method {0} is not allowed here (allowed: {1})",
                 "メソッド {0} はここでは使えません（使用可能: {1}）"},
    message_text{"malformed_body", "malformed request body: {0}", "リクエスト本文が不正です: {0}"},
    message_text{"unsupported_media_type", "unsupported Content-Type '{0}'; send application/json or application/x-protobuf",
                 "Content-Type「{0}」には対応していません。application/json か application/x-protobuf を使ってください"},
    message_text{"not_acceptable", "cannot answer as '{0}'; accept application/json or application/x-protobuf",
                 "「{0}」形式では応答できません。application/json か application/x-protobuf を受け付けてください"},
    message_text{"body_too_large", "request body too large (at most {0} bytes)", "リクエスト本文が大きすぎます（最大{0}バイト）"},
    message_text{"uri_too_long", "request URI too long (at most {0} bytes)", "リクエストURIが長すぎます（最大{0}バイト）"},
    message_text{"deadline_exceeded", "the request needed more than {0} ms of computing; narrow it (shorter window, stop ids)",
                 "計算時間が{0}ミリ秒を超えました。条件を絞ってください（短い時間幅、停留所IDの指定）"},
    message_text{"bad_request", "malformed HTTP request: {0}", "HTTPリクエストの形式が不正です: {0}"},
    message_text{"headers_too_large", "request header block too large: {0}", "リクエストヘッダーが大きすぎます: {0}"},
    message_text{"version_not_supported", "HTTP version not supported: {0}", "このHTTPバージョンには対応していません: {0}"},
    message_text{"expectation_failed", "cannot meet the expectation: {0}", "Expectヘッダーの要求には応じられません: {0}"},
    message_text{"rate_limited", "too many requests from this address; retry in {0} s",
                 "このアドレスからのリクエストが多すぎます。{0}秒後に再試行してください"},
    message_text{"overloaded", "the server has too many open connections; retry later",
                 "サーバーの接続数が上限に達しています。しばらくしてから再試行してください"},
    message_text{"internal", "internal error", "内部エラーが発生しました"},
};

message_text const* find_message(std::string_view code) {
  auto const it = std::find_if(messages.begin(), messages.end(), [&](auto const& m) { return m.code == code; });
  return it == messages.end() ? nullptr : &*it;
}

std::string substitute(std::string_view tmpl, std::span<std::string const> args) {
  std::string out;
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

// Japanese when the client asked for it before English; the ja-Hrkt / ja fallbacks that
// make_lang_chain appends for names do not count as asking.
bool wants_japanese(lang_chain const& chain) {
  for (std::size_t i = 0; i < chain.size(); ++i) {
    auto const& l = chain[i];
    if (l == "ja-Hrkt" && i > 0) return false;
    if (l.starts_with("ja")) return true;
    if (l.starts_with("en")) return false;
  }
  return false;
}

}  // namespace

api_error::api_error(int status, std::string code, std::vector<std::string> args)
    : std::runtime_error{error_message(code, args, {})},
      status_{status},
      code_{std::move(code)},
      args_{std::move(args)} {}

std::string error_message(std::string_view code, std::span<std::string const> args, lang_chain const& chain) {
  auto const* m = find_message(code);
  if (m == nullptr) return std::string{code};
  return substitute(wants_japanese(chain) ? m->ja : m->en, args);
}

v1::Error error_to_message(api_error const& e, lang_chain const& chain) {
  v1::Error out;
  out.set_code(e.code());
  out.set_message(error_message(e.code(), e.args(), chain));
  for (auto const& c : e.candidates()) *out.add_candidates() = c;
  return out;
}

}  // namespace nebuta::api_service
