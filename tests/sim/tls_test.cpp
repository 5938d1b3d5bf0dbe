#include "sim/tls.h"

#include <doctest/doctest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

using namespace ec2rk::sim;

TEST_CASE("the generated server certificate verifies against the CA for 127.0.0.1 and localhost") {
  auto made = TlsMaterial::generate();
  REQUIRE(made.ok());
  const TlsMaterial& tls = **made;
  CHECK(tls.ca_pem().rfind("-----BEGIN CERTIFICATE-----", 0) == 0);

  BIO* bio = BIO_new_mem_buf(tls.ca_pem().data(), static_cast<int>(tls.ca_pem().size()));
  X509* ca = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  REQUIRE(ca);
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, ca);
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, tls.server_cert(), nullptr);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_set1_ip_asc(param, "127.0.0.1");
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT);
  CHECK(X509_verify_cert(ctx) == 1);
  X509_STORE_CTX_free(ctx);

  CHECK(X509_check_host(tls.server_cert(), "localhost", 0, 0, nullptr) == 1);
  CHECK(X509_check_ip_asc(tls.server_cert(), "::1", 0) == 1);
  CHECK(X509_check_host(tls.server_cert(), "example.com", 0, 0, nullptr) != 1);
  CHECK(X509_check_private_key(tls.server_cert(), tls.server_key()) == 1);
  X509_STORE_free(store);
  X509_free(ca);
}

TEST_CASE("each start makes a different CA") {
  auto a = TlsMaterial::generate();
  auto b = TlsMaterial::generate();
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK((*a)->ca_pem() != (*b)->ca_pem());
}
