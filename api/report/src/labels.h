// The words of the reports in English (default) or Japanese (--report-lang ja): labels, units,
// headings and captions. English text is the key; a text without a Japanese entry stays English.
#pragma once

#include <string>
#include <string_view>

namespace nebuta::report::detail {

class words {
 public:
  explicit words(std::string_view lang) : ja_{lang == "ja"} {}
  bool ja() const { return ja_; }
  std::string_view lang() const { return ja_ ? "ja" : "en"; }
  // The text in the report's language.
  std::string operator()(std::string_view en) const;
  // An amount of money with its currency: "1,234 JPY" / "1,234円"; decimals by currency.
  std::string money(double amount, std::string_view currency) const;
  // Minutes and seconds: "6.1 min (368 s)" / "6.1分 (368秒)".
  std::string duration(double seconds) const;
  std::string minutes(double seconds) const;  // "6.1 min" / "6.1分"

 private:
  bool ja_;
};

// 1234567 → "1,234,567".
std::string with_separators(double value);

}  // namespace nebuta::report::detail
