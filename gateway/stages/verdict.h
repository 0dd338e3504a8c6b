// The one verdict of the request stage chain (issue 14; CONVENTIONS rule 3): a stage lets
// a request go on, or refuses it with the status the client gets, the check the audit
// record names and, when the connection's framing can no longer be trusted, closes it.
#pragma once

#include <string>

#include "gateway/asio.h"

namespace nanbyo::gw {

struct StageVerdict {
  bool proceed = true;
  http::status status = http::status::ok;  // when !proceed
  std::string check;                       // audit: which check refused
  std::string detail;
  bool close = false;  // end the connection after the refusal
  bool audit = true;   // false: one record already stands for a run of these refusals

  static StageVerdict refuse(http::status status, std::string check, std::string detail,
                             bool close = false) {
    return {false, status, std::move(check), std::move(detail), close};
  }
};

}  // namespace nanbyo::gw
