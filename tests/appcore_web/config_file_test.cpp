// nanbyo-appcore's configuration file (issue 13): the keys are the serve
// flags, the command line wins, and every mistake names file:line.
#include <catch2/catch.hpp>

#include <fstream>

#include "../pki/test_support.h"
#include "appcore/web/config.h"
#include "appcore/web/config_file.h"

using namespace nanbyo;

namespace {

struct Parsed {
  web::WebConfig config;
  CLI::App app{"test"};
  CLI::App* serve = nullptr;
};

// Parses `args` as `nanbyo-appcore serve ARGS`, then applies `file_text`.
Result<void> parse(Parsed& p, std::vector<std::string> args, const std::string& file_text,
                   const testing::TempDir& dir) {
  p.serve = p.app.add_subcommand("serve");
  web::add_serve_options(*p.serve, p.config);
  args.insert(args.begin(), "serve");
  std::reverse(args.begin(), args.end());
  p.app.parse(args);
  const std::string file = (dir.path() / "appcore.conf").string();
  std::ofstream(file) << file_text;
  return web::apply_config_file(*p.serve, *p.serve, file);
}

}  // namespace

TEST_CASE("appcore.conf sets the serve flags by their long names", "[config]") {
  testing::TempDir dir;
  Parsed p;
  auto applied = parse(p, {},
                       "# comment\n\ndatabase = /var/lib/nanbyo/appcore/appcore.db\n"
                       "control-bus = none\nworkers = 2\nsocket-mode = 0600\n"
                       "session-idle-minutes = 15\nsmtp-require-tls = true\n"
                       "smtp-tls = none\ngateway-user = _nanbyo-gw\n",
                       dir);
  REQUIRE(applied.ok());
  CHECK(p.config.core.database == "/var/lib/nanbyo/appcore/appcore.db");
  CHECK(p.config.gateway_bus == "none");
  CHECK(p.config.workers == 2);
  CHECK(p.config.socket_mode == 0600);
  CHECK(p.config.core.session_idle == std::chrono::minutes(15));
  CHECK(p.config.smtp.tls == web::SmtpTls::None);
  CHECK(p.config.gateway_user == "_nanbyo-gw");
}

TEST_CASE("a flag on the command line wins over appcore.conf", "[config]") {
  testing::TempDir dir;
  Parsed p;
  auto applied = parse(p, {"--workers", "8"}, "workers = 2\nlisten = unix:/tmp/x.sock\n", dir);
  REQUIRE(applied.ok());
  CHECK(p.config.workers == 8);
  CHECK(p.config.listen == "unix:/tmp/x.sock");
}

TEST_CASE("appcore.conf mistakes stop the start with file:line", "[config]") {
  testing::TempDir dir;
  struct Case {
    std::string text, expect;
  };
  for (const auto& c :
       {Case{"workers = 2\nbogus = 1\n", "appcore.conf:2: unknown key 'bogus'"},
        Case{"workers 2\n", "appcore.conf:1: expected key = value"},
        Case{"workers = 99\n", "appcore.conf:1: workers:"},
        Case{"workers = 2\nworkers = 3\n", "appcore.conf:2: 'workers' is set twice"},
        Case{"config = /etc/x\n", "appcore.conf:1: unknown key 'config'"}}) {
    Parsed p;
    auto applied = parse(p, {}, c.text, dir);
    INFO(c.text);
    REQUIRE_FALSE(applied.ok());
    CHECK(applied.error().message.find(c.expect) != std::string::npos);
  }
}

TEST_CASE("a missing appcore.conf is an error naming it", "[config]") {
  Parsed p;
  p.serve = p.app.add_subcommand("serve");
  web::add_serve_options(*p.serve, p.config);
  auto applied = web::apply_config_file(*p.serve, *p.serve, "/nonexistent/appcore.conf");
  REQUIRE_FALSE(applied.ok());
  CHECK(applied.error().message.find("/nonexistent/appcore.conf") != std::string::npos);
}

TEST_CASE("bootstrap-operator takes its keys from appcore.conf and skips the serve ones",
          "[config]") {
  testing::TempDir dir;
  web::WebConfig config;
  CLI::App app{"test"};
  auto* serve = app.add_subcommand("serve");
  web::add_serve_options(*serve, config);
  auto* boot = app.add_subcommand("bootstrap-operator");
  web::add_core_options(*boot, config);
  std::vector<std::string> args{"bootstrap-operator"};
  app.parse(args);
  const std::string file = (dir.path() / "appcore.conf").string();
  std::ofstream(file) << "database = /srv/a.db\nlisten = unix:/run/x.sock\nworkers = 2\n";
  auto applied = web::apply_config_file(*boot, *serve, file);
  REQUIRE(applied.ok());
  CHECK(config.core.database == "/srv/a.db");
  CHECK(config.listen == web::WebConfig{}.listen);
  std::ofstream(file) << "nonsense = 1\n";
  CHECK_FALSE(web::apply_config_file(*boot, *serve, file).ok());
}
