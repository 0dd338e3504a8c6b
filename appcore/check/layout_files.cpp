#include "appcore/check/layout_files.h"

#include <fstream>

#include "appcore/forms/xml.h"

namespace nanbyo::check {
namespace {

Result<void> write_file(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << bytes;
  if (!out.flush()) return fail("cannot write " + p.string());
  return {};
}

}  // namespace

Result<std::size_t> write_layout(const forms::FormCatalog& catalog,
                                 const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail("cannot create " + dir.string() + ": " + ec.message());
  NANBYO_TRY_VOID(write_file(dir / "nanbyo-forms.xsd", forms::generate_xsd(catalog)));
  std::string index = "form_id\tkind\tgroup\tnumber\tname\tform\n";
  std::size_t written = 0;
  for (const auto& d : catalog.diseases()) {
    const forms::FormDefinition* def = catalog.find(d.form_id);
    if (!def) return fail("no form for " + d.form_id);
    NANBYO_TRY_VOID(write_file(dir / (d.form_id + ".xsd"), forms::generate_xsd(*def)));
    index += d.form_id + "\t" + d.kind + "\t" + d.group + "\t" + std::to_string(d.number) + "\t" +
             d.name + "\t" + (d.specific ? "specific" : "common") + "\n";
    ++written;
  }
  NANBYO_TRY_VOID(write_file(dir / "forms.tsv", index));
  // Former versions still accepted (issue 18 item 4): previous/<version>/.
  std::string versions = "version\taccepted_until\tform_id\tname\n";
  for (const auto& p : catalog.previous_versions()) {
    const auto sub = dir / "previous" / p.version;
    std::filesystem::create_directories(sub, ec);
    if (ec) return fail("cannot create " + sub.string() + ": " + ec.message());
    NANBYO_TRY_VOID(write_file(sub / "nanbyo-forms.xsd", forms::generate_xsd(*p.forms)));
    for (const auto& d : p.forms->definitions()) {
      NANBYO_TRY_VOID(write_file(sub / (d.id + ".xsd"), forms::generate_xsd(d)));
      versions += p.version + "\t" + p.accepted_until + "\t" + d.id + "\t" + d.title + "\n";
      ++written;
    }
  }
  if (!catalog.previous_versions().empty())
    NANBYO_TRY_VOID(write_file(dir / "previous" / "versions.tsv", versions));
  return written;
}

}  // namespace nanbyo::check
