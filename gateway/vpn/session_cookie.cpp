#include "gateway/vpn/session_cookie.h"

#include <algorithm>
#include <vector>

#include "pki/aead.h"
#include "pki/encoding.h"
#include "pki/random.h"

namespace nanbyo::vpn {
namespace {

std::string base64url(std::string_view bytes) {
  std::string text = to_base64(bytes);
  while (!text.empty() && text.back() == '=') text.pop_back();
  std::replace(text.begin(), text.end(), '+', '-');
  std::replace(text.begin(), text.end(), '/', '_');
  return text;
}

// The shape of a cookie we issue; anything else is unknown without hashing it.
bool well_formed(std::string_view cookie) {
  return cookie.size() == kCookieTextSize && std::all_of(cookie.begin(), cookie.end(), [](char ch) {
           return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                  (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
         });
}

}  // namespace

SessionCookieStore::SessionCookieStore(const Clock& clock, std::chrono::seconds lifetime,
                                       std::size_t max_per_serial)
    : clock_(clock),
      lifetime_(lifetime),
      max_per_serial_(std::max<std::size_t>(1, max_per_serial)) {}

IssuedCookie SessionCookieStore::issue(std::string_view serial) {
  IssuedCookie out;
  out.cookie = base64url(random_bytes(kCookieBytes));
  out.session.serial = std::string(serial);
  out.session.session_id = to_hex(random_bytes(16));
  out.session.issued = clock_.now();
  out.session.expires = out.session.issued + lifetime_;

  std::lock_guard lock(mutex_);
  std::vector<decltype(by_digest_)::iterator> mine;
  for (auto it = by_digest_.begin(); it != by_digest_.end();) {
    if (it->second.expires <= out.session.issued) {
      it = by_digest_.erase(it);
      continue;
    }
    if (it->second.serial == serial) mine.push_back(it);
    ++it;
  }
  if (mine.size() >= max_per_serial_) {
    std::sort(mine.begin(), mine.end(),
              [](auto a, auto b) { return a->second.issued < b->second.issued; });
    for (std::size_t i = 0; i + max_per_serial_ - 1 < mine.size(); ++i) by_digest_.erase(mine[i]);
  }
  by_digest_.emplace(aead::sha256(out.cookie), out.session);
  return out;
}

Result<CookieSession> SessionCookieStore::lookup(std::string_view cookie, std::string_view serial) {
  if (!well_formed(cookie)) return fail("unknown or revoked session cookie");
  std::string digest = aead::sha256(cookie);
  std::lock_guard lock(mutex_);
  auto it = by_digest_.find(digest);
  // The map found it by digest; the constant-time check keeps the comparison of secret-derived
  // bytes free of early exits whatever the map does inside.
  if (it == by_digest_.end() || !aead::equal_constant_time(it->first, digest)) {
    return fail("unknown or revoked session cookie");
  }
  if (clock_.now() >= it->second.expires) {
    by_digest_.erase(it);
    return fail("session cookie expired");
  }
  if (it->second.serial != serial) return fail("session cookie belongs to another certificate");
  return it->second;
}

bool SessionCookieStore::revoke(std::string_view cookie) {
  if (!well_formed(cookie)) return false;
  std::string digest = aead::sha256(cookie);
  std::lock_guard lock(mutex_);
  return by_digest_.erase(digest) > 0;
}

std::size_t SessionCookieStore::revoke_serial(std::string_view serial) {
  std::lock_guard lock(mutex_);
  return std::erase_if(by_digest_,
                       [&](const auto& entry) { return entry.second.serial == serial; });
}

std::size_t SessionCookieStore::purge_expired() {
  TimePoint now = clock_.now();
  std::lock_guard lock(mutex_);
  return std::erase_if(by_digest_, [&](const auto& entry) { return entry.second.expires <= now; });
}

std::size_t SessionCookieStore::size() const {
  std::lock_guard lock(mutex_);
  return by_digest_.size();
}

std::optional<std::string_view> find_webvpn_cookie(std::string_view header) {
  while (!header.empty()) {
    auto semicolon = header.find(';');
    std::string_view pair = header.substr(0, semicolon);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    while (!pair.empty() && pair.back() == ' ') pair.remove_suffix(1);
    if (pair.substr(0, 7) == "webvpn=") return pair.substr(7);
    header =
        semicolon == std::string_view::npos ? std::string_view() : header.substr(semicolon + 1);
  }
  return std::nullopt;
}

std::string webvpn_set_cookie(const IssuedCookie& issued) {
  return "webvpn=" + issued.cookie + "; Secure; HttpOnly";
}

std::string webvpncontext_set_cookie(const IssuedCookie& issued) {
  auto max_age = issued.session.expires - issued.session.issued;
  return "webvpncontext=" + issued.session.session_id +
         "; Max-Age=" + std::to_string(max_age.count()) + "; Secure; HttpOnly";
}

}  // namespace nanbyo::vpn
