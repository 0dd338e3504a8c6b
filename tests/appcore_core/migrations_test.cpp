// Storage: migrations are versioned in code, applied once, each in a transaction.
#include <SQLiteCpp/Database.h>
#include <catch2/catch.hpp>

#include "appcore/core/store.h"
#include "core_fixture.h"

using namespace nanbyo::appcore;
using namespace nanbyo::appcore::testing;

TEST_CASE("storage: migrations are recorded and not applied twice") {
  CoreFixture f;
  f.reopen();
  f.core.reset();
  SQLite::Database db(f.config.database.string());
  CHECK(db.execAndGet("SELECT MAX(version) FROM schema_migrations").getInt() ==
        sqlite_schema_version());
  CHECK(db.execAndGet("SELECT COUNT(*) FROM schema_migrations").getInt() ==
        db.execAndGet("SELECT COUNT(DISTINCT version) FROM schema_migrations").getInt());
  CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
}

TEST_CASE("storage: a database newer than the program is refused") {
  CoreFixture f;
  f.core.reset();
  {
    SQLite::Database db(f.config.database.string(), SQLite::OPEN_READWRITE);
    db.exec("INSERT INTO schema_migrations VALUES(999, '2030-01-01T00:00:00Z')");
  }
  auto r = AppCore::open(f.config, f.clock, f.audit);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("newer than this program") != std::string::npos);
}

TEST_CASE("storage: a failed transaction leaves nothing behind") {
  CoreFixture f;
  f.core.reset();
  auto store = must(open_sqlite_store(f.config.database));
  auto r = store->transaction([&]() -> nanbyo::Result<void> {
    must(store->put_municipality(Municipality{"999999", "消える町"}));
    return fail(Errc::Conflict, "abort");
  });
  CHECK_FALSE(r.ok());
  CHECK_FALSE(must(store->get_municipality("999999")).has_value());
}
