#include "sim/server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <thread>

// httplib's default listen backlog (5) drops the SYNs of a client opening dozens of
// connections at once (ec2rk's parallel rounds); each dropped SYN costs a 1 s retransmit.
// Only this file includes httplib.h in sim_lib, so the macro is consistent.
#define CPPHTTPLIB_LISTEN_BACKLOG 1024
#include <httplib.h>

namespace ec2rk::sim {
namespace {

int port_of(const sockaddr_storage& addr) {
  if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(addr).sin_port);
  if (addr.ss_family == AF_INET6)
    return ntohs(reinterpret_cast<const sockaddr_in6&>(addr).sin6_port);
  return -1;
}

sigv4::Request to_sim_request(const httplib::Request& req) {
  sigv4::Request out;
  out.method = req.method;
  out.target = req.target.empty() ? req.path : req.target;
  for (const auto& [name, value] : req.headers) {
    // httplib adds these for its own bookkeeping; they were never on the wire.
    if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
        name == "LOCAL_PORT")
      continue;
    out.headers.push_back({name, value});
  }
  out.body = req.body;
  return out;
}

void set_json(httplib::Response& res, const Json& j) {
  res.set_content(j.dump(2) + "\n", "application/json");
}

// httplib listens with a backlog of 5, which refuses bursts of new connections (50 clients
// connecting at once get resets). Re-listening on the bound socket raises the backlog.
template <class Base>
class DeepBacklog : public Base {
 public:
  using Base::Base;
  void raise_backlog(int backlog) { ::listen(this->svr_sock_, backlog); }
};

void raise_backlog(httplib::Server& server, bool tls) {
  constexpr int kBacklog = 1024;
  if (tls) {
    static_cast<DeepBacklog<httplib::SSLServer>&>(server).raise_backlog(kBacklog);
  } else {
    static_cast<DeepBacklog<httplib::Server>&>(server).raise_backlog(kBacklog);
  }
}

std::unique_ptr<httplib::Server> make_server(const TlsMaterial* tls, int threads) {
  std::unique_ptr<httplib::Server> server;
  if (tls) {
    server =
        std::make_unique<DeepBacklog<httplib::SSLServer>>(tls->server_cert(), tls->server_key());
  } else {
    server = std::make_unique<DeepBacklog<httplib::Server>>();
  }
  size_t n = static_cast<size_t>(threads > 0 ? threads : 1);
  server->new_task_queue = [n] { return new httplib::ThreadPool(n); };
  // Without TCP_NODELAY the response's second write waits for the client's delayed ACK
  // (~40 ms per request), which EC2 does not do and would swamp --latency-ms.
  server->set_tcp_nodelay(true);
  server->set_keep_alive_max_count(100000);
  server->set_keep_alive_timeout(5);
  server->set_read_timeout(30);
  server->set_write_timeout(30);
  return server;
}

}  // namespace

bool shutdown_connection(int local_port, int remote_port) {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return false;
  bool done = false;
  while (dirent* entry = readdir(dir)) {
    char* end = nullptr;
    long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == dirfd(dir)) continue;
    struct stat st {};
    if (fstat(static_cast<int>(fd), &st) != 0 || !S_ISSOCK(st.st_mode)) continue;
    sockaddr_storage local{};
    sockaddr_storage peer{};
    socklen_t llen = sizeof local;
    socklen_t plen = sizeof peer;
    if (getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&local), &llen) != 0)
      continue;
    if (getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&peer), &plen) != 0) continue;
    if (port_of(local) == local_port && port_of(peer) == remote_port) {
      // Abortive close semantics for the peer: nothing more will be read or written.
      ::shutdown(static_cast<int>(fd), SHUT_RDWR);
      done = true;
      break;
    }
  }
  closedir(dir);
  return done;
}

Ec2Server::Ec2Server(Simulator& sim, ServeOptions options)
    : sim_(sim),
      options_(std::move(options)),
      server_(make_server(options_.tls, options_.threads)) {
  install_routes();
}

Ec2Server::~Ec2Server() = default;

void Ec2Server::install_routes() {
  httplib::Server& s = *server_;
  s.Get("/_sim/state", [this](const httplib::Request&, httplib::Response& res) {
    set_json(res, sim_.state_json());
  });
  s.Get("/_sim/events", [this](const httplib::Request& req, httplib::Response& res) {
    uint64_t since = 0;
    if (req.has_param("since"))
      since = std::strtoull(req.get_param_value("since").c_str(), nullptr, 10);
    set_json(res, sim_.events_json(since));
  });
  s.Post("/_sim/reset", [this](const httplib::Request&, httplib::Response& res) {
    sim_.reset();
    set_json(res, Json{{"reset", true}});
  });
  auto ec2 = [this](const httplib::Request& req, httplib::Response& res) {
    HttpResponse out = sim_.handle_ec2(to_sim_request(req));
    if (out.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(out.delay_ms));
    if (options_.log) {
      std::string line = out.request_id + " " + req.method + " " +
                         (out.action.empty() ? "-" : out.action) + " " +
                         (out.drop ? std::string("dropped") : std::to_string(out.status));
      if (!out.error_code.empty() && !out.drop) line += " " + out.error_code;
      if (!out.reason.empty()) line += " (" + out.reason + ")";
      options_.log(line);
    }
    if (out.drop && shutdown_connection(req.local_port, req.remote_port)) {
      res.status = 500;  // never reaches the client: the socket is shut down
      return;
    }
    res.status = out.status;
    for (const auto& [name, value] : out.headers) res.set_header(name, value);
    res.set_content(out.body, out.content_type);
  };
  s.Get(R"(.*)", ec2);
  s.Post(R"(.*)", ec2);
  s.set_post_routing_handler([this](const httplib::Request&, httplib::Response& res) {
    res.set_header("Date", http_date(sim_.now_s()));
  });
}

int Ec2Server::bind(std::string* error) {
  port_ = options_.port == 0
              ? server_->bind_to_any_port(options_.host)
              : (server_->bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port_ < 0 && error)
    *error = "cannot bind " + options_.host + ":" + std::to_string(options_.port);
  if (port_ >= 0) raise_backlog(*server_, options_.tls != nullptr);
  return port_;
}

std::string Ec2Server::url() const {
  return std::string(options_.tls ? "https" : "http") + "://" + options_.host + ":" +
         std::to_string(port_);
}

void Ec2Server::run() {
  server_->listen_after_bind();
}
bool Ec2Server::running() const {
  return server_->is_running();
}
void Ec2Server::stop() {
  server_->stop();
}

ImdsServer::ImdsServer(Imds& imds, std::string host, int port)
    : imds_(imds), host_(std::move(host)), requested_port_(port), server_(make_server(nullptr, 8)) {
  // IMDS requests carry no body. Answering from the pre-routing hook (which runs before httplib
  // reads a body) lets a bare "PUT" without Content-Length through, as IMDS accepts it.
  server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    ImdsResponse out =
        imds_.handle(req.method, req.path, [&req](std::string_view name) -> const std::string* {
          auto it = req.headers.find(
              std::string(name));  // httplib's header map compares case-insensitively
          return it == req.headers.end() ? nullptr : &it->second;
        });
    res.status = out.status;
    if (!out.body.empty()) res.set_content(out.body, out.content_type);
    return httplib::Server::HandlerResponse::Handled;
  });
}

ImdsServer::~ImdsServer() = default;

int ImdsServer::bind(std::string* error) {
  port_ = requested_port_ == 0
              ? server_->bind_to_any_port(host_)
              : (server_->bind_to_port(host_, requested_port_) ? requested_port_ : -1);
  if (port_ < 0 && error) *error = "cannot bind " + host_ + ":" + std::to_string(requested_port_);
  if (port_ >= 0) raise_backlog(*server_, false);
  return port_;
}

std::string ImdsServer::url() const {
  return "http://" + host_ + ":" + std::to_string(port_);
}
void ImdsServer::run() {
  server_->listen_after_bind();
}
bool ImdsServer::running() const {
  return server_->is_running();
}
void ImdsServer::stop() {
  server_->stop();
}

}  // namespace ec2rk::sim
