// TLS material made at start: a throw-away CA and a server certificate it signs for
// 127.0.0.1, ::1 and localhost (subjectAltName IP and DNS), both EC P-256, valid from an hour
// ago for 30 days. Clients trust the CA PEM (--ca-out FILE, then --ca-bundle / AWS_CA_BUNDLE).
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

#include "ec2api/result.h"

namespace ec2rk::sim {

class TlsMaterial {
 public:
  TlsMaterial() = default;
  TlsMaterial(const TlsMaterial&) = delete;
  TlsMaterial& operator=(const TlsMaterial&) = delete;
  ~TlsMaterial();

  X509* server_cert() const { return cert_; }
  EVP_PKEY* server_key() const { return key_; }
  const std::string& ca_pem() const { return ca_pem_; }
  const std::string& server_cert_pem() const { return cert_pem_; }

  // Generates everything; kConfig error (with OpenSSL's reason) if any step fails.
  static Result<std::unique_ptr<TlsMaterial>> generate();

 private:
  X509* ca_cert_ = nullptr;
  EVP_PKEY* ca_key_ = nullptr;
  X509* cert_ = nullptr;
  EVP_PKEY* key_ = nullptr;
  std::string ca_pem_;
  std::string cert_pem_;
};

}  // namespace ec2rk::sim
