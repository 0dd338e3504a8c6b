#include "appcore/web/config.h"

namespace nanbyo::web {

void add_core_options(CLI::App& app, WebConfig& c) {
  app.add_option("--database", c.core.database, "SQLite database file (created when missing)")
      ->default_val("/var/lib/nanbyo/appcore.db");
  app.add_option("--master-key", c.core.master_key,
                 "file with the 32-byte master key (mode 0600), or credential:NAME for systemd's "
                 "LoadCredential=")
      ->default_val("/etc/nanbyo/appcore-master.key");
  app.add_option("--config", c.config_file,
                 "configuration file: key = value lines of these flags without \"--\"");
  app.add_flag("--create-master-key", c.core.create_master_key,
               "development: create the master key file when missing");
  app.add_option("--audit-log", c.audit_log, "this process's hash-chained audit log")
      ->capture_default_str();
  app.add_option("--audit-rotate-bytes", c.audit_rotate_bytes,
                 "rotate the audit log at this size, keeping the chain (0: never)")
      ->capture_default_str();
  app.add_option("--audit-anchor-interval", c.audit_anchor_interval_s,
                 "seconds between the audit log's last hash sent to the journal")
      ->capture_default_str();
  app.add_option("--audit-on-failure", c.audit_on_failure,
                 "refuse: an operation whose audit record cannot be written fails; continue: "
                 "it goes on")
      ->capture_default_str()
      ->check(CLI::IsMember({"refuse", "continue"}));
  app.add_option("--detection-rules", c.detection_rules,
                 "the illicit-operation rules (YAML, docs/detection.md); built-in rules when not "
                 "given");
  app.add_option("--gateway-audit-log", c.gateway_audit_log,
                 "the gateway's audit log, searched in the auditor's console (none: only this "
                 "process's)")
      ->capture_default_str();
  app.add_option("--audit-index", c.audit_index,
                 "the auditor's console's index of the audit logs (SQLite; default: "
                 "audit-index.sqlite beside --database)");
  app.add_option("--argon2-ops", c.core.argon2_ops, "Argon2id passes (tests lower it)")
      ->capture_default_str();
  app.add_option_function<std::size_t>(
      "--argon2-mem-mib", [&c](std::size_t mib) { c.core.argon2_mem = mib << 20; },
      "Argon2id memory in MiB (default 64)");
}

void add_serve_options(CLI::App& app, WebConfig& c) {
  add_core_options(app, c);
  app.add_option("--listen", c.listen,
                 "unix:/path or a loopback HOST:PORT (the gateway's identity headers are trusted)")
      ->capture_default_str();
  app.add_option("--metrics-listen", c.metrics_listen,
                 "Prometheus metrics on GET /metrics: a loopback HOST:PORT, or none")
      ->capture_default_str();
  app.add_option_function<std::string>(
      "--socket-mode",
      [&c](const std::string& m) {
        if (m.empty() || m.size() > 4 || m.find_first_not_of("01234567") != std::string::npos)
          throw CLI::ValidationError("--socket-mode", "an octal mode like 0660, not " + m);
        c.socket_mode = static_cast<unsigned>(std::stoul(m, nullptr, 8));
      },
      "mode of the UNIX socket, octal (default 0660)");
  app.add_option("--gateway-user", c.gateway_user,
                 "the only user (name or uid) whose connections the UNIX socket accepts; "
                 "default: _nanbyo-gw when that user exists, else the user running "
                 "nanbyo-appcore");
  app.add_option("--control-bus,--gateway-bus", c.gateway_bus,
                 "where the gateway's control service is (RevokeUser, S-8): system, session, "
                 "a D-Bus address, or none; a bus that cannot be reached stops the start")
      ->capture_default_str();
  app.add_option("--form-definitions", c.forms.definitions,
                 "folder of the form definitions (YAML, issue 6)");
  app.add_option("--min-check-tool-version", c.forms.minimum_tool_version,
                 "oldest nanbyo-check whose batches are accepted (F-9)");
  app.add_option("--workers", c.workers, "threads that run requests")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_option("--smtp-url", c.smtp.url,
                 "mail relay: smtp://host:port (with STARTTLS) or smtps://host:port")
      ->capture_default_str();
  app.add_option("--mail-from", c.smtp.from, "sender address of the key-file mails")
      ->capture_default_str();
  app.add_option_function<std::string>(
      "--smtp-tls",
      [&c](const std::string& v) {
        if (v != "verified" && v != "none")
          throw CLI::ValidationError("--smtp-tls", "verified or none, not " + v);
        c.smtp.tls = v == "none" ? SmtpTls::None : SmtpTls::Verified;
      },
      "verified (default): STARTTLS or smtps:// with the relay's certificate verified; "
      "none: plain SMTP, only for a relay on this host");
  app.add_flag_callback(
      "--smtp-require-tls", [] {},
      "accepted for older configuration files: verified TLS is now the default");
  app.add_option("--smtp-ca-file", c.smtp.ca_file, "CA bundle for the relay's certificate");
  app.add_option_function<std::size_t>(
      "--max-upload-mib", [&c](std::size_t mib) { c.limits.max_upload_bytes = mib << 20; },
      "largest bulk-registration file in MiB (default 64)");
  app.add_option_function<long>(
      "--session-idle-minutes", [&c](long m) { c.core.session_idle = std::chrono::minutes(m); },
      "idle timeout of a session (default 30)");
  app.add_option_function<long>(
      "--session-absolute-hours", [&c](long h) { c.core.session_absolute = std::chrono::hours(h); },
      "absolute lifetime of a session (default 12)");
}

}  // namespace nanbyo::web
