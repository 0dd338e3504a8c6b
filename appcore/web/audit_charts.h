// Daily bar charts of the auditor's console (issue 17, S-7) as inline SVG made
// on the server: no script and no inline style, so the strict CSP stays as it
// is (colours come from app.css by class). Each chart is followed by the same
// numbers as a table (folded), for screen readers and for copying.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "appcore/web/html.h"

namespace nanbyo::web {

struct ChartSeries {
  std::string label;                  // Japanese, shown in the legend
  std::vector<std::uint64_t> values;  // one per day
};

// Grouped bars, one group per day (`days`: YYYY-MM-DD), one bar per series.
// `id` names the figure (unique on the page).
Html daily_bar_chart(std::string_view id, std::string_view title,
                     const std::vector<std::string>& days, const std::vector<ChartSeries>& series);

}  // namespace nanbyo::web
