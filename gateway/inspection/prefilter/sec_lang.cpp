#include "gateway/inspection/prefilter/sec_lang.h"

#include <fstream>
#include <sstream>

namespace nanbyo::gw::prefilter {
namespace fs = std::filesystem;

namespace {

// Joins backslash-continued lines; drops comments and blank lines.
std::vector<std::string> logical_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string current;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const bool continued = !line.empty() && line.back() == '\\';
    if (continued) line.pop_back();
    current += line;
    if (continued) continue;
    const auto first = current.find_first_not_of(" \t");
    if (first != std::string::npos && current[first] != '#') lines.push_back(current.substr(first));
    current.clear();
  }
  if (!current.empty()) lines.push_back(current);
  return lines;
}

// Splits one directive line into words; a double-quoted word keeps its spaces, and \" in it
// stands for a quote (other backslashes stay: they belong to the regular expressions).
Result<std::vector<std::string>> words(const std::string& line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) break;
    std::string word;
    if (line[i] == '"') {
      ++i;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '"') {
          word += '"';
          i += 2;
        } else if (line[i] == '"') {
          closed = true;
          ++i;
          break;
        } else {
          word += line[i++];
        }
      }
      if (!closed) return fail("an unterminated quote");
    } else {
      while (i < line.size() && line[i] != ' ' && line[i] != '\t') word += line[i++];
    }
    out.push_back(std::move(word));
  }
  return out;
}

Result<void> read_into(const std::string& text, const fs::path& base, const fs::path& file,
                       int depth, std::vector<Directive>& out) {
  if (depth > 8) return fail("Include nested too deeply at " + file.string());
  for (const auto& line : logical_lines(text)) {
    auto split = words(line);
    if (!split) return fail(file.string() + ": " + split.error().message);
    if (split->empty()) continue;
    Directive d{(*split)[0], {split->begin() + 1, split->end()}, file};
    if (d.name == "Include" || d.name == "include") {
      if (d.args.size() != 1) return fail(file.string() + ": Include needs one path");
      fs::path path = d.args[0];
      if (path.is_relative()) path = base / path;
      std::ifstream in(path, std::ios::binary);
      if (!in) return fail("cannot read " + path.string());
      std::ostringstream content;
      content << in.rdbuf();
      NANBYO_TRY_VOID(read_into(content.str(), path.parent_path(), path, depth + 1, out));
      continue;
    }
    out.push_back(std::move(d));
  }
  return {};
}

}  // namespace

Result<std::vector<Directive>> read_directives(const std::string& text, const fs::path& base) {
  std::vector<Directive> out;
  NANBYO_TRY_VOID(read_into(text, base, fs::path(), 0, out));
  return out;
}

std::vector<Action> split_actions(const std::string& text) {
  std::vector<Action> out;
  std::string item;
  bool quoted = false;
  auto flush = [&] {
    const auto first = item.find_first_not_of(" \t");
    if (first == std::string::npos) {
      item.clear();
      return;
    }
    item = item.substr(first, item.find_last_not_of(" \t") - first + 1);
    Action a;
    const auto colon = item.find(':');
    a.name = item.substr(0, colon);
    if (colon != std::string::npos) {
      a.value = item.substr(colon + 1);
      if (a.value.size() >= 2 && a.value.front() == '\'' && a.value.back() == '\'') {
        a.value = a.value.substr(1, a.value.size() - 2);
      }
    }
    out.push_back(std::move(a));
    item.clear();
  };
  for (char c : text) {
    if (c == '\'') quoted = !quoted;
    if (c == ',' && !quoted) {
      flush();
      continue;
    }
    item += c;
  }
  flush();
  return out;
}

}  // namespace nanbyo::gw::prefilter
