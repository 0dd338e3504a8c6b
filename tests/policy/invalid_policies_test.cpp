// Every file in invalid/ is a policy with one mistake; its first line is
// "# expect: <message>", the exact one-line error the loader must give, with
// the file's base name where the path goes. Adding a file adds a case.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "policy/loader.h"

using namespace nanbyo::policy;
namespace fs = std::filesystem;

namespace {

const fs::path kInvalidDir = fs::path(NANBYO_POLICY_TEST_DIR) / "invalid";

std::vector<fs::path> invalid_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kInvalidDir)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string expected_message(const fs::path& file) {
  std::ifstream in(file);
  std::string first_line;
  std::getline(in, first_line);
  const std::string marker = "# expect: ";
  REQUIRE(first_line.starts_with(marker));
  return first_line.substr(marker.size());
}

}  // namespace

TEST_CASE("the invalid/ folder covers every error kind", "[invalid]") {
  CHECK(invalid_files().size() >= 12);
}

TEST_CASE("each invalid policy fails with exactly the message its file expects", "[invalid]") {
  for (const fs::path& file : invalid_files()) {
    DYNAMIC_SECTION(file.filename().string()) {
      const std::string expect = expected_message(file);
      // The message names the file first; the comment uses the base name.
      REQUIRE(expect.starts_with(file.filename().string() + ":"));

      auto loaded = load_policy_file(file);
      REQUIRE_FALSE(loaded.ok());
      const std::string& message = loaded.error().message;
      CHECK(message == file.parent_path().string() + "/" + expect);
      CHECK(message.find('\n') == std::string::npos);
    }
  }
}

TEST_CASE("text is named by the caller in messages", "[invalid]") {
  auto loaded = load_policy_text("version: 1\nlisteners: 3\n", "inline.yaml");
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().message == "inline.yaml:2:12: listeners: expected a list, got \"3\"");
}

TEST_CASE("files that cannot be policies are refused with their name", "[invalid]") {
  CHECK_THAT(load_policy_file(kInvalidDir / "no-such-file.yaml").error().message,
             Catch::Contains("no-such-file.yaml"));
  CHECK(load_policy_file(kInvalidDir).error().message ==
        kInvalidDir.string() + ": is a directory, not a policy file");
  CHECK_THAT(load_policy_text("", "empty.yaml").error().message,
             Catch::StartsWith("empty.yaml: empty policy"));
  CHECK_THAT(load_policy_text("# only a comment\n", "comment.yaml").error().message,
             Catch::StartsWith("comment.yaml: empty policy"));
  const std::string huge(kMaxPolicyBytes + 1, '#');
  CHECK_THAT(load_policy_text(huge, "huge.yaml").error().message,
             Catch::StartsWith("huge.yaml: larger than"));
}

TEST_CASE("a self-referencing alias is rejected, not followed", "[invalid]") {
  // yaml-cpp builds a cycle for "&a [*a]"; the schema's fixed depth stops the walk.
  auto loaded = load_policy_text("version: 1\naudit: &a [*a]\n", "cycle.yaml");
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().message == "cycle.yaml:2:8: audit: expected a map, got a list");
}
