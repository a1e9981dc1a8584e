#include "svg.h"

#include <array>
#include <cmath>
#include <cstdio>

namespace nebuta::report::detail {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (auto const c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string s{buffer};
  // "-0.0" and friends read as a sign error to a planner.
  if (s.front() == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

std::string compact(double value, int max_decimals) {
  auto s = fixed(value, max_decimals);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

std::string clock(std::int64_t seconds) {
  auto const sign = seconds < 0 ? "-" : "";
  if (seconds < 0) seconds = -seconds;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%s%lld:%02lld", sign, static_cast<long long>(seconds / 3600),
                static_cast<long long>(seconds % 3600 / 60));
  return buffer;
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!(hi > lo)) hi = lo + 1;
  auto const raw = (hi - lo) / std::max(target, 1);
  auto const magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  auto step = magnitude;
  for (double const m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * magnitude;
    if (step >= raw * (1 - 1e-9)) break;
  }
  std::vector<double> ticks;
  auto const first = static_cast<long long>(std::floor(lo / step + 1e-9));
  auto const last = std::min(static_cast<long long>(std::ceil(hi / step - 1e-9)), first + 4 * target + 4);
  for (auto k = first; k <= last; ++k) {
    auto const v = static_cast<double>(k) * step;
    ticks.push_back(v == 0 ? 0.0 : v);
  }
  return ticks;
}

std::string page_begin(std::string_view title, std::string_view lang) {
  std::string s = "<!DOCTYPE html>\n<html lang=\"" + escape(lang) +
                  "\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  s += escape(title);
  s += "</title>\n<style>\n"
       "body{font-family:system-ui,-apple-system,\"Segoe UI\",\"Hiragino Sans\",\"Noto Sans CJK JP\",sans-serif;"
       "color:#222;max-width:980px;margin:24px auto;padding:0 16px;line-height:1.4}\n"
       "h1{font-size:1.6em;margin-bottom:4px}h2{font-size:1.2em;margin-top:28px;border-bottom:1px solid #ccc}\n"
       "p.note{color:#555;font-size:.9em;margin:4px 0}\n"
       "#summary{border:2px solid #0072b2;padding:4px 16px;margin:12px 0;font-size:1.1em}\n"
       "tr.suggested td{background:#e6f2e6;font-weight:bold}\n"
       "table{border-collapse:collapse;font-size:.9em;margin:8px 0}\n"
       "th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}\n"
       "td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
       "th{background:#f2f2f2}\n"
       "figure{margin:12px 0;break-inside:avoid;page-break-inside:avoid}\n"
       "figcaption{font-size:.9em;color:#444}\n"
       "svg{width:100%;height:auto;display:block}\n"
       "svg text{font-family:inherit;font-size:12px;fill:#222}\n"
       "svg .axis{stroke:#444;stroke-width:1}svg .grid{stroke:#e3e3e3;stroke-width:1}\n"
       "a{color:#1f5fa8}\n"
       "@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}"
       "h2{break-after:avoid;page-break-after:avoid}tr{break-inside:avoid}}\n"
       "</style>\n</head>\n<body>\n";
  return s;
}

std::string page_end() { return "</body>\n</html>\n"; }

namespace {
// Colour-blind-safe (Okabe-Ito) first, then darker variants.
constexpr std::array<std::string_view, 8> palette{"#0072b2", "#e69f00", "#009e73", "#cc79a7",
                                                  "#d55e00", "#56b4e9", "#000000", "#999933"};
constexpr std::array<std::string_view, 4> dashes{"", "6 3", "2 3", "8 3 2 3"};
}  // namespace

std::string_view series_colour(std::size_t i) { return palette[i % palette.size()]; }
std::string_view series_dash(std::size_t i) { return dashes[(i / palette.size()) % dashes.size()]; }

double frame::px(double x) const {
  auto const span = x_max - x_min;
  return left + (span > 0 ? (x - x_min) / span : 0.5) * plot_width();
}

double frame::py(double y) const {
  auto const span = y_max - y_min;
  return top + plot_height() - (span > 0 ? (y - y_min) / span : 0.0) * plot_height();
}

std::string svg_begin(frame const& f, std::string_view title, std::string_view id) {
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"" + escape(id) + "\" viewBox=\"0 0 " +
                  compact(f.width, 1) + " " + compact(f.height, 1) + "\" role=\"img\"><title>" + escape(title) +
                  "</title>\n";
  return s;
}

std::string axes(frame const& f, std::vector<tick> const& x_ticks, std::vector<tick> const& y_ticks,
                 std::string_view x_title, std::string_view y_title) {
  std::string s = "<g class=\"axes\">\n";
  auto const x0 = fixed(f.left, 1);
  auto const x1 = fixed(f.left + f.plot_width(), 1);
  auto const y_bottom = fixed(f.top + f.plot_height(), 1);
  for (auto const& t : y_ticks) {
    auto const y = fixed(f.py(t.value), 1);
    s += "<line class=\"grid\" x1=\"" + x0 + "\" y1=\"" + y + "\" x2=\"" + x1 + "\" y2=\"" + y + "\"/>";
    s += "<text x=\"" + fixed(f.left - 6, 1) + "\" y=\"" + y + "\" text-anchor=\"end\" dominant-baseline=\"middle\">" +
         escape(t.label) + "</text>\n";
  }
  for (auto const& t : x_ticks) {
    auto const x = fixed(f.px(t.value), 1);
    s += "<line class=\"axis\" x1=\"" + x + "\" y1=\"" + y_bottom + "\" x2=\"" + x + "\" y2=\"" +
         fixed(f.top + f.plot_height() + 4, 1) + "\"/>";
    s += "<text x=\"" + x + "\" y=\"" + fixed(f.top + f.plot_height() + 17, 1) + "\" text-anchor=\"middle\">" +
         escape(t.label) + "</text>\n";
  }
  s += "<line class=\"axis\" x1=\"" + x0 + "\" y1=\"" + y_bottom + "\" x2=\"" + x1 + "\" y2=\"" + y_bottom + "\"/>";
  s += "<line class=\"axis\" x1=\"" + x0 + "\" y1=\"" + fixed(f.top, 1) + "\" x2=\"" + x0 + "\" y2=\"" + y_bottom +
       "\"/>\n";
  s += "<text x=\"" + fixed(f.left + f.plot_width() / 2, 1) + "\" y=\"" + fixed(f.top + f.plot_height() + 38, 1) +
       "\" text-anchor=\"middle\">" + escape(x_title) + "</text>\n";
  auto const yc = fixed(f.top + f.plot_height() / 2, 1);
  s += "<text x=\"14\" y=\"" + yc + "\" text-anchor=\"middle\" transform=\"rotate(-90 14 " + yc + ")\">" +
       escape(y_title) + "</text>\n";
  s += "</g>\n";
  return s;
}

std::string legend_swatch(double x, double y, std::string_view colour, std::string_view label, bool line,
                          std::string_view dash) {
  std::string s;
  if (line) {
    s += "<line x1=\"" + fixed(x, 1) + "\" y1=\"" + fixed(y, 1) + "\" x2=\"" + fixed(x + 18, 1) + "\" y2=\"" +
         fixed(y, 1) + "\" stroke=\"" + std::string{colour} + "\" stroke-width=\"2.5\"";
    if (!dash.empty()) s += " stroke-dasharray=\"" + std::string{dash} + "\"";
    s += "/>";
  } else {
    s += "<rect x=\"" + fixed(x, 1) + "\" y=\"" + fixed(y - 6, 1) + "\" width=\"12\" height=\"12\" fill=\"" +
         std::string{colour} + "\"/>";
  }
  s += "<text x=\"" + fixed(x + (line ? 24 : 17), 1) + "\" y=\"" + fixed(y, 1) + "\" dominant-baseline=\"middle\">" +
       escape(label) + "</text>\n";
  return s;
}

}  // namespace nebuta::report::detail
