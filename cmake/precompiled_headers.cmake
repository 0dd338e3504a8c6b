# nanbyo_precompile_headers(TARGET HEADER...): with NANBYO_PCH=ON, TARGET's files start from
# one precompiled header of <utility> and HEADERS. g++ silently ignores a precompiled header
# that comes after any other -include, so the top-level "-include utility" (Boost 1.74,
# toolchain-facts.md) is taken off TARGET and <utility> leads the precompiled header instead.
function(nanbyo_precompile_headers target)
  if(NOT NANBYO_PCH)
    return()
  endif()
  get_target_property(options ${target} COMPILE_OPTIONS)
  list(REMOVE_ITEM options "SHELL:-include utility")
  set_property(TARGET ${target} PROPERTY COMPILE_OPTIONS ${options})
  target_precompile_headers(${target} PRIVATE <utility> ${ARGN})
endfunction()
