#include "gateway/ctl/render.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nanbyo::ctl {

namespace {

// Decodes one UTF-8 code point (the gateway sends valid UTF-8) and advances `i`.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  const int length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  char32_t cp = length == 1 ? b : b & (0x7F >> length);
  for (int k = 1; k < length && i + k < s.size(); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += length;
  return cp;
}

bool is_wide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

std::size_t display_width(std::string_view s) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size();) width += is_wide(next_code_point(s, i)) ? 2 : 1;
  return width;
}

// Control characters (C0, DEL) shown as '?'.
std::string printable(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
  return out;
}

std::string two_digits(long long n) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02lld", n);
  return buffer;
}

}  // namespace

std::string human_age(double seconds) {
  if (!(seconds > 0)) return "0s";
  const auto s = static_cast<long long>(std::floor(seconds));
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m" + two_digits(s % 60) + "s";
  if (s < 86400) return std::to_string(s / 3600) + "h" + two_digits(s % 3600 / 60) + "m";
  return std::to_string(s / 86400) + "d" + two_digits(s % 86400 / 3600) + "h";
}

std::string render_table(const std::vector<Column>& columns,
                         const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> header;
  for (const auto& column : columns) header.push_back(column.title);
  cells.push_back(std::move(header));
  for (const auto& row : rows) {
    std::vector<std::string> line;
    for (const auto& cell : row) line.push_back(cell.empty() ? "-" : printable(cell));
    line.resize(columns.size(), "-");
    cells.push_back(std::move(line));
  }
  std::vector<std::size_t> widths(columns.size(), 0);
  for (const auto& line : cells)
    for (std::size_t c = 0; c < columns.size(); ++c)
      widths[c] = std::max(widths[c], display_width(line[c]));

  std::string out;
  for (const auto& line : cells) {
    std::string text;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const std::string padding(widths[c] - display_width(line[c]), ' ');
      if (c > 0) text += "  ";
      text += columns[c].right_aligned ? padding + line[c] : line[c] + padding;
    }
    text.erase(text.find_last_not_of(' ') + 1);
    out += text + "\n";
  }
  return out;
}

std::string connections_table(const std::vector<gw::ConnectionSummary>& connections) {
  const std::vector<Column> columns = {
      {"ID", true},  {"PEER"},           {"LISTENER"}, {"KIND"}, {"ADDRESS"},
      {"SERIAL"},    {"HOSPITAL"},       {"TERMINAL"}, {"USER"}, {"IN", true},
      {"OUT", true}, {"REQUESTS", true}, {"AGE", true}};
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : connections) {
    rows.push_back({std::to_string(c.id), c.peer, c.listener, c.kind, c.address, c.serial,
                    c.hospital, c.terminal, c.user, std::to_string(c.bytes_in),
                    std::to_string(c.bytes_out), std::to_string(c.requests),
                    human_age(c.age_seconds)});
  }
  return render_table(columns, rows);
}

nlohmann::ordered_json connections_json(const std::vector<gw::ConnectionSummary>& connections) {
  auto list = nlohmann::ordered_json::array();
  for (const auto& c : connections) {
    list.push_back({{"id", c.id},
                    {"peer", c.peer},
                    {"listener", c.listener},
                    {"kind", c.kind},
                    {"address", c.address},
                    {"serial", c.serial},
                    {"hospital", c.hospital},
                    {"terminal", c.terminal},
                    {"user", c.user},
                    {"bytes_in", c.bytes_in},
                    {"bytes_out", c.bytes_out},
                    {"requests", c.requests},
                    {"age_seconds", c.age_seconds}});
  }
  return list;
}

std::string statistics_table(const Counters& counters) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& [name, value] : counters) rows.push_back({name, std::to_string(value)});
  return render_table({{"NAME"}, {"VALUE", true}}, rows);
}

nlohmann::ordered_json statistics_json(const Counters& counters) {
  auto object = nlohmann::ordered_json::object();
  for (const auto& [name, value] : counters) object[name] = value;
  return object;
}

}  // namespace nanbyo::ctl
