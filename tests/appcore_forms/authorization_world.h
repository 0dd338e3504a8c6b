// The world the authorization matrix runs in (issue 12): three hospitals, H1
// (the actors' own), H2 (an approved 兼務先 of doctor D1) and H3 (a stranger,
// of another municipality); a clerk, a doctor and a 責任者 user (not a doctor)
// at H1; a doctor at H2; a doctor and a clerk at H3; both municipalities, an
// operator and an auditor. Forms are made by their hospital's own people.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "../appcore_core/core_fixture.h"
#include "appcore/core/forms_api.h"

namespace nanbyo::appcore::testing {

inline constexpr const char* kH1 = kHospital;
inline constexpr const char* kH2 = "1310000003";
inline constexpr const char* kH3 = kOtherHospital;

struct AuthorizationWorld : CoreFixture {
  AuthorizationWorld();

  Principal c1;      // clerk at H1
  Principal d1;      // 難病指定医, main H1, 兼務先 H2 (approved)
  Principal h1;      // 責任者 user of H1 (IT; not a doctor)
  Principal d2;      // doctor at H2 (H2's 責任者)
  Principal d3, c3;  // doctor (責任者) and clerk at H3
  Principal auditor;
  std::string d1_id, d2_id, d3_id;
  std::unique_ptr<FormService> forms;

  // D1 at a PC of `hospital` (where he works).
  Principal d1_at(const std::string& hospital);
  // `doctor` asks for `hospital` as a 兼務先 (pending).
  void request_affiliation(const Principal& doctor, const std::string& hospital);
  // ... and that hospital's 責任者 approves it.
  void approve_affiliation(const Principal& doctor, const std::string& hospital);
  void remove_affiliation(const Principal& doctor, const std::string& hospital);

  // A form of `hospital` in `state` (draft | submitted | registered), complete
  // enough to register, made by the hospital's own people. `submitter` sends a
  // submitted form (default: its maker).
  FormSummary form_at(const std::string& hospital, const std::string& state,
                      const Principal* submitter = nullptr);
  // The people of a hospital who make its forms.
  const Principal& maker(const std::string& hospital) const;
  const std::string& doctor_of(const std::string& hospital) const;

 private:
  Principal activate_doctor(const std::string& registration, const std::string& hospital,
                            const std::string& name, std::string& id, const Principal& as);
};

}  // namespace nanbyo::appcore::testing
