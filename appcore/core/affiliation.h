// A doctor's 兼務先 (ID-8): an additional hospital where the doctor works on
// forms. The seed (004, 指定医の兼務医療機関登録機能) gives per 兼務先 the
// 医療機関番号, 担当する診療科, 表示/非表示 and 連絡先, at most 10 of them.
// Our addition: a 兼務先 is a request that grants nothing until the 兼務先's
// 責任者 approves it (a self-declared 兼務先 would open any hospital's records).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "appcore/core/model.h"

namespace nanbyo::appcore {

enum class AffiliationState {
  Pending,   // 申請中: requested, grants nothing
  Approved,  // 承認: the doctor logs in from the hospital's PCs and works on its forms
  Rejected,  // 却下: grants nothing; the doctor may request again
};
std::string_view to_string(AffiliationState state);  // "pending", "approved", "rejected"
std::optional<AffiliationState> affiliation_state_from_string(std::string_view text);
std::string_view affiliation_state_label(AffiliationState state);  // 申請中, 承認, 却下

// What a doctor asks for.
struct AffiliationRequest {
  std::string hospital_number;  // 医療機関番号 of a registered hospital
  std::string department;       // 担当する診療科
  bool visible = true;          // 表示 (true) / 非表示 (false) on the doctor's listing
  std::string contact;          // 連絡先 at that hospital (e.g. a phone number)
};

// One 兼務先 with its state, as the doctor and the hospital's 責任者 see it.
struct Affiliation {
  std::string user_id;      // the doctor
  std::string doctor_name;  // filled for the 責任者's list only
  Hospital hospital;        // number, name, address (administrator left empty)
  std::string department;
  bool visible = true;
  std::string contact;
  AffiliationState state = AffiliationState::Pending;
  std::string requested_at;  // ISO 8601 UTC
  std::string decided_by;    // user id of the 責任者, "" while pending
  std::string decided_at;    // ISO 8601 UTC, "" while pending
  std::string reason;        // the 責任者's reason (optional)
};

enum class AffiliationDecision { Approve, Reject };

}  // namespace nanbyo::appcore
