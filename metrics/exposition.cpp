#include "metrics/exposition.h"

#include <charconv>
#include <cmath>

namespace nanbyo::metrics {
namespace {

// HELP text escapes backslash and newline; label values escape the double quote too.
void append_escaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

const char* type_name(Type type) {
  switch (type) {
    case Type::Counter:
      return "counter";
    case Type::Gauge:
      return "gauge";
    case Type::Histogram:
      return "histogram";
  }
  return "untyped";
}

}  // namespace

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Whole numbers (counts, Unix times) in full; others as %g would with the fewest digits
  // that read back exactly ("0.0005", not the shorter "5e-04").
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<int64_t>(value));
  }
  char buffer[32];
  const auto end =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general).ptr;
  return std::string(buffer, end);
}

void TextWriter::family(std::string_view name, Type type, std::string_view help) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  append_escaped(out_, help, false);
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type_name(type);
  out_ += '\n';
}

void TextWriter::series(std::string_view name, const Labels& labels, std::string_view extra_le) {
  out_ += name;
  if (labels.empty() && extra_le.empty()) return;
  out_ += '{';
  bool first = true;
  auto put = [&](std::string_view label, std::string_view value) {
    if (!first) out_ += ',';
    first = false;
    out_ += label;
    out_ += "=\"";
    append_escaped(out_, value, true);
    out_ += '"';
  };
  for (const auto& l : labels) put(l.name, l.value);
  if (!extra_le.empty()) put("le", extra_le);
  out_ += '}';
}

void TextWriter::sample(std::string_view name, const Labels& labels, uint64_t value) {
  series(name, labels, {});
  out_ += ' ';
  out_ += std::to_string(value);
  out_ += '\n';
}

void TextWriter::sample(std::string_view name, const Labels& labels, double value) {
  series(name, labels, {});
  out_ += ' ';
  out_ += format_value(value);
  out_ += '\n';
}

void TextWriter::histogram(std::string_view name, const Labels& labels,
                           const Histogram::Snapshot& values) {
  const std::string base(name);
  for (std::size_t i = 0; i < Histogram::kBuckets; ++i) {
    const std::string le =
        i < kLatencyBounds.size() ? format_value(kLatencyBounds[i]) : std::string("+Inf");
    series(base + "_bucket", labels, le);
    out_ += ' ';
    out_ += std::to_string(values.cumulative[i]);
    out_ += '\n';
  }
  sample(base + "_sum", labels, values.sum_seconds);
  sample(base + "_count", labels, values.count());
}

void TextWriter::counter(std::string_view name, std::string_view help, uint64_t value) {
  family(name, Type::Counter, help);
  sample(name, {}, value);
}

void TextWriter::gauge(std::string_view name, std::string_view help, double value) {
  family(name, Type::Gauge, help);
  sample(name, {}, value);
}

}  // namespace nanbyo::metrics
