// F-2: the check every entry path runs. Messages name the item by its label
// and carry the field id (and row/column for tables) so the UI can highlight it.
#include <charconv>
#include <set>

#include "appcore/forms/engine.h"
#include "appcore/forms/label_quote.h"

namespace nanbyo::forms {
namespace {

using Severity = CheckMessage::Severity;

int decimals_of(const std::string& s) {
  auto dot = s.find('.');
  return dot == std::string::npos ? 0 : static_cast<int>(s.size() - dot - 1);
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// Checks one scalar value against its field; appends at most one message.
void check_scalar(const FieldDef& f, const std::string& text, std::vector<CheckMessage>& out,
                  const std::string& field, int row, const std::string& column) {
  // The message starts with the quoted label, built only when there is one
  // (this runs for every item of every form checked).
  auto add = [&](const std::string& rest) {
    out.push_back({field, row, column, Severity::Error, q(f.label) + rest});
  };
  for (unsigned char c : text)
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      add("に使用できない制御文字が含まれています。");  // XML 1.0 cannot carry them
      return;
    }
  switch (f.type) {
    case FieldType::Text:
      if (utf8_length(text) > f.max_length)
        add("は" + std::to_string(f.max_length) + "文字以内で入力してください。");
      break;
    case FieldType::Kana:
      if (!is_katakana(text))
        add("は全角カタカナで入力してください。");
      else if (utf8_length(text) > f.max_length)
        add("は" + std::to_string(f.max_length) + "文字以内で入力してください。");
      break;
    case FieldType::Date:
      if (!is_iso_date(text)) add("は正しい年月日（例: 2025-04-01）で入力してください。");
      break;
    case FieldType::Number: {
      double v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      const bool plain = text.find_first_not_of("0123456789.-") == std::string::npos;
      if (ec != std::errc() || end != text.data() + text.size() || !plain) {
        add("は半角数字で入力してください。");
      } else if ((f.min && v < *f.min) || (f.max && v > *f.max)) {
        add("は" + (f.min ? number_text(*f.min) : "") + "〜" + (f.max ? number_text(*f.max) : "") +
            f.unit + "の範囲で入力してください。");
      } else if (f.decimals >= 0 && decimals_of(text) > f.decimals) {
        add("は小数点以下" + std::to_string(f.decimals) + "桁までで入力してください。");
      }
      break;
    }
    case FieldType::Choice:
    case FieldType::YesNo:
      if (!f.choice(text)) add("の選択肢にない値です。");
      break;
    default:
      break;
  }
}

void check_table(const FieldDef& f, const FieldValue& v, std::vector<CheckMessage>& out) {
  if (v.rows.size() > f.max_rows)
    out.push_back({f.id, -1, "", Severity::Error,
                   q(f.label) + "は" + std::to_string(f.max_rows) + "行以内で入力してください。"});
  for (std::size_t r = 0; r < v.rows.size(); ++r) {
    const auto& row = v.rows[r];
    for (const auto& [col, text] : row) {
      bool known = false;
      for (const auto& c : f.columns) known = known || c.id == col;
      if (!known)
        out.push_back(
            {f.id, static_cast<int>(r), col, Severity::Error, q(f.label) + "にない列です: " + col});
    }
    for (const auto& c : f.columns) {
      auto it = row.find(c.id);
      const int ri = static_cast<int>(r);
      if (it == row.end() || it->second.empty()) {
        if (c.required)
          out.push_back({f.id, ri, c.id, Severity::Missing,
                         q(f.label) + "の" + std::to_string(r + 1) + "行目" + q(c.label) +
                             "を入力してください。"});
        continue;
      }
      check_scalar(c, it->second, out, f.id, ri, c.id);
    }
  }
}

}  // namespace

std::vector<CheckMessage> check(const FormDefinition& def, const FormValues& values) {
  std::vector<CheckMessage> out;
  for (const auto& [id, v] : values)
    if (!def.field(id))
      out.push_back({id, -1, "", Severity::Error, "この様式にない項目です: " + id});
  for (const auto& f : def.fields) {
    auto it = values.find(f.id);
    const bool empty = it == values.end() || it->second.empty();
    if (empty) {
      bool required = f.required;
      std::string why;
      if (!required && f.required_when && evaluate(*f.required_when, def, values)) {
        required = true;
        why = "（" + describe(*f.required_when, def) + "ため）";
      }
      if (required) {
        const bool pick = f.type == FieldType::Choice || f.type == FieldType::MultiChoice ||
                          f.type == FieldType::YesNo;
        out.push_back(
            {f.id, -1, "", Severity::Missing,
             q(f.label) + (pick ? "を選択してください。" : "を入力してください。") + why});
      }
      continue;
    }
    const FieldValue& v = it->second;
    const bool shape_ok = f.type == FieldType::MultiChoice ? v.text.empty() && v.rows.empty()
                          : f.type == FieldType::Table     ? v.text.empty() && v.items.empty()
                                                           : v.items.empty() && v.rows.empty();
    if (!shape_ok) {
      out.push_back({f.id, -1, "", Severity::Error, q(f.label) + "の値の形が正しくありません。"});
      continue;
    }
    if (f.type == FieldType::MultiChoice) {
      std::set<std::string> seen;
      for (const auto& item : v.items)
        if (!f.choice(item) || !seen.insert(item).second)
          out.push_back(
              {f.id, -1, "", Severity::Error, q(f.label) + "の選択が正しくありません: " + item});
    } else if (f.type == FieldType::Table) {
      check_table(f, v, out);
    } else {
      check_scalar(f, v.text, out, f.id, -1, "");
    }
  }
  return out;
}

bool has_errors(const std::vector<CheckMessage>& messages) {
  for (const auto& m : messages)
    if (m.severity == Severity::Error) return true;
  return false;
}

}  // namespace nanbyo::forms
