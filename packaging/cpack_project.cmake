# Read by cpack itself (CPACK_PROJECT_CONFIG_FILE) after any `cpack -D`:
# the packages that share the form definitions need the very same version.
set(CPACK_DEBIAN_APPCORE_PACKAGE_DEPENDS "systemd, nanbyo-forms (= ${CPACK_PACKAGE_VERSION})")
set(CPACK_DEBIAN_CHECK_PACKAGE_DEPENDS "nanbyo-forms (= ${CPACK_PACKAGE_VERSION})")
