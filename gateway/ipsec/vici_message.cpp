#include "gateway/ipsec/vici_message.h"

#include <algorithm>
#include <cstdint>

namespace nanbyo::ipsec {
namespace {

enum ElementType : std::uint8_t {
  kSectionStart = 1,
  kSectionEnd = 2,
  kKeyValue = 3,
  kListStart = 4,
  kListItem = 5,
  kListEnd = 6,
};

bool is_name(std::string_view name) {
  return !name.empty() && name.size() <= 255 &&
         std::all_of(name.begin(), name.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

bool has_name(const std::vector<ViciElement>& elements, std::string_view name) {
  return std::any_of(elements.begin(), elements.end(),
                     [&](const ViciElement& e) { return e.name == name; });
}

const ViciElement* find(const std::vector<ViciElement>& elements, std::string_view name,
                        ViciElement::Kind kind) {
  for (const auto& e : elements) {
    if (e.kind == kind && e.name == name) return &e;
  }
  return nullptr;
}

// Writes one section's elements; the caller checks the total size.
class Encoder {
 public:
  Result<void> section(const ViciSection& s) {
    for (const auto& e : s.elements()) {
      if (!is_name(e.name)) return fail("VICI: cannot encode the element name \"" + e.name + "\"");
      switch (e.kind) {
        case ViciElement::Kind::Value:
          named(kKeyValue, e.name);
          NANBYO_TRY_VOID(sized(e.value, e.name));
          break;
        case ViciElement::Kind::List:
          named(kListStart, e.name);
          for (const auto& item : e.items) {
            out_.push_back(static_cast<char>(kListItem));
            NANBYO_TRY_VOID(sized(item, e.name));
          }
          out_.push_back(static_cast<char>(kListEnd));
          break;
        case ViciElement::Kind::Section:
          named(kSectionStart, e.name);
          NANBYO_TRY_VOID(section(e.section));
          out_.push_back(static_cast<char>(kSectionEnd));
          break;
      }
      if (out_.size() > kMaxViciBody) return fail("VICI: message larger than 512 KiB");
    }
    return {};
  }
  std::string take() { return std::move(out_); }

 private:
  void named(ElementType type, const std::string& name) {
    out_.push_back(static_cast<char>(type));
    out_.push_back(static_cast<char>(name.size()));
    out_ += name;
  }
  Result<void> sized(const std::string& value, const std::string& name) {
    if (value.size() > 0xffff)
      return fail("VICI: value of \"" + name + "\" longer than 65535 bytes");
    out_.push_back(static_cast<char>(value.size() >> 8));
    out_.push_back(static_cast<char>(value.size() & 0xff));
    out_ += value;
    return {};
  }
  std::string out_;
};

class Parser {
 public:
  explicit Parser(std::string_view bytes) : in_(bytes) {}

  Result<ViciSection> parse() {
    if (in_.size() > kMaxViciBody) return fail("VICI: message larger than 512 KiB");
    ViciSection root;
    std::vector<ViciSection*> open{&root};
    while (at_ < in_.size()) {
      const std::size_t start = at_;
      const auto type = static_cast<std::uint8_t>(in_[at_++]);
      ViciSection& current = *open.back();
      switch (type) {
        case kSectionStart: {
          NANBYO_TRY(name, fresh_name(current, start));
          if (open.size() > kMaxViciDepth) return error(start, "sections nested too deep");
          open.push_back(&current.add_section(std::move(name)));
          break;
        }
        case kSectionEnd:
          if (open.size() == 1) return error(start, "section end without a section");
          open.pop_back();
          break;
        case kKeyValue: {
          NANBYO_TRY(name, fresh_name(current, start));
          NANBYO_TRY(value, sized(start));
          current.add(std::move(name), std::move(value));
          break;
        }
        case kListStart: {
          NANBYO_TRY(name, fresh_name(current, start));
          NANBYO_TRY(items, list_items(start));
          current.add_list(std::move(name), std::move(items));
          break;
        }
        case kListItem:
        case kListEnd:
          return error(start, "list element outside a list");
        default:
          return error(start, "unknown element type " + std::to_string(type));
      }
    }
    if (open.size() != 1) return error(at_, "section not closed");
    return root;
  }

 private:
  Error error(std::size_t offset, const std::string& what) const {
    return fail("VICI: malformed message at byte " + std::to_string(offset) + ": " + what);
  }

  Result<std::string> fresh_name(const ViciSection& current, std::size_t start) {
    if (at_ >= in_.size()) return error(start, "truncated name");
    const std::size_t length = static_cast<std::uint8_t>(in_[at_++]);
    if (in_.size() - at_ < length) return error(start, "truncated name");
    std::string name(in_.substr(at_, length));
    at_ += length;
    if (!is_name(name)) return error(start, "name empty or not printable ASCII");
    if (has_name(current.elements(), name)) return error(start, "duplicate name \"" + name + "\"");
    return name;
  }

  Result<std::string> sized(std::size_t start) {
    if (in_.size() - at_ < 2) return error(start, "truncated value length");
    const std::size_t length =
        (static_cast<std::uint8_t>(in_[at_]) << 8) | static_cast<std::uint8_t>(in_[at_ + 1]);
    at_ += 2;
    if (in_.size() - at_ < length) return error(start, "truncated value");
    std::string value(in_.substr(at_, length));
    at_ += length;
    return value;
  }

  Result<std::vector<std::string>> list_items(std::size_t start) {
    std::vector<std::string> items;
    for (;;) {
      if (at_ >= in_.size()) return error(start, "list not closed");
      const std::size_t item_start = at_;
      const auto type = static_cast<std::uint8_t>(in_[at_++]);
      if (type == kListEnd) return items;
      if (type != kListItem) return error(item_start, "only list items may appear in a list");
      NANBYO_TRY(item, sized(item_start));
      items.push_back(std::move(item));
    }
  }

  std::string_view in_;
  std::size_t at_ = 0;
};

}  // namespace

void ViciSection::add(std::string name, std::string value) {
  ViciElement& e = elements_.emplace_back();
  e.kind = ViciElement::Kind::Value;
  e.name = std::move(name);
  e.value = std::move(value);
}

void ViciSection::add_list(std::string name, std::vector<std::string> items) {
  ViciElement& e = elements_.emplace_back();
  e.kind = ViciElement::Kind::List;
  e.name = std::move(name);
  e.items = std::move(items);
}

ViciSection& ViciSection::add_section(std::string name) {
  ViciElement& e = elements_.emplace_back();
  e.kind = ViciElement::Kind::Section;
  e.name = std::move(name);
  return e.section;
}

const std::string* ViciSection::value(std::string_view name) const {
  const auto* e = find(elements_, name, ViciElement::Kind::Value);
  return e ? &e->value : nullptr;
}

const std::vector<std::string>* ViciSection::list(std::string_view name) const {
  const auto* e = find(elements_, name, ViciElement::Kind::List);
  return e ? &e->items : nullptr;
}

const ViciSection* ViciSection::section(std::string_view name) const {
  const auto* e = find(elements_, name, ViciElement::Kind::Section);
  return e ? &e->section : nullptr;
}

void wipe_bytes(std::string& bytes) {
  volatile char* p = bytes.data();
  for (std::size_t i = 0; i < bytes.size(); ++i) p[i] = 0;
}

void ViciSection::wipe() {
  for (auto& e : elements_) {
    wipe_bytes(e.value);
    for (auto& item : e.items) wipe_bytes(item);
    e.section.wipe();
  }
}

std::string ViciSection::get(std::string_view name, std::string_view fallback) const {
  const std::string* v = value(name);
  return v ? *v : std::string(fallback);
}

Result<std::string> encode_message(const ViciSection& message) {
  Encoder encoder;
  NANBYO_TRY_VOID(encoder.section(message));
  return encoder.take();
}

Result<ViciSection> parse_message(std::string_view bytes) {
  return Parser(bytes).parse();
}

}  // namespace nanbyo::ipsec
