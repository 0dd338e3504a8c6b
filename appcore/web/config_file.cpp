#include "appcore/web/config_file.h"

#include <fstream>
#include <set>

namespace nanbyo::web {
namespace {

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

// Flags that never belong in a file: the file itself and --help.
bool settable(const std::string& key) {
  return key != "config" && key != "help";
}

}  // namespace

Result<void> apply_config_file(CLI::App& command, const CLI::App& schema, const std::string& file) {
  std::ifstream in(file);
  if (!in) return fail("cannot read the configuration file " + file);
  std::string line;
  std::set<std::string> seen;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string where = file + ":" + std::to_string(number) + ": ";
    const std::string text = trim(line);
    if (text.empty() || text.front() == '#') continue;
    const auto eq = text.find('=');
    if (eq == std::string::npos) return fail(where + "expected key = value");
    const std::string key = trim(text.substr(0, eq));
    const std::string value = trim(text.substr(eq + 1));
    if (!settable(key) || !schema.get_option_no_throw("--" + key))
      return fail(where + "unknown key '" + key + "'");
    if (!seen.insert(key).second) return fail(where + "'" + key + "' is set twice");
    CLI::Option* option = command.get_option_no_throw("--" + key);
    if (!option) continue;              // a serve setting, not this command's
    if (option->count() > 0) continue;  // the command line wins
    try {
      option->add_result(value);
      option->run_callback();
    } catch (const CLI::Error& e) {
      return fail(where + key + ": " + e.what());
    }
  }
  return {};
}

}  // namespace nanbyo::web
