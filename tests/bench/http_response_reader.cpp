#include "tests/bench/http_response_reader.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace nanbyo::bench {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool icontains(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    if (iequals(haystack.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool HttpResponseReader::take_line(const char*& p, const char* end) {
  while (p < end) {
    char c = *p++;
    line_.push_back(c);
    if (c == '\n' && line_.size() >= 2 && line_[line_.size() - 2] == '\r') return true;
    if (line_.size() > 8192) return false;  // caller sees no progress and gives up below
  }
  return false;
}

bool HttpResponseReader::parse_head() {
  std::string_view head(line_);
  auto eol = head.find("\r\n");
  std::string_view status_line = head.substr(0, eol);
  // "HTTP/1.1 200 OK"
  if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/") return false;
  status_ = std::atoi(std::string(status_line.substr(9, 3)).c_str());
  if (status_ < 100 || status_ > 599) return false;
  const bool http10 = status_line.substr(5, 3) == "1.0";
  bool keep_alive_token = false;
  bool chunked = false;
  long long length = -1;
  for (std::size_t at = eol + 2; at < head.size();) {
    auto next = head.find("\r\n", at);
    std::string_view line = head.substr(at, next - at);
    at = next + 2;
    if (line.empty()) break;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return false;
    std::string_view name = line.substr(0, colon);
    std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "content-length")) {
      length = std::atoll(std::string(value).c_str());
    } else if (iequals(name, "transfer-encoding")) {
      chunked = icontains(value, "chunked");
    } else if (iequals(name, "connection")) {
      if (icontains(value, "close")) close_ = true;
      if (icontains(value, "keep-alive")) keep_alive_token = true;
    }
  }
  if (http10 && !keep_alive_token) close_ = true;
  line_.clear();
  if (status_ < 200 || status_ == 204 || status_ == 304) {
    phase_ = Phase::Complete;
  } else if (chunked) {
    phase_ = Phase::ChunkSize;
  } else if (length >= 0) {
    remaining_ = static_cast<std::size_t>(length);
    phase_ = remaining_ ? Phase::Body : Phase::Complete;
  } else {
    close_ = true;
    phase_ = Phase::UntilClose;
  }
  return true;
}

HttpResponseReader::Progress HttpResponseReader::feed(const char* data, std::size_t n) {
  const char* p = data;
  const char* end = data + n;
  while (p < end) {
    switch (phase_) {
      case Phase::Head: {
        std::size_t from = line_.size() >= 3 ? line_.size() - 3 : 0;
        line_.append(p, end);
        auto found = line_.find("\r\n\r\n", from);
        if (found == std::string::npos) {
          if (line_.size() > 65536) return Progress::Bad;
          return Progress::NeedMore;
        }
        // Give back what follows the head.
        std::size_t head_end = found + 4;
        p = end - (line_.size() - head_end);
        line_.resize(head_end);
        if (!parse_head()) return Progress::Bad;
        break;
      }
      case Phase::Body: {
        std::size_t take = std::min<std::size_t>(remaining_, end - p);
        p += take;
        remaining_ -= take;
        body_bytes_ += take;
        if (remaining_ == 0) phase_ = Phase::Complete;
        break;
      }
      case Phase::ChunkSize: {
        if (!take_line(p, end)) {
          if (line_.size() > 8192) return Progress::Bad;
          return Progress::NeedMore;
        }
        char* stop = nullptr;
        unsigned long long size = std::strtoull(line_.c_str(), &stop, 16);
        if (stop == line_.c_str()) return Progress::Bad;
        line_.clear();
        remaining_ = static_cast<std::size_t>(size);
        phase_ = size ? Phase::ChunkData : Phase::Trailer;
        break;
      }
      case Phase::ChunkData: {
        std::size_t take = std::min<std::size_t>(remaining_, end - p);
        p += take;
        remaining_ -= take;
        body_bytes_ += take;
        if (remaining_ == 0) phase_ = Phase::ChunkEnd;
        break;
      }
      case Phase::ChunkEnd:
      case Phase::Trailer: {
        if (!take_line(p, end)) {
          if (line_.size() > 8192) return Progress::Bad;
          return Progress::NeedMore;
        }
        const bool empty = line_ == "\r\n";
        line_.clear();
        if (phase_ == Phase::ChunkEnd) {
          if (!empty) return Progress::Bad;
          phase_ = Phase::ChunkSize;
        } else if (empty) {
          phase_ = Phase::Complete;
        }
        break;
      }
      case Phase::UntilClose:
        body_bytes_ += end - p;
        p = end;
        break;
      case Phase::Complete:
        extra_bytes_ += end - p;
        p = end;
        break;
    }
  }
  return phase_ == Phase::Complete ? Progress::Done : Progress::NeedMore;
}

HttpResponseReader::Progress HttpResponseReader::end_of_stream() {
  if (phase_ == Phase::UntilClose) {
    phase_ = Phase::Complete;
    return Progress::Done;
  }
  return phase_ == Phase::Complete ? Progress::Done : Progress::Bad;
}

}  // namespace nanbyo::bench
