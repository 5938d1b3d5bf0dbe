#include "ec2api/tls_context_share.h"

namespace ec2rk::ec2api {
namespace {

thread_local TlsContextShare* current_share = nullptr;

}  // namespace

TlsContextShare::Scope::Scope(TlsContextShare& share) : previous_(current_share) {
  current_share = &share;
}

TlsContextShare::Scope::~Scope() { current_share = previous_; }

#ifdef EC2RK_CURL_LINKED  // the bundled libcurl: linked with -Wl,--wrap=SSL_CTX_new

bool TlsContextShare::available() { return true; }

TlsContextShare::~TlsContextShare() {
  if (ctx_ != nullptr) SSL_CTX_free(ctx_);
}

}  // namespace ec2rk::ec2api

// The linker routes libcurl's SSL_CTX_new here; __real_SSL_CTX_new is OpenSSL's.
extern "C" SSL_CTX* __real_SSL_CTX_new(const SSL_METHOD* method);
extern "C" SSL_CTX* __wrap_SSL_CTX_new(const SSL_METHOD* method) {
  if (auto* share = ec2rk::ec2api::current_share) {
    if (SSL_CTX* shared = share->context_for(method)) return shared;
  }
  return __real_SSL_CTX_new(method);
}

namespace ec2rk::ec2api {

SSL_CTX* TlsContextShare::context_for(const SSL_METHOD* method) {
  if (ctx_ == nullptr) {
    ctx_ = __real_SSL_CTX_new(method);  // the share's own reference
    if (ctx_ == nullptr) return nullptr;
    method_ = method;
    ++built_;
  }
  if (method != method_ || SSL_CTX_up_ref(ctx_) != 1) return nullptr;
  ++handed_out_;
  return ctx_;  // the caller's reference, dropped by its SSL_CTX_free
}

#else  // the system's libcurl, dlopen'ed: its SSL_CTX_new cannot be wrapped

bool TlsContextShare::available() { return false; }

TlsContextShare::~TlsContextShare() = default;

SSL_CTX* TlsContextShare::context_for(const SSL_METHOD*) { return nullptr; }

#endif

}  // namespace ec2rk::ec2api
