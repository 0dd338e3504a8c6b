// F-4: machine judgment. Each judgment's outcomes are tried in order; the first
// whose condition holds is what the published criteria give. When the doctor's
// entry differs, the explanation says which conditions hold or fail, in the
// manner of the ministry's screen (「…」が選択されていますが、…).
#include <optional>

#include "appcore/forms/engine.h"
#include "appcore/forms/label_quote.h"

namespace nanbyo::forms {

std::vector<JudgmentResult> judge(const FormDefinition& def, const FormValues& values) {
  std::vector<JudgmentResult> out;
  if (def.judgments.empty()) return out;
  // Scores such as SLEDAI feed severity rules: judged on the values with the
  // calculations applied (a copy only when the definition has calculations).
  std::optional<FormValues> calculated;
  if (!def.calculations.empty()) {
    calculated = values;
    apply_calculations(def, *calculated);
  }
  const FormValues& v = calculated ? *calculated : values;
  for (const auto& j : def.judgments) {
    JudgmentResult r;
    r.id = j.id;
    r.label = j.label;
    const OutcomeDef* computed = nullptr;
    for (const auto& o : j.outcomes)
      if (!o.when || evaluate(*o.when, def, v)) {
        computed = &o;
        break;
      }
    if (computed) {
      r.computed = computed->value;
      r.computed_label = computed->label;
    }
    if (!j.entered.empty()) {
      auto it = v.find(j.entered);
      if (it != v.end()) r.entered = it->second.text;
    }
    const OutcomeDef* entered = nullptr;
    for (const auto& o : j.outcomes)
      if (o.value == r.entered) entered = &o;
    if (entered) r.entered_label = entered->label;
    r.consistent = r.entered.empty() || r.entered == r.computed;
    if (!r.consistent) {
      if (entered && entered->when && !evaluate(*entered->when, def, v)) {
        r.messages.push_back(q(entered->label) +
                             "が選択されていますが、以下の条件を満たしていません。");
        for (auto& line : explain(*entered->when, def, v)) r.messages.push_back("・" + line);
      } else if (!entered) {
        r.messages.push_back(q(r.entered) + "は判定の選択肢にありません。");
      }
      if (computed && computed->when) {
        r.messages.push_back(q(computed->label) +
                             "が選択されていませんが、以下の条件が満たされています。");
        for (auto& line : explain(*computed->when, def, v)) r.messages.push_back("・" + line);
      } else if (computed) {
        r.messages.push_back("基準によれば" + q(computed->label) + "です。");
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace nanbyo::forms
