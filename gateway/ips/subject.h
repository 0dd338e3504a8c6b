// Whom the intrusion prevention (IPS, S-3, issue 14) charges and blocks: a terminal (the
// serial of its client certificate) or a source address (requests without a certificate,
// and the per-source limits). Offences with a certificate are charged to the terminal only,
// so a hospital behind one NAT address is not cut off for one PC's attacks.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace nanbyo::gw::ips {

enum class SubjectKind { Terminal, Source };

struct Subject {
  SubjectKind kind = SubjectKind::Terminal;
  std::string value;  // canonical certificate serial, or an IP address as text

  auto operator<=>(const Subject&) const = default;
};

std::string_view to_string(SubjectKind kind);  // "terminal" | "source"
std::optional<SubjectKind> subject_kind_from(std::string_view text);

// The subject a request or connection is charged to: its terminal when it has one.
Subject charged_subject(const std::string& serial, const std::string& source_address);

// The address of an "address:port" or "[v6]:port" peer text (the gateway's peer format).
std::string address_of_peer(const std::string& peer);
// The source key (below) of a peer text; the address itself if it does not parse.
std::string source_of_peer(const std::string& peer);

// The source a peer address is counted and blocked as: an IPv4 address as it is (and an
// IPv4-mapped IPv6 address, as a dual-stack listener sees IPv4 clients, as its IPv4 form);
// an IPv6 address as its /64 ("2001:db8:1:2::/64"), which one host or site usually holds,
// so that an attacker who rotates addresses inside it stays one source. A "/64" given back
// (an operator pasting from `nanbyoctl blocks`) is accepted. Nothing for text that is
// not an address.
std::optional<std::string> source_key(std::string_view address);

// "terminal 1A2B" / "source 192.0.2.7": for messages and close reasons.
std::string describe(const Subject& subject);

}  // namespace nanbyo::gw::ips
