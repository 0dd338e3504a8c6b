#include "appcore/forms/yaml_reader.h"

#include <algorithm>
#include <charconv>

namespace nanbyo::forms::detail {

void raise(const std::string& file, const YAML::Mark& mark, const std::string& path,
           const std::string& message) {
  std::string where =
      file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) + ": ";
  if (!path.empty()) where += path + ": ";
  throw LoadError(where + message);
}

std::string scalar(const YAML::Node& n, const std::string& file, const std::string& path) {
  if (!n.IsScalar() || n.Scalar().empty())
    raise(file, n.Mark(), path, "expected a non-empty string");
  return n.Scalar();
}

MapReader::MapReader(const YAML::Node& node, const std::string& file, std::string path)
    : node_(node), file_(file), path_(std::move(path)) {
  if (!node_.IsMap()) raise(file_, node_.Mark(), path_, "expected a map");
}

void MapReader::finish() const {
  for (const auto& entry : node_) {
    const std::string key = entry.first.Scalar();
    if (std::find(read_.begin(), read_.end(), key) == read_.end()) {
      std::string known;
      for (const auto& k : read_) known += (known.empty() ? "" : ", ") + k;
      raise(file_, entry.first.Mark(), path(key.c_str()),
            "unknown key" + (known.empty() ? std::string() : " (read here: " + known + ")"));
    }
  }
}

bool MapReader::has(const char* key) const {
  return node_[key].IsDefined() && !node_[key].IsNull();
}

void MapReader::fail(const char* key, const std::string& message) const {
  const YAML::Node n = node_[key];
  raise(file_, n.IsDefined() ? n.Mark() : node_.Mark(), path(key), message);
}

YAML::Node MapReader::node(const char* key, bool required) {
  read_.emplace_back(key);
  YAML::Node n = node_[key];
  if (!n.IsDefined() || n.IsNull()) {
    if (required)
      raise(file_, node_.Mark(), path_, std::string("missing required key \"") + key + "\"");
    return YAML::Node();
  }
  return n;
}

std::string MapReader::text(const char* key, bool required, const std::string& fallback) {
  YAML::Node n = node(key, required);
  if (!n.IsDefined() || n.IsNull()) return fallback;
  return scalar(n, file_, path(key));
}

std::optional<double> MapReader::number(const char* key) {
  YAML::Node n = node(key, false);
  if (!n.IsDefined() || n.IsNull()) return std::nullopt;
  const std::string s = scalar(n, file_, path(key));
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size())
    raise(file_, n.Mark(), path(key), "expected a number, got \"" + s + "\"");
  return v;
}

long MapReader::integer(const char* key, bool required, long min, long max, long fallback) {
  YAML::Node n = node(key, required);
  if (!n.IsDefined() || n.IsNull()) return fallback;
  const std::string s = scalar(n, file_, path(key));
  long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < min || v > max)
    raise(file_, n.Mark(), path(key),
          "expected an integer from " + std::to_string(min) + " to " + std::to_string(max) +
              ", got \"" + s + "\"");
  return v;
}

bool MapReader::flag(const char* key, bool fallback) {
  YAML::Node n = node(key, false);
  if (!n.IsDefined() || n.IsNull()) return fallback;
  const std::string s = scalar(n, file_, path(key));
  if (s == "true") return true;
  if (s == "false") return false;
  raise(file_, n.Mark(), path(key), "expected true or false, got \"" + s + "\"");
}

std::vector<std::string> MapReader::texts(const char* key, bool required) {
  YAML::Node n = node(key, required);
  std::vector<std::string> out;
  if (!n.IsDefined() || n.IsNull()) return out;
  if (!n.IsSequence()) raise(file_, n.Mark(), path(key), "expected a list");
  for (std::size_t i = 0; i < n.size(); ++i)
    out.push_back(scalar(n[i], file_, path(key) + "[" + std::to_string(i) + "]"));
  return out;
}

}  // namespace nanbyo::forms::detail
