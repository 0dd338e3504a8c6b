# Man pages generated from each program's --help and --version (help2man),
# installed gzipped. Skipped (with a message) where help2man is missing or
# in a sanitizer build; `make package` needs them.
find_program(HELP2MAN help2man)
find_program(GZIP gzip)
if(NOT HELP2MAN OR NOT GZIP OR NANBYO_SANITIZE OR NOT TARGET nanbyo-appcore)
  message(STATUS "man pages: not generated (help2man or gzip missing, a sanitizer build, or no nanbyo-appcore)")
  return()
endif()

set(man_dir ${CMAKE_CURRENT_BINARY_DIR}/man)
set(all_pages)
# name | section | component | one-line description | program (target or script)
function(nanbyo_man_page name section component description program)
  set(page ${man_dir}/${name}.${section})
  add_custom_command(OUTPUT ${page}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${man_dir}
    COMMAND ${HELP2MAN} --no-info --no-discard-stderr --section=${section}
            --name=${description} --output=${page} ${program}
    COMMAND ${GZIP} -9nf ${page}
    DEPENDS ${program} ${ARGN}
    COMMENT "Man page ${name}(${section})" VERBATIM)
  install(FILES ${page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section}
          COMPONENT ${component})
  set(all_pages ${all_pages} ${page}.gz PARENT_SCOPE)
endfunction()

nanbyo_man_page(nanbyo-gateway 8 gateway "mutual-TLS reverse proxy and TLS-VPN gateway"
                $<TARGET_FILE:nanbyo-gateway>)
nanbyo_man_page(nanbyo-tund 8 gateway "creates the TUN interfaces of nanbyo-gateway's VPN sessions"
                $<TARGET_FILE:nanbyo-tund>)
nanbyo_man_page(nanbyo-appcore 8 appcore "application core of the Nanbyo-Shoman DB"
                $<TARGET_FILE:nanbyo-appcore>)
nanbyo_man_page(nanbyo-pki 1 tools "certificate authority and user keys"
                $<TARGET_FILE:nanbyo-pki>)
nanbyo_man_page(nanbyoctl 1 tools "control a running nanbyo-gateway, verify audit logs"
                $<TARGET_FILE:nanbyoctl>)
nanbyo_man_page(nanbyo-check 1 check "check clinical-form XML files, write an encrypted batch or the XML layout"
                $<TARGET_FILE:nanbyo-check>)
nanbyo_man_page(nanbyo-setup 8 tools "first-boot setup of the appliance"
                ${NANBYO_SETUP})
add_custom_target(nanbyo_man_pages ALL DEPENDS ${all_pages})
