#include "appcore/web/route_support.h"

#include "appcore/core/doctor_fields.h"

namespace nanbyo::web {

using appcore::Errc;
using appcore::Role;

http::status status_for(const Error& error) {
  switch (appcore::error_code(error)) {
    case Errc::InvalidInput:
      return http::status::bad_request;
    case Errc::NotFound:
      return http::status::not_found;
    case Errc::Forbidden:
    case Errc::SetupRequired:
      return http::status::forbidden;
    case Errc::Conflict:
    case Errc::WrongStep:
      return http::status::conflict;
    case Errc::AuthFailed:
    case Errc::Expired:
      return http::status::unauthorized;
    case Errc::Locked:
      return http::status::locked;
    case Errc::Throttled:
      return http::status::too_many_requests;
    case Errc::Internal:
      return http::status::internal_server_error;
  }
  return http::status::internal_server_error;
}

std::string japanese_message(const Error& error) {
  const auto code = appcore::error_code(error);
  // The core's texts are English and name the field or the rule; they hold no
  // secret (errors.h), so the operator-facing detail follows the Japanese text.
  const std::string detail = "（詳細: " + std::string(appcore::error_text(error)) + "）";
  switch (code) {
    case Errc::InvalidInput:
      return "入力内容に誤りがあります。" + detail;
    case Errc::NotFound:
      return "対象が見つかりません。" + detail;
    case Errc::Forbidden:
      return "この操作を行う権限がありません。";
    case Errc::Conflict:
      return "既に登録されているか、上限に達しています。" + detail;
    case Errc::AuthFailed:
      return "IDまたはパスワードが正しくないか、この端末ではこのIDを利用できません。";
    case Errc::Locked:
      return "アカウントがロックされています。医療機関責任者または自治体にお問い合わせください。";
    case Errc::Throttled:
      // The text names the seconds to wait ("try again in 8 seconds").
      return "ログインの失敗が続いたため、しばらく待ってから再度お試しください。" + detail;
    case Errc::Expired:
      return "有効期限が切れています。" + detail;
    case Errc::SetupRequired:
      return "初回ログインの手続きを先に完了してください。";
    case Errc::WrongStep:
      return "この手続きは現在の段階では行えません。" + detail;
    case Errc::Internal:
      return "システムエラーが発生しました。時間をおいて再度お試しください。";
  }
  return "エラーが発生しました。";
}

Response error_response(const RequestContext& ctx, http::status status, std::string_view code,
                        std::string_view message) {
  if (ctx.api) return json_error(status, code, message, ctx.gateway.request_id);
  return html_error_page(status, message, ctx.gateway.request_id);
}

Response error_response(const RequestContext& ctx, const Error& error) {
  return error_response(ctx, status_for(error), appcore::to_string(appcore::error_code(error)),
                        japanese_message(error));
}

Html alert(std::string_view text, bool error) {
  Html h;
  h << raw(error ? "<p class=\"notice error\" role=\"alert\">"
                 : "<p class=\"notice ok\" role=\"status\">")
    << text << raw("</p>");
  return h;
}

std::string_view role_label(Role role) {
  // The doctor kinds read as the core writes them in CSVs and notices.
  if (auto kind = appcore::doctor_kind_text(role); !kind.empty()) return kind;
  switch (role) {
    case Role::Clerk:
      return "医療クラーク等";
    case Role::HospitalAdmin:
      return "医療機関責任者";
    case Role::MunicipalAdmin:
      return "自治体管理者";
    case Role::Operator:
      return "運用事業者";
    case Role::SecurityAuditor:
      return "セキュリティ監査者";
    default:
      return "";
  }
}

std::string_view step_label(appcore::SetupStep step) {
  switch (step) {
    case appcore::SetupStep::None:
      return "利用中";
    case appcore::SetupStep::RegisterEmail:
      return "初回ログイン待ち（メールアドレス登録）";
    case appcore::SetupStep::IssueKey:
      return "初回ログイン中（暗号化鍵ファイル送信）";
    case appcore::SetupStep::SetPassword:
      return "初回ログイン中（パスワード変更）";
  }
  return "";
}

nlohmann::json to_json(const appcore::UserView& u) {
  return {{"user_id", u.user_id},
          {"role", appcore::to_string(u.role)},
          {"name", u.name},
          {"kana", u.kana},
          {"hospital", u.hospital},
          {"municipality", u.municipality},
          {"locked", u.locked},
          {"hospital_admin", u.hospital_admin},
          {"setup_step", u.setup_step},
          {"designations", designations_json(u.designations)},
          {"registration_number", u.registration_number}};
}

nlohmann::json to_json(const appcore::Designation& d) {
  return {{"id", d.id},
          {"user_id", d.user_id},
          {"program", appcore::to_string(d.program)},
          {"kind", appcore::to_string(d.kind)},
          {"municipality", d.municipality},
          {"municipality_name", d.municipality_name},
          {"hospital", d.hospital},
          {"department", d.department},
          {"doctor_number", d.doctor_number},
          {"designated_on", d.designated_on},
          {"expires_on", d.expires_on},
          {"valid", d.valid}};
}

nlohmann::json designations_json(const std::vector<appcore::Designation>& list) {
  auto out = nlohmann::json::array();
  for (const auto& d : list) out.push_back(to_json(d));
  return out;
}

nlohmann::json to_json(const appcore::IssuedCredential& c) {
  return {{"user_id", c.user_id},
          {"initial_password", c.initial_password},
          {"password_expires_at", c.password_expires_at}};
}

nlohmann::json to_json(const appcore::DesignationNotice& n) {
  return {{"designation_id", n.designation_id},
          {"kind", n.kind},
          {"municipality_name", n.municipality_name},
          {"doctor_name", n.doctor_name},
          {"hospital_name", n.hospital_name},
          {"hospital_address", n.hospital_address},
          {"department", n.department},
          {"designated_on", n.designated_on},
          {"expires_on", n.expires_on},
          {"doctor_number", n.doctor_number},
          {"user_id", n.user_id},
          {"initial_password", n.initial_password}};
}

nlohmann::json to_json(const appcore::IdPasswordNotice& n) {
  return {{"user_id", n.user_id},
          {"initial_password", n.initial_password},
          {"password_expires_at", n.password_expires_at},
          {"name", n.name},
          {"role", n.role},
          {"hospital_name", n.hospital_name}};
}

nlohmann::json to_json(const appcore::Hospital& h) {
  return {{"number", h.number},
          {"name", h.name},
          {"address", h.address},
          {"administrator", h.administrator}};
}

nlohmann::json to_json(const appcore::Affiliation& a) {
  return {{"user_id", a.user_id},
          {"doctor_name", a.doctor_name},
          {"number", a.hospital.number},
          {"name", a.hospital.name},
          {"address", a.hospital.address},
          {"department", a.department},
          {"visible", a.visible},
          {"contact", a.contact},
          {"state", std::string(to_string(a.state))},
          {"requested_at", a.requested_at},
          {"decided_by", a.decided_by},
          {"decided_at", a.decided_at},
          {"reason", a.reason}};
}

}  // namespace nanbyo::web
