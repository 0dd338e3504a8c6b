// The project's version, from project(... VERSION) in CMakeLists.txt.
#pragma once

namespace nanbyo::service {

// "0.1.0": what every program prints for --version.
const char* version();

}  // namespace nanbyo::service
