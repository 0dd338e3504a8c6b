// Strict reading of YAML form definitions (CONVENTIONS.md rule 5): every map
// key must be known, every error names file:line:column and the key path.
// Loading happens at start-up, so a LoadError exception carries the first
// error out to the Result boundary (load_definition()).
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace nanbyo::forms::detail {

struct LoadError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "file:line:col: path: message"
[[noreturn]] void raise(const std::string& file, const YAML::Mark& mark, const std::string& path,
                        const std::string& message);

class MapReader {
 public:
  MapReader(const YAML::Node& node, const std::string& file, std::string path);
  // Checks that no key was left unread (call after the last get).
  void finish() const;

  bool has(const char* key) const;
  YAML::Node node(const char* key, bool required);
  std::string text(const char* key, bool required, const std::string& fallback = "");
  std::optional<double> number(const char* key);
  long integer(const char* key, bool required, long min, long max, long fallback = 0);
  bool flag(const char* key, bool fallback);
  std::vector<std::string> texts(const char* key, bool required);
  std::string path(const char* key) const { return path_.empty() ? key : path_ + "." + key; }
  const std::string& file() const { return file_; }
  const YAML::Node& self() const { return node_; }
  [[noreturn]] void fail(const char* key, const std::string& message) const;

 private:
  YAML::Node node_;
  std::string file_, path_;
  std::vector<std::string> read_;
};

std::string scalar(const YAML::Node& n, const std::string& file, const std::string& path);

}  // namespace nanbyo::forms::detail
