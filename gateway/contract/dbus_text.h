// D-Bus strings must be valid UTF-8 without NUL, or sd-bus refuses the whole
// message. Connection data (a user name from the upstream, a certificate CN)
// is not guaranteed to be, so it passes through here first.
#pragma once

#include <string>
#include <string_view>

namespace nanbyo::gw::dbus {

// `text` with every NUL and every byte that does not belong to a well-formed
// UTF-8 sequence (overlong, surrogate, above U+10FFFF, cut short) replaced by '?'.
std::string dbus_safe(std::string_view text);

// `text` on one line for a message: tabs and line breaks become spaces, other
// control characters '?'.
std::string one_line(std::string_view text);

}  // namespace nanbyo::gw::dbus
