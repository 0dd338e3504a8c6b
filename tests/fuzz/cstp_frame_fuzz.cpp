// libFuzzer target: the CSTP byte stream from a VPN client. The first byte picks the chunk
// sizes, so the fuzzer explores TLS record splits as well as frame contents.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "gateway/vpn/cstp_frame.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nanbyo::vpn;
  if (size == 0) return 0;
  const std::size_t chunk = data[0] % 32 + 1;
  std::span<const std::uint8_t> rest(data + 1, size - 1);
  CstpFrameParser parser({1400});
  while (!rest.empty()) {
    auto step = parser.feed(rest.first(std::min(chunk, rest.size())));
    rest = rest.subspan(step.consumed);
    if (step.status == CstpFrameParser::Status::Failed) break;
    if (step.status != CstpFrameParser::Status::Frame) continue;
    const CstpFrame& frame = parser.frame();
    if (frame.payload.size() > parser.max_payload()) std::abort();
    if (frame.type == CstpType::Disconnect) (void)parse_disconnect(frame.payload);
    if (frame.type == CstpType::DpdRequest &&
        dpd_response_for(frame).size() != 8 + frame.payload.size())
      std::abort();
  }
  return 0;
}
