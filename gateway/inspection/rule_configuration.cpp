#include "gateway/inspection/rule_configuration.h"

#include <algorithm>
#include <filesystem>

namespace nanbyo::gw {
namespace fs = std::filesystem;

Result<std::string> rule_includes(const policy::Inspection& section) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(section.crs_rules, ec)) {
    if (entry.path().extension() == ".conf") files.push_back(entry.path());
  }
  if (ec || files.empty()) {
    return fail("no CRS rules in " + section.crs_rules.string() +
                (ec ? ": " + ec.message() : std::string()));
  }
  std::sort(files.begin(), files.end());
  std::string text;
  bool placed = false;
  for (const auto& file : files) {
    if (!placed && file.filename().string() >= "REQUEST-949") {
      if (!section.local_rules.empty())
        text += "Include \"" + section.local_rules.string() + "\"\n";
      placed = true;
    }
    text += "Include \"" + file.string() + "\"\n";
  }
  return text;
}

std::string rule_configuration(const policy::Inspection& section, const Settings& s,
                               const std::string& rule_files) {
  std::string text;
  text += s.mode == policy::InspectionMode::Detection ? "SecRuleEngine DetectionOnly\n"
                                                      : "SecRuleEngine On\n";
  // The gateway bounds bodies itself (limits.max_body_bytes); the engine sees them whole.
  text +=
      "SecRequestBodyAccess On\n"
      "SecRequestBodyLimit 1073741824\n"
      "SecRequestBodyNoFilesLimit 1073741824\n"
      "SecResponseBodyAccess Off\n"
      "SecAuditEngine Off\n"
      "SecArgumentSeparator &\n"
      "SecRule REQUEST_HEADERS:Content-Type \"@rx (?:application(?:/soap\\+|/)|text/)xml\" "
      "\"id:9400100,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML\"\n"
      "SecRule REQUEST_HEADERS:Content-Type \"@rx application/json\" "
      "\"id:9400101,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON\"\n";
  text += "Include \"" + section.crs_setup.string() + "\"\n";
  text += "SecAction \"id:9400000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level=" +
          std::to_string(s.paranoia_level) + "\"\n";
  text += rule_files;
  for (const auto& e : s.exclusions) {
    text += "SecRuleUpdateTargetById " + e.rule + " \"!" + e.target + "\"\n";
  }
  return text;
}

std::string rule_file_stamps(const policy::Inspection& section) {
  std::vector<fs::path> files{section.crs_setup, section.local_rules};
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(section.crs_rules, ec))
    files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::string out;
  for (const auto& f : files) {
    const auto size = fs::file_size(f, ec);
    const auto time = fs::last_write_time(f, ec).time_since_epoch().count();
    out += f.string() + " " + std::to_string(ec ? 0 : size) + " " + std::to_string(time) + "\n";
  }
  return out;
}

}  // namespace nanbyo::gw
