# TLS and HTTP libraries: the targets ec2rk_openssl and ec2rk_curl.
#
# ec2rk_openssl (libssl + libcrypto), ec2rk_crypto (libcrypto): Debian's shared OpenSSL,
# except for an executable with the property EC2RK_STATIC_OPENSSL set, which gets the static
# archives (the ec2rk binary in a build with the bundled libcurl).
#
# ec2rk_curl, chosen by EC2RK_CURL:
#   bundled  a static libcurl built here from Debian's curl source (scripts/fetch-curl puts
#            it in .deps/curl) with HTTP and HTTPS over OpenSSL only. Debian's libcurl4 brings
#            ~25 shared libraries (LDAP, RTMP, SSH, Kerberos, GnuTLS, IDN, PSL, HTTP/2,
#            brotli, zstd): ~10 ms of CPU and ~7 MB at every start, for protocols ec2rk
#            never speaks (BENCHMARKS.md, "What was changed").
#   system   Debian's libcurl4, dlopen'ed at first use (ec2api/curl_transport.cpp).
#   auto     bundled when .deps/curl is there, else system (the default).
#
# EC2RK_LIBRARIES_TEXT: the line `ec2rk --version` prints about them.
set(EC2RK_CURL auto CACHE STRING "libcurl: bundled, system or auto")
set_property(CACHE EC2RK_CURL PROPERTY STRINGS auto bundled system)
set(EC2RK_CURL_SOURCE ${PROJECT_SOURCE_DIR}/.deps/curl CACHE PATH
    "curl's source tree for EC2RK_CURL=bundled (scripts/fetch-curl)")

set(EC2RK_CURL_USED ${EC2RK_CURL})
if(EC2RK_CURL STREQUAL "auto")
  if(EXISTS ${EC2RK_CURL_SOURCE}/configure)
    set(EC2RK_CURL_USED bundled)
  else()
    set(EC2RK_CURL_USED system)
  endif()
endif()
if(NOT EC2RK_CURL_USED MATCHES "^(bundled|system)$")
  message(FATAL_ERROR "EC2RK_CURL must be bundled, system or auto, not '${EC2RK_CURL}'")
endif()

# ---- OpenSSL
find_library(EC2RK_LIBSSL_A NAMES libssl.a)
find_library(EC2RK_LIBCRYPTO_A NAMES libcrypto.a)
set(_ec2rk_static "$<BOOL:$<TARGET_PROPERTY:EC2RK_STATIC_OPENSSL>>")
add_library(ec2rk_crypto INTERFACE)   # libcrypto alone (sigv4)
add_library(ec2rk_openssl INTERFACE)  # libssl and libcrypto (the bundled libcurl)
if(EC2RK_LIBSSL_A AND EC2RK_LIBCRYPTO_A)
  add_library(ec2rk_crypto_static STATIC IMPORTED)
  set_target_properties(ec2rk_crypto_static PROPERTIES IMPORTED_LOCATION ${EC2RK_LIBCRYPTO_A}
                        INTERFACE_LINK_LIBRARIES "${CMAKE_DL_LIBS};Threads::Threads")
  add_library(ec2rk_ssl_static STATIC IMPORTED)
  set_target_properties(ec2rk_ssl_static PROPERTIES IMPORTED_LOCATION ${EC2RK_LIBSSL_A}
                        INTERFACE_LINK_LIBRARIES ec2rk_crypto_static)
  target_link_libraries(ec2rk_crypto INTERFACE
    "$<IF:${_ec2rk_static},ec2rk_crypto_static,OpenSSL::Crypto>")
  target_link_libraries(ec2rk_openssl INTERFACE
    "$<IF:${_ec2rk_static},ec2rk_ssl_static,OpenSSL::SSL>" ec2rk_crypto)
else()
  target_link_libraries(ec2rk_crypto INTERFACE OpenSSL::Crypto)
  target_link_libraries(ec2rk_openssl INTERFACE OpenSSL::SSL ec2rk_crypto)
endif()

# ---- libcurl
add_library(ec2rk_curl INTERFACE)
if(EC2RK_CURL_USED STREQUAL "bundled")
  if(NOT EXISTS ${EC2RK_CURL_SOURCE}/configure)
    message(FATAL_ERROR "EC2RK_CURL=bundled: no curl source in ${EC2RK_CURL_SOURCE} (run scripts/fetch-curl)")
  endif()
  if(NOT EC2RK_LIBSSL_A OR NOT EC2RK_LIBCRYPTO_A)
    message(FATAL_ERROR "EC2RK_CURL=bundled needs OpenSSL's static libraries (libssl-dev)")
  endif()
  file(READ ${EC2RK_CURL_SOURCE}/.ec2rk-source _ec2rk_curl_origin LIMIT 200)
  string(STRIP "${_ec2rk_curl_origin}" _ec2rk_curl_origin)
  message(STATUS "libcurl: bundled, static, HTTP(S) only: ${_ec2rk_curl_origin}")
  set(EC2RK_LIBRARIES_TEXT "built with ${_ec2rk_curl_origin}, OpenSSL ${OPENSSL_VERSION} (both linked in)")

  include(ExternalProject)
  set(_prefix ${CMAKE_BINARY_DIR}/curl-bundled)
  # Only what an EC2 Query API client over HTTPS needs; proxies (http_proxy, https_proxy,
  # no_proxy) and the threaded resolver stay. CA defaults as Debian's libcurl4.
  set(_curl_configure
    --prefix=<INSTALL_DIR> --disable-shared --enable-static --disable-dependency-tracking
    --silent --with-openssl --disable-verbose --disable-manual
    --disable-ftp --disable-file --disable-ldap --disable-ldaps --disable-rtsp --disable-dict
    --disable-telnet --disable-tftp --disable-pop3 --disable-imap --disable-smb --disable-smtp
    --disable-gopher --disable-mqtt --disable-ntlm --disable-alt-svc --disable-hsts
    --disable-cookies --disable-netrc --disable-progress-meter --disable-doh --disable-mime
    --disable-form-api --disable-headers-api --disable-unix-sockets --disable-aws
    --disable-kerberos-auth --disable-negotiate-auth --without-gssapi --without-libpsl
    --without-brotli --without-zstd --without-nghttp2 --without-libidn2 --without-libssh2
    --without-librtmp --without-zlib
    --with-ca-bundle=/etc/ssl/certs/ca-certificates.crt --with-ca-path=/etc/ssl/certs
    CC=cc CFLAGS=-O2)
  ExternalProject_Add(curl_bundled_build
    SOURCE_DIR ${EC2RK_CURL_SOURCE}
    PREFIX ${_prefix}
    INSTALL_DIR ${_prefix}/install
    CONFIGURE_COMMAND <SOURCE_DIR>/configure ${_curl_configure}
    BUILD_COMMAND make -C lib
    INSTALL_COMMAND make -C lib install
    BUILD_BYPRODUCTS <INSTALL_DIR>/lib/libcurl.a
    LOG_CONFIGURE ON LOG_BUILD ON LOG_INSTALL ON LOG_OUTPUT_ON_FAILURE ON)
  add_library(curl_bundled STATIC IMPORTED GLOBAL)
  set_target_properties(curl_bundled PROPERTIES
    IMPORTED_LOCATION ${_prefix}/install/lib/libcurl.a
    INTERFACE_INCLUDE_DIRECTORIES ${EC2RK_CURL_SOURCE}/include
    INTERFACE_COMPILE_DEFINITIONS "CURL_STATICLIB;EC2RK_CURL_LINKED"
    INTERFACE_LINK_LIBRARIES ec2rk_openssl  # so OpenSSL comes after libcurl.a on the link line
    # libcurl's SSL_CTX_new reaches ec2api/tls_context_share.cpp: one context per transport
    INTERFACE_LINK_OPTIONS "LINKER:--wrap=SSL_CTX_new")
  add_dependencies(curl_bundled curl_bundled_build)
  target_link_libraries(ec2rk_curl INTERFACE curl_bundled)
else()
  find_package(CURL REQUIRED)
  message(STATUS "libcurl: Debian's libcurl4 ${CURL_VERSION_STRING}, dlopen'ed at first use")
  set(EC2RK_LIBRARIES_TEXT "uses the system's libcurl.so.4 and OpenSSL ${OPENSSL_VERSION} (shared libraries)")
  target_include_directories(ec2rk_curl INTERFACE
    $<TARGET_PROPERTY:CURL::libcurl,INTERFACE_INCLUDE_DIRECTORIES>)
  target_link_libraries(ec2rk_curl INTERFACE ${CMAKE_DL_LIBS})
endif()
