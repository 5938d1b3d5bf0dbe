// The simulator's core, free of sockets: takes an HTTP request to the EC2 endpoint and returns
// the HTTP response EC2 would send (or "drop the connection" / "wait L ms" instructions for the
// server glue), applying SigV4 checks, throttling, fault injection, DryRun and permissions,
// then the action itself. Also owns the event log, stale-read history and IMDS credentials.
// Thread-safe: requests may be handled concurrently (reads share a lock, writes are exclusive).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "sigv4/sigv4.h"
#include "sim/actions.h"
#include "sim/auth.h"
#include "sim/clock.h"
#include "sim/faults.h"
#include "sim/state.h"

namespace ec2rk::sim {

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/xml;charset=UTF-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type
  bool drop = false;  // close the connection without answering
  int delay_ms = 0;   // wait this long before answering (or dropping)
  // For logs and tests.
  std::string request_id;
  std::string action;
  std::string error_code;
  std::string reason;  // auth failure detail (no secrets)
};

// "Tue, 15 Nov 1994 08:12:31 GMT"
std::string http_date(int64_t unix_s);
std::string iso8601(int64_t unix_s);  // "2024-05-14T09:20:40Z"

class Simulator {
 public:
  Simulator(Scenario scenario, FaultConfig faults, const Clock& clock);

  // The EC2 endpoint: `req` exactly as received (target with any query, all headers, raw body).
  HttpResponse handle_ec2(const sigv4::Request& req);

  // GET /_sim/state: {"name", "now_ms", "clock_skew_s", "denied_actions", "ec2rk", ...state}.
  Json state_json() const;
  // GET /_sim/events: {"events": [{"seq", "time_ms", "type", ...}]} with seq > since.
  Json events_json(uint64_t since = 0) const;
  // POST /_sim/reset: the scenario's initial state, empty history and log (plus a "reset"
  // event), full token buckets. Issued IMDS credentials stay valid.
  void reset();

  const Scenario& scenario() const { return initial_; }
  const FaultConfig& faults() const { return faults_; }
  // The simulator's clock: the real one shifted by --clock-skew-s.
  int64_t now_s() const { return clock_.now_ms() / 1000 + faults_.clock_skew_s; }
  int64_t now_ms() const { return clock_.now_ms(); }

  State current_state() const;  // a copy of the live (not stale) state
  // The role credentials IMDS serves for an instance: reused until less than
  // min(300 s, ttl/2) remain, then replaced by fresh ones.
  TemporaryCredentials instance_credentials(const std::string& instance_id, const std::string& role,
                                            int64_t ttl_s);

  CredentialStore& credentials() { return credentials_; }

 private:
  HttpResponse error(HttpResponse r, const Ec2Error& e) const;
  std::string unauthorized_message(const std::string& principal, std::string_view action,
                                   const std::string& resource_id) const;

  Scenario initial_;
  FaultConfig faults_;
  const Clock& clock_;
  CredentialStore credentials_;
  Throttle throttle_;
  Dice dice_;

  mutable std::shared_mutex mu_;  // guards everything below
  State state_;
  std::deque<std::pair<int64_t, std::shared_ptr<const State>>>
      history_;  // (write ms, state before it)
  std::vector<std::pair<uint64_t, Event>> events_;
  uint64_t next_seq_ = 1;

  std::mutex creds_mu_;
  std::map<std::string, TemporaryCredentials> instance_creds_;
};

}  // namespace ec2rk::sim
