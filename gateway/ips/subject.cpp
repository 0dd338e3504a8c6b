#include "gateway/ips/subject.h"

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

std::string describe(const Subject& subject) {
  return std::string(to_string(subject.kind)) + " " + subject.value;
}

}  // namespace nanbyo::gw::ips
