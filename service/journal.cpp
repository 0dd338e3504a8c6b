#include "service/journal.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace nanbyo::service {

namespace {

std::string_view word(Priority priority) {
  switch (priority) {
    case Priority::Error:
      return "error";
    case Priority::Warning:
      return "warning";
    case Priority::Notice:
      return "notice";
    case Priority::Info:
      return "info";
  }
  return "info";
}

}  // namespace

bool is_journal_stream(const char* journal_stream, int fd) {
  if (!journal_stream) return false;
  struct stat st {};
  if (fstat(fd, &st) != 0) return false;
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) == journal_stream;
}

bool stderr_is_journal() {
  static const bool journal = is_journal_stream(std::getenv("JOURNAL_STREAM"), 2);
  return journal;
}

std::string priority_prefix(Priority priority) {
  if (!stderr_is_journal()) return "";
  return "<" + std::to_string(static_cast<int>(priority)) + ">";
}

void log(Priority priority, std::string_view program, std::string_view message) {
  std::string line = priority_prefix(priority);
  line.append(program).append(": ").append(word(priority)).append(": ").append(message);
  line.push_back('\n');
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace nanbyo::service
