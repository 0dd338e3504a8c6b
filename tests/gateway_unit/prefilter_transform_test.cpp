// The prefilter's transformations against the engine's own (issue 14 part 4): wherever the
// prefilter says it knows a transformation's result, libmodsecurity 3.0.9 gives the same
// bytes, for every chain CRS uses at paranoia level 1 and for the shortened chains the
// prefilter scans plain values with.
#include <catch2/catch.hpp>

#include <modsecurity/modsecurity.h>
#include <modsecurity/rule_message.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>

#include <map>
#include <random>

#include "gateway/inspection/prefilter/transforms.h"

using namespace nanbyo::gw::prefilter;

namespace {

const std::vector<std::string> kChains = {
    "urlDecodeUni",
    "lowercase",
    "urlDecodeUni,lowercase",
    "utf8toUnicode,urlDecodeUni,htmlEntityDecode,jsDecode,cssDecode,removeNulls",
    "urlDecodeUni,htmlEntityDecode,lowercase",
    "utf8toUnicode,urlDecodeUni,removeNulls,cmdLine",
    "urlDecodeUni,cmdLine",
    "urlDecodeUni,cmdLine,normalizePath,lowercase",
    "lowercase,removeWhitespace",
    "urlDecode,replaceComments,compressWhitespace",
    "urlDecodeUni,base64Decode",
    "utf8toUnicode,urlDecodeUni,normalizePathWin,lowercase",
    "urlDecodeUni,compressWhitespace",
    "normalisePath,urlDecodeUni,lowercase",
    "removeComments",
    "length",
    "trim",
};

std::vector<Transform> parse(const std::string& chain) {
  std::vector<Transform> out;
  std::size_t start = 0;
  while (start < chain.size()) {
    auto end = chain.find(',', start);
    if (end == std::string::npos) end = chain.size();
    out.push_back(transform_named(chain.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

std::string percent_all(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    out += '%';
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

// One rule per chain on ARGS:x; the engine reports each chain's result as MATCHED_VAR.
class EngineTransforms {
 public:
  EngineTransforms() {
    std::string text = "SecRuleEngine On\n";
    for (std::size_t i = 0; i < kChains.size(); ++i) {
      std::string t;
      for (const auto& name : split(kChains[i])) t += ",t:" + name;
      text += "SecRule ARGS:x \"@unconditionalMatch\" \"id:" + std::to_string(1000 + i) +
              ",phase:1,pass,log,t:none" + t + ",logdata:'[%{MATCHED_VAR}]'\"\n";
    }
    REQUIRE(rules_.load(text.c_str()) >= 0);
    engine_.setServerLogCb([](void*, const void*) {}, modsecurity::RuleMessageLogProperty);
  }
  std::map<std::size_t, std::string> results(const std::string& value) {
    modsecurity::Transaction t(&engine_, &rules_, nullptr);
    t.processConnection("127.0.0.1", 1, "127.0.0.1", 80);
    const std::string uri = "/?x=" + percent_all(value);
    t.processURI(uri.c_str(), "GET", "1.1");
    t.processRequestHeaders();
    std::map<std::size_t, std::string> out;
    for (const auto& m : t.m_rulesMessages) {
      const std::string& d = m.m_data;
      REQUIRE(d.size() >= 2);
      out[static_cast<std::size_t>(m.m_ruleId - 1000)] = d.substr(1, d.size() - 2);
    }
    return out;
  }

 private:
  static std::vector<std::string> split(const std::string& chain) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < chain.size()) {
      auto end = chain.find(',', start);
      if (end == std::string::npos) end = chain.size();
      out.push_back(chain.substr(start, end - start));
      start = end + 1;
    }
    return out;
  }
  modsecurity::ModSecurity engine_;
  modsecurity::RulesSet rules_;
};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

}  // namespace

TEST_CASE("where the prefilter knows a transformation's result, the engine agrees", "[prefilter]") {
  EngineTransforms engine;
  std::vector<std::string> inputs = {
      "",
      "abc",
      "ABC def",
      "a+b",
      "  lead and trail  ",
      "a\t\tb\nc",
      "Foo, bar; \"baz\" /x (y) ^a",
      "ZGFyaw==",
      "dark",
      "a-b_c",
      "YQ",
      "Y Q==",
      "ab=c",
      "/*x*/y",
      "a--b#c",
      "/etc/./passwd",
      "a//b",
      "..",
      "x\\y",
      "&lt;b&gt;",
      "%41",
      "caf\xc3\xa9",
      "SELECT * FROM t",
      "1 oR 1=1",
      "a\x01"
      "b",
  };
  std::mt19937 random(7);
  const std::string alphabet = "aAzZ09 \t+/.*-#;,()^\"'\\=&%<>!?:_~`|[]{}$@\n\r\x7f";
  for (int i = 0; i < 400; ++i) {
    std::string s;
    for (unsigned n = random() % 24; n > 0; --n) s += alphabet[random() % alphabet.size()];
    inputs.push_back(s);
  }
  std::size_t exact = 0, plain = 0;
  for (const auto& input : inputs) {
    const auto theirs = engine.results(input);
    const unsigned present = triggers_in(input);
    for (std::size_t i = 0; i < kChains.size(); ++i) {
      INFO("chain " << kChains[i] << ", input [" << input << "]");
      REQUIRE(theirs.count(i) == 1);
      const auto chain = parse(kChains[i]);
      std::string mine = input;
      if (apply_transforms(chain, mine)) {
        ++exact;
        CHECK(mine == theirs.at(i));
      }
      const auto shortened = plain_chain(chain);
      if (shortened && !(shortened->triggers & present)) {
        std::string p = input;
        if (!apply_transforms(shortened->chain, p)) continue;  // base64Decode on whitespace
        ++plain;
        CHECK((shortened->caseless ? lower(p) : p) == theirs.at(i));
      }
    }
  }
  // Both checks ran on a good share of the inputs.
  CHECK(exact > inputs.size() * 3);
  CHECK(plain > inputs.size() * 3);
}
