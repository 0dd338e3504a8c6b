// A VICI message (strongSwan's control protocol, S-10): a tree of sections holding
// key/values and lists of strings, kept in wire order. Plain values, no I/O, no Boost, so
// that libFuzzer builds the parser (tests/fuzz/vici_message_fuzz.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pki/result.h"

namespace nanbyo::ipsec {

// charon drops a connection whose packet body is larger (vici_socket.c's VICI_MESSAGE_SIZE_MAX).
inline constexpr std::size_t kMaxViciBody = 512 * 1024;
// charon's deepest message (a list-sa event) nests four sections; anything far deeper is hostile.
inline constexpr std::size_t kMaxViciDepth = 16;

struct ViciElement;

class ViciSection {
 public:
  void add(std::string name, std::string value);
  void add_list(std::string name, std::vector<std::string> items);
  // The new section; the reference lasts until this section gets its next element.
  ViciSection& add_section(std::string name);

  // The element of that name and kind directly in this section, or nullptr.
  const std::string* value(std::string_view name) const;
  const std::vector<std::string>* list(std::string_view name) const;
  const ViciSection* section(std::string_view name) const;
  // value(name) or `fallback` when absent.
  std::string get(std::string_view name, std::string_view fallback = {}) const;

  // Overwrites every value and list item with zeros: requests may carry a private key
  // (load-key), and freed memory keeps what it held.
  void wipe();

  const std::vector<ViciElement>& elements() const { return elements_; }
  bool empty() const { return elements_.empty(); }

 private:
  std::vector<ViciElement> elements_;
};

struct ViciElement {
  enum class Kind { Value, List, Section };
  Kind kind = Kind::Value;
  std::string name;
  std::string value;               // Value
  std::vector<std::string> items;  // List
  ViciSection section;             // Section
};

// Overwrites `bytes` with zeros in a way the compiler keeps.
void wipe_bytes(std::string& bytes);

// The message's elements as bytes. Fails for what the wire cannot carry: a name empty, longer
// than 255 bytes or not printable ASCII, a value longer than 65535 bytes, a body past
// kMaxViciBody.
Result<std::string> encode_message(const ViciSection& message);

// Parses a message body strictly: every element complete, names printable ASCII, keys unique
// within a section, lists flat, sections balanced and at most kMaxViciDepth deep, at most
// kMaxViciBody bytes. The error says what was wrong and at which byte offset.
Result<ViciSection> parse_message(std::string_view bytes);

}  // namespace nanbyo::ipsec
