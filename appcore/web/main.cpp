// nanbyo-appcore: the application behind the gateway (docs/appcore-web.md).
//   nanbyo-appcore serve [flags]               the HTTP service
//   nanbyo-appcore bootstrap-operator --name   the first operator's ID and password
//   nanbyo-appcore break-glass unlock|reset-password ID   (issue 12, break_glass_command.h)
// Both read --config FILE (key = value) as well as flags; under systemd the
// service reports READY/WATCHDOG/STOPPING and logs with journal priorities.
#include <curl/curl.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <thread>

#include "appcore/audit_console/audit_index.h"
#include "appcore/core/app_core.h"
#include "appcore/core/forms_api.h"
#include "appcore/web/break_glass_command.h"
#include "appcore/web/config.h"
#include "appcore/web/config_file.h"
#include "appcore/web/gateway_link.h"
#include "appcore/web/import_jobs.h"
#include "appcore/web/web_app.h"
#include "metrics/http_listener.h"
#include "pki/audit/audit_log.h"
#include "pki/audit/detecting_sink.h"
#include "policy/detection_rules.h"
#include "service/credentials.h"
#include "service/journal.h"
#include "service/systemd_notify.h"
#include "service/version.h"

namespace {

using namespace nanbyo;
using namespace nanbyo::web;

int die(const std::string& message) {
  service::log(service::Priority::Error, "nanbyo-appcore", message);
  return 1;
}

struct Opened {
  std::unique_ptr<audit::AnchorExporter> anchors;
  std::unique_ptr<audit::AuditLog> log;
  std::unique_ptr<audit::AuditSink> log_sink;
  std::unique_ptr<audit::AlertCounts> alerts = std::make_unique<audit::AlertCounts>();
  std::unique_ptr<std::atomic<uint64_t>> audit_failures =
      std::make_unique<std::atomic<uint64_t>>(0);
  std::unique_ptr<audit::DetectingSink> sink;  // over log_sink: what the core writes to
  std::unique_ptr<appcore::AppCore> core;
  std::unique_ptr<appcore::FormService> forms;
};

Result<Opened> open_core(const WebConfig& config, const Clock& clock) {
  Opened o;
  NANBYO_TRY(log, audit::AuditLog::open(config.audit_log, clock,
                                        {.rotate_bytes = config.audit_rotate_bytes}));
  o.log = std::move(log);
  o.anchors = audit::make_journal_anchor_exporter("nanbyo-appcore");
  audit::LogSinkOptions options;
  options.refuse_on_failure = config.audit_on_failure != "continue";
  options.anchors = o.anchors.get();
  options.clock = &clock;
  options.anchor_interval = std::chrono::seconds(config.audit_anchor_interval_s);
  options.report = [failures = o.audit_failures.get()](std::string_view message) {
    failures->fetch_add(1, std::memory_order_relaxed);
    service::log(service::Priority::Error, "nanbyo-appcore", message);
  };
  o.log_sink = audit::make_log_sink(*o.log, std::move(options));
  // Illicit operations (S-7, docs/detection.md): every record passes the rules on its way.
  audit::DetectionRules rules;
  if (!config.detection_rules.empty()) {
    NANBYO_TRY(loaded, policy::load_detection_rules(config.detection_rules));
    rules = std::move(loaded);
  }
  o.sink = std::make_unique<audit::DetectingSink>(
      *o.log_sink, std::move(rules), clock, [counts = o.alerts.get()](const audit::AuditEvent& a) {
        counts->count(a.detail.at("rule"));
        service::log(service::Priority::Warning, "nanbyo-appcore", audit::describe_alert(a));
      });
  // The terminals each user logged in from, so that a restart does not make them all new.
  if (auto learnt = o.sink->learn_from(config.audit_log); !learnt) {
    service::log(service::Priority::Warning, "nanbyo-appcore",
                 "detection starts without the audit log's history: " + learnt.error().message);
  }
  NANBYO_TRY(core, appcore::AppCore::open(config.core, clock, *o.sink));
  o.core = std::move(core);
  return o;
}

// The clinical forms (issue 6) on the same database, key and audit log.
Result<void> open_forms(const WebConfig& config, const Clock& clock, Opened& o) {
  NANBYO_TRY(forms, appcore::FormService::open(config.core, config.forms, clock, *o.sink));
  o.forms = std::move(forms);
  return {};
}

// The auditor's console's index (issue 17): this process's log, and the gateway's
// when it is configured (the appliance's units give this user read access to it).
Result<std::unique_ptr<console::AuditIndex>> open_audit_index(const WebConfig& config) {
  std::vector<console::IndexedLog> logs;
  if (config.gateway_audit_log != "none")
    logs.push_back({"gateway", config.gateway_audit_log, console::Writer::Gateway});
  logs.push_back({"appcore", config.audit_log, console::Writer::ApplicationCore});
  const std::filesystem::path file = config.audit_index.empty()
                                         ? config.core.database.parent_path() / "audit-index.sqlite"
                                         : std::filesystem::path(config.audit_index);
  return console::AuditIndex::open(file, std::move(logs));
}

// The uid of --gateway-user: a name or a number. Unset: the packaged gateway's
// user when it exists (an upgraded appliance whose appcore.conf predates the
// key keeps serving its gateway), else ourselves (development).
Result<uid_t> gateway_uid(const std::string& user) {
  if (user.empty()) {
    auto packaged = gateway_uid("_nanbyo-gw");
    return packaged ? packaged : Result<uid_t>(::getuid());
  }
  if (user.find_first_not_of("0123456789") == std::string::npos && user.size() < 10)
    return static_cast<uid_t>(std::stoul(user));
  passwd entry{}, *found = nullptr;
  char buffer[4096];
  if (::getpwnam_r(user.c_str(), &entry, buffer, sizeof buffer, &found) != 0 || !found)
    return fail("--gateway-user: no user named " + user);
  return found->pw_uid;
}

// Refused connections to the UNIX socket go to the journal and the audit log.
UnixPeerPolicy peer_policy(uid_t uid, audit::AuditLog& log) {
  UnixPeerPolicy p;
  p.uid = uid;
  p.on_refused = [&log, uid](const std::string& peer) {
    service::log(service::Priority::Warning, "nanbyo-appcore",
                 "refused a connection to the socket from " + peer + " (only uid " +
                     std::to_string(uid) + " may connect)");
    audit::AuditEvent e;
    e.event = "socket-peer-reject";
    e.outcome = audit::Outcome::Deny;
    e.actor = "anonymous";
    e.subject = "appcore-socket";
    e.source = peer;
    e.detail = {{"expected_uid", std::to_string(uid)}};
    (void)log.append(e);
  };
  return p;
}

// Prometheus text on a loopback address (issue 17, O-2), on the HTTP thread: rendering
// reads atomics only, so it never waits for a worker. A bad address stops the start; an
// address taken only costs the metrics (a warning; Prometheus' `up` shows it), not service.
Result<void> serve_metrics(asio::io_context& io, const std::string& listen,
                           const AppMetrics& counters) {
  if (listen == "none") return {};
  auto where = ListenAddress::parse(listen);
  if (!where) return fail("--metrics-listen: " + where.error().message);
  if (where->is_unix) return fail("--metrics-listen: a loopback HOST:PORT, not " + listen);
  auto served =
      metrics::serve_http(io, where->host, where->port, [&counters] { return counters.render(); });
  if (!served) {
    service::log(service::Priority::Warning, "nanbyo-appcore",
                 served.error().message + "; running without metrics");
  }
  return {};
}

int serve(const WebConfig& config) {
  SystemClock clock;
  auto listen = ListenAddress::parse(config.listen);
  if (!listen) return die(listen.error().message);
  auto opened = open_core(config, clock);
  if (!opened) return die(opened.error().message);
  if (auto f = open_forms(config, clock, *opened); !f) return die(f.error().message);
  std::unique_ptr<GatewayLink> gateway;
  if (config.gateway_bus == "none") {
    gateway = make_no_gateway_link();
  } else {
    // Without the bus a revoked key would stay logged in (S-8): refuse to start.
    auto link = make_dbus_gateway_link(config.gateway_bus);
    if (!link) return die("--control-bus: " + link.error().message);
    gateway = std::move(link).value();
  }
  auto mailer = make_smtp_mailer(config.smtp);
  AppMetrics metrics(clock.now().time_since_epoch().count());
  metrics.show_alerts(opened->alerts.get());
  metrics.show_audit(opened->log_sink.get(), opened->audit_failures.get());
  ImportJobs imports(*opened->core, &metrics);
  SessionIssueTimes sessions(clock.now().time_since_epoch().count());
  Services services{*opened->core,       *mailer, *gateway, imports, sessions, clock,
                    opened->forms.get(), &metrics};
  auto audit_index = open_audit_index(config);
  if (!audit_index) return die(audit_index.error().message);
  services.audit_index = audit_index->get();
  services.audit = opened->sink.get();
  // Keeps the index near the logs, so that a console page reads only the last seconds'
  // records: a million records take about half a minute to index the first time.
  std::jthread indexer([index = audit_index->get()](std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
      if (auto caught_up = index->catch_up(); !caught_up)
        service::log(service::Priority::Warning, "nanbyo-appcore", caught_up.error().message);
      std::unique_lock lock(mutex);
      wake.wait_for(lock, stop, std::chrono::seconds(5), [] { return false; });
    }
  });

  asio::io_context io(1);
  asio::thread_pool workers(config.workers);
  WebApp app(services, workers, config.limits);
  auto uid = gateway_uid(config.gateway_user);
  if (!uid) return die(uid.error().message);
  auto server = HttpServer::bind(io, *listen, config.limits, app, config.socket_mode,
                                 peer_policy(*uid, *opened->log));
  if (!server) return die(server.error().message);
  (*server)->start();
  if (auto served = serve_metrics(io, config.metrics_listen, metrics); !served)
    return die(served.error().message);
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&io](const boost::system::error_code&, int) {
    service::notify_stopping();
    io.stop();
  });
  service::Watchdog watchdog(io);
  service::log(service::Priority::Info, "nanbyo-appcore",
               "listening on " + (*server)->local_address());
  service::notify_ready();
  io.run();
  workers.join();
  service::log(service::Priority::Info, "nanbyo-appcore", "stopped");
  return 0;
}

int bootstrap(const WebConfig& config, const std::string& name) {
  SystemClock clock;
  auto opened = open_core(config, clock);
  if (!opened) return die(opened.error().message);
  auto credential = opened->core->bootstrap_operator(name, {"", "bootstrap-operator"});
  if (!credential) return die(credential.error().message);
  // Shown once, as the IDPW notice would show it.
  std::cout << "user_id " << credential->user_id << "\ninitial_password "
            << credential->initial_password << "\nexpires " << credential->password_expires_at
            << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CLI::App app{"nanbyo-appcore: users, designated-doctor IDs and the web UI (難病・小慢DB)"};
  app.set_version_flag("--version", service::version());
  app.require_subcommand(1);
  WebConfig config;
  auto* serve_cmd = app.add_subcommand("serve", "serve HTTP behind the gateway");
  add_serve_options(*serve_cmd, config);
  std::string name;
  auto* boot_cmd = app.add_subcommand("bootstrap-operator", "create the first operator (once)");
  add_core_options(*boot_cmd, config);
  boot_cmd->add_option("--name", name, "the operator's name")->required();
  BreakGlassArgs glass;
  auto* glass_cmd = add_break_glass_command(app, config, glass);
  CLI11_PARSE(app, argc, argv);
  CLI::App& command =
      serve_cmd->parsed() ? *serve_cmd : (boot_cmd->parsed() ? *boot_cmd : *glass_cmd);
  if (!config.config_file.empty()) {
    if (auto applied = apply_config_file(command, *serve_cmd, config.config_file); !applied)
      return die(applied.error().message);
  }
  if (glass_cmd->parsed()) prepare_break_glass_credentials(glass);
  auto master_key = service::resolve_credential_path(config.core.master_key.string());
  if (!master_key) return die(master_key.error().message);
  config.core.master_key = *master_key;
  int rc = serve_cmd->parsed()  ? serve(config)
           : boot_cmd->parsed() ? bootstrap(config, name)
                                : run_break_glass(config, glass);
  curl_global_cleanup();
  return rc;
}
