// First login (ID-4): e-mail address -> key file generated and e-mailed ->
// secret question and a chosen password. After a validity extension or a key
// reissue only the first two steps come back (the core decides the step).
#include <cstdio>

#include "appcore/web/route_support.h"
#include "appcore/web/routes.h"

namespace nanbyo::web {
namespace {

using appcore::SetupStep;

// Generates the key file and e-mails it to the address last registered.
Result<appcore::KeyFileDelivery> issue_and_mail(RequestContext& ctx) {
  NANBYO_TRY(delivery, ctx.services.core.issue_key_file(ctx.who()));
  MailMessage mail;
  mail.to = delivery.email;
  mail.subject = "【難病・小慢DB】暗号化鍵ファイルの送付";
  mail.text =
      "難病・小慢データベースの利用者 " + delivery.user_id +
      " さまの暗号化鍵ファイルを添付します。\r\n"
      "このファイルはファイルの暗号化に使用します。大切に保管し、他人に渡さないでください。\r\n"
      "有効期限: " +
      delivery.not_after +
      "\r\n\r\nこのメールに心当たりのない場合は、医療機関責任者または自治体にご連絡ください。\r\n";
  mail.attachments.push_back({delivery.file_name, "application/octet-stream", delivery.key_file});
  if (auto sent = ctx.services.mailer.send(mail); !sent) {
    // For the operator: the relay's answer (no address, no key).
    std::fprintf(stderr, "nanbyo-appcore: request %s: key file mail failed: %s\n",
                 ctx.gateway.request_id.c_str(), sent.error().message.c_str());
    (void)ctx.services.core.record_key_mail_failure(ctx.who(), sent.error().message);
    return appcore::fail(appcore::Errc::Internal, "mail-failed");
  }
  return delivery;
}

Html steps(SetupStep current) {
  Html h;
  h << raw("<ol class=\"steps\" aria-label=\"初回ログインの手順\">");
  const std::pair<SetupStep, const char*> all[] = {
      {SetupStep::RegisterEmail, "1. メールアドレス登録"},
      {SetupStep::IssueKey, "2. 暗号化鍵ファイル送信"},
      {SetupStep::SetPassword, "3. 秘密の質問・パスワード変更"}};
  for (const auto& [step, label] : all) {
    h << raw("<li") << raw(step == current ? " aria-current=\"step\"" : "") << raw(">") << label
      << raw("</li>");
  }
  return h << raw("</ol>");
}

Response setup_page(RequestContext& ctx, std::string_view message = {}, bool error = true,
                    http::status status = http::status::ok) {
  Html b;
  b << steps(ctx.setup_step);
  if (!message.empty()) b << alert(message, error);
  switch (ctx.setup_step) {
    case SetupStep::None:
      return redirect_to("/");
    case SetupStep::RegisterEmail:
      b << raw("<p>暗号化鍵ファイルを受け取るメールアドレスを登録してください。"
               "複数回登録した場合は、最後に登録したアドレスのみ有効です。</p>"
               "<form method=\"post\" action=\"/setup/email\">")
        << Html().csrf_field(ctx.csrf_token)
        << Html().text_field("email", "メールアドレス", ctx.field("email"), "email", true, "email")
        << raw("<div class=\"actions\"><button "
               "type=\"submit\">登録して鍵ファイルを送信</button></div>"
               "</form>");
      break;
    case SetupStep::IssueKey:
      b << raw("<p>登録したメールアドレスに暗号化鍵ファイルを送信します。</p>"
               "<form method=\"post\" action=\"/setup/key\">")
        << Html().csrf_field(ctx.csrf_token)
        << raw("<div class=\"actions\"><button "
               "type=\"submit\">暗号化鍵ファイルを送信</button></div>"
               "</form>");
      break;
    case SetupStep::SetPassword:
      b << raw("<p>"
               "秘密の質問と答えを登録し、初期パスワードを変更してください。パスワードは12文字以上"
               "で、"
               "英大文字・英小文字・数字・記号のうち3種類以上を含め、IDを含めないでください。</p>"
               "<form method=\"post\" action=\"/setup/password\">")
        << Html().csrf_field(ctx.csrf_token)
        << Html().text_field("secret_question", "秘密の質問", ctx.field("secret_question"))
        << Html().text_field("secret_answer", "秘密の質問の答え", "", "text")
        << Html().text_field("new_password", "新しいパスワード", "", "password", true,
                             "new-password")
        << Html().text_field("new_password_confirm", "新しいパスワード（確認）", "", "password",
                             true, "new-password")
        << raw("<div class=\"actions\"><button type=\"submit\">登録する</button></div></form>"
               "<h2>暗号化鍵ファイルが届かない場合</"
               "h2><p>新しい鍵ファイルを生成し、登録したメールアドレスに"
               "再送信します（以前の鍵ファイルは使えなくなります）。</p><form method=\"post\" "
               "action=\"/setup/key\">")
        << Html().csrf_field(ctx.csrf_token)
        << raw("<button type=\"submit\" "
               "class=\"secondary\">鍵ファイルを再送信する</button></form>");
      break;
  }
  return page(ctx, "初回ログイン", b, status);
}

Response setup_state(RequestContext& ctx) {
  if (ctx.api)
    return json_response(http::status::ok, {{"setup_step", appcore::to_string(ctx.setup_step)}});
  return setup_page(ctx);
}

// After a step: the step now current, as JSON or as the next page.
Response next(RequestContext& ctx, std::string_view message, nlohmann::json extra = {}) {
  auto step = ctx.services.core.setup_step(ctx.who());
  if (step) ctx.setup_step = step.value();
  if (ctx.api) {
    extra["setup_step"] = appcore::to_string(ctx.setup_step);
    return json_response(http::status::ok, extra);
  }
  if (ctx.setup_step == SetupStep::None) return redirect_to("/?welcome=1");
  return setup_page(ctx, message, false);
}

Response failed(RequestContext& ctx, const Error& error) {
  if (ctx.api) return error_response(ctx, error);
  std::string message =
      appcore::error_text(error) == "mail-failed"
          ? "暗号化鍵ファイルのメール送信に失敗しました。時間をおいて再度お試しください。"
          : japanese_message(error);
  return setup_page(ctx, message, true, status_for(error));
}

Response register_email(RequestContext& ctx) {
  const std::string email = ctx.field("email");
  if (!plausible_mail_address(email))
    return failed(ctx, appcore::fail(appcore::Errc::InvalidInput, "e-mail address is malformed"));
  auto step = ctx.services.core.register_email(ctx.who(), email);
  if (!step) return failed(ctx, step.error());
  ctx.setup_step = step.value();
  if (ctx.setup_step != SetupStep::IssueKey) return next(ctx, "メールアドレスを登録しました。");
  auto sent = issue_and_mail(ctx);
  if (!sent) return failed(ctx, sent.error());
  return next(ctx, "暗号化鍵ファイルをメールで送信しました。メールをご確認ください。",
              {{"key_id", sent->key_id}, {"mailed_to", sent->email}});
}

Response issue_key(RequestContext& ctx) {
  auto sent = issue_and_mail(ctx);
  if (!sent) return failed(ctx, sent.error());
  return next(ctx, "暗号化鍵ファイルをメールで送信しました。メールをご確認ください。",
              {{"key_id", sent->key_id}, {"mailed_to", sent->email}});
}

Response set_password(RequestContext& ctx) {
  if (!ctx.api && ctx.field("new_password") != ctx.field("new_password_confirm"))
    return failed(ctx, appcore::fail(appcore::Errc::InvalidInput, "the two new passwords differ"));
  auto done =
      ctx.services.core.complete_first_login(ctx.who(), ctx.field("secret_question"),
                                             ctx.field("secret_answer"), ctx.field("new_password"));
  if (!done) return failed(ctx, done.error());
  return next(ctx, "登録しました。");
}

}  // namespace

void add_setup_routes(Router& router) {
  using V = http::verb;
  for (const char* prefix : {"", "/api"}) {
    const std::string p(prefix);
    router.add({V::get, p + "/setup", Access::Setup, {}, setup_state});
    router.add({V::post, p + "/setup/email", Access::Setup, {}, register_email});
    router.add({V::post, p + "/setup/key", Access::Setup, {}, issue_key});
    router.add({V::post, p + "/setup/password", Access::Setup, {}, set_password});
  }
}

}  // namespace nanbyo::web
