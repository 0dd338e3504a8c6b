# Debian packages, one per component (CPack DEB): `make package` or
# `cpack --config build/CPackConfig.cmake`. Library dependencies come from
# dpkg-shlibdeps; maintainer scripts from debian/<package>/ (configured with
# the package's names so one template serves both services).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME nanbyo)
set(CPACK_PACKAGE_VENDOR "Nanbyo-Shoman DB appliance")
set(CPACK_PACKAGE_CONTACT "Nanbyo-Shoman DB operators <operators@nanbyo-db.example.jp>")
set(CPACK_PACKAGE_VERSION ${NANBYO_DEB_VERSION})
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/deb)
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL gateway appcore tools check forms)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

set(CPACK_DEBIAN_GATEWAY_PACKAGE_NAME nanbyo-gateway)
# modsecurity-crs: the OWASP rules the inspection loads (libmodsecurity3 comes from shlibdeps).
# strongSwan (issue 16, S-10): charon with the vici plugin, the openssl crypto plugin it
# does not pull in itself and the curl fetcher (extra plugins) with which it asks the gateway's
# OCSP responder; swanctl for an operator's look at charon and the extra plugins
# (kernel-libipsec: userspace ESP on a kernel without it) are recommended.
set(CPACK_DEBIAN_GATEWAY_PACKAGE_DEPENDS
    "systemd, dbus, modsecurity-crs, charon-systemd, libstrongswan-standard-plugins, libstrongswan-extra-plugins")
set(CPACK_DEBIAN_GATEWAY_PACKAGE_RECOMMENDS "strongswan-swanctl, libcharon-extra-plugins")
set(CPACK_COMPONENT_GATEWAY_DESCRIPTION
    "Nanbyo-Shoman DB gateway\nnanbyo-gateway terminates the hospitals' mutual-TLS and TLS-VPN\nconnections, inspects them and proxies to the application core.")
set(CPACK_DEBIAN_APPCORE_PACKAGE_NAME nanbyo-appcore)
set(CPACK_COMPONENT_APPCORE_DESCRIPTION
    "Nanbyo-Shoman DB application core\nnanbyo-appcore serves the designated doctors' IDs, the clinical forms\nand the Japanese web UI behind nanbyo-gateway.")
set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME nanbyo-tools)
set(CPACK_DEBIAN_TOOLS_PACKAGE_DEPENDS "systemd")
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION admin)
set(CPACK_COMPONENT_TOOLS_DESCRIPTION
    "Nanbyo-Shoman DB operator tools\nnanbyo-pki (certificate authority, hospital media, user keys),\nnanbyoctl (gateway control, audit log verification) and nanbyo-setup\n(first-boot setup).")
set(CPACK_DEBIAN_CHECK_PACKAGE_NAME nanbyo-check)
set(CPACK_DEBIAN_CHECK_PACKAGE_SECTION misc)
set(CPACK_COMPONENT_CHECK_DESCRIPTION
    "Nanbyo-Shoman DB form check tool\nnanbyo-check checks clinical-form XML files from hospital systems and\nwrites the encrypted batch the bulk registration accepts (F-9).")
set(CPACK_DEBIAN_FORMS_PACKAGE_NAME nanbyo-forms)
set(CPACK_DEBIAN_FORMS_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_FORMS_PACKAGE_SECTION misc)
set(CPACK_COMPONENT_FORMS_DESCRIPTION
    "Nanbyo-Shoman DB form definitions\nOne YAML file per disease: fields, checks, calculations and judgment\nrules read by nanbyo-appcore and nanbyo-check.")

# Maintainer scripts of each package: the two services share templates
# (debian/service-*.in), the tools have their own; conffiles for /etc.
set(purge_gateway "/var/log/nanbyo/gateway /var/lib/nanbyo/gateway /etc/nanbyo/credentials/gateway-tls.key /etc/nanbyo/tls")
set(purge_appcore "/var/lib/nanbyo/appcore /var/log/nanbyo/appcore /etc/nanbyo/credentials/appcore-master.key")
set(purge_tools "/var/lib/nanbyo/pki /root/nanbyo-first-operator.txt")
foreach(component gateway appcore tools)
  set(NANBYO_PACKAGE nanbyo-${component})
  set(NANBYO_PURGE_PATHS ${purge_${component}})
  set(script_dir ${CMAKE_CURRENT_BINARY_DIR}/debian/${component})
  set(extra)
  foreach(script postinst prerm postrm)
    set(template ${CMAKE_CURRENT_SOURCE_DIR}/debian/tools-${script}.in)
    if(NOT component STREQUAL "tools")
      set(template ${CMAKE_CURRENT_SOURCE_DIR}/debian/service-${script}.in)
    endif()
    if(EXISTS ${template})
      configure_file(${template} ${script_dir}/${script} @ONLY
                     FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
                                      GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
      list(APPEND extra ${script_dir}/${script})
    endif()
  endforeach()
  if(NOT component STREQUAL "tools")
    set(conffile "${NANBYO_CONF_DIR}/gateway.yaml\n${NANBYO_CONF_DIR}/strongswan.conf")
    if(component STREQUAL "appcore")
      set(conffile "${NANBYO_CONF_DIR}/appcore.conf\n${NANBYO_CONF_DIR}/detection.yaml")
    endif()
    file(WRITE ${script_dir}/conffiles "${conffile}\n")
    list(APPEND extra ${script_dir}/conffiles)
  endif()
  string(TOUPPER ${component} upper)
  set(CPACK_DEBIAN_${upper}_PACKAGE_CONTROL_EXTRA ${extra})
  set(CPACK_DEBIAN_${upper}_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
endforeach()

# Dependencies on the same version are set when cpack runs (cpack_project.cmake),
# so `cpack -D CPACK_PACKAGE_VERSION=...` (the upgrade test) keeps them right.
set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_CURRENT_SOURCE_DIR}/cpack_project.cmake)

include(CPack)
