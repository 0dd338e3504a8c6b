// The real nanbyoctl against DbusControlService on a private bus: what an
// operator types reaches the gateway with the right arguments, and what comes
// back is shown as an aligned table, as JSON, or as one clear error line.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <sstream>

#include "service_fixture.h"

using namespace nanbyo::testing;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

const std::string kSelf = "uid=" + std::to_string(geteuid());

}  // namespace

TEST_CASE_METHOD(ServiceFixture, "connections shows every connection as an aligned table",
                 "[nanbyoctl]") {
  NANBYO_REQUIRE_BUS(*this);
  auto result = ctl({"connections"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  auto lines = lines_of(result.out);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].rfind("ID  PEER", 0) == 0);
  CHECK(lines[1].find("192.0.2.10:51234") != std::string::npos);
  CHECK(lines[1].find("doctor-042") != std::string::npos);
  CHECK(lines[1].find("56789") != std::string::npos);
  // Ages read as people say them; an unknown user shows as "-".
  CHECK(lines[1].substr(lines[1].size() - 5) == "3m12s");
  CHECK(lines[2].substr(lines[2].size() - 5) == "2h05m");
  // Columns line up: each hospital number starts under HOSPITAL.
  const auto column = lines[0].find("HOSPITAL");
  CHECK(lines[1].find("1310000001") == column);
  CHECK(lines[2].find("2710000002") == column);
  CHECK(lines[2].find("  -  ") != std::string::npos);

  SECTION("list is the same command") {
    CHECK(ctl({"list"}).out == result.out);
  }
}

TEST_CASE_METHOD(ServiceFixture, "connections --json gives every field as data", "[nanbyoctl]") {
  NANBYO_REQUIRE_BUS(*this);
  auto result = ctl({"connections", "--json"});
  REQUIRE(result.exit_code == 0);
  auto list = nlohmann::json::parse(result.out);
  REQUIRE(list.size() == 2);
  CHECK(list[0]["id"] == 7);
  CHECK(list[0]["peer"] == "192.0.2.10:51234");
  CHECK(list[0]["listener"] == "public");
  CHECK(list[0]["kind"] == "https");
  CHECK(list[0]["serial"] == "0A1B2C3D");
  CHECK(list[0]["hospital"] == "1310000001");
  CHECK(list[0]["terminal"] == "uketsuke-01");
  CHECK(list[0]["user"] == "doctor-042");
  CHECK(list[0]["bytes_in"] == 1234);
  CHECK(list[0]["bytes_out"] == 56789);
  CHECK(list[0]["requests"] == 12);
  CHECK(list[0]["age_seconds"] == 192.5);
  CHECK(list[1]["kind"] == "vpn");
  CHECK(list[1]["address"] == "10.255.0.7");
  CHECK(list[0]["address"] == "");
  CHECK(list[1]["bytes_in"] == 987654321);
}

TEST_CASE_METHOD(ServiceFixture, "no connections is said in words, or an empty JSON list",
                 "[nanbyoctl]") {
  NANBYO_REQUIRE_BUS(*this);
  api.set_connections({});
  CHECK(ctl({"connections"}).out == "no open connections\n");
  CHECK(nlohmann::json::parse(ctl({"list", "--json"}).out) == nlohmann::json::array());
}

TEST_CASE_METHOD(ServiceFixture, "disconnect ends the connection with that id", "[nanbyoctl]") {
  NANBYO_REQUIRE_BUS(*this);
  auto result = ctl({"disconnect", "7"});
  CHECK(result.exit_code == 0);
  CHECK(result.out == "disconnected connection 7\n");
  auto calls = api.calls();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].method == "disconnect");
  CHECK(calls[0].argument == "7");
  // requested_by names the caller on the bus and its uid, for the audit log.
  CHECK(calls[0].requested_by.rfind("dbus :1.", 0) == 0);
  CHECK(calls[0].requested_by.find(kSelf) != std::string::npos);
}

TEST_CASE_METHOD(ServiceFixture, "disconnect of an unknown id fails with one line", "[nanbyoctl]") {
  NANBYO_REQUIRE_BUS(*this);
  auto result = ctl({"disconnect", "99"});
  CHECK(result.exit_code == 1);
  CHECK(result.out.empty());
  CHECK(result.err == "nanbyoctl: error: no open connection with id 99\n");
}

TEST_CASE_METHOD(ServiceFixture, "revoke-cert revokes the serial and prints how many closed",
                 "[nanbyoctl]") {
  NANBYO_REQUIRE_BUS(*this);
  auto result = ctl({"revoke-cert", "0A1B2C3D"});
  CHECK(result.exit_code == 0);
  CHECK(result.out == "revoked certificate 0A1B2C3D: closed 2 connections\n");
  auto calls = api.calls();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].method == "revoke_certificate");
  CHECK(calls[0].argument == "0A1B2C3D");
  CHECK(calls[0].requested_by.find(kSelf) != std::string::npos);

  // Pasted as `openssl x509 -text` shows it: the gateway still gets upper-case hex.
  CHECK(ctl({"revoke-cert", "0a:1b:2c:3d"}).out ==
        "revoked certificate 0A1B2C3D: closed 2 connections\n");
  CHECK(api.calls().back().argument == "0A1B2C3D");
  auto not_hex = ctl({"revoke-cert", "serial-7"});
  CHECK(not_hex.exit_code == 1);
  CHECK(not_hex.err ==
        "nanbyoctl: error: a serial is hexadecimal (e.g. 4A1B2C or 4a:1b:2c), not 'serial-7'\n");
  CHECK(api.calls().size() == 2);

  api.closed_per_revocation = 1;
  auto json = ctl({"revoke-cert", "FFEE01", "--json"});
  CHECK(nlohmann::json::parse(json.out) == nlohmann::json{{"serial", "FFEE01"}, {"closed", 1}});
}

TEST_CASE_METHOD(ServiceFixture, "revoke-user revokes the user and prints how many closed",
                 "[nanbyoctl]") {
  NANBYO_REQUIRE_BUS(*this);
  auto result = ctl({"revoke-user", "doctor-042"});
  CHECK(result.exit_code == 0);
  CHECK(result.out == "revoked user doctor-042: closed 2 connections\n");
  auto calls = api.calls();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].method == "revoke_user");
  CHECK(calls[0].argument == "doctor-042");
}

TEST_CASE_METHOD(ServiceFixture, "reload succeeds quietly", "[nanbyoctl]") {
  NANBYO_REQUIRE_BUS(*this);
  auto result = ctl({"reload"});
  CHECK(result.exit_code == 0);
  CHECK(result.out == "policy reloaded\n");
  REQUIRE(api.calls().size() == 1);
  CHECK(api.calls()[0].method == "reload");
}

TEST_CASE_METHOD(ServiceFixture, "a refused reload prints the gateway's reason and exits 1",
                 "[nanbyoctl]") {
  NANBYO_REQUIRE_BUS(*this);
  api.refuse_reload("policy /etc/nanbyo/gateway.yaml:3:5: listners: unknown key");
  auto result = ctl({"reload"});
  CHECK(result.exit_code == 1);
  CHECK(result.out.empty());
  CHECK(result.err ==
        "nanbyoctl: error: reload refused: policy /etc/nanbyo/gateway.yaml:3:5: listners: "
        "unknown key\n");
}

TEST_CASE_METHOD(ServiceFixture, "stats shows the counters as a table or JSON", "[nanbyoctl]") {
  NANBYO_REQUIRE_BUS(*this);
  auto table = ctl({"stats"});
  CHECK(table.exit_code == 0);
  CHECK(table.out ==
        "NAME                  VALUE\n"
        "connections_open          2\n"
        "tls_handshakes_total     31\n"
        "revocations_total         4\n");
  auto json = ctl({"stats", "--json"});
  CHECK(json.exit_code == 0);
  CHECK(nlohmann::json::parse(json.out) == nlohmann::json{{"connections_open", 2},
                                                          {"tls_handshakes_total", 31},
                                                          {"revocations_total", 4}});
}

TEST_CASE_METHOD(ServiceFixture, "NANBYO_BUS chooses the bus when --bus is not given",
                 "[nanbyoctl]") {
  NANBYO_REQUIRE_BUS(*this);
  ProcessOptions options;
  options.env["NANBYO_BUS"] = bus->address();
  auto result = run_nanbyoctl({"stats", "--json"}, dir.path(), options);
  CHECK(result.exit_code == 0);
  CHECK(nlohmann::json::parse(result.out)["tls_handshakes_total"] == 31);
}

TEST_CASE("nanbyoctl without a bus at the address says it cannot reach the gateway",
          "[nanbyoctl]") {
  TempDir dir;
  const std::string address = "unix:path=" + (dir.path() / "no-bus").string();
  auto result = run_nanbyoctl({"--bus", address, "connections"}, dir.path());
  CHECK(result.exit_code == 1);
  CHECK(result.out.empty());
  CHECK(result.err == "nanbyoctl: error: cannot reach nanbyo-gateway on the bus at " + address +
                          ": No such file or directory\n");
}

TEST_CASE_METHOD(BusOnly, "nanbyoctl on a bus where no gateway runs says it is not running",
                 "[nanbyoctl]") {
  NANBYO_REQUIRE_BUS(*this);
  auto result = run_nanbyoctl({"--bus", bus->address(), "reload"}, dir.path());
  CHECK(result.exit_code == 1);
  CHECK(result.err == "nanbyoctl: error: cannot reach nanbyo-gateway on the bus at " +
                          bus->address() +
                          ": it is not running (org.nanbyo.Gateway1 has no owner)\n");
}

TEST_CASE("nanbyoctl usage errors are one line and exit 1", "[nanbyoctl]") {
  TempDir dir;
  auto no_command = run_nanbyoctl({}, dir.path());
  CHECK(no_command.exit_code == 1);
  CHECK(no_command.err == "nanbyoctl: error: A subcommand is required (see nanbyoctl --help)\n");
  auto bad_bus = run_nanbyoctl({"--bus", "sytem", "stats"}, dir.path());
  CHECK(bad_bus.exit_code == 1);
  CHECK(bad_bus.err ==
        "nanbyoctl: error: --bus: bus must be 'system', 'session' or a D-Bus address like "
        "unix:path=/run/x/bus, not 'sytem'\n");
}

TEST_CASE_METHOD(ServiceFixture,
                 "block, blocks and unblock: the IPS from the command line (issue 14)",
                 "[nanbyoctl]") {
  NANBYO_REQUIRE_BUS(*this);
  CHECK(ctl({"blocks"}).out == "no blocks\n");
  auto blocked = ctl({"block", "terminal", "0A1B2C3D", "--for", "2h", "--reason", "攻撃を確認"});
  INFO(blocked.err);
  REQUIRE(blocked.exit_code == 0);
  CHECK(blocked.out == "blocked terminal 0A1B2C3D for 2h00m: closed 2 connections\n");
  REQUIRE(ctl({"block", "source", "192.0.2.7"}).exit_code == 0);  // one hour by default
  auto calls = api.calls();
  REQUIRE(calls.size() == 2);
  CHECK(calls[0].method == "block");
  CHECK(calls[0].argument == "terminal 0A1B2C3D");
  CHECK(calls[0].requested_by.find(kSelf) != std::string::npos);

  auto table = lines_of(ctl({"blocks"}).out);
  REQUIRE(table.size() == 3);
  CHECK(table[0].rfind("KIND      VALUE", 0) == 0);
  CHECK(table[1].find("terminal  0A1B2C3D") == 0);
  CHECK(table[1].find("攻撃を確認") != std::string::npos);
  CHECK(table[1].find("operator") != std::string::npos);
  CHECK(table[2].find("blocked by an operator") != std::string::npos);
  auto list = nlohmann::json::parse(ctl({"blocks", "--json"}).out);
  REQUIRE(list.size() == 2);
  CHECK(list[1]["kind"] == "source");
  CHECK(list[1]["value"] == "192.0.2.7");
  CHECK(list[1]["seconds_left"].get<uint64_t>() > 3500);
  CHECK(list[1]["seconds_left"].get<uint64_t>() <= 3600);

  CHECK(ctl({"unblock", "terminal", "0A1B2C3D"}).out == "lifted the block of terminal 0A1B2C3D\n");
  auto again = ctl({"unblock", "terminal", "0A1B2C3D"});
  CHECK(again.exit_code == 1);
  CHECK(again.err == "nanbyoctl: error: terminal 0A1B2C3D is not blocked\n");
  CHECK(nlohmann::json::parse(ctl({"blocks", "--json"}).out).size() == 1);
}

TEST_CASE_METHOD(ServiceFixture, "block refuses a bad kind, duration or value with one line",
                 "[nanbyoctl]") {
  NANBYO_REQUIRE_BUS(*this);
  auto kind = ctl({"block", "user", "doctor-042"});
  CHECK(kind.exit_code == 1);
  CHECK(kind.err == "nanbyoctl: error: the kind is terminal or source, not 'user'\n");
  for (const char* duration : {"0", "31d", "1w", "h", "-5"}) {
    auto r = ctl({"block", "terminal", "0A", "--for", duration});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("--for takes seconds") != std::string::npos);
  }
  auto bad = ctl({"block", "terminal", "bad"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("not a certificate serial") != std::string::npos);
  CHECK(api.calls().size() == 1);  // only the last reached the gateway
}
