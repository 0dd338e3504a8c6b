// The XML layout as files an operator hands to hospital-system vendors
// (issue 18, F-9; docs/forms-xml.md): the XSD of every form, one XSD per
// disease and an index, written by `nanbyo-check --write-layout DIR` from the
// installed definitions, with no login and no key.
#pragma once

#include <filesystem>

#include "appcore/forms/catalog.h"
#include "pki/result.h"

namespace nanbyo::check {

// Writes DIR/nanbyo-forms.xsd, DIR/<form id>.xsd for every disease of the
// catalog and DIR/forms.tsv (form id, kind, 疾患群, 番号, 病名, 様式: specific
// or common). Returns the number of per-disease files.
Result<std::size_t> write_layout(const forms::FormCatalog& catalog,
                                 const std::filesystem::path& dir);

}  // namespace nanbyo::check
