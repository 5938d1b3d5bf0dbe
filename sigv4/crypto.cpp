// SHA-256, HMAC-SHA256, the signing-key chain, and wiping of secrets (OpenSSL).
// Key derivation per
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>

#include "sigv4/detail.h"

namespace ec2rk::sigv4 {

namespace {

using Mac = std::array<unsigned char, 32>;

std::string to_hex(const unsigned char* data, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '\0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xF];
  }
  return out;
}

// HMAC-SHA256 into `out`. Aborts on an OpenSSL failure: it only fails on allocation
// failure or a broken library, and a wrong signature would be worse than a crash.
void hmac(const unsigned char* key, size_t key_len, std::string_view data, Mac& out) {
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key, static_cast<int>(key_len),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(),
           &len) == nullptr ||
      len != out.size()) {
    std::abort();
  }
}

}  // namespace

std::string hex_sha256(std::string_view data) {
  Mac digest{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &len, EVP_sha256(), nullptr) != 1 ||
      len != digest.size()) {
    std::abort();
  }
  return to_hex(digest.data(), digest.size());
}

SigningKey::~SigningKey() {
  OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

std::string SigningKey::hex() const {
  return to_hex(bytes_.data(), bytes_.size());
}

SigningKey derive_signing_key(std::string_view secret_access_key, std::string_view date,
                              std::string_view region, std::string_view service) {
  std::string k_secret = "AWS4";
  k_secret.append(secret_access_key);
  Mac k_date{}, k_region{}, k_service{};
  SigningKey key;
  hmac(reinterpret_cast<const unsigned char*>(k_secret.data()), k_secret.size(), date, k_date);
  hmac(k_date.data(), k_date.size(), region, k_region);
  hmac(k_region.data(), k_region.size(), service, k_service);
  hmac(k_service.data(), k_service.size(), detail::kTerminator, key.bytes());
  secure_wipe(k_secret);
  OPENSSL_cleanse(k_date.data(), k_date.size());
  OPENSSL_cleanse(k_region.data(), k_region.size());
  OPENSSL_cleanse(k_service.data(), k_service.size());
  return key;
}

std::string signature(const SigningKey& key, std::string_view string_to_sign) {
  Mac mac{};
  hmac(key.bytes().data(), key.bytes().size(), string_to_sign, mac);
  std::string out = to_hex(mac.data(), mac.size());
  OPENSSL_cleanse(mac.data(), mac.size());
  return out;
}

void secure_wipe(std::string& s) {
  // Wipe the whole capacity: earlier, longer contents may linger past size().
  s.resize(s.capacity());
  OPENSSL_cleanse(s.data(), s.size());
  s.clear();
}

}  // namespace ec2rk::sigv4
