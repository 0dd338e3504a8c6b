// A record is one line of 7-bit JSON in a fixed key order whose hash covers
// every byte before it, and hostile text cannot break it into two lines.
#include <catch2/catch.hpp>

#include "pki/aead.h"
#include "pki/audit/audit_record.h"
#include "pki/encoding.h"

using namespace nanbyo;
using namespace nanbyo::audit;

namespace {

const TimePoint kTime(std::chrono::seconds(1'790'000'000));  // 2026-09-21T14:13:20Z

AuditEvent revoke_event() {
  AuditEvent e;
  e.event = "revoke";
  e.outcome = Outcome::Info;
  e.actor = "operator";
  e.subject = "4F2A9C";
  e.source = "console";
  e.detail = {{"reason", "key-compromise"}};
  return e;
}

}  // namespace

TEST_CASE("a record is one line with a fixed key order and a hash over the rest of the line") {
  auto sealed = seal_record(1, kTime, revoke_event(), kGenesisHash);
  REQUIRE(sealed.ok());
  const std::string body =
      R"({"seq":1,"time":"2026-09-21T14:13:20Z","event":"revoke","outcome":"info",)"
      R"("actor":"operator","subject":"4F2A9C","source":"console",)"
      R"("detail":{"reason":"key-compromise"},"prev":")" +
      std::string(kGenesisHash) + R"("})";
  const std::string hash = to_hex(aead::sha256(body));
  CHECK(sealed->line == body.substr(0, body.size() - 1) + R"(,"hash":")" + hash + R"("})");
  CHECK(sealed->record.hash == hash);
  CHECK(sealed->record.seq == 1);
  CHECK(sealed->record.time == kTime);
  CHECK(hash_matches(sealed->line, sealed->record));
}

TEST_CASE(
    "newlines, quotes, control characters and Japanese stay on one ASCII line and round-trip") {
  AuditEvent e = revoke_event();
  const std::string note = "行1\n行2 \"引用\" \\ 難病・小慢\r\t\x1b[31m red \u202e evil";
  e.detail["note"] = note;
  e.actor = "田中 太郎\n{\"seq\":99}";
  auto sealed = seal_record(7, kTime, e, kGenesisHash);
  REQUIRE(sealed.ok());

  CHECK(sealed->line.find('\n') == std::string::npos);
  CHECK(sealed->line.find('\r') == std::string::npos);
  for (char c : sealed->line) {
    CHECK((c >= 0x20 && c < 0x7f));
  }
  auto parsed = parse_record_line(sealed->line);
  REQUIRE(parsed.ok());
  CHECK(parsed->detail.at("note") == note);
  CHECK(parsed->actor == e.actor);
  CHECK(parsed->seq == 7);
  CHECK(hash_matches(sealed->line, *parsed));
}

TEST_CASE("over-long text is cut and marked, invalid UTF-8 is replaced, never refused") {
  AuditEvent e = revoke_event();
  e.source = std::string(5000, 'x');
  e.detail["user-agent"] = std::string(1008, 'a') + "難病" + std::string(20, 'b');  // cut inside 難
  e.subject = "bad \xff\xfe utf-8";
  auto sealed = seal_record(1, kTime, e, kGenesisHash);
  REQUIRE(sealed.ok());
  CHECK(sealed->record.source.size() == kMaxTextBytes);
  CHECK(sealed->record.source.ends_with(kTruncatedMark));
  const std::string& ua = sealed->record.detail.at("user-agent");
  CHECK(ua == std::string(1008, 'a') + std::string(kTruncatedMark));
  CHECK(sealed->record.subject == "bad \xEF\xBF\xBD\xEF\xBF\xBD utf-8");
}

TEST_CASE("event names and detail keys are code, not data: bad ones are refused") {
  AuditEvent e = revoke_event();
  e.event = "TLS reject";
  auto bad_name = seal_record(1, kTime, e, kGenesisHash);
  REQUIRE_FALSE(bad_name.ok());
  CHECK(bad_name.error().message == R"(audit event name "TLS reject" is not a kebab-case name)");

  e = revoke_event();
  e.detail["Bad Key"] = "x";
  CHECK_FALSE(seal_record(1, kTime, e, kGenesisHash).ok());

  e = revoke_event();
  for (int i = 0; i < 40; ++i) e.detail["k" + std::to_string(i)] = "v";
  CHECK_FALSE(seal_record(1, kTime, e, kGenesisHash).ok());
}

TEST_CASE("parsing names what is wrong with a line") {
  auto sealed = seal_record(1, kTime, revoke_event(), kGenesisHash);
  REQUIRE(sealed.ok());
  std::string line = sealed->line;

  auto reason = [](std::string_view text) {
    auto r = parse_record_line(text);
    REQUIRE_FALSE(r.ok());
    return r.error().message;
  };
  CHECK(reason("") == "empty line");
  CHECK(reason("{\"seq\":1,") == "malformed JSON");
  CHECK(reason("[1,2]") == "not a JSON object");
  CHECK(reason(R"({"seq":1})") == R"(missing field "time")");

  std::string extra = line;
  extra.insert(1, R"("x":1,)");
  CHECK(reason(extra) == R"(unexpected field "x")");

  std::string outcome = line;
  outcome.replace(outcome.find("\"info\""), 6, "\"okay\"");
  CHECK(reason(outcome) == R"(field "outcome" is not allow, deny or info)");

  std::string seq = line;
  seq.replace(seq.find("\"seq\":1"), 7, "\"seq\":0");
  CHECK(reason(seq) == R"(field "seq" is not a positive integer)");
}
