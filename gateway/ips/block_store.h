// The IPS's blocks on disk (policy `ips.state_file`), so that a restart of the gateway - by
// an operator, an upgrade or the watchdog - does not lift them. One line per block, tab-
// separated: kind, value, origin, since and until in Unix seconds, reason. Written whole
// and atomically after every change; read at start, where ended blocks are dropped.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "gateway/ips/block_list.h"
#include "pki/result.h"

namespace nanbyo::gw::ips {

// The clocks of the moment: `until` is kept on the steady clock, the file holds wall time.
struct ClockPair {
  std::chrono::system_clock::time_point wall = std::chrono::system_clock::now();
  Clock::time_point steady = Clock::now();
};

std::string format_blocks(const std::vector<Block>& blocks, const ClockPair& now = {});
// The blocks still in force; an error names the line that is not a block.
Result<std::vector<Block>> parse_blocks(const std::string& text, const ClockPair& now = {});

Result<void> save_blocks(const std::filesystem::path& file, const std::vector<Block>& blocks);
// No file yet is no blocks.
Result<std::vector<Block>> load_blocks(const std::filesystem::path& file);

}  // namespace nanbyo::gw::ips
