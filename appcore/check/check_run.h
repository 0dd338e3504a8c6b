// The hospital-side check of F-9 as a library (the CLI and the benchmark use
// it): read many XML files, validate each form against the XSD and with the
// same check as the web form, list every problem, pack the forms that can be
// registered into one batch.
#pragma once

#include <string>
#include <vector>

#include "appcore/check/batch.h"
#include "appcore/forms/xml.h"

namespace nanbyo::check {

struct InputFile {
  std::string name;
  std::string bytes;
};

// One line of the error list (CSV: file, form, field, message).
struct ErrorRow {
  std::string file, form, field, message;
};

struct CheckRun {
  std::size_t files = 0, forms = 0, packed = 0;
  std::vector<ErrorRow> errors;
  Batch batch;  // forms without schema or format errors (missing items allowed)
};

// `today` (YYYY-MM-DD, JST) decides whether a form of a previous version is
// still accepted (catalog.h); by default the system clock's date in Japan.
CheckRun check_files(const forms::XmlFormReader& reader, const forms::FormCatalog& catalog,
                     const std::vector<InputFile>& files, const std::string& today = "");

// UTF-8 with BOM (Excel opens it), CRLF, RFC 4180 quoting; cells starting with
// = + - @ are prefixed with ' so a spreadsheet never runs them.
std::string error_csv(const std::vector<ErrorRow>& rows);

}  // namespace nanbyo::check
