#include "appcore/core/text_decoding.h"

#include <iconv.h>

#include <cerrno>
#include <memory>

#include "appcore/core/errors.h"

namespace nanbyo::appcore {
namespace {

struct IconvCloser {
  void operator()(void* cd) const { ::iconv_close(static_cast<iconv_t>(cd)); }
};
using UniqueIconv = std::unique_ptr<void, IconvCloser>;

Result<std::string> cp932_to_utf8(std::string_view in) {
  iconv_t raw = ::iconv_open("UTF-8", "CP932");
  if (raw == reinterpret_cast<iconv_t>(-1)) {
    return fail(Errc::Internal, "the CP932 converter is not available (glibc gconv modules)");
  }
  UniqueIconv cd(raw);
  std::string out(in.size() * 3 / 2 + 16, '\0');
  char* src = const_cast<char*>(in.data());
  std::size_t src_left = in.size();
  std::size_t done = 0;
  while (src_left > 0) {
    char* dst = out.data() + done;
    std::size_t dst_left = out.size() - done;
    std::size_t r = ::iconv(static_cast<iconv_t>(cd.get()), &src, &src_left, &dst, &dst_left);
    done = out.size() - dst_left;
    if (r != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    std::size_t offset = in.size() - src_left;
    return fail(Errc::InvalidInput,
                "the file is neither UTF-8 nor Shift_JIS (CP932): invalid byte sequence at byte " +
                    std::to_string(offset + 1) + "; save it from Excel as \"CSV UTF-8\" or CSV");
  }
  out.resize(done);
  return out;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (int k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

Result<DecodedText> decode_upload(std::string_view bytes) {
  if (bytes.empty()) return fail(Errc::InvalidInput, "the file is empty");
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    return fail(Errc::InvalidInput,
                "the file is UTF-16 (Unicode text); save it from Excel as \"CSV UTF-8\" or CSV");
  }
  if (bytes.find('\0') != std::string_view::npos) {
    return fail(Errc::InvalidInput, "the file contains NUL bytes; it is not a CSV or TSV text");
  }
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    bytes.remove_prefix(3);
    if (!is_valid_utf8(bytes)) {
      return fail(Errc::InvalidInput, "the file starts with a UTF-8 mark but is not valid UTF-8");
    }
    return DecodedText{std::string(bytes), "UTF-8"};
  }
  if (is_valid_utf8(bytes)) return DecodedText{std::string(bytes), "UTF-8"};
  NANBYO_TRY(converted, cp932_to_utf8(bytes));
  return DecodedText{std::move(converted), "CP932"};
}

}  // namespace nanbyo::appcore
