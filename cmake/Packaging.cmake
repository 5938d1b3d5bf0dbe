# Installation layout and the Debian package (owner: integration).
#
#   bin/ec2rk, bin/ec2rk-sim                   (installed by cli/ and sim/)
#   share/man/man1/ec2rk.1.gz, man5/ec2rk.toml.5.gz
#   share/bash-completion/completions/ec2rk
#   share/zsh/vendor-completions/_ec2rk
#   share/fish/vendor_completions.d/ec2rk.fish
#   lib/ocf/resource.d/ec2rk/ec2rk             (Pacemaker: ocf:ec2rk:ec2rk)
#   share/ec2rk/lifekeeper/{restore,remove,quickCheck,recover,README.md}
#   share/doc/ec2rk/README.md
#
# `cpack -G DEB` (in the build directory) makes ec2rk_<version>_<arch>.deb.

set(EC2RK_MAN1 ${CMAKE_INSTALL_MANDIR}/man1)
set(EC2RK_MAN5 ${CMAKE_INSTALL_MANDIR}/man5)
install(FILES ${PROJECT_SOURCE_DIR}/man/ec2rk.1 DESTINATION ${EC2RK_MAN1})
install(FILES ${PROJECT_SOURCE_DIR}/man/ec2rk.toml.5 DESTINATION ${EC2RK_MAN5})
# Man pages are installed gzipped (Debian policy 12.1); man reads them either way.
install(CODE "
  foreach(page \"${EC2RK_MAN1}/ec2rk.1\" \"${EC2RK_MAN5}/ec2rk.toml.5\")
    set(path \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/\${page}\")
    execute_process(COMMAND gzip -9nf \"\${path}\" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR \"gzip \${path} failed\")
    endif()
  endforeach()
")

install(FILES ${PROJECT_SOURCE_DIR}/completions/ec2rk.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME ec2rk)
install(FILES ${PROJECT_SOURCE_DIR}/completions/_ec2rk
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${PROJECT_SOURCE_DIR}/completions/ec2rk.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)

# OCF agents live under <prefix>/lib/ocf whatever the multiarch libdir is.
install(PROGRAMS ${PROJECT_SOURCE_DIR}/integrations/pacemaker/ec2rk
        DESTINATION lib/ocf/resource.d/ec2rk)
install(PROGRAMS
          ${PROJECT_SOURCE_DIR}/integrations/lifekeeper/restore
          ${PROJECT_SOURCE_DIR}/integrations/lifekeeper/remove
          ${PROJECT_SOURCE_DIR}/integrations/lifekeeper/quickCheck
          ${PROJECT_SOURCE_DIR}/integrations/lifekeeper/recover
        DESTINATION ${CMAKE_INSTALL_DATADIR}/ec2rk/lifekeeper)
install(FILES ${PROJECT_SOURCE_DIR}/integrations/lifekeeper/README.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/ec2rk/lifekeeper)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

# CPack: one Debian package holding all of the above (ec2rk-sim included: operators
# rehearse a switchover with it).
set(CPACK_PACKAGE_NAME ec2rk)
set(CPACK_PACKAGE_VENDOR "the ec2rk authors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "move a two-node cluster's VIP routes and Elastic IPs between EC2 nodes")
set(CPACK_PACKAGE_DESCRIPTION
    "ec2rk lists, verifies and switches over the VPC routes of a virtual IP and the
Elastic IPs that make a high-availability cluster's address follow its active node
on AWS. It speaks the EC2 Query API directly with its own SigV4 signing, in one
process. Includes shell completion, man pages, a Pacemaker OCF resource agent
(ocf:ec2rk:ec2rk), LifeKeeper-style hooks and ec2rk-sim, a local EC2 + IMDS
endpoint to rehearse a switchover.")
set(CPACK_PACKAGE_CONTACT "ec2rk maintainers <ec2rk@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "ec2rk maintainers <ec2rk@localhost>")
# Library dependencies (libssl3, libstdc++6, libc6, ...) come from dpkg-shlibdeps when it is
# there; otherwise they are listed by hand. With Debian's libcurl (EC2RK_CURL=system) ec2rk
# dlopens libcurl.so.4 at first use (ec2api/curl_transport.cpp), which shlibdeps cannot see.
if(EC2RK_CURL_USED STREQUAL "system")
  set(_ec2rk_curl_dep "libcurl4, ")
endif()
find_program(EC2RK_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(EC2RK_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  string(REGEX REPLACE ", $" "" CPACK_DEBIAN_PACKAGE_DEPENDS "${_ec2rk_curl_dep}")
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "${_ec2rk_curl_dep}libssl3, libcpp-httplib0.11, libstdc++6, libc6")
endif()
# curl: the OCF agent reads this instance's id from IMDS when `node` is not set.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "curl")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "pacemaker, resource-agents, bash-completion")
include(CPack)
