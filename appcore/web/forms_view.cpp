// Values in and JSON out for the clinical-form routes (forms_view.h).
#include "appcore/web/forms_view.h"

namespace nanbyo::web {

using appcore::Role;
using forms::FieldType;

appcore::FormService* forms_of(RequestContext& ctx) {
  return ctx.services.forms;
}

Response no_forms(const RequestContext& ctx) {
  return error_response(ctx, http::status::service_unavailable, "forms-unavailable",
                        "臨床調査個人票の機能は現在利用できません。");
}

bool is_form_doctor(Role role) {
  return role == Role::NanbyoDoctor || role == Role::CooperatingDoctor ||
         role == Role::PediatricDoctor;
}

bool is_form_staff(Role role) {
  return is_form_doctor(role) || role == Role::Clerk;
}

std::string_view status_label(std::string_view status) {
  if (status == "draft") return "一時保存";
  if (status == "submitted") return "指定医へ送付済み";
  if (status == "registered") return "登録済み";
  if (status == "cancelled") return "解除";
  return status;
}

std::string_view certification_label(std::string_view value) {
  if (value == "approved") return "認定";
  if (value == "rejected") return "不認定";
  if (value == "pending") return "保留";
  return value.empty() ? "未記録" : value;
}

namespace {

// "v.<id>.<rest>" -> rest, for fields of one item.
forms::FieldValue table_from_form(const FormData& form, const forms::FieldDef& f) {
  forms::FieldValue v;
  for (std::size_t r = 0; r < f.max_rows; ++r) {
    std::map<std::string, std::string> row;
    for (const auto& c : f.columns) {
      const auto& text = form.get("v." + f.id + "." + std::to_string(r) + "." + c.id);
      if (!text.empty()) row[c.id] = text;
    }
    if (!row.empty()) v.rows.push_back(std::move(row));
  }
  return v;
}

forms::FieldValue from_json(const nlohmann::json& j) {
  forms::FieldValue v;
  if (j.is_string()) {
    v.text = j.get<std::string>();
  } else if (j.is_number() || j.is_boolean()) {
    v.text = j.dump();
  } else if (j.is_array()) {
    for (const auto& item : j) {
      if (item.is_object()) {
        std::map<std::string, std::string> row;
        for (const auto& [k, c] : item.items())
          row[k] = c.is_string() ? c.get<std::string>() : c.dump();
        v.rows.push_back(std::move(row));
      } else {
        v.items.push_back(item.is_string() ? item.get<std::string>() : item.dump());
      }
    }
  }
  return v;
}

}  // namespace

forms::FormValues values_from_request(const RequestContext& ctx, const forms::FormDefinition& def) {
  forms::FormValues out;
  if (ctx.form) {
    for (const auto& f : def.fields) {
      forms::FieldValue v;
      if (f.type == FieldType::Table) {
        v = table_from_form(*ctx.form, f);
      } else if (f.type == FieldType::MultiChoice) {
        for (const auto& c : f.choices)
          if (ctx.form->has("v." + f.id + "." + c.value)) v.items.push_back(c.value);
      } else {
        v.text = ctx.form->get("v." + f.id);
      }
      if (!v.empty()) out[f.id] = std::move(v);
    }
    return out;
  }
  auto it = ctx.json.is_object() ? ctx.json.find("values") : ctx.json.end();
  if (ctx.json.is_object() && it != ctx.json.end() && it->is_object()) {
    for (const auto& [id, j] : it->items()) {
      auto v = from_json(j);
      if (!v.empty()) out[id] = std::move(v);
    }
  }
  return out;
}

nlohmann::json values_to_json(const forms::FormValues& values) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [id, v] : values) {
    if (!v.rows.empty())
      j[id] = v.rows;
    else if (!v.items.empty())
      j[id] = v.items;
    else
      j[id] = v.text;
  }
  return j;
}

nlohmann::json to_json(const appcore::FormPage& page) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& s : page.rows) list.push_back(to_json(s));
  return {{"forms", list}, {"total", page.total}, {"page", page.page}, {"per_page", page.per_page}};
}

nlohmann::json to_json(const appcore::FormSummary& s) {
  return {{"form_id", s.form_id},
          {"definition", s.definition},
          {"title", s.title},
          {"form_type", s.form_type},
          {"version", s.version},
          {"version_accepted_until", s.version_accepted_until},
          {"not_carried", s.not_carried},
          {"status", s.status},
          {"application_type", s.application_type},
          {"hospital", s.hospital},
          {"created_by", s.created_by},
          {"assigned_doctor", s.assigned_doctor},
          {"created_at", s.created_at},
          {"updated_at", s.updated_at},
          {"registered_at", s.registered_at},
          {"access_key", s.access_key},
          {"parent_id", s.parent_id},
          {"insured_number", s.insured_number},
          {"patient_kana", s.patient_kana},
          {"birth_date", s.birth_date},
          {"sex", s.sex},
          {"insurer_number", s.insurer_number},
          {"doctor_name", s.doctor_name},
          {"notice", s.notice},
          {"source", s.source},
          {"certification", s.certification}};
}

nlohmann::json to_json(const forms::JudgmentResult& j) {
  return {{"id", j.id},
          {"label", j.label},
          {"computed", j.computed},
          {"computed_label", j.computed_label},
          {"entered", j.entered},
          {"entered_label", j.entered_label},
          {"consistent", j.consistent},
          {"messages", j.messages}};
}

nlohmann::json to_json(const appcore::FormEvaluation& e) {
  nlohmann::json messages = nlohmann::json::array(), calcs = nlohmann::json::array(),
                 judgments = nlohmann::json::array();
  for (const auto& m : e.messages)
    messages.push_back(
        {{"field", m.field},
         {"row", m.row},
         {"column", m.column},
         {"severity", m.severity == forms::CheckMessage::Severity::Error ? "error" : "missing"},
         {"text", m.text}});
  for (const auto& c : e.calculations)
    calcs.push_back({{"id", c.id},
                     {"target", c.target},
                     {"label", c.label},
                     {"value", c.value ? nlohmann::json(*c.value) : nlohmann::json()},
                     {"note", c.note}});
  for (const auto& j : e.judgments) judgments.push_back(to_json(j));
  return {{"messages", messages}, {"calculations", calcs}, {"judgments", judgments}};
}

nlohmann::json to_json(const appcore::WorkflowEntry& w) {
  return {{"at", w.at},      {"actor", w.actor},   {"from", w.from_user},
          {"to", w.to_user}, {"status", w.status}, {"comment", w.comment}};
}

nlohmann::json to_json(const appcore::PrintView& v) {
  nlohmann::json sections = nlohmann::json::array(), judgments = nlohmann::json::array();
  for (const auto& s : v.sections) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& r : s.rows) rows.push_back({{"label", r.label}, {"value", r.value}});
    sections.push_back({{"title", s.title}, {"rows", rows}});
  }
  for (const auto& j : v.judgments) judgments.push_back(to_json(j));
  return {{"title", v.title},   {"form_type", v.form_type}, {"access_key", v.access_key},
          {"masked", v.masked}, {"sections", sections},     {"judgments", judgments}};
}

}  // namespace nanbyo::web
