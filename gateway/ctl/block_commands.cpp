#include "gateway/ctl/block_commands.h"

#include <charconv>
#include <ctime>
#include <iostream>

#include "gateway/contract/gateway1_client.h"
#include "gateway/ctl/bus_commands.h"
#include "gateway/ctl/render.h"

namespace nanbyo::ctl {
namespace {

using gw::dbus::BlockEntry;

constexpr unsigned kMaxSeconds = 30 * 86'400;

bool known_kind(const std::string& kind) {
  return kind == "terminal" || kind == "source";
}

std::string local_time(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  localtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
  return text;
}

}  // namespace

std::optional<unsigned> parse_duration(const std::string& text) {
  unsigned number = 0;
  const char* end = text.data() + text.size();
  auto [rest, ec] = std::from_chars(text.data(), end, number);
  if (ec != std::errc() || rest == text.data()) return std::nullopt;
  unsigned unit = 1;
  if (rest != end) {
    if (rest + 1 != end) return std::nullopt;
    switch (*rest) {
      case 's':
        unit = 1;
        break;
      case 'm':
        unit = 60;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'd':
        unit = 86'400;
        break;
      default:
        return std::nullopt;
    }
  }
  if (number == 0 || number > kMaxSeconds / unit) return std::nullopt;
  return number * unit;
}

int list_blocks(const gw::dbus::BusChoice& bus, bool json) {
  auto client = connect(bus);
  if (!client) return report_error(client.error().message);
  auto blocks = client->list_blocks();
  if (!blocks) return report_error(blocks.error().message);
  if (json) {
    auto list = nlohmann::ordered_json::array();
    for (const BlockEntry& b : *blocks) {
      list.push_back({{"kind", b.kind},
                      {"value", b.value},
                      {"reason", b.reason},
                      {"origin", b.origin},
                      {"since", b.since},
                      {"seconds_left", b.seconds_left}});
    }
    std::cout << list.dump(2) << "\n";
  } else if (blocks->empty()) {
    std::cout << "no blocks\n";
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const BlockEntry& b : *blocks) {
      rows.push_back({b.kind, b.value, local_time(b.since),
                      human_age(static_cast<double>(b.seconds_left)), b.origin, b.reason});
    }
    std::cout << render_table(
        {{"KIND"}, {"VALUE"}, {"SINCE"}, {"LEFT", true}, {"ORIGIN"}, {"REASON"}}, rows);
  }
  return 0;
}

int block(const gw::dbus::BusChoice& bus, const std::string& kind, const std::string& value,
          const std::string& duration, const std::string& reason, bool json) {
  if (!known_kind(kind)) return report_error("the kind is terminal or source, not '" + kind + "'");
  const auto seconds = parse_duration(duration);
  if (!seconds)
    return report_error("--for takes seconds or a number with s, m, h or d (at most 30d), not '" +
                        duration + "'");
  auto client = connect(bus);
  if (!client) return report_error(client.error().message);
  auto closed = client->block(kind, value, *seconds, reason);
  if (!closed) return report_error(closed.error().message);
  if (json) {
    std::cout << nlohmann::ordered_json{{"kind", kind},
                                        {"value", value},
                                        {"seconds", *seconds},
                                        {"closed", *closed}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "blocked " << kind << " " << one_line(value) << " for "
              << human_age(static_cast<double>(*seconds)) << ": closed " << *closed
              << (*closed == 1 ? " connection" : " connections") << "\n";
  }
  return 0;
}

int lift_block(const gw::dbus::BusChoice& bus, const std::string& kind, const std::string& value,
               bool json) {
  if (!known_kind(kind)) return report_error("the kind is terminal or source, not '" + kind + "'");
  auto client = connect(bus);
  if (!client) return report_error(client.error().message);
  auto lifted = client->lift(kind, value);
  if (!lifted) return report_error(lifted.error().message);
  if (!*lifted) return report_error(kind + " " + one_line(value) + " is not blocked");
  if (json)
    std::cout << nlohmann::ordered_json{{"kind", kind}, {"value", value}, {"lifted", true}}.dump(2)
              << "\n";
  else
    std::cout << "lifted the block of " << kind << " " << one_line(value) << "\n";
  return 0;
}

}  // namespace nanbyo::ctl
