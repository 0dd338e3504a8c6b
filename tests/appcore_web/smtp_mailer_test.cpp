// The SMTP mailer against a real SMTP server (aiosmtpd on loopback): the key
// file of ID-4 arrives as an attachment and opens with the pki library; it
// travels only over STARTTLS to a verified relay unless plain SMTP is chosen
// explicitly (issue 12).
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "../pki/test_support.h"
#include "appcore/web/mailer.h"
#include "pki/user_key_file.h"
#include "spawned.h"

using namespace nanbyo;
using namespace nanbyo::web;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Waits up to 10 s for the sink's n-th message.
nlohmann::json wait_message(const fs::path& dir, int n) {
  const fs::path info = dir / (std::to_string(n) + ".json");
  for (int i = 0; i < 200 && !fs::exists(info); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  REQUIRE(fs::exists(info));
  return nlohmann::json::parse(slurp(info));
}

struct Sink {
  explicit Sink(bool starttls = false)
      : process(testing::Spawned::start({"/usr/bin/python3", SMTP_SINK_PATH, dir.path().string(),
                                         starttls ? "--starttls" : "--plain"},
                                        line, why_not)) {}
  testing::TempDir dir;
  std::string why_not, line;
  std::unique_ptr<testing::Spawned> process;
  std::string url() const { return "smtp://127.0.0.1:" + line.substr(5); }
  std::string ca_file() const { return (dir.path() / "ca.crt").string(); }
};

const MailMessage kPlainMail{"doctor@example.jp", "鍵ファイル", "本文\r\n", {}};

}  // namespace

TEST_CASE("a key file mailed over SMTP arrives as an attachment that opens", "[mail]") {
  Sink sink;
  REQUIRE(sink.process);  // python3-aiosmtpd is in packaging/install-deps.sh
  SmtpSettings settings;
  settings.url = sink.url();
  settings.from = "nanbyo-db@example.jp";
  settings.tls = SmtpTls::None;  // a relay on this host
  auto mailer = make_smtp_mailer(settings);

  testing::FakeClock clock;
  const auto key =
      pki::generate_user_key("A0000001", clock.now(), clock.now() + std::chrono::days(365));
  const std::string file_name = "A0000001-" + key.key_id + ".nbkey";
  MailMessage m{"doctor@example.jp",
                "【難病・小慢DB】暗号化鍵ファイルの送付",
                "鍵ファイルを添付します。\r\n",
                {{file_name, "application/octet-stream", pki::encode_key_file(key)}}};
  auto sent = mailer->send(m);
  REQUIRE(sent.ok());

  auto info = wait_message(sink.dir.path(), 1);
  CHECK(info["mail_from"] == "nanbyo-db@example.jp");
  CHECK(info["rcpt_tos"] == nlohmann::json::array({"doctor@example.jp"}));
  CHECK(info["subject"] == "【難病・小慢DB】暗号化鍵ファイルの送付");  // RFC 2047 decoded
  CHECK(info["text"].get<std::string>().find("鍵ファイルを添付します。") != std::string::npos);
  REQUIRE(info["attachments"].size() == 1);
  CHECK(info["attachments"][0]["file_name"] == file_name);

  auto parsed = pki::parse_key_file(slurp(sink.dir.path() / ("1-" + file_name)));
  REQUIRE(parsed.ok());
  CHECK(parsed->key_id == key.key_id);
  CHECK(parsed->user_id == "A0000001");
  // The received key opens what the original sealed (S-9).
  auto sealed = pki::seal_with_key(key, "臨床調査個人票", clock.now());
  REQUIRE(sealed.ok());
  auto opened = pki::open_with_key(*parsed, *sealed, clock.now());
  REQUIRE(opened.ok());
  CHECK(*opened == "臨床調査個人票");
}

TEST_CASE("the mailer refuses addresses that could inject headers", "[mail]") {
  CHECK(plausible_mail_address("doctor@example.jp"));
  CHECK_FALSE(plausible_mail_address("doctor@example.jp\r\nBcc: x@y"));
  CHECK_FALSE(plausible_mail_address("<doctor@example.jp>"));
  CHECK_FALSE(plausible_mail_address("a@b@c"));
  CHECK_FALSE(plausible_mail_address("no-at-sign"));
  auto mailer = make_smtp_mailer({});
  auto sent = mailer->send({"x@y\r\nRCPT TO:<z@w>", "s", "t", {}});
  REQUIRE_FALSE(sent.ok());
  CHECK(sent.error().message.find("recipient") != std::string::npos);
}

TEST_CASE("an unreachable relay is a clear error naming the relay", "[mail]") {
  SmtpSettings settings;
  settings.url = "smtp://127.0.0.1:1";
  settings.timeout = std::chrono::seconds(5);
  auto sent = make_smtp_mailer(settings)->send({"doctor@example.jp", "s", "t", {}});
  REQUIRE_FALSE(sent.ok());
  CHECK(sent.error().message.find("smtp://127.0.0.1:1") != std::string::npos);
}

TEST_CASE("STARTTLS to a relay whose certificate verifies delivers, encrypted", "[mail]") {
  Sink sink(true);
  REQUIRE(sink.process);
  SmtpSettings settings;
  settings.url = sink.url();
  settings.ca_file = sink.ca_file();
  auto sent = make_smtp_mailer(settings)->send(kPlainMail);
  INFO((sent.ok() ? std::string() : sent.error().message));
  REQUIRE(sent.ok());
  CHECK(wait_message(sink.dir.path(), 1)["tls"] == true);
}

TEST_CASE("a relay without STARTTLS gets nothing unless plain SMTP is chosen", "[mail]") {
  Sink sink;
  REQUIRE(sink.process);
  SmtpSettings settings;
  settings.url = sink.url();
  auto refused = make_smtp_mailer(settings)->send(kPlainMail);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("does not offer STARTTLS") != std::string::npos);
  CHECK_FALSE(fs::exists(sink.dir.path() / "1.json"));

  settings.tls = SmtpTls::None;  // explicit: a relay on this host
  REQUIRE(make_smtp_mailer(settings)->send(kPlainMail).ok());
  CHECK(wait_message(sink.dir.path(), 1)["tls"] == false);
}

TEST_CASE("a relay whose certificate is not trusted gets nothing", "[mail]") {
  Sink sink(true);
  REQUIRE(sink.process);
  SmtpSettings settings;
  settings.url = sink.url();  // the throw-away CA is not in the system store
  auto refused = make_smtp_mailer(settings)->send(kPlainMail);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("certificate") != std::string::npos);
  CHECK_FALSE(fs::exists(sink.dir.path() / "1.json"));
}
