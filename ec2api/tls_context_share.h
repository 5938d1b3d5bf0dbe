// One OpenSSL SSL_CTX for all the TLS connections libcurl opens for one transport.
//
// curl 7.88 builds and configures a new SSL_CTX for every connection (ossl_connect_step1),
// the same way each time for a given transport. In OpenSSL 3.0 SSL_CTX_new alone costs
// ~1.2 M instructions (ssl_setup_sig_algs, ssl_load_ciphers, ssl_load_groups: provider
// fetches), a quarter of the client's CPU for a resumed handshake, and each context stays
// allocated as long as its connection (BENCHMARKS.md). The build with the bundled libcurl
// links with -Wl,--wrap=SSL_CTX_new (cmake/Tls.cmake), so libcurl's call reaches this file:
// while a TlsContextShare::Scope is open on the calling thread, it returns a new reference to
// the share's one context (made by the first call) instead of a new context. Calls outside a
// scope, and every call in a build with the system's libcurl, get a new context as before.
//
// Sharing is sound because libcurl configures each context identically for one transport
// (same options, ciphers, verification, callbacks) before SSL_new copies what the connection
// keeps, and all of them verify against the same trust: the transport's one store
// (curl_transport.cpp), or, where the transport could not build it, the same CA files that
// curl then loads into the shared context's store for each connection (duplicates are
// ignored). Not thread-safe: a share belongs to one transport, whose batches are serialized.
#pragma once

#include <openssl/ssl.h>

namespace ec2rk::ec2api {

class TlsContextShare {
 public:
  TlsContextShare() = default;
  TlsContextShare(const TlsContextShare&) = delete;
  TlsContextShare& operator=(const TlsContextShare&) = delete;
  // Drops the share's own reference; connections still open keep the context alive.
  ~TlsContextShare();

  // Does SSL_CTX_new go through shares in this build (the bundled libcurl)?
  static bool available();

  // The SSL_CTX_new calls answered with the shared context, and how many contexts were
  // actually built for them (one, unless a call asked for another SSL_METHOD).
  int contexts_handed_out() const { return handed_out_; }
  int contexts_built() const { return built_; }

  // For the SSL_CTX_new wrapper: a new reference to the shared context for `method`,
  // building it on first use; nullptr (build an unshared one) for another method or when
  // OpenSSL fails.
  SSL_CTX* context_for(const SSL_METHOD* method);

  // While alive, SSL_CTX_new on this thread answers from `share`. Scopes nest.
  class Scope {
   public:
    explicit Scope(TlsContextShare& share);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    TlsContextShare* previous_;
  };

 private:
  SSL_CTX* ctx_ = nullptr;
  const SSL_METHOD* method_ = nullptr;
  int handed_out_ = 0;
  int built_ = 0;
};

}  // namespace ec2rk::ec2api
