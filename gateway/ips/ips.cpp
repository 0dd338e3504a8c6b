#include "gateway/ips/ips.h"

namespace nanbyo::gw::ips {

std::optional<Block> Ips::charge(const Subject& subject, Offence offence, unsigned weight,
                                 const Settings& settings, Clock::time_point now) {
  if (subject.value.empty()) return std::nullopt;
  auto crossed = offences_.record(subject, offence, weight, settings.thresholds, now);
  if (!crossed) return std::nullopt;
  Block made{subject, *crossed, "threshold", std::chrono::system_clock::now(),
             now + settings.block_duration};
  blocks_.add(made);
  return made;
}

Block Ips::block(const Subject& subject, std::chrono::seconds duration, const std::string& reason,
                 Clock::time_point now) {
  Block made{subject, reason, "operator", std::chrono::system_clock::now(), now + duration};
  blocks_.add(made);
  return made;
}

bool Ips::lift(const Subject& subject, Clock::time_point now) {
  return blocks_.lift(subject, now);
}

std::optional<Block> Ips::blocked(const Subject& subject, Clock::time_point now) const {
  if (subject.value.empty()) return std::nullopt;
  return blocks_.find(subject, now);
}

std::vector<Block> Ips::blocks(Clock::time_point now) const {
  return blocks_.list(now);
}

void Ips::restore(const std::vector<Block>& blocks) {
  for (const Block& b : blocks) blocks_.add(b);
}

Admission Ips::admit_request(const std::string& source, const Settings& settings,
                             Clock::time_point now) {
  return rates_.admit(source, settings.request_rate, settings.request_burst, now);
}

}  // namespace nanbyo::gw::ips
