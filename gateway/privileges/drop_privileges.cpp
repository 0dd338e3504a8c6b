#include "gateway/privileges/drop_privileges.h"

#include "gateway/privileges/capabilities.h"
#include "gateway/privileges/syscall_filter.h"

namespace nanbyo::privileges {

Result<void> drop_privileges(const DropPlan& plan) {
  NANBYO_TRY_VOID(narrow_inherited_capabilities({}));
  if (plan.user) NANBYO_TRY_VOID(become(*plan.user));
  NANBYO_TRY_VOID(drop_all_capabilities());
  NANBYO_TRY_VOID(forbid_new_privileges());
  if (plan.syscall_filter) NANBYO_TRY_VOID(install_syscall_filter());
  return {};
}

}  // namespace nanbyo::privileges
