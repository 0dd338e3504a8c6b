// nanbyo-appcore's settings, from command-line flags (CLI11; docs/appcore-web.md)
// and a configuration file of the same keys (config_file.h).
// An immutable snapshot built once in main().
#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "appcore/core/config.h"
#include "appcore/core/forms_api.h"
#include "appcore/web/http_server.h"
#include "appcore/web/mailer.h"

namespace nanbyo::web {

struct WebConfig {
  std::string listen = "unix:/run/nanbyo/appcore.sock";
  unsigned socket_mode = 0660;
  // Prometheus text on GET /metrics (issue 17, O-2): a loopback HOST:PORT, or "none".
  std::string metrics_listen = "127.0.0.1:9852";
  // The only user whose connections the UNIX socket accepts (SO_PEERCRED): a
  // name or a uid; "" = _nanbyo-gw when it exists, else the user running
  // nanbyo-appcore (development, tests).
  std::string gateway_user;
  std::string audit_log = "/var/log/nanbyo/audit/appcore.jsonl";
  std::uint64_t audit_rotate_bytes = 64ull << 20;  // 0: never rotate
  unsigned audit_anchor_interval_s = 60;           // last hash to the journal
  // "refuse" (the default, as before issue 17): an operation whose audit record
  // cannot be written fails. "continue": it goes on, the failure reported.
  std::string audit_on_failure = "refuse";
  // The auditor's console (issue 17): the gateway's audit log it searches beside
  // this process's own ("none": this process's only), and its index file (empty:
  // audit-index.sqlite beside the database).
  std::string gateway_audit_log = "/var/log/nanbyo/gateway/audit.jsonl";
  std::string audit_index;
  // The illicit-operation rules file (docs/detection.md); empty: the built-in rules.
  std::string detection_rules;
  std::string gateway_bus = "system";  // "none" in development without a gateway
  std::string config_file;             // --config: key = value lines (config_file.h)
  // More than the cores: Argon2id runs at most once per core (passwords.cpp),
  // and the other threads keep answering other users meanwhile (issue 12).
  unsigned workers = 16;
  HttpLimits limits;
  SmtpSettings smtp;
  appcore::CoreConfig core;
  appcore::FormServiceConfig forms;  // issue 6: clinical forms
};

// Registers the serve flags on `app`, writing into `config` when parsed.
void add_serve_options(CLI::App& app, WebConfig& config);
// The flags that open the core (also used by the bootstrap-operator command).
void add_core_options(CLI::App& app, WebConfig& config);

}  // namespace nanbyo::web
