// A connection's deadline (gateway/deadline.h): it ends the connection when it passes, not
// when an earlier deadline that was moved on would have passed, and never without one.
#include <catch2/catch.hpp>

#include "gateway/deadline.h"

using namespace nanbyo::gw;
using namespace std::chrono_literals;

namespace {

// Runs the context for `how_long` (or until nothing is left to do).
void run_for(asio::io_context& io, std::chrono::milliseconds how_long) {
  io.restart();
  io.run_for(how_long);
}

}  // namespace

TEST_CASE("a deadline that passes ends the connection once and says so", "[deadline]") {
  asio::io_context io;
  int expiries = 0;
  Deadline deadline(io.get_executor(), [&] { ++expiries; });
  deadline.expires_after(30ms);
  CHECK_FALSE(deadline.expired());
  run_for(io, 300ms);
  CHECK(expiries == 1);
  CHECK(deadline.expired());
  // A new deadline starts afresh.
  deadline.expires_after(10s);
  CHECK_FALSE(deadline.expired());
  run_for(io, 50ms);
  CHECK(expiries == 1);
}

TEST_CASE("a deadline moved on before it passed does not fire at the old time", "[deadline]") {
  asio::io_context io;
  int expiries = 0;
  Deadline deadline(io.get_executor(), [&] { ++expiries; });
  deadline.expires_after(50ms);
  for (int i = 0; i < 4; ++i) {
    run_for(io, 30ms);
    deadline.expires_after(100ms);  // every read or write sets it again
  }
  CHECK(expiries == 0);
  run_for(io, 400ms);
  CHECK(expiries == 1);
}

TEST_CASE("an earlier deadline than the one waited for is kept", "[deadline]") {
  asio::io_context io;
  int expiries = 0;
  Deadline deadline(io.get_executor(), [&] { ++expiries; });
  deadline.expires_after(60s);   // idle
  deadline.expires_after(40ms);  // then a header must arrive soon
  run_for(io, 400ms);
  CHECK(expiries == 1);
}

TEST_CASE("no deadline, or an owner gone, ends nothing", "[deadline]") {
  asio::io_context io;
  int expiries = 0;
  {
    Deadline never(io.get_executor(), [&] { ++expiries; });
    never.expires_after(30ms);
    never.expires_never();
    Deadline gone(io.get_executor(), [&] { ++expiries; });
    gone.expires_after(30ms);
    run_for(io, 10ms);
  }
  run_for(io, 200ms);
  CHECK(expiries == 0);
}
