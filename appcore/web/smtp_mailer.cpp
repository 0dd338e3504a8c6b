// SMTP through libcurl: STARTTLS required with the relay's certificate verified
// (CURLUSESSL_ALL) unless the operator chose plain SMTP for a relay on this
// host (SmtpTls::None); a MIME multipart body built with curl_mime.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <string>

#include "appcore/web/curl_handles.h"
#include "appcore/web/mailer.h"
#include "pki/encoding.h"
#include "pki/random.h"

namespace nanbyo::web {
namespace {

bool has_control(const std::string& s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// RFC 2047 encoded-word for a UTF-8 header value (Japanese subjects).
std::string encoded_word(const std::string& text) {
  return "=?UTF-8?B?" + to_base64(text) + "?=";
}

std::string rfc5322_date() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buffer;
}

class SmtpMailer final : public Mailer {
 public:
  explicit SmtpMailer(SmtpSettings s) : s_(std::move(s)) {}

  Result<void> send(const MailMessage& m) override {
    if (!plausible_mail_address(m.to)) return fail("the recipient is not a valid e-mail address");
    if (has_control(m.subject)) return fail("the mail subject has a control character");
    CurlEasy curl(curl_easy_init());
    if (!curl) return fail("libcurl could not start");
    CURL* c = curl.get();
    CurlList recipients, headers;
    const std::string host = s_.from.substr(s_.from.find('@') + 1);
    if (!recipients.append("<" + m.to + ">") ||
        !headers.append("Subject: " + encoded_word(m.subject)) ||
        !headers.append("From: <" + s_.from + ">") || !headers.append("To: <" + m.to + ">") ||
        !headers.append("Date: " + rfc5322_date()) ||
        !headers.append("Message-ID: <" + to_hex(random_bytes(16)) + "@" + host + ">"))
      return fail("out of memory building the mail");

    CurlMime mime(curl_mime_init(c));
    curl_mimepart* body = curl_mime_addpart(mime.get());
    curl_mime_data(body, m.text.data(), m.text.size());
    curl_mime_type(body, "text/plain; charset=UTF-8");
    curl_mime_encoder(body, "base64");
    for (const auto& a : m.attachments) {
      if (has_control(a.file_name) || a.file_name.find('"') != std::string::npos)
        return fail("attachment file name has a control character or quote");
      curl_mimepart* part = curl_mime_addpart(mime.get());
      curl_mime_data(part, a.data.data(), a.data.size());
      curl_mime_filename(part, a.file_name.c_str());
      curl_mime_type(part, a.content_type.c_str());
      curl_mime_encoder(part, "base64");
    }

    curl_easy_setopt(c, CURLOPT_URL, s_.url.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, ("<" + s_.from + ">").c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_MIMEPOST, mime.get());
    const bool verified = s_.tls == SmtpTls::Verified;
    // Never CURLUSESSL_TRY: a relay (or a man in the middle) that does not offer
    // STARTTLS would get the key file in clear.
    curl_easy_setopt(c, CURLOPT_USE_SSL, verified ? CURLUSESSL_ALL : CURLUSESSL_NONE);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!s_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, s_.ca_file.c_str());
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(s_.timeout.count()));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM in a threaded server
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    char error[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
      std::string why = error[0] ? std::string(error) : curl_easy_strerror(rc);
      if (rc == CURLE_USE_SSL_FAILED)
        why =
            "the relay does not offer STARTTLS, and the key file is never sent in clear "
            "(smtp-tls = none is only for a relay on this host)";
      else if (rc == CURLE_PEER_FAILED_VERIFICATION)
        why = "the relay's certificate is not trusted (smtp-ca-file) or not for this host: " + why;
      return fail("sending mail through " + s_.url + " failed: " + why);
    }
    return {};
  }

 private:
  SmtpSettings s_;
};

}  // namespace

bool plausible_mail_address(const std::string& a) {
  if (a.size() < 3 || a.size() > 254) return false;
  const auto at = a.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == a.size() ||
      a.find('@', at + 1) != std::string::npos)
    return false;
  // Printable ASCII without spaces, brackets, quotes, commas or semicolons:
  // nothing that could end the address inside a header or an SMTP command.
  return std::all_of(a.begin(), a.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c > 0x20 && c < 0x7f &&
           std::string_view("<>()[]\\,;:\"").find(ch) == std::string_view::npos;
  });
}

std::unique_ptr<Mailer> make_smtp_mailer(SmtpSettings settings) {
  return std::make_unique<SmtpMailer>(std::move(settings));
}

}  // namespace nanbyo::web
