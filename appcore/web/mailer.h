// The Mailer seam (CONVENTIONS.md rule 2): ID-4 e-mails the user's key file as
// an attachment. Production sends through an SMTP relay (smtp_mailer.cpp);
// tests use the same implementation against a real SMTP server (aiosmtpd).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "pki/result.h"

namespace nanbyo::web {

struct MailAttachment {
  std::string file_name;     // ASCII, e.g. "A0000001-<key id>.nbkey"
  std::string content_type;  // e.g. "application/octet-stream"
  std::string data;
};

struct MailMessage {
  std::string to;       // one address
  std::string subject;  // UTF-8; encoded per RFC 2047
  std::string text;     // UTF-8 plain text body
  std::vector<MailAttachment> attachments;
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Blocking (call it off the HTTP thread). The error names the relay and the
  // SMTP failure, never the message or the attachment.
  [[nodiscard]] virtual Result<void> send(const MailMessage& message) = 0;
};

// How the key file travels to the relay (issue 12): it is a secret, so by
// default only encrypted to a relay whose certificate verifies.
enum class SmtpTls {
  Verified,  // STARTTLS required (or smtps://), peer and host name verified
  None,      // plain SMTP: only for a relay on this host (smtp-tls = none)
};

struct SmtpSettings {
  std::string url = "smtp://127.0.0.1:25";  // smtp:// (with STARTTLS) or smtps://
  std::string from = "nanbyo-db@localhost";
  SmtpTls tls = SmtpTls::Verified;
  std::string ca_file;  // trust for the relay's certificate; "" = system store
  std::chrono::seconds timeout{30};
};

// Call curl_global_init once in main() before use (libcurl's rule).
std::unique_ptr<Mailer> make_smtp_mailer(SmtpSettings settings);

// Refuses what could inject headers or is not one plain address.
bool plausible_mail_address(const std::string& address);

}  // namespace nanbyo::web
