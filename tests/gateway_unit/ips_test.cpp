// The IPS bookkeeping (gateway/ips/, issue 14 part 5): offence windows and thresholds,
// blocks that end by themselves or by an operator, per-source request rates and connection
// limits, and the policy's ips section.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

#include "gateway/ips/block_store.h"
#include "gateway/ips/ips.h"
#include "gateway/ips_enforcement.h"
#include "gateway/stages/rate_limit_stage.h"
#include "stage_fixture.h"

using namespace nanbyo::gw;
using namespace nanbyo::gw::ips;
using namespace std::chrono_literals;

namespace {

Settings strict() {
  Settings s;
  s.thresholds = {60s, 20, 3, 5};
  s.block_duration = 600s;
  return s;
}

const Subject kPc{SubjectKind::Terminal, "0A1B2C"};
const Subject kOtherPc{SubjectKind::Terminal, "0A1B2D"};

}  // namespace

TEST_CASE("a terminal is blocked when its anomaly scores in the window reach the threshold") {
  Ips ips;
  const auto t0 = Clock::now();
  CHECK_FALSE(ips.charge(kPc, Offence::Anomaly, 5, strict(), t0));
  CHECK_FALSE(ips.charge(kPc, Offence::Anomaly, 10, strict(), t0 + 1s));
  CHECK_FALSE(ips.charge(kOtherPc, Offence::Anomaly, 15, strict(), t0 + 2s));  // counted apart
  auto block = ips.charge(kPc, Offence::Anomaly, 5, strict(), t0 + 3s);
  REQUIRE(block);
  CHECK(block->subject == kPc);
  CHECK(block->origin == "threshold");
  CHECK(block->reason == "anomaly score 20 >= 20 in 60 s");
  CHECK(ips.blocked(kPc, t0 + 4s));
  CHECK_FALSE(ips.blocked(kOtherPc, t0 + 4s));
  CHECK(seconds_left(*block, t0 + 3s) == 600);
  // The block ends by itself.
  CHECK(ips.blocked(kPc, t0 + 602s));
  CHECK_FALSE(ips.blocked(kPc, t0 + 604s));
}

TEST_CASE("offences older than the window no longer count") {
  Ips ips;
  const auto t0 = Clock::now();
  CHECK_FALSE(ips.charge(kPc, Offence::BlockedRequest, 1, strict(), t0));
  CHECK_FALSE(ips.charge(kPc, Offence::BlockedRequest, 1, strict(), t0 + 30s));
  // The first is 61 s old now: two in the window, not three.
  CHECK_FALSE(ips.charge(kPc, Offence::BlockedRequest, 1, strict(), t0 + 61s));
  auto block = ips.charge(kPc, Offence::BlockedRequest, 1, strict(), t0 + 62s);
  REQUIRE(block);
  CHECK(block->reason == "blocked requests 3 >= 3 in 60 s");
}

TEST_CASE("each kind of offence has its own threshold, and 0 turns one off") {
  Ips ips;
  const auto t0 = Clock::now();
  Settings s = strict();
  s.thresholds.failed_logins = 0;
  for (int i = 0; i < 100; ++i) CHECK_FALSE(ips.charge(kPc, Offence::FailedLogin, 1, s, t0));
  s.thresholds.failed_logins = 5;
  for (int i = 0; i < 4; ++i) CHECK_FALSE(ips.charge(kOtherPc, Offence::FailedLogin, 1, s, t0));
  // Anomaly scores do not add to failed logins.
  CHECK_FALSE(ips.charge(kOtherPc, Offence::Anomaly, 10, s, t0));
  auto block = ips.charge(kOtherPc, Offence::FailedLogin, 1, s, t0);
  REQUIRE(block);
  CHECK(block->reason == "failed logins 5 >= 5 in 60 s");
}

TEST_CASE("scans and floods in a terminal's tunnels are offences of their own (issue 15)") {
  Ips ips;
  const auto t0 = Clock::now();
  Settings s = strict();
  s.thresholds.tunnel_alerts = 2;
  CHECK_FALSE(ips.charge(kPc, Offence::TunnelAlert, 1, s, t0));
  CHECK_FALSE(ips.charge(kPc, Offence::BlockedRequest, 1, s, t0));  // counted apart
  auto block = ips.charge(kPc, Offence::TunnelAlert, 1, s, t0 + 10s);
  REQUIRE(block);
  CHECK(block->reason == "tunnel alerts 2 >= 2 in 60 s");
  CHECK(ips.blocked(kPc, t0 + 11s));
  s.thresholds.tunnel_alerts = 0;
  for (int i = 0; i < 10; ++i) CHECK_FALSE(ips.charge(kOtherPc, Offence::TunnelAlert, 1, s, t0));
}

TEST_CASE("counting starts again after a block, and an operator lifts or sets one") {
  Ips ips;
  const auto t0 = Clock::now();
  for (int i = 0; i < 2; ++i) ips.charge(kPc, Offence::BlockedRequest, 1, strict(), t0);
  REQUIRE(ips.charge(kPc, Offence::BlockedRequest, 1, strict(), t0));
  CHECK(ips.lift(kPc, t0 + 1s));
  CHECK_FALSE(ips.blocked(kPc, t0 + 1s));
  CHECK_FALSE(ips.lift(kPc, t0 + 1s));  // nothing left to lift
  CHECK_FALSE(ips.charge(kPc, Offence::BlockedRequest, 1, strict(), t0 + 2s));

  const Subject source{SubjectKind::Source, "192.0.2.7"};
  Block manual = ips.block(source, 120s, "scanner seen in the firewall log", t0);
  CHECK(manual.origin == "operator");
  auto listed = ips.blocks(t0 + 1s);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].subject == source);
  CHECK(listed[0].reason == "scanner seen in the firewall log");
  CHECK(ips.blocks(t0 + 121s).empty());
}

TEST_CASE("an empty subject is never charged or blocked") {
  Ips ips;
  for (int i = 0; i < 10; ++i)
    CHECK_FALSE(ips.charge({SubjectKind::Terminal, ""}, Offence::BlockedRequest, 1, strict()));
  CHECK_FALSE(ips.blocked({SubjectKind::Terminal, ""}));
}

TEST_CASE("offences go to the terminal when there is a certificate, else to the source") {
  CHECK(charged_subject("0A1B2C", "192.0.2.7") == Subject{SubjectKind::Terminal, "0A1B2C"});
  CHECK(charged_subject("", "192.0.2.7") == Subject{SubjectKind::Source, "192.0.2.7"});
  CHECK(address_of_peer("192.0.2.7:40000") == "192.0.2.7");
  CHECK(address_of_peer("[2001:db8::1]:443") == "2001:db8::1");
  CHECK(describe({SubjectKind::Source, "192.0.2.7"}) == "source 192.0.2.7");
  // Sources: IPv4 as is, IPv4-mapped (a dual-stack listener's IPv4 client) as IPv4, IPv6 as
  // its /64 so that rotating addresses inside it does not escape a block.
  CHECK(source_key("192.0.2.7") == "192.0.2.7");
  CHECK(source_key("::ffff:192.0.2.7") == "192.0.2.7");
  CHECK(source_key("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64");
  CHECK(source_key("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64");
  CHECK(source_key("2001:db8:1:2::/64") == "2001:db8:1:2::/64");
  CHECK_FALSE(source_key("192.0.2.300"));
  CHECK_FALSE(source_key("example.jp"));
  CHECK(source_of_peer("[::ffff:192.0.2.7]:40000") == "192.0.2.7");
  CHECK(source_of_peer("[2001:db8:1:2:aaaa::1]:443") == "2001:db8:1:2::/64");
  CHECK(subject_kind_from("terminal") == SubjectKind::Terminal);
  CHECK_FALSE(subject_kind_from("user"));
}

TEST_CASE("the offence table stays bounded when sources keep changing") {
  OffenceWindow window;
  const auto t0 = Clock::now();
  Thresholds limits{60s, 1000, 0, 0};
  for (std::size_t i = 0; i < OffenceWindow::kMaxSubjects + 5000; ++i) {
    window.record({SubjectKind::Source, "10.0." + std::to_string(i)}, Offence::Anomaly, 1, limits,
                  t0 + std::chrono::milliseconds(i));
  }
  CHECK(window.tracked() <= OffenceWindow::kMaxSubjects);
}

TEST_CASE("a source's request rate: bursts pass, the excess is refused, the bucket refills") {
  RequestRateLimiter limiter;
  const auto t0 = Clock::now();
  int allowed = 0;
  int first_refusals = 0;
  for (int i = 0; i < 30; ++i) {
    Admission a = limiter.admit("192.0.2.7", 10, 20, t0);
    allowed += a.allowed;
    first_refusals += a.first_refusal;
  }
  CHECK(allowed == 20);                                      // the burst
  CHECK(first_refusals == 1);                                // one audit record for the run
  CHECK(limiter.admit("198.51.100.1", 10, 20, t0).allowed);  // other sources unaffected
  CHECK_FALSE(limiter.admit("192.0.2.7", 10, 20, t0 + 50ms).allowed);  // half a token
  CHECK(limiter.admit("192.0.2.7", 10, 20, t0 + 150ms).allowed);       // one and a half
  CHECK(limiter.admit("192.0.2.7", 0, 0, t0).allowed);                 // rate 0: no limit
}

TEST_CASE("a source's open connections are limited and released") {
  ConnectionCounter counter;
  CHECK(counter.acquire("192.0.2.7", 2).allowed);
  CHECK(counter.acquire("192.0.2.7", 2).allowed);
  Admission third = counter.acquire("192.0.2.7", 2);
  CHECK_FALSE(third.allowed);
  CHECK(third.first_refusal);
  CHECK_FALSE(counter.acquire("192.0.2.7", 2).first_refusal);
  CHECK(counter.acquire("198.51.100.1", 2).allowed);
  counter.release("192.0.2.7");
  CHECK(counter.open("192.0.2.7") == 1);
  CHECK(counter.acquire("192.0.2.7", 2).allowed);
  CHECK(counter.acquire("192.0.2.7", 0).allowed);  // limit 0: none
}

TEST_CASE("the policy's ips section becomes the settings, without one nothing is limited") {
  using nanbyo::gw::testing::stage_policy;
  const Settings none = ips_settings_of(*stage_policy());
  CHECK(none.thresholds.anomaly_score == 0);
  CHECK(none.thresholds.blocked_requests == 0);
  CHECK(none.request_rate == 0);
  const Settings set = ips_settings_of(*stage_policy(R"(ips:
  window_s: 120
  block_s: 3600
  anomaly_score: 30
  blocked_requests: 4
  failed_logins: 8
  requests_per_second: 50
  request_burst: 100
  connections_per_source: 64
)"));
  CHECK(set.thresholds.window == 120s);
  CHECK(set.block_duration == 3600s);
  CHECK(set.thresholds.anomaly_score == 30);
  CHECK(set.thresholds.blocked_requests == 4);
  CHECK(set.thresholds.failed_logins == 8);
  CHECK(set.request_rate == 50);
  CHECK(set.request_burst == 100);
  CHECK(set.connections_per_source == 64);
  // Defaults of a present section.
  const Settings defaults = ips_settings_of(*stage_policy("ips: {}\n"));
  CHECK(defaults.thresholds.anomaly_score == 40);
  CHECK(defaults.thresholds.blocked_requests == 5);
  CHECK(defaults.block_duration == 900s);
}

TEST_CASE("the tunnel's scan and flood thresholds come from ips.tunnel (issue 15)") {
  using nanbyo::gw::testing::stage_policy;
  CHECK_FALSE(tunnel_scan_limits_of(*stage_policy()).any());  // no ips section: nothing
  const auto defaults = tunnel_scan_limits_of(*stage_policy("ips: {}\n"));
  CHECK(defaults.window == 60s);
  CHECK(defaults.ports_per_host == 24);
  CHECK(defaults.hosts == 64);
  CHECK(defaults.probes_per_second == 200);
  CHECK(defaults.probe_burst == 1000);
  CHECK(ips_settings_of(*stage_policy("ips: {}\n")).thresholds.tunnel_alerts == 2);
  const auto policy = stage_policy(R"(ips:
  tunnel_alerts: 3
  tunnel:
    window_s: 5
    ports_per_host: 10
    hosts: 0
    probes_per_second: 50
    probe_burst: 80
)");
  CHECK(ips_settings_of(*policy).thresholds.tunnel_alerts == 3);
  const auto set = tunnel_scan_limits_of(*policy);
  CHECK(set.window == 5s);
  CHECK(set.ports_per_host == 10);
  CHECK(set.hosts == 0);
  CHECK(set.probes_per_second == 50);
  CHECK(set.probe_burst == 80);
}

TEST_CASE("the rate-limit stage answers 429 over the source's rate, auditing the first") {
  nanbyo::gw::testing::StageCase c(http::verb::get, "/");
  Ips ips;
  Settings settings;
  settings.request_rate = 1;
  settings.request_burst = 2;
  RateLimitStage stage;
  RequestView view = c.view();
  view.ips = &ips;
  view.ips_settings = &settings;
  CHECK(stage.run(view).proceed);
  CHECK(stage.run(view).proceed);
  StageVerdict refused = stage.run(view);
  CHECK_FALSE(refused.proceed);
  CHECK(refused.status == http::status::too_many_requests);
  CHECK(refused.check == "rate-limit");
  CHECK(refused.detail == "over 1 requests/s from 127.0.0.1");
  CHECK(refused.audit);
  CHECK_FALSE(stage.run(view).audit);  // the same run: no second record
}

TEST_CASE("blocks survive a restart through the state file, ended ones are dropped") {
  const ClockPair then{std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000)),
                       Clock::now()};
  std::vector<Block> blocks = {
      {kPc, "blocked requests 5 >= 5 in\t300 s\n", "threshold", then.wall, then.steady + 900s},
      {{SubjectKind::Source, "192.0.2.7"}, "scanner", "operator", then.wall, then.steady + 60s},
  };
  const std::string text = format_blocks(blocks, then);
  CHECK(text ==
        "terminal\t0A1B2C\tthreshold\t1800000000\t1800000900\tblocked requests 5 >= 5 in 300 s \n"
        "source\t192.0.2.7\toperator\t1800000000\t1800000060\tscanner\n");
  // Read again 100 s later, after a restart: the source's block has ended.
  const ClockPair later{then.wall + 100s, Clock::now() + 5s};
  auto restored = parse_blocks(text, later);
  REQUIRE(restored.ok());
  REQUIRE(restored->size() == 1);
  CHECK(restored->at(0).subject == kPc);
  CHECK(restored->at(0).origin == "threshold");
  CHECK(seconds_left(restored->at(0), later.steady) == 800);

  CHECK(parse_blocks("terminal\t0A\tthreshold\n").error().message ==
        "line 1: not six tab-separated fields");
  CHECK(parse_blocks("user\t0A\to\t1\t2\tr\n").error().message ==
        "line 1: the kind is neither terminal nor source");
  CHECK(parse_blocks("terminal\t0A\to\tx\t2\tr\n").error().message ==
        "line 1: since and until must be Unix seconds (before 2223)");
  // Found by the fuzzer: a time the clocks cannot hold is refused, not overflowed.
  CHECK_FALSE(parse_blocks("terminal\t0A\to\t1800000000000000\t4000000000\tr\n"));
  CHECK_FALSE(parse_blocks("terminal\t0A\to\t-1\t4000000000\tr\n"));
  CHECK(parse_blocks("").value().empty());
}

TEST_CASE("the state file is written owner-only and read back, none yet is no blocks") {
  const auto dir =
      std::filesystem::temp_directory_path() / ("nanbyo-ips-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "ips-blocks";
  CHECK(load_blocks(file).value().empty());
  REQUIRE(save_blocks(file, {{kPc, "test", "operator", std::chrono::system_clock::now(),
                              Clock::now() + 600s}})
              .ok());
  CHECK((std::filesystem::status(file).permissions() & std::filesystem::perms::all) ==
        std::filesystem::perms(0600));
  auto loaded = load_blocks(file);
  REQUIRE(loaded.ok());
  REQUIRE(loaded->size() == 1);
  CHECK(loaded->at(0).reason == "test");
  std::filesystem::remove_all(dir);
}
