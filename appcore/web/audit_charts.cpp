#include "appcore/web/audit_charts.h"

#include <algorithm>

namespace nanbyo::web {
namespace {

constexpr int kWidth = 760, kHeight = 260;
constexpr int kLeft = 56, kRight = 12, kTop = 16, kBottom = 24;
constexpr std::size_t kColours = 6;  // .series-0 ... .series-5 in app.css

// An axis maximum at or above `value` whose quarters are round whole numbers
// (4, 8, 12, 16, 20, 24, 32, 40, 60, 80, 100, 120, ...).
std::uint64_t axis_max(std::uint64_t value) {
  const std::uint64_t quarter = (std::max<std::uint64_t>(value, 4) + 3) / 4;
  for (std::uint64_t step = 1;; step *= 10) {
    for (std::uint64_t m : {1, 2, 3, 4, 5, 6, 8, 10}) {
      if (m * step >= quarter) return 4 * m * step;
    }
  }
}

std::string series_class(std::size_t i) {
  return "series-" + std::to_string(i % kColours);
}

}  // namespace

Html daily_bar_chart(std::string_view id, std::string_view title,
                     const std::vector<std::string>& days, const std::vector<ChartSeries>& series) {
  std::uint64_t largest = 1;
  for (const auto& s : series) {
    for (auto v : s.values) largest = std::max(largest, v);
  }
  const std::uint64_t top = axis_max(largest);
  const int plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  const int group_w = days.empty() ? plot_w : plot_w / static_cast<int>(days.size());
  const int bar_w =
      std::max(1, (group_w - 4) / static_cast<int>(std::max<std::size_t>(1, series.size())));
  const std::string title_id = std::string(id) + "-title";

  Html h;
  h << raw("<figure class=\"chart\" id=\"") << id << raw("\"><figcaption id=\"") << title_id
    << raw("\">") << title
    << raw("</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" "
           "viewBox=\"0 0 ")
    << kWidth << raw(" ") << kHeight << raw("\" role=\"img\" aria-labelledby=\"") << title_id
    << raw("\">");
  // The grid: four lines with their values.
  for (int i = 0; i <= 4; ++i) {
    const int y = kTop + plot_h - plot_h * i / 4;
    h << raw("<line class=\"grid\" x1=\"") << kLeft << raw("\" x2=\"") << kWidth - kRight
      << raw("\" y1=\"") << y << raw("\" y2=\"") << y << raw("\"/><text class=\"axis\" x=\"")
      << kLeft - 6 << raw("\" y=\"") << y + 4 << raw("\" text-anchor=\"end\">")
      << static_cast<int64_t>(top * static_cast<std::uint64_t>(i) / 4) << raw("</text>");
  }
  const std::size_t label_every = std::max<std::size_t>(1, days.size() / 14);
  for (std::size_t d = 0; d < days.size(); ++d) {
    const int x0 = kLeft + group_w * static_cast<int>(d) + 2;
    for (std::size_t s = 0; s < series.size(); ++s) {
      const std::uint64_t v = d < series[s].values.size() ? series[s].values[d] : 0;
      const int bar_h = static_cast<int>(static_cast<std::uint64_t>(plot_h) * v / top);
      h << raw("<rect class=\"") << series_class(s) << raw("\" x=\"")
        << x0 + bar_w * static_cast<int>(s) << raw("\" y=\"") << kTop + plot_h - bar_h
        << raw("\" width=\"") << bar_w << raw("\" height=\"") << bar_h << raw("\"><title>")
        << days[d] + " " + series[s].label + ": " + std::to_string(v) << raw("</title></rect>");
    }
    if (d % label_every == 0) {
      h << raw("<text class=\"axis\" x=\"") << x0 + group_w / 2 - 2 << raw("\" y=\"")
        << kHeight - kBottom + 16 << raw("\" text-anchor=\"middle\">") << days[d].substr(5)
        << raw("</text>");
    }
  }
  // The legend in HTML, where long Japanese labels wrap.
  h << raw("</svg><ul class=\"chart-legend\">");
  for (std::size_t s = 0; s < series.size(); ++s) {
    h << raw("<li><span class=\"swatch ") << series_class(s) << raw("\"></span>") << series[s].label
      << raw("</li>");
  }
  h << raw("</ul><details><summary>数値を表示</summary><table class=\"chart-data\"><caption>")
    << title << raw("（数値）</caption><thead><tr><th scope=\"col\">日付</th>");
  for (const auto& s : series) h << raw("<th scope=\"col\">") << s.label << raw("</th>");
  h << raw("</tr></thead><tbody>");
  for (std::size_t d = 0; d < days.size(); ++d) {
    h << raw("<tr><th scope=\"row\">") << days[d] << raw("</th>");
    for (const auto& s : series) {
      h << raw("<td>") << static_cast<int64_t>(d < s.values.size() ? s.values[d] : 0)
        << raw("</td>");
    }
    h << raw("</tr>");
  }
  h << raw("</tbody></table></details></figure>");
  return h;
}

}  // namespace nanbyo::web
