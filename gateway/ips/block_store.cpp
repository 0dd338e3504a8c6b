#include "gateway/ips/block_store.h"

#include <charconv>
#include <system_error>

#include "pki/atomic_file.h"

namespace nanbyo::gw::ips {
namespace {

using std::chrono::seconds;

// A reason is one line of text: tabs and line breaks become spaces.
std::string one_field(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

// Unix seconds the clocks can hold (system_clock counts nanoseconds in 64 bits: until 2262).
constexpr long long kLatestSecond = 8'000'000'000;  // in 2223

bool read_seconds(std::string_view text, long long& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out >= 0 && out <= kLatestSecond;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> fields;
  for (;;) {
    const auto tab = line.find('\t');
    fields.push_back(line.substr(0, tab));
    if (tab == std::string_view::npos) return fields;
    line.remove_prefix(tab + 1);
  }
}

}  // namespace

std::string format_blocks(const std::vector<Block>& blocks, const ClockPair& now) {
  std::string out;
  for (const Block& b : blocks) {
    const auto until = now.wall + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                      b.until - now.steady);
    out += std::string(to_string(b.subject.kind)) + '\t' + one_field(b.subject.value) + '\t' +
           one_field(b.origin) + '\t' +
           std::to_string(std::chrono::duration_cast<seconds>(b.since.time_since_epoch()).count()) +
           '\t' +
           std::to_string(std::chrono::duration_cast<seconds>(until.time_since_epoch()).count()) +
           '\t' + one_field(b.reason) + '\n';
  }
  return out;
}

Result<std::vector<Block>> parse_blocks(const std::string& text, const ClockPair& now) {
  std::vector<Block> blocks;
  std::string_view rest = text;
  for (int number = 1; !rest.empty(); ++number) {
    const auto end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    const auto where = "line " + std::to_string(number) + ": ";
    const auto fields = split_tabs(line);
    if (fields.size() != 6) return fail(where + "not six tab-separated fields");
    const auto kind = subject_kind_from(fields[0]);
    if (!kind) return fail(where + "the kind is neither terminal nor source");
    if (fields[1].empty()) return fail(where + "no serial or address");
    long long since = 0, until = 0;
    if (!read_seconds(fields[3], since) || !read_seconds(fields[4], until))
      return fail(where + "since and until must be Unix seconds (before 2223)");
    const auto until_wall = std::chrono::system_clock::time_point(seconds(until));
    if (until_wall <= now.wall) continue;  // ended while the gateway was not running
    Block b;
    b.subject = {*kind, std::string(fields[1])};
    b.origin = std::string(fields[2]);
    b.since = std::chrono::system_clock::time_point(seconds(since));
    b.until = now.steady + std::chrono::duration_cast<Clock::duration>(until_wall - now.wall);
    b.reason = std::string(fields[5]);
    blocks.push_back(std::move(b));
  }
  return blocks;
}

Result<void> save_blocks(const std::filesystem::path& file, const std::vector<Block>& blocks) {
  return write_file_atomic(file, format_blocks(blocks), kOwnerOnly);
}

Result<std::vector<Block>> load_blocks(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::vector<Block>{};
  NANBYO_TRY(text, read_file(file, 16 << 20));
  auto blocks = parse_blocks(text);
  if (!blocks) return fail(file.string() + ": " + blocks.error().message);
  return blocks;
}

}  // namespace nanbyo::gw::ips
