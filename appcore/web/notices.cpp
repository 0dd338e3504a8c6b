#include "appcore/web/notices.h"

#include "appcore/web/route_support.h"

namespace nanbyo::web {
namespace {

const char* kNoPassword = "（発行時・再発行時の通知書にのみ記載）";

void row(Html& h, std::string_view label, std::string_view value, bool secret = false) {
  h << raw("<tr><th scope=\"row\">") << label << raw("</th><td")
    << raw(secret ? " class=\"mono secret\"" : "") << raw(">") << value << raw("</td></tr>");
}

}  // namespace

std::string japanese_date(std::string_view iso) {
  if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-') return std::string(iso);
  auto number = [&](std::size_t at, std::size_t n) {
    return std::to_string(std::stoi(std::string(iso.substr(at, n))));
  };
  try {
    return number(0, 4) + "年" + number(5, 2) + "月" + number(8, 2) + "日";
  } catch (const std::exception&) {
    return std::string(iso);
  }
}

Html print_button() {
  Html h;
  return h << raw(
             "<div class=\"actions no-print\"><button type=\"button\" data-print>印刷する"
             "</button><span>ブラウザの印刷機能で紙またはPDFに出力します。</span></div>");
}

Html designation_notice_sheet(const appcore::DesignationNotice& n, std::string_view issued_on) {
  Html h;
  h << raw("<section class=\"sheet\" aria-label=\"指定通知書（") << n.kind
    << raw("）\"><p class=\"date\">") << issued_on << raw("<br>") << n.municipality_name
    << raw("</p><h2>指定通知書（") << n.kind << raw("）</h2><p>") << n.doctor_name
    << raw(" 様</p><p>あなたを") << n.kind << raw("に指定したので通知します。</p><table>");
  row(h, "① 医師氏名", n.doctor_name);
  row(h, "② 主に従事する医療機関の名称", n.hospital_name);
  row(h, "② 主に従事する医療機関の所在地", n.hospital_address);
  row(h, "③ 所属する診療科名", n.department);
  row(h, "④ 指定年月日", japanese_date(n.designated_on));
  row(h, "④ 指定有効期限", japanese_date(n.expires_on));
  row(h, "⑤ 指定医番号", n.doctor_number);
  row(h, "⑥ 新システムを利用するためのID", n.user_id, true);
  row(h, "⑥ 新システムを利用するためのパスワード",
      n.initial_password.empty() ? kNoPassword : n.initial_password, !n.initial_password.empty());
  return h << raw("</table></section>");
}

Html id_password_notice_sheet(const appcore::IdPasswordNotice& n, std::string_view issued_on) {
  Html h;
  h << raw("<section class=\"sheet\" aria-label=\"IDPW発行通知書\"><p class=\"date\">") << issued_on
    << raw("</p><h2>ID・パスワード発行通知書</h2><p>") << n.name
    << raw(" 様</"
           "p><p>難病・小慢データベースを利用するためのID及びパスワードを発行したので通知します。"
           "初回ログイン時に、メールアドレスの登録、秘密の質問の登録及びパスワードの変更を行ってく"
           "ださい。"
           "</p><table>");
  row(h, "氏名", n.name);
  if (auto role = appcore::role_from_string(n.role)) row(h, "利用者区分", role_label(*role));
  row(h, "医療機関", n.hospital_name);
  row(h, "ID", n.user_id, true);
  row(h, "初期パスワード", n.initial_password.empty() ? kNoPassword : n.initial_password,
      !n.initial_password.empty());
  if (!n.password_expires_at.empty())
    row(h, "初期パスワードの有効期限", japanese_date(n.password_expires_at.substr(0, 10)));
  return h << raw(
             "</table><p>このID及びパスワードは他人に知られないよう厳重に管理してください。</p>"
             "</section>");
}

}  // namespace nanbyo::web
