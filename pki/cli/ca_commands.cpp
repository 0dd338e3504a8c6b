// nanbyo-pki init | issue | revoke | crl | list | p12-info (bundle: bundle_command.cpp)
#include <nlohmann/json.hpp>

#include <iomanip>

#include "pki/atomic_file.h"
#include "pki/cli/context.h"
#include "pki/key_protection.h"
#include "pki/names.h"
#include "pki/pkcs12.h"
#include "pki/revocation_reason.h"

namespace nanbyo::pki::cli {
namespace {

std::string display_status(const CertificateRecord& r, const Clock& clock) {
  if (r.status == "revoked") return "revoked";
  return format_utc(clock.now()) >= r.not_after ? "expired" : "valid";
}

nlohmann::json to_json(const CertificateRecord& r, const Clock& clock) {
  nlohmann::json j{{"serial", r.serial},
                   {"kind", r.kind},
                   {"subject", r.subject},
                   {"not_before", r.not_before},
                   {"not_after", r.not_after},
                   {"issued_at", r.issued_at},
                   {"status", display_status(r, clock)}};
  if (r.kind == "client") {
    j["hospital"] = r.hospital;
    j["terminal"] = r.terminal;
  }
  if (r.status == "revoked") {
    j["revoked_at"] = r.revoked_at;
    j["reason"] = revocation_reason_name(r.reason);
  }
  return j;
}

void print_table(const std::vector<CertificateRecord>& records, const Clock& clock) {
  std::cout << std::left << std::setw(34) << "SERIAL" << std::setw(11) << "KIND" << std::setw(9)
            << "STATUS" << std::setw(12) << "HOSPITAL" << std::setw(18) << "TERMINAL"
            << "NOT AFTER\n";
  for (const auto& r : records) {
    std::cout << std::setw(34) << r.serial << std::setw(11) << r.kind << std::setw(9)
              << display_status(r, clock) << std::setw(12)
              << (r.hospital.empty() ? "-" : r.hospital) << std::setw(18)
              << (r.terminal.empty() ? "-" : r.terminal) << r.not_after << "\n";
  }
}

void print_issued(const Issued& issued, const std::string& password_file) {
  std::cout << "issued " << issued.record.kind << " certificate " << issued.record.serial << "\n"
            << "  subject:     " << issued.record.subject << "\n"
            << "  not after:   " << issued.record.not_after << "\n"
            << "  certificate: " << issued.cert_path.string() << "\n";
  if (!issued.key_path.empty()) std::cout << "  private key: " << issued.key_path.string() << "\n";
  if (issued.pkcs12_path.empty()) return;
  std::cout << "  PKCS#12:     " << issued.pkcs12_path.string() << "\n";
  if (!password_file.empty()) {
    std::cout << "  PKCS#12 password written to " << password_file << "\n";
  } else {
    std::cout << "  PKCS#12 password (shown once, deliver it separately): "
              << issued.pkcs12_password << std::endl;
  }
}

void add_issue(CLI::App& app, Context& ctx) {
  auto* issue = app.add_subcommand("issue", "issue a server or hospital-PC certificate");
  issue->require_subcommand(1);

  static ServerOptions server;
  static std::string server_algorithm, server_out;
  auto* s = issue->add_subcommand("server", "TLS server certificate for the gateway");
  s->add_option("--dns", server.dns_names, "DNS name (repeatable)");
  s->add_option("--ip", server.ip_addresses, "IP address (repeatable)");
  s->add_option("--days", server.days, "validity in days");
  s->add_option("--algorithm", server_algorithm, "ecdsa-p256 | rsa-3072 (default: the CA's)");
  s->add_option("--out", server_out, "output path prefix (.crt and .key are added)");
  s->callback([&ctx] {
    if (!server_algorithm.empty()) {
      auto a = parse_key_algorithm(server_algorithm);
      if (!a) return ctx.report(a.error());
      server.algorithm = *a;
    }
    server.out_prefix = server_out;
    auto ca = ctx.open_ca();
    if (!ca) return ctx.report(ca.error());
    auto issued = (*ca)->issue_server(server);
    if (!issued) return ctx.report(issued.error());
    print_issued(*issued, "");
  });

  static ClientOptions client;
  static std::string client_algorithm, client_out, client_csr, password_file;
  auto* c = issue->add_subcommand("client", "hospital-PC client certificate (PEM and PKCS#12)");
  c->add_option("--hospital", client.identity.hospital_number, "医療機関番号 (10 digits)")
      ->required();
  c->add_option("--terminal", client.identity.terminal, "terminal (PC) name")->required();
  c->add_option("--days", client.days, "validity in days");
  c->add_option("--algorithm", client_algorithm, "ecdsa-p256 | rsa-3072 (default: the CA's)");
  c->add_option("--csr", client_csr, "sign this PEM request instead of generating a key");
  c->add_option("--out", client_out, "output path prefix (.crt, .key, .p12 are added)");
  c->add_option("--password-file", password_file, "write the PKCS#12 password here (0600)");
  c->callback([&ctx] {
    if (!client_algorithm.empty()) {
      auto a = parse_key_algorithm(client_algorithm);
      if (!a) return ctx.report(a.error());
      client.algorithm = *a;
    }
    client.out_prefix = client_out;
    client.csr = client_csr;
    client.password_file = password_file;
    auto ca = ctx.open_ca();
    if (!ca) return ctx.report(ca.error());
    auto issued = (*ca)->issue_client(client);
    if (!issued) return ctx.report(issued.error());
    print_issued(*issued, password_file);
    wipe(issued->pkcs12_password);
  });
}

void add_revocation(CLI::App& app, Context& ctx) {
  static std::string serial, reason = "unspecified";
  auto* revoke = app.add_subcommand("revoke", "revoke a certificate and publish the CRL");
  revoke->add_option("--serial", serial, "certificate serial (hex)")->required();
  revoke->add_option("--reason", reason, "key-compromise, affiliation-changed, superseded, ...");
  revoke->callback([&ctx] {
    auto ca = ctx.open_ca();
    if (!ca) return ctx.report(ca.error());
    auto revoked = (*ca)->revoke(serial, reason);
    if (!revoked) return ctx.report(revoked.error());
    std::cout << "revoked " << revoked->serial << " (" << revocation_reason_name(revoked->reason)
              << ") " << revoked->subject << "\nCRL published to " << (*ca)->paths().crl().string()
              << "\n";
  });

  static int crl_days = kDefaultCrlDays;
  static std::string crl_out;
  auto* crl = app.add_subcommand("crl", "sign and publish the CRLs (atomically replaced)");
  crl->add_option("--days", crl_days, "days until nextUpdate");
  crl->add_option("--out", crl_out, "file to publish (default: <dir>/crl.pem)");
  crl->callback([&ctx] {
    auto ca = ctx.open_ca();
    if (!ca) return ctx.report(ca.error());
    auto published = (*ca)->publish_crl(crl_days, crl_out);
    if (!published) return ctx.report(published.error());
    std::cout << "CRL #" << published->issuing_number << " with " << published->revoked_count
              << " revoked certificate(s), next update " << published->next_update
              << ", published to " << published->path.string() << "\n";
  });
}

void add_listing(CLI::App& app, Context& ctx) {
  static CertificateFilter filter;
  static bool json = false;
  auto* list = app.add_subcommand("list", "list issued certificates");
  list->add_option("--hospital", filter.hospital, "only this 医療機関番号");
  list->add_option("--kind", filter.kind, "root-ca | issuing-ca | server | client");
  list->add_flag("--json", json, "JSON output");
  list->callback([&ctx] {
    auto ca = ctx.open_ca();
    if (!ca) return ctx.report(ca.error());
    auto records = (*ca)->list(filter);
    if (!records) return ctx.report(records.error());
    if (!json) return print_table(*records, ctx.clock);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : *records) out.push_back(to_json(r, ctx.clock));
    std::cout << out.dump(2) << "\n";
  });

  static std::string p12_path, p12_password_file = "-";
  auto* info = app.add_subcommand("p12-info", "open a PKCS#12 file and show what it holds");
  info->add_option("--p12", p12_path, "PKCS#12 file")->required();
  info->add_option("--password-file", p12_password_file, "file with the password (- = stdin)");
  info->callback([&ctx] {
    auto password = read_secret(p12_password_file);
    if (!password) return ctx.report(password.error());
    auto der = read_file(p12_path, 1 << 20);
    if (!der) return ctx.report(der.error());
    auto opened = open_pkcs12(*der, *password, p12_path);
    if (!opened) return ctx.report(opened.error());
    std::cout << "subject: " << subject_text(opened->cert.get())
              << "\nserial:  " << serial_hex(opened->cert.get())
              << "\nchain:   " << opened->chain.size() << " CA certificate(s)\n";
  });
}

void add_protect_keys(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "protect-keys", "encrypt the CA keys of an existing CA with the passphrase (issue 13)");
  cmd->callback([&ctx] {
    auto passphrase = ctx.passphrase();
    if (!passphrase) return ctx.report(passphrase.error());
    if (!*passphrase) {
      return ctx.report(
          fail("protect-keys needs a passphrase: --passphrase-file, "
               "NANBYO_PKI_PASSPHRASE_FILE or the credential nanbyo-pki-passphrase"));
    }
    auto done = protect_ca_keys(ctx.paths(), **passphrase);
    if (!done) return ctx.report(done.error());
    for (const auto& key : done->encrypted) std::cout << "encrypted " << key << "\n";
    for (const auto& key : done->unchanged) std::cout << "unchanged " << key << "\n";
  });
}

}  // namespace

void add_ca_commands(CLI::App& app, Context& ctx) {
  static InitOptions init;
  static std::string algorithm = "ecdsa-p256";
  auto* cmd = app.add_subcommand("init", "create the root CA and the issuing CA");
  cmd->add_option("--algorithm", algorithm, "ecdsa-p256 | rsa-3072");
  cmd->add_option("--name", init.name, "CA name prefix");
  cmd->add_option("--root-days", init.root_days, "root CA validity in days");
  cmd->add_option("--issuing-days", init.issuing_days, "issuing CA validity in days");
  cmd->add_option("--permit-dns", init.permitted.dns,
                  "name constraint of the root: only this DNS name and below (repeatable)");
  cmd->add_option("--permit-ip", init.permitted.ip,
                  "name constraint of the root: only this IP network, CIDR (repeatable)");
  cmd->callback([&ctx] {
    auto a = parse_key_algorithm(algorithm);
    if (!a) return ctx.report(a.error());
    init.algorithm = *a;
    auto passphrase = ctx.passphrase();
    if (!passphrase) return ctx.report(passphrase.error());
    init.passphrase = *passphrase;
    if (auto done = CertificateAuthority::init(ctx.paths(), init, ctx.clock); !done) {
      return ctx.report(done.error());
    }
    if (!init.passphrase) {
      std::cerr << "nanbyo-pki: warning: the CA keys are not encrypted; give "
                   "--passphrase-file for anything but development\n";
    }
    std::cout << "CA initialized in " << ctx.dir << " (" << algorithm << ")\n"
              << "  trust bundle: " << ctx.paths().chain().string() << "\n"
              << "  CRL:          " << ctx.paths().crl().string() << "\n";
  });
  add_issue(app, ctx);
  add_revocation(app, ctx);
  add_listing(app, ctx);
  add_protect_keys(app, ctx);
}

Result<std::string> read_secret(const std::string& path) {
  std::string text;
  if (path == "-") {
    std::getline(std::cin, text);
  } else {
    NANBYO_TRY(content, read_file(path, 4096));
    text = content.substr(0, content.find('\n'));
    wipe(content);
  }
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

}  // namespace nanbyo::pki::cli
