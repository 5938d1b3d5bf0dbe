// The HTTP(S) glue around Simulator and Imds (cpp-httplib): binds loopback, maps httplib's
// request to the simulator's, applies latency, drops connections, serves /_sim/*, adds the
// (skewed) Date header. One worker pool per server; each server runs on its own thread.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "sim/imds.h"
#include "sim/simulator.h"
#include "sim/tls.h"

namespace httplib {
class Server;
}

namespace ec2rk::sim {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 0;                                 // 0: a free port
  int threads = 64;                             // worker pool size (concurrent connections served)
  const TlsMaterial* tls = nullptr;             // non-null: HTTPS
  std::function<void(const std::string&)> log;  // one line per EC2 request; null: quiet
};

class Ec2Server {
 public:
  Ec2Server(Simulator& sim, ServeOptions options);
  ~Ec2Server();
  // Binds; returns the port, or -1 (with `error` set) on failure.
  int bind(std::string* error);
  std::string url() const;  // http(s)://127.0.0.1:PORT
  void run();               // blocks until stop()
  // True once run() is accepting. stop() before that is lost (httplib), so callers wait for it.
  bool running() const;
  void stop();

 private:
  void install_routes();
  Simulator& sim_;
  ServeOptions options_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = -1;
};

class ImdsServer {
 public:
  ImdsServer(Imds& imds, std::string host, int port);
  ~ImdsServer();
  int bind(std::string* error);
  std::string url() const;
  void run();
  bool running() const;
  void stop();

 private:
  Imds& imds_;
  std::string host_;
  int requested_port_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = -1;
};

// Shuts down (both directions) the accepted TCP connection with these endpoints, found among
// the process's open sockets, so the peer sees the connection close without a response.
// Returns false when no such socket exists.
bool shutdown_connection(int local_port, int remote_port);

}  // namespace ec2rk::sim
