// An incremental HTTP/1.1 response reader for the load client: fed whatever
// bytes SSL_read returns, it says when one response is complete and keeps only
// what a benchmark needs (status, body length, whether the server will close).
// Content-Length, chunked and close-delimited bodies; no body for 1xx/204/304.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace nanbyo::bench {

class HttpResponseReader {
 public:
  enum class Progress { NeedMore, Done, Bad };

  void reset() { *this = HttpResponseReader{}; }

  // Consumes bytes of one response. Bytes after a complete response are
  // counted in extra_bytes() (a benchmark never pipelines, so that is an error).
  Progress feed(const char* data, std::size_t n);
  // The connection ended: completes a close-delimited body, otherwise Bad.
  Progress end_of_stream();

  bool got_some() const { return phase_ != Phase::Head || !line_.empty(); }
  int status() const { return status_; }
  std::size_t body_bytes() const { return body_bytes_; }
  std::size_t extra_bytes() const { return extra_bytes_; }
  bool server_closes() const { return close_; }

 private:
  enum class Phase { Head, Body, ChunkSize, ChunkData, ChunkEnd, Trailer, UntilClose, Complete };

  bool parse_head();  // line_ holds the whole head, "\r\n\r\n" included
  bool take_line(const char*& p, const char* end);  // appends to line_; true at "\r\n"

  Phase phase_ = Phase::Head;
  std::string line_;  // the head, or the current chunk-size or trailer line
  int status_ = 0;
  bool close_ = false;
  std::size_t remaining_ = 0;
  std::size_t body_bytes_ = 0;
  std::size_t extra_bytes_ = 0;
};

}  // namespace nanbyo::bench
