#include "gateway/ips/subject.h"

#include <algorithm>

#include "policy/net/ip_address.h"

namespace nanbyo::gw::ips {

std::string_view to_string(SubjectKind kind) {
  return kind == SubjectKind::Terminal ? "terminal" : "source";
}

std::optional<SubjectKind> subject_kind_from(std::string_view text) {
  if (text == "terminal") return SubjectKind::Terminal;
  if (text == "source") return SubjectKind::Source;
  return std::nullopt;
}

Subject charged_subject(const std::string& serial, const std::string& source_address) {
  if (!serial.empty()) return {SubjectKind::Terminal, serial};
  return {SubjectKind::Source, source_address};
}

std::string address_of_peer(const std::string& peer) {
  if (!peer.empty() && peer.front() == '[') {
    auto end = peer.find(']');
    return end == std::string::npos ? peer : peer.substr(1, end - 1);
  }
  auto colon = peer.rfind(':');
  return colon == std::string::npos ? peer : peer.substr(0, colon);
}

std::string source_of_peer(const std::string& peer) {
  const std::string address = address_of_peer(peer);
  return source_key(address).value_or(address);
}

std::optional<std::string> source_key(std::string_view address) {
  if (address.ends_with("/64")) address.remove_suffix(3);
  auto parsed = net::IpAddress::parse(address);
  if (!parsed) return std::nullopt;
  if (parsed->is_v4()) return parsed->to_string();
  auto bytes = parsed->bytes();
  const bool v4_mapped =
      std::all_of(bytes.begin(), bytes.begin() + 10, [](auto b) { return b == 0; }) &&
      bytes[10] == 0xff && bytes[11] == 0xff;
  if (v4_mapped) {
    return net::Ipv4Address(net::Ipv4Address::Bytes{bytes[12], bytes[13], bytes[14], bytes[15]})
        .to_string();
  }
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return net::IpAddress::v6(bytes).to_string() + "/64";
}

std::string describe(const Subject& subject) {
  return std::string(to_string(subject.kind)) + " " + subject.value;
}

}  // namespace nanbyo::gw::ips
