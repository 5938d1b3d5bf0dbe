// The libcurl transport over real HTTP against a cpp-httplib server on 127.0.0.1.
#include <doctest/doctest.h>
#include <httplib.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "ec2api/http.h"
#include "ec2api/tls_context_share.h"
#include "sim/tls.h"

namespace ec2rk::ec2api {
namespace {

using namespace std::chrono_literals;

// A loopback port nothing listens on: bound to find a free one, then closed unlistened.
int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// Starts `server` on a free loopback port; returns the thread serving it (stop, then join).
std::thread serve(httplib::Server& server, int* port) {
  *port = server.bind_to_any_port("127.0.0.1");
  REQUIRE(*port > 0);
  std::thread thread([&server] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(1ms);
  return thread;
}

// A loopback server on a free port, stopped (and joined) on destruction.
struct LocalServer {
  httplib::Server server;
  int port = 0;
  std::thread thread;
  std::mutex mu;
  std::vector<httplib::Request> seen;
  std::set<int> remote_ports;
  std::atomic<int> in_flight{0};
  std::atomic<int> max_in_flight{0};

  LocalServer() {
    server.set_keep_alive_max_count(1000);
    server.Post("/", [this](const httplib::Request& req, httplib::Response& res) {
      record(req);
      res.set_header("Date", "Thu, 02 Jan 2025 03:04:05 GMT");
      res.set_header("x-amzn-RequestId", "req-123");
      res.set_content("echo:" + req.body, "text/xml");
    });
    server.Put("/token", [this](const httplib::Request& req, httplib::Response& res) {
      record(req);
      res.set_content("tok", "text/plain");
    });
    server.Get("/slow", [this](const httplib::Request& req, httplib::Response& res) {
      record(req);
      int now = ++in_flight;
      int prev = max_in_flight.load();
      while (now > prev && !max_in_flight.compare_exchange_weak(prev, now)) {
      }
      std::this_thread::sleep_for(150ms);
      --in_flight;
      res.set_content("ok", "text/plain");
    });
    server.Get("/hang", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(1500ms);
      res.set_content("late", "text/plain");
    });
    server.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(5000, 'x'), "text/plain");
    });
    server.Get("/status/503", [](const httplib::Request&, httplib::Response& res) {
      res.status = 503;
      res.set_content("busy", "text/plain");
    });
    thread = serve(server, &port);
  }
  ~LocalServer() {
    server.stop();
    thread.join();
  }
  void record(const httplib::Request& req) {
    std::lock_guard<std::mutex> lock(mu);
    seen.push_back(req);
    remote_ports.insert(req.remote_port);
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port) + path;
  }
};

HttpRequest get(const std::string& url) {
  HttpRequest r;
  r.method = "GET";
  r.url = url;
  return r;
}

TEST_CASE("curl transport: a POST carries exactly our headers and body, and response headers are captured") {
  LocalServer s;
  auto t = make_curl_transport({});
  HttpRequest r;
  r.method = "POST";
  r.url = s.url("/");
  r.headers = {{"Host", "127.0.0.1:" + std::to_string(s.port)},
               {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
               {"X-Amz-Date", "20250102T030405Z"}};
  r.body = std::string(2000, 'a');  // big enough that curl would use Expect: 100-continue
  auto resp = t->send(r);
  REQUIRE(resp.ok());
  CHECK(resp->status == 200);
  CHECK(resp->body == "echo:" + r.body);
  CHECK(resp->header("date") == "Thu, 02 Jan 2025 03:04:05 GMT");
  CHECK(resp->header("X-Amzn-RequestId") == "req-123");
  REQUIRE(s.seen.size() == 1);
  const auto& req = s.seen[0];
  CHECK_FALSE(req.has_header("Expect"));
  CHECK(req.get_header_value("Content-Type") == "application/x-www-form-urlencoded; charset=utf-8");
  CHECK(req.get_header_value("X-Amz-Date") == "20250102T030405Z");
  CHECK(req.get_header_value("Host") == "127.0.0.1:" + std::to_string(s.port));
}

TEST_CASE("curl transport: a PUT without a body gets no invented Content-Type") {
  LocalServer s;
  auto t = make_curl_transport({});
  HttpRequest r;
  r.method = "PUT";
  r.url = s.url("/token");
  r.headers = {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}};
  auto resp = t->send(r);
  REQUIRE(resp.ok());
  CHECK(resp->body == "tok");
  REQUIRE(s.seen.size() == 1);
  CHECK(s.seen[0].method == "PUT");
  CHECK_FALSE(s.seen[0].has_header("Content-Type"));
  CHECK(s.seen[0].get_header_value("X-aws-ec2-metadata-token-ttl-seconds") == "21600");
}

TEST_CASE("curl transport: a batch runs concurrently but never above max_concurrency, results in order") {
  LocalServer s;
  HttpOptions o;
  o.max_concurrency = 3;
  auto t = make_curl_transport(o);
  std::vector<HttpRequest> batch;
  for (int i = 0; i < 7; ++i) batch.push_back(get(s.url("/slow?i=" + std::to_string(i))));
  batch.push_back(get(s.url("/status/503")));
  auto results = t->send_all(batch);
  REQUIRE(results.size() == 8);
  for (int i = 0; i < 7; ++i) {
    REQUIRE(results[i].ok());
    CHECK(results[i]->body == "ok");
  }
  REQUIRE(results[7].ok());  // any HTTP status is a response
  CHECK(results[7]->status == 503);
  CHECK(s.max_in_flight.load() <= 3);
  CHECK(s.max_in_flight.load() >= 2);
}

TEST_CASE("curl transport: connections are reused from one batch to the next") {
  LocalServer s;
  auto t = make_curl_transport({});
  for (int i = 0; i < 6; ++i) {
    HttpRequest r;
    r.method = "PUT";
    r.url = s.url("/token");
    REQUIRE(t->send(r).ok());
  }
  CHECK(s.remote_ports.size() == 1);
}

TEST_CASE("curl transport: oversized bodies, timeouts and refused connections are errors") {
  LocalServer s;
  HttpOptions o;
  o.max_response_bytes = 1000;
  o.read_timeout = 10s;
  auto t = make_curl_transport(o);

  auto big = t->send(get(s.url("/big")));
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().kind == ErrorKind::kParse);

  HttpRequest hang = get(s.url("/hang"));
  hang.timeout = 200ms;  // the caller's remaining deadline caps the transfer
  auto late = t->send(hang);
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().kind == ErrorKind::kTimeout);
  CHECK(late.error().http_status == 0);

  auto refused = t->send(get("http://127.0.0.1:" + std::to_string(closed_port()) + "/"));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == ErrorKind::kNetwork);
  CHECK(refused.error().message.find("127.0.0.1") != std::string::npos);
}

TEST_CASE("curl transport: bypass_proxy ignores a proxy from the environment") {
  LocalServer s;
  int dead_port = closed_port();
  const char* saved = std::getenv("http_proxy");
  std::string saved_value = saved ? saved : "";
  ::setenv("http_proxy", ("http://127.0.0.1:" + std::to_string(dead_port)).c_str(), 1);
  auto t = make_curl_transport({});
  HttpRequest via_proxy;
  via_proxy.method = "PUT";
  via_proxy.url = s.url("/token");
  auto proxied = t->send(via_proxy);
  HttpRequest direct = via_proxy;
  direct.bypass_proxy = true;
  auto bypassed = t->send(direct);
  if (saved) {
    ::setenv("http_proxy", saved_value.c_str(), 1);
  } else {
    ::unsetenv("http_proxy");
  }
  CHECK_FALSE(proxied.ok());  // the (dead) proxy was used
  REQUIRE(bypassed.ok());
  CHECK(bypassed->body == "tok");
}

// An HTTPS server with the simulator's generated CA, recording for each connection (by
// client port) whether its TLS handshake resumed a session.
struct TlsServer {
  std::unique_ptr<sim::TlsMaterial> tls = [] {
    auto m = sim::TlsMaterial::generate();
    REQUIRE(m.ok());
    return std::move(*m);
  }();
  httplib::SSLServer server{tls->server_cert(), tls->server_key()};
  std::string ca_file = "/tmp/ec2rk-curl-transport-ca-" + std::to_string(::getpid()) + ".pem";
  int port = 0;
  std::thread thread;
  std::mutex mu;
  std::map<int, bool> resumed_by_port;

  TlsServer() {
    std::ofstream(ca_file) << tls->ca_pem();
    server.new_task_queue = [] { return new httplib::ThreadPool(64); };  // a thread per connection
    server.Get("/slow", [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(mu);
        resumed_by_port[req.remote_port] = SSL_session_reused(req.ssl) == 1;
      }
      std::this_thread::sleep_for(100ms);  // keeps a batch's requests on separate connections
      res.set_content("ok", "text/plain");
    });
    thread = serve(server, &port);
  }
  ~TlsServer() {
    server.stop();
    thread.join();
    std::remove(ca_file.c_str());
  }
  std::map<int, bool> connections() {
    std::lock_guard<std::mutex> lock(mu);
    return resumed_by_port;
  }
};

TEST_CASE("curl transport: every new connection of a parallel batch resumes the TLS session") {
  // OpenSSL marks a TLS 1.3 session it resumed not resumable when that handshake ends; curl's
  // cache hands all connections one SSL_SESSION, so without a private copy per handshake
  // most of a parallel batch fell back to full handshakes (curl_transport.cpp).
  TlsServer s;
  HttpOptions options;
  options.ca_bundle = s.ca_file;
  auto t = make_curl_transport(options);
  const std::string url = "https://127.0.0.1:" + std::to_string(s.port) + "/slow";
  auto first = t->send_all(std::vector<HttpRequest>(2, get(url)));
  for (const auto& r : first) REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  auto before = s.connections();
  REQUIRE(before.size() == 2);
  auto batch = t->send_all(std::vector<HttpRequest>(40, get(url)));
  for (const auto& r : batch) REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  int fresh = 0;
  int resumed = 0;
  for (const auto& [port, was_resumed] : s.connections()) {
    if (before.count(port) != 0) continue;
    ++fresh;
    resumed += was_resumed ? 1 : 0;
  }
  CHECK(fresh == 38);  // the two warm connections serve two of the 40
  CHECK(resumed == fresh);
  // All 40 connections were set up from one SSL_CTX (tls_context_share.h).
  const TlsContextStats contexts = curl_tls_context_stats(*t);
  if (TlsContextShare::available()) {
    CHECK(contexts.shared == 40);
    CHECK(contexts.built == 1);
  } else {
    CHECK(contexts.shared == 0);
  }
}

// A directory with `pem` stored under its subject hash, as openssl rehash makes it.
std::string hashed_ca_dir(const std::string& pem) {
  char tmpl[] = "/tmp/ec2rk-ca-dir-XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  REQUIRE(cert != nullptr);
  char name[16];
  std::snprintf(name, sizeof name, "%08lx.0", X509_NAME_hash_ex(X509_get_subject_name(cert), nullptr, nullptr, nullptr));
  X509_free(cert);
  std::ofstream(std::string(tmpl) + "/" + name) << pem;
  return tmpl;
}

TEST_CASE("curl transport: a hashed CA directory is trusted on its own, certificate by certificate") {
  // Without AWS_CA_BUNDLE the transport trusts a hashed CA directory alone (Debian's
  // /etc/ssl/certs) instead of parsing the whole bundle file up front: the chain's CA must be
  // found by its subject hash.
  TlsServer s;
  const std::string url = "https://127.0.0.1:" + std::to_string(s.port) + "/slow";
  HttpOptions trusting;
  trusting.ca_dir = hashed_ca_dir(s.tls->ca_pem());
  auto ok = make_curl_transport(trusting)->send_all(std::vector<HttpRequest>(3, get(url)));
  for (const auto& r : ok) CHECK_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));

  auto other = sim::TlsMaterial::generate();  // a CA that did not sign the server's certificate
  REQUIRE(other.ok());
  HttpOptions wrong;
  wrong.ca_dir = hashed_ca_dir((*other)->ca_pem());
  auto refused = make_curl_transport(wrong)->send(get(url));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == ErrorKind::kTls);  // never retried: see retry_test.cpp
  CHECK(refused.error().message.find("TLS certificate is not trusted") != std::string::npos);
  for (const auto& dir : {trusting.ca_dir, wrong.ca_dir}) std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ec2rk::ec2api
