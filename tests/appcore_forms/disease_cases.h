// Complete sample forms of the disease-specific definitions added by issue 18
// (F-4): each consistent with its published criteria (the doctor's entries
// agree with the machine judgment), used by the judgment tests, the XML and
// nanbyo-check round trips, the form service and the web screens.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "appcore/forms/values.h"

namespace nanbyo::forms::testing {

// The value of a multiple-choice field with these choices picked.
FieldValue items_value(std::vector<std::string> items);

FormValues myasthenia_definite();          // nanbyo-011
FormValues scd_definite();                 // nanbyo-018
FormValues behcet_complete();              // nanbyo-056
FormValues iip_definite();                 // nanbyo-085
FormValues rp_definite();                  // nanbyo-090
FormValues pa_vsd_definite();              // nanbyo-214
FormValues biliary_atresia_definite();     // nanbyo-296
FormValues precursor_b_all_confirmed();    // shoman-1-080
FormValues minimal_change_ns_confirmed();  // shoman-2-021
FormValues duchenne_confirmed();           // shoman-11-014

// (definition id, complete sample form) of every definition above.
std::vector<std::pair<std::string, FormValues>> specific_disease_samples();

}  // namespace nanbyo::forms::testing
