#include "ec2api/tls_context_share.h"

#include <doctest/doctest.h>

#include <initializer_list>

namespace ec2rk::ec2api {
namespace {

TEST_CASE("inside a share's scope SSL_CTX_new hands out one context; outside, new ones") {
  const SSL_METHOD* client = TLS_client_method();
  SSL_CTX* before = SSL_CTX_new(client);
  REQUIRE(before != nullptr);
  SSL_CTX* first = nullptr;
  SSL_CTX* second = nullptr;
  SSL_CTX* server = nullptr;
  {
    TlsContextShare share;
    {
      TlsContextShare::Scope scope(share);
      first = SSL_CTX_new(client);
      second = SSL_CTX_new(client);
      server = SSL_CTX_new(TLS_server_method());  // another method is never shared
    }
    SSL_CTX* after = SSL_CTX_new(client);
    REQUIRE(first != nullptr);
    REQUIRE(second != nullptr);
    REQUIRE(server != nullptr);
    CHECK(after != first);
    CHECK(before != first);
    CHECK(server != first);
    if (TlsContextShare::available()) {
      CHECK(first == second);
      CHECK(share.contexts_built() == 1);
      CHECK(share.contexts_handed_out() == 2);
    } else {
      MESSAGE("this build uses the system's libcurl: SSL_CTX_new is not wrapped");
      CHECK(first != second);
      CHECK(share.contexts_handed_out() == 0);
    }
    SSL_CTX_free(after);
    SSL_CTX_free(first);
  }
  // The share is gone; the context lives on while a caller still holds it (ASan would see a
  // use after free here).
  CHECK(SSL_CTX_get_timeout(second) > 0);
  SSL_CTX_free(second);
  SSL_CTX_free(server);
  SSL_CTX_free(before);
}

TEST_CASE("share scopes nest: the inner share answers until its scope closes") {
  if (!TlsContextShare::available()) return;
  TlsContextShare outer_share;
  TlsContextShare inner_share;
  TlsContextShare::Scope outer(outer_share);
  SSL_CTX* a = SSL_CTX_new(TLS_client_method());
  SSL_CTX* b = nullptr;
  {
    TlsContextShare::Scope inner(inner_share);
    b = SSL_CTX_new(TLS_client_method());
  }
  SSL_CTX* c = SSL_CTX_new(TLS_client_method());
  CHECK(a == c);
  CHECK(a != b);
  CHECK(outer_share.contexts_handed_out() == 2);
  CHECK(inner_share.contexts_handed_out() == 1);
  for (SSL_CTX* x : {a, b, c}) SSL_CTX_free(x);
}

}  // namespace
}  // namespace ec2rk::ec2api
