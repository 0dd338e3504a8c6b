#include "web_fixture.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "../appcore_core/source_forms.h"
#include "appcore/web/form.h"

namespace nanbyo::web::testing {

using appcore::testing::kChosenPassword;
using appcore::testing::must;

WebFixture::WebFixture() {
  start_web();
  town_admin_id = town.user_id;
}

void WebFixture::start_web() {
  imports = std::make_unique<ImportJobs>(*core, &metrics);
  sessions = std::make_unique<SessionIssueTimes>(clock.now().time_since_epoch().count());
  forms = must(
      appcore::FormService::open(config, appcore::testing::source_forms_config(), clock, audit));
  app = std::make_unique<WebApp>(
      Services{*core, mailer, gateway, *imports, *sessions, clock, forms.get(), &metrics}, workers,
      HttpLimits{});
}

void WebFixture::restart_web() {
  app.reset();
  imports.reset();
  forms.reset();
  start_web();
}

void WebFixture::serve_audit_console(console::AuditIndex* index) {
  Services services{*core, mailer, gateway, *imports, *sessions, clock, forms.get(), &metrics};
  services.audit_index = index;
  services.audit = &audit;
  app = std::make_unique<WebApp>(services, workers, HttpLimits{});
}

WebFixture::~WebFixture() {
  app.reset();
  imports.reset();  // joins running imports before the forms service and the core go
  forms.reset();
  workers.join();
}

nlohmann::json Client::wait_for_job(const std::string& job) {
  nlohmann::json state;
  for (int i = 0; i < 500; ++i) {
    auto r = get("/api/imports/" + job);
    REQUIRE(r.status == 200);
    state = r.json();
    CHECK(state["rows_done"].get<std::size_t>() <= state["rows_total"].get<std::size_t>());
    if (state["state"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return state;
}

Reply Client::request(http::verb method, const std::string& target, const std::string& body,
                      const std::string& content_type, bool with_csrf) {
  Request r{method, target, 11};
  if (send_gateway_headers) {
    r.set("X-Nanbyo-Listener", "hospital");
    r.set("X-Request-Id", "test-1");
    r.set("X-Forwarded-For", "192.0.2.10");
    r.set("X-Forwarded-Proto", "https");
    if (!hospital.empty()) {
      r.set("X-Nanbyo-Cert-Serial", cert_serial);
      r.set("X-Nanbyo-Hospital", hospital);
      r.set("X-Nanbyo-Terminal", "pc-01");
    }
  }
  std::string jar;
  for (const auto& [k, v] : cookies) jar += (jar.empty() ? "" : "; ") + k + "=" + v;
  if (!jar.empty()) r.set(http::field::cookie, jar);
  if (!content_type.empty()) r.set(http::field::content_type, content_type);
  if (with_csrf && !csrf.empty() && content_type != "application/x-www-form-urlencoded")
    r.set("X-CSRF-Token", csrf);
  r.body() = body;
  r.prepare_payload();
  Reply reply;
  reply.raw = web.app->dispatch(r, Peer{true, "unix"});
  reply.status = static_cast<int>(reply.raw.result_int());
  for (auto it = reply.raw.find(http::field::set_cookie);
       it != reply.raw.end() && it->name() == http::field::set_cookie; ++it) {
    std::string c(it->value());
    const auto eq = c.find('='), semi = c.find(';');
    const std::string name = c.substr(0, eq), value = c.substr(eq + 1, semi - eq - 1);
    if (c.find("Max-Age=0") != std::string::npos) {
      cookies.erase(name);
    } else {
      cookies[name] = value;
      if (name == "__Host-nanbyo-csrf") csrf = value;
    }
  }
  return reply;
}

Reply Client::post_form(const std::string& target, const std::map<std::string, std::string>& fields,
                        bool with_csrf) {
  std::string body;
  auto all = fields;
  if (with_csrf) all["_csrf"] = csrf;
  for (const auto& [k, v] : all)
    body += (body.empty() ? "" : "&") + url_encode(k) + "=" + url_encode(v);
  return request(http::verb::post, target, body, "application/x-www-form-urlencoded", with_csrf);
}

std::string Client::api_login(const std::string& user_id, const std::string& password) {
  auto r = post_json("/api/login", {{"user_id", user_id}, {"password", password}}, false);
  INFO(r.body());
  REQUIRE(r.status == 200);
  csrf = r.json()["csrf_token"];
  return r.json()["setup_step"];
}

Client WebFixture::town_admin() {
  Client c = client();
  REQUIRE(c.api_login(town_admin_id, kChosenPassword) == "active");
  return c;
}

Client WebFixture::active_doctor(const std::string& registration, std::string* user_id) {
  auto cred = doctor(registration);
  activate(cred.user_id, cred.initial_password, appcore::testing::kHospital);
  if (user_id) *user_id = cred.user_id;
  Client c = client(appcore::testing::kHospital);
  REQUIRE(c.api_login(cred.user_id, kChosenPassword) == "active");
  return c;
}

Client WebFixture::active_clerk(const std::string& doctor_id, const std::string& name,
                                const std::string& kana, std::string* user_id) {
  auto by = login(doctor_id, kChosenPassword, appcore::testing::kHospital);
  auto cred = appcore::testing::must(core->create_clerk(by, name, kana));
  activate(cred.user_id, cred.initial_password, appcore::testing::kHospital);
  if (user_id) *user_id = cred.user_id;
  Client c = client(appcore::testing::kHospital);
  REQUIRE(c.api_login(cred.user_id, kChosenPassword) == "active");
  return c;
}

}  // namespace nanbyo::web::testing
