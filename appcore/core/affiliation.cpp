#include "appcore/core/affiliation.h"

namespace nanbyo::appcore {

std::string_view to_string(AffiliationState state) {
  switch (state) {
    case AffiliationState::Approved:
      return "approved";
    case AffiliationState::Rejected:
      return "rejected";
    default:
      return "pending";
  }
}

std::optional<AffiliationState> affiliation_state_from_string(std::string_view text) {
  if (text == "pending") return AffiliationState::Pending;
  if (text == "approved") return AffiliationState::Approved;
  if (text == "rejected") return AffiliationState::Rejected;
  return std::nullopt;
}

std::string_view affiliation_state_label(AffiliationState state) {
  switch (state) {
    case AffiliationState::Approved:
      return "承認";
    case AffiliationState::Rejected:
      return "却下";
    default:
      return "申請中";
  }
}

}  // namespace nanbyo::appcore
