// A WebApp over a real AppCore (temporary SQLite, the core tests' fixture with
// its operator and two municipalities), a recording Mailer and GatewayLink,
// and a tiny cookie-keeping client that speaks to WebApp::dispatch() as the
// gateway would (identity headers, trusted transport).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "../appcore_core/core_fixture.h"
#include "appcore/audit_console/audit_index.h"
#include "appcore/core/forms_api.h"
#include "appcore/web/app_metrics.h"
#include "appcore/web/import_jobs.h"
#include "appcore/web/web_app.h"

namespace nanbyo::web::testing {

class RecordingMailer final : public Mailer {
 public:
  Result<void> send(const MailMessage& m) override {
    std::lock_guard lock(mutex_);
    if (fail_next) {
      fail_next = false;
      return nanbyo::fail("relay down");
    }
    sent.push_back(m);
    return {};
  }
  bool fail_next = false;
  std::vector<MailMessage> sent;

 private:
  std::mutex mutex_;
};

class RecordingGateway final : public GatewayLink {
 public:
  Result<uint32_t> revoke_user(const std::string& user) override {
    std::lock_guard lock(mutex_);
    revoked.push_back(user);
    return 1u;
  }
  Result<bool> report_failed_login(const std::string& serial, const std::string& source) override {
    std::lock_guard lock(mutex_);
    failed_logins.push_back(serial + " " + source);
    return false;
  }
  std::vector<std::string> revoked;
  std::vector<std::string> failed_logins;  // "serial source"

 private:
  std::mutex mutex_;
};

struct Reply {
  int status = 0;
  Response raw;
  std::string header(const std::string& name) const { return std::string(raw[name]); }
  nlohmann::json json() const { return nlohmann::json::parse(raw.body()); }
  const std::string& body() const { return raw.body(); }
};

struct WebFixture;

// One browser (or API client): its cookies and the PC it sits at.
struct Client {
  Client(WebFixture& w, std::string h) : web(w), hospital(std::move(h)) {}
  WebFixture& web;
  std::string hospital;                // 医療機関番号 of the PC certificate, "" for none
  std::string cert_serial = "0A0B0C";  // of that certificate
  std::map<std::string, std::string> cookies;
  std::string csrf;  // from /api/login or the login page's cookie
  bool send_gateway_headers = true;

  Reply request(http::verb method, const std::string& target, const std::string& body = {},
                const std::string& content_type = {}, bool with_csrf = true);
  Reply get(const std::string& target) { return request(http::verb::get, target); }
  Reply post_json(const std::string& target, const nlohmann::json& body, bool with_csrf = true) {
    return request(http::verb::post, target, body.dump(), "application/json", with_csrf);
  }
  Reply post_form(const std::string& target, const std::map<std::string, std::string>& fields,
                  bool with_csrf = true);
  // Polls GET /api/imports/{job} until the job leaves "running"; its last answer.
  nlohmann::json wait_for_job(const std::string& job);
  // POST /api/login; REQUIREs success. Returns the setup step.
  std::string api_login(const std::string& user_id, const std::string& password);
};

struct WebFixture : appcore::testing::CoreFixture {
  WebFixture();
  ~WebFixture();

  Client client(const std::string& hospital = "") { return Client{*this, hospital}; }
  // A doctor of kTown who finished the first login; the client is logged in.
  Client active_doctor(const std::string& registration, std::string* user_id = nullptr);
  // A clerk of kHospital created by the (active) doctor `doctor_id`, first
  // login done, logged in from its own PC.
  Client active_clerk(const std::string& doctor_id, const std::string& name,
                      const std::string& kana, std::string* user_id = nullptr);
  // Credentials of the fixture's municipal admin of kTown (activated by CoreFixture).
  Client town_admin();
  // Serves the auditor's console over `index` (issue 17); its own records go to `audit`.
  void serve_audit_console(console::AuditIndex* index);
  // The web process restarted on the same database: the forms service, the upload jobs
  // (with what they held in memory) and the app anew.
  void restart_web();

  RecordingMailer mailer;
  RecordingGateway gateway;
  AppMetrics metrics;  // what /metrics would show (issue 17, O-2)
  std::unique_ptr<ImportJobs> imports;
  std::unique_ptr<SessionIssueTimes> sessions;
  std::unique_ptr<appcore::FormService> forms;  // issue 6, on the same database
  asio::thread_pool workers{1};
  std::unique_ptr<WebApp> app;
  std::string town_admin_id;

 private:
  void start_web();
};

}  // namespace nanbyo::web::testing
