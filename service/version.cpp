#include "service/version.h"

namespace nanbyo::service {

// Defined on this file only (service/CMakeLists.txt): a new version
// recompiles one file, not every user of the header.
const char* version() {
  return NANBYO_VERSION;
}

}  // namespace nanbyo::service
