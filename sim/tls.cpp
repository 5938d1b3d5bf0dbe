#include "sim/tls.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

namespace ec2rk::sim {
namespace {

std::string openssl_error(const std::string& what) {
  unsigned long code = ERR_get_error();
  char buf[256] = "unknown error";
  if (code) ERR_error_string_n(code, buf, sizeof buf);
  return "tls: " + what + ": " + buf;
}

bool add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

bool random_serial(X509* cert) {
  BIGNUM* bn = BN_new();
  bool ok = bn && BN_rand(bn, 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
            BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != nullptr;
  BN_free(bn);
  return ok;
}

X509* make_cert(EVP_PKEY* key, const char* common_name, X509* issuer, EVP_PKEY* issuer_key,
                bool ca) {
  X509* cert = X509_new();
  if (!cert) return nullptr;
  X509_NAME* name = X509_get_subject_name(cert);
  bool ok = X509_set_version(cert, 2) == 1 && random_serial(cert) &&
            X509_gmtime_adj(X509_getm_notBefore(cert), -3600) != nullptr &&
            X509_gmtime_adj(X509_getm_notAfter(cert), 30L * 86400) != nullptr &&
            X509_set_pubkey(cert, key) == 1 &&
            X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                       reinterpret_cast<const unsigned char*>("ec2rk-sim"), -1, -1,
                                       0) == 1 &&
            X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                       reinterpret_cast<const unsigned char*>(common_name), -1, -1,
                                       0) == 1 &&
            X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : name) == 1;
  X509* signer = issuer ? issuer : cert;
  if (ok && ca) {
    ok = add_ext(cert, signer, NID_basic_constraints, "critical,CA:TRUE") &&
         add_ext(cert, signer, NID_key_usage, "critical,keyCertSign,cRLSign") &&
         add_ext(cert, signer, NID_subject_key_identifier, "hash") &&
         add_ext(cert, signer, NID_authority_key_identifier, "keyid:always");
  } else if (ok) {
    ok = add_ext(cert, signer, NID_basic_constraints, "critical,CA:FALSE") &&
         add_ext(cert, signer, NID_key_usage, "critical,digitalSignature,keyAgreement") &&
         add_ext(cert, signer, NID_ext_key_usage, "serverAuth") &&
         add_ext(cert, signer, NID_subject_alt_name, "IP:127.0.0.1,IP:::1,DNS:localhost") &&
         add_ext(cert, signer, NID_subject_key_identifier, "hash") &&
         add_ext(cert, signer, NID_authority_key_identifier, "keyid:always");
  }
  ok = ok && X509_sign(cert, issuer_key ? issuer_key : key, EVP_sha256()) > 0;
  if (!ok) {
    X509_free(cert);
    return nullptr;
  }
  return cert;
}

std::string to_pem(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  std::string out;
  if (bio && PEM_write_bio_X509(bio, cert) == 1) {
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    out.assign(data, static_cast<size_t>(len));
  }
  BIO_free(bio);
  return out;
}

}  // namespace

TlsMaterial::~TlsMaterial() {
  X509_free(cert_);
  EVP_PKEY_free(key_);
  X509_free(ca_cert_);
  EVP_PKEY_free(ca_key_);
}

Result<std::unique_ptr<TlsMaterial>> TlsMaterial::generate() {
  auto m = std::make_unique<TlsMaterial>();
  m->ca_key_ = EVP_EC_gen("P-256");
  m->key_ = EVP_EC_gen("P-256");
  if (!m->ca_key_ || !m->key_)
    return make_error(ErrorKind::kConfig, openssl_error("key generation"));
  m->ca_cert_ = make_cert(m->ca_key_, "ec2rk-sim local CA", nullptr, nullptr, true);
  if (!m->ca_cert_) return make_error(ErrorKind::kConfig, openssl_error("CA certificate"));
  m->cert_ = make_cert(m->key_, "localhost", m->ca_cert_, m->ca_key_, false);
  if (!m->cert_) return make_error(ErrorKind::kConfig, openssl_error("server certificate"));
  m->ca_pem_ = to_pem(m->ca_cert_);
  m->cert_pem_ = to_pem(m->cert_);
  return m;
}

}  // namespace ec2rk::sim
