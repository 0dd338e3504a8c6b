# Writes OUT: a C++ file with each INPUT file as a std::string_view constant
# (static/app.css -> kStatic_app_css). Run by add_custom_command at build time,
# so editing an asset rebuilds only this file.
set(body "// Generated from appcore/web/static by embed_assets.cmake. Do not edit.\n#include <string_view>\nnamespace nanbyo::web::assets {\n")
foreach(input IN LISTS INPUTS)
  get_filename_component(name "${input}" NAME)
  string(MAKE_C_IDENTIFIER "${name}" id)
  file(READ "${input}" content)
  string(APPEND body "extern const std::string_view k_${id} = R\"NANBYO_ASSET(${content})NANBYO_ASSET\";\n")
endforeach()
string(APPEND body "}  // namespace nanbyo::web::assets\n")
file(WRITE "${OUT}" "${body}")
