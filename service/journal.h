// Log lines with a priority the journal understands (issue 13, part 4).
// Under systemd, stderr is a journal stream (JOURNAL_STREAM names it) and a
// leading "<N>" sets the line's syslog priority, so `journalctl -p err`
// finds failures. Elsewhere the prefix is left out.
#pragma once

#include <string>
#include <string_view>

namespace nanbyo::service {

enum class Priority { Error = 3, Warning = 4, Notice = 5, Info = 6 };

// True when `fd` is the stream a JOURNAL_STREAM value ("<device>:<inode>")
// names: a child whose stderr was redirected elsewhere inherits the variable.
bool is_journal_stream(const char* journal_stream, int fd);

// True when stderr is the stream systemd's JOURNAL_STREAM names (checked once).
bool stderr_is_journal();

// "<3>" under the journal, "" elsewhere.
std::string priority_prefix(Priority priority);

// One line to stderr: "<N>program: error: message" (the word after the
// program name says the priority to a reader of a plain terminal too).
void log(Priority priority, std::string_view program, std::string_view message);

}  // namespace nanbyo::service
