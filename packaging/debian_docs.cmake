# /usr/share/doc/<package>/: copyright, changelog.gz and the operator
# guide (docs/install.md), as Debian packages carry them.
find_program(GZIP gzip REQUIRED)
set(NANBYO_DEB_VERSION "${PROJECT_VERSION}" CACHE STRING
    "Debian version of the packages (the upgrade test builds a higher one)")
set(doc_build ${CMAKE_CURRENT_BINARY_DIR}/doc)
configure_file(debian/changelog.in ${doc_build}/changelog @ONLY)
add_custom_command(OUTPUT ${doc_build}/changelog.gz
  COMMAND ${GZIP} -9nkf ${doc_build}/changelog
  DEPENDS ${doc_build}/changelog VERBATIM)
add_custom_target(nanbyo_deb_changelog ALL DEPENDS ${doc_build}/changelog.gz)

foreach(component gateway appcore tools check forms)
  set(doc_dir ${CMAKE_INSTALL_FULL_DATADIR}/doc/nanbyo-${component})
  install(FILES debian/copyright ${doc_build}/changelog.gz
          DESTINATION ${doc_dir} COMPONENT ${component})
endforeach()
foreach(component gateway appcore tools)
  install(FILES ${PROJECT_SOURCE_DIR}/docs/install.md
          DESTINATION ${CMAKE_INSTALL_FULL_DATADIR}/doc/nanbyo-${component} COMPONENT ${component})
endforeach()
