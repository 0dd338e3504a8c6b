// Requests and corpora for the inspection tests (issue 14): form posts and GETs as a
// browser sends them, and the Japanese text that must never raise an alert.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gateway/upstream_pool.h"

namespace nanbyo::gw::testing {

inline const std::filesystem::path kSource = NANBYO_SOURCE_DIR;

// Installed by packaging/install-deps.sh with the engine.
inline void require_crs() {
  INFO("Debian's modsecurity-crs is missing: run packaging/install-deps.sh");
  REQUIRE(std::filesystem::exists("/usr/share/modsecurity-crs/rules"));
  REQUIRE(std::filesystem::exists("/etc/modsecurity/crs/crs-setup.conf"));
}

inline std::string url_encode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

inline Request form_post(const std::string& target, const std::string& field,
                         const std::string& value) {
  Request r{http::verb::post, target, 11};
  r.set(http::field::host, "gw.example.jp");
  r.set(http::field::user_agent, "Mozilla/5.0 (Windows NT 10.0; Win64; x64)");
  r.set(http::field::accept, "text/html");
  r.set(http::field::content_type, "application/x-www-form-urlencoded");
  r.body() = field + "=" + url_encode(value);
  r.prepare_payload();
  return r;
}

inline Request get(const std::string& target) {
  Request r{http::verb::get, target, 11};
  r.set(http::field::host, "gw.example.jp");
  r.set(http::field::user_agent, "Mozilla/5.0 (Windows NT 10.0; Win64; x64)");
  r.set(http::field::accept, "text/html");
  return r;
}

// The Japanese corpus: every disease name of the master, every label of the form
// definitions, and invented free text in the style of the forms.
inline std::vector<std::string> japanese_corpus() {
  std::vector<std::string> corpus;
  std::ifstream master(kSource / "appcore/forms/data/disease_master.tsv");
  for (std::string line; std::getline(master, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::size_t start = 0;
    for (std::size_t end; (end = line.find('\t', start)) != std::string::npos; start = end + 1) {
      std::string cell = line.substr(start, end - start);
      if (cell.size() > 3 && static_cast<unsigned char>(cell[0]) >= 0xE0) corpus.push_back(cell);
    }
  }
  for (const auto& entry :
       std::filesystem::directory_iterator(kSource / "appcore/forms/definitions")) {
    std::ifstream yaml(entry.path());
    for (std::string line; std::getline(yaml, line);) {
      for (std::size_t at = line.find("label: "); at != std::string::npos;
           at = line.find("label: ", at + 1)) {
        std::string label = line.substr(at + 7);
        label = label.substr(0, label.find_first_of(",}"));
        if (!label.empty()) corpus.push_back(label);
      }
    }
  }
  std::ifstream free_text(kSource / "tests/gateway_unit/data/clinical_free_text.txt");
  for (std::string line; std::getline(free_text, line);) {
    if (!line.empty() && line[0] != '#') corpus.push_back(line);
  }
  return corpus;
}

}  // namespace nanbyo::gw::testing
