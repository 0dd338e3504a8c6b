// The forms service's configuration on the source tree's definitions (the
// installed default is /usr/share/nanbyo/forms), loaded and compiled once per
// test process: the authorization matrix opens a service for every cell.
#pragma once

#include "appcore/core/forms_api.h"

namespace nanbyo::appcore::testing {

FormServiceConfig source_forms_config();

}  // namespace nanbyo::appcore::testing
