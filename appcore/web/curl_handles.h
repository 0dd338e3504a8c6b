// RAII for the libcurl handles (CONVENTIONS.md rule 7): declared once here.
#pragma once

#include <curl/curl.h>

#include <memory>

namespace nanbyo::web {

struct CurlEasyCleanup {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct CurlMimeFree {
  void operator()(curl_mime* m) const { curl_mime_free(m); }
};
struct CurlSlistFree {
  void operator()(curl_slist* s) const { curl_slist_free_all(s); }
};

using CurlEasy = std::unique_ptr<CURL, CurlEasyCleanup>;
using CurlMime = std::unique_ptr<curl_mime, CurlMimeFree>;

// A curl_slist that owns its list; append() keeps the head.
class CurlList {
 public:
  bool append(const std::string& line) {
    curl_slist* next = curl_slist_append(head_.get(), line.c_str());
    if (!next) return false;
    head_.release();
    head_.reset(next);
    return true;
  }
  curl_slist* get() const { return head_.get(); }

 private:
  std::unique_ptr<curl_slist, CurlSlistFree> head_;
};

}  // namespace nanbyo::web
