// HTML of the clinical-form entry screen (forms_view.h): every item from the
// YAML definition, the check messages next to their items, the judgment panel.
#include "appcore/web/forms_view.h"

namespace nanbyo::web {
namespace {

using forms::FieldDef;
using forms::FieldType;

struct Problems {
  std::map<std::string, std::vector<std::string>> texts;  // field id -> messages
  std::set<std::string> cells;                            // "<id>.<row>.<column>"
};

Problems problems_of(const appcore::FormEvaluation& eval) {
  Problems p;
  for (const auto& m : eval.messages) {
    p.texts[m.field].push_back(m.text);
    if (m.row >= 0) p.cells.insert(m.field + "." + std::to_string(m.row) + "." + m.column);
  }
  return p;
}

std::vector<forms::ChoiceDef> choices_of(const FieldDef& f) {
  if (!f.choices.empty() || f.type != FieldType::YesNo) return f.choices;
  return {{"yes", "あり"}, {"no", "なし"}};
}

void invalid_attrs(Html& h, bool invalid, const std::string& id) {
  if (invalid) h << raw(" aria-invalid=\"true\" aria-describedby=\"err-") << id << raw("\"");
}

void select_control(Html& h, const FieldDef& f, const std::string& value, bool invalid) {
  h << raw("<select id=\"f-") << f.id << raw("\" name=\"v.") << f.id << raw("\"");
  invalid_attrs(h, invalid, f.id);
  h << raw("><option value=\"\">（未選択）</option>");
  for (const auto& c : choices_of(f)) {
    h << raw("<option value=\"") << c.value << raw("\"") << raw(c.value == value ? " selected" : "")
      << raw(">") << c.label << raw("</option>");
  }
  h << raw("</select>");
}

void table_control(Html& h, const FieldDef& f, const forms::FieldValue& v, const Problems& p) {
  const std::size_t rows = std::min(f.max_rows, v.rows.size() + 2);
  h << raw("<table class=\"entry-table\" id=\"f-") << f.id
    << raw("\"><thead><tr><th scope=\"col\">行</th>");
  for (const auto& c : f.columns)
    h << raw("<th scope=\"col\">") << c.label << (c.unit.empty() ? "" : "（" + c.unit + "）")
      << raw("</th>");
  h << raw("</tr></thead><tbody>");
  for (std::size_t r = 0; r < rows; ++r) {
    h << raw("<tr><th scope=\"row\">") << static_cast<int64_t>(r + 1) << raw("</th>");
    for (const auto& c : f.columns) {
      const std::string name = f.id + "." + std::to_string(r) + "." + c.id;
      std::string value;
      if (r < v.rows.size() && v.rows[r].count(c.id)) value = v.rows[r].at(c.id);
      const bool bad = p.cells.count(name) > 0;
      const std::string label = f.label + " " + std::to_string(r + 1) + "行目 " + c.label;
      if (c.type == FieldType::Choice || c.type == FieldType::YesNo) {
        h << raw("<td><select name=\"v.") << name << raw("\" aria-label=\"") << label << raw("\"")
          << raw(bad ? " class=\"invalid\"" : "");
        invalid_attrs(h, bad, f.id);
        h << raw("><option value=\"\">（未選択）</option>");
        for (const auto& o : choices_of(c))
          h << raw("<option value=\"") << o.value << raw("\"")
            << raw(o.value == value ? " selected" : "") << raw(">") << o.label << raw("</option>");
        h << raw("</select></td>");
        continue;
      }
      h << raw("<td><input type=\"") << raw(c.type == FieldType::Date ? "date" : "text")
        << raw("\" name=\"v.") << name << raw("\" value=\"") << value << raw("\" aria-label=\"")
        << label << raw("\"") << raw(bad ? " class=\"invalid\"" : "");
      invalid_attrs(h, bad, f.id);
      h << raw("></td>");
    }
    h << raw("</tr>");
  }
  h << raw("</tbody></table>");
}

// 医療機関情報 the server fills from the registering doctor's designation:
// shown, never an input (issue 18).
void designated_html(Html& h, const FieldDef& f, const forms::FieldValue& v) {
  h << raw("<div class=\"field designated\" id=\"w-") << f.id << raw("\"><p class=\"label\">")
    << f.label << raw("</p><p class=\"value\" id=\"f-") << f.id << raw("\">")
    << (v.text.empty() ? "（登録時に指定医・医療機関の登録内容から記入されます）" : v.text)
    << raw("</p></div>");
}

void field_html(Html& h, const FieldDef& f, const forms::FieldValue& v, const Problems& p) {
  if (f.from_designation) {
    designated_html(h, f, v);
    return;
  }
  auto it = p.texts.find(f.id);
  const bool invalid = it != p.texts.end();
  h << raw("<div class=\"field") << raw(invalid ? " invalid" : "") << raw("\" id=\"w-") << f.id
    << raw("\">");
  const bool group = f.type == FieldType::MultiChoice;
  if (group) {
    h << raw("<fieldset class=\"choices\"><legend>") << f.label << raw("</legend>");
  } else if (f.type == FieldType::Table) {
    h << raw("<p class=\"label\">") << f.label << raw("</p>");
  } else {
    h << raw("<label for=\"f-") << f.id << raw("\">") << f.label;
    if (f.required) h << raw("<span class=\"req\">必須</span>");
    h << raw("</label>");
  }
  switch (f.type) {
    case FieldType::Choice:
    case FieldType::YesNo:
      select_control(h, f, v.text, invalid);
      break;
    case FieldType::MultiChoice:
      for (const auto& c : f.choices) {
        const bool on = std::find(v.items.begin(), v.items.end(), c.value) != v.items.end();
        h << raw("<label class=\"check\"><input type=\"checkbox\" name=\"v.")
          << f.id + "." + c.value << raw("\" value=\"1\"") << raw(on ? " checked" : "") << raw("> ")
          << c.label << raw("</label>");
      }
      h << raw("</fieldset>");
      break;
    case FieldType::Table:
      table_control(h, f, v, p);
      break;
    default: {
      h << raw("<input id=\"f-") << f.id << raw("\" name=\"v.") << f.id
        << raw(f.type == FieldType::Date ? "\" type=\"date\"" : "\" type=\"text\"")
        << raw(f.type == FieldType::Number ? " inputmode=\"decimal\" class=\"short\"" : "")
        << raw(" value=\"") << v.text << raw("\"");
      invalid_attrs(h, invalid, f.id);
      h << raw(">");
      if (!f.unit.empty()) h << raw("<span class=\"unit\">") << f.unit << raw("</span>");
    }
  }
  if (!f.calculated_by.empty())
    h << raw(
        " <button type=\"submit\" name=\"action\" value=\"calculate\" "
        "class=\"secondary small\" data-calc>自動計算</button>");
  if (invalid) {
    h << raw("<p class=\"field-error\" id=\"err-") << f.id << raw("\">");
    for (std::size_t i = 0; i < it->second.size(); ++i) h << raw(i ? "<br>" : "") << it->second[i];
    h << raw("</p>");
  }
  h << raw("</div>");
}

}  // namespace

Html entry_form(const RequestContext& ctx, const forms::FormDefinition& def,
                const forms::FormValues& values, const appcore::FormEvaluation& eval,
                const std::string& action) {
  const Problems p = problems_of(eval);
  Html h;
  h << raw("<form method=\"post\" action=\"") << action
    << raw("\" class=\"clinical-form\" novalidate>") << Html().csrf_field(ctx.csrf_token)
    << raw("<input type=\"hidden\" name=\"definition\" value=\"") << def.id << raw("\">");
  static const forms::FieldValue none;
  // The seed's tabs (基本情報, 追加基本情報, 診断基準, 臨床所見, 治療その他, 重症度分類,
  // 人工呼吸器, 体外式補助人工心臓, 指定医・医療機関) as links to the sections.
  h << raw("<nav class=\"form-tabs\" aria-label=\"個人票の項目\"><ul>");
  for (const auto& s : def.sections)
    h << raw("<li><a href=\"#s-") << s.id << raw("\">") << s.title << raw("</a></li>");
  h << raw("</ul></nav>");
  for (const auto& s : def.sections) {
    h << raw("<fieldset class=\"form-section\" id=\"s-") << s.id << raw("\"><legend>") << s.title
      << raw("</legend>");
    for (const auto& id : s.fields) {
      const FieldDef* f = def.field(id);
      if (!f) continue;
      auto v = values.find(id);
      field_html(h, *f, v == values.end() ? none : v->second, p);
    }
    h << raw("</fieldset>");
  }
  h << raw(
      "<div class=\"actions sticky\"><button type=\"submit\" name=\"action\" value=\"save\">"
      "一時保存</button><button type=\"submit\" name=\"action\" value=\"check\" "
      "class=\"secondary\">入力チェック</button><button type=\"submit\" name=\"action\" "
      "value=\"calculate\" class=\"secondary\">自動計算</button></div></form>");
  return h;
}

Html check_summary(const appcore::FormEvaluation& eval, const forms::FormDefinition& def) {
  Html h;
  if (eval.messages.empty()) {
    h << raw(
        "<p class=\"notice ok\" role=\"status\" id=\"check-result\">入力チェック: "
        "誤りや未入力の必須項目はありません。</p>");
    return h;
  }
  h << raw("<div class=\"notice error\" role=\"alert\" id=\"check-result\"><p>入力チェック: ")
    << static_cast<int64_t>(eval.messages.size())
    << raw("件の指摘があります（一時保存はできます。登録には修正が必要です）。</p><ul>");
  for (const auto& m : eval.messages) {
    const auto* f = def.field(m.field);
    h << raw("<li><a href=\"#w-") << m.field << raw("\">") << (f ? f->label : m.field)
      << raw("</a>: ") << m.text << raw("</li>");
  }
  h << raw("</ul></div>");
  return h;
}

Html judgment_panel(const std::vector<forms::JudgmentResult>& judgments) {
  Html h;
  h << raw(
      "<section class=\"judgment-panel\" id=\"judgment\" aria-labelledby=\"judgment-h\">"
      "<h2 id=\"judgment-h\">機械判定</h2>");
  if (judgments.empty()) {
    h << raw("<p>この様式には機械判定がありません。</p></section>");
    return h;
  }
  h << raw(
      "<p>判定基準による判定と、入力された区分との整合を表示します。不整合があっても登録できます。"
      "</p><table><thead><tr><th scope=\"col\">項目</th><th scope=\"col\">基準による判定</th>"
      "<th scope=\"col\">入力</th><th scope=\"col\">整合</th></tr></thead><tbody>");
  for (const auto& j : judgments) {
    h << raw("<tr class=\"") << raw(j.consistent ? "consistent" : "inconsistent") << raw("\"><td>")
      << j.label << raw("</td><td>") << (j.computed_label.empty() ? j.computed : j.computed_label)
      << raw("</td><td>")
      << (j.entered.empty() ? "（未入力）" : j.entered_label)
      // Nothing entered: nothing to compare (computed-only items, or left empty).
      << raw("</td><td>")
      << (j.entered.empty() ? "－（比較なし）"
          : j.consistent    ? "整合"
                            : "不整合");
    for (const auto& m : j.messages)
      h << raw("<br><span class=\"judgment-message\">") << m << raw("</span>");
    h << raw("</td></tr>");
  }
  h << raw("</tbody></table></section>");
  return h;
}

Html history_table(const std::vector<appcore::WorkflowEntry>& entries, const Html& at_header) {
  Html h;
  h << raw("<table class=\"history\"><thead><tr>");
  if (at_header.str().empty())
    h << raw("<th scope=\"col\">日時</th>");
  else
    h << at_header;
  h << raw(
      "<th scope=\"col\">操作者"
      "</th><th scope=\"col\">経路</th><th scope=\"col\">状態</th><th scope=\"col\">コメント"
      "</th></tr></thead><tbody>");
  for (const auto& e : entries) {
    h << raw("<tr><td>") << e.at << raw("</td><td class=\"mono\">") << e.actor << raw("</td><td>")
      << e.from_user << (e.to_user.empty() ? "" : " → " + e.to_user) << raw("</td><td>")
      << status_label(e.status) << raw("</td><td>") << e.comment << raw("</td></tr>");
  }
  h << raw("</tbody></table>");
  return h;
}

}  // namespace nanbyo::web
