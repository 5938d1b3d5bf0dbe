// IMDSv2 for one simulated instance: PUT /latest/api/token (TTL header 1..21600 required,
// X-Forwarded-For refused), then GETs with X-aws-ec2-metadata-token for instance facts, network
// interfaces by MAC, the instance role's expiring credentials and the identity document.
// Answers are computed from the simulator's live state; no sockets here (server.cpp serves it).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "sim/simulator.h"

namespace ec2rk::sim {

struct ImdsOptions {
  int64_t credential_ttl_s = 3600;  // lifetime of the role credentials it hands out
  int64_t token_ttl_cap_s = 0;      // >0: tokens live at most this long whatever was asked
};

struct ImdsResponse {
  int status = 200;
  std::string body;
  std::string content_type = "text/plain";
};

class Imds {
 public:
  // `header(name)` returns a request header's value (case-insensitive) or nullptr.
  using HeaderLookup = std::function<const std::string*(std::string_view)>;

  Imds(Simulator& sim, std::string instance_id, ImdsOptions options);

  const std::string& instance_id() const { return instance_id_; }
  // Statuses as IMDS: 200; 400 bad or missing TTL on the PUT; 401 missing/invalid/expired token
  // on a GET; 403 a PUT with X-Forwarded-For or a versioned token path; 404 unknown path;
  // 405 other methods.
  ImdsResponse handle(std::string_view method, std::string_view path, const HeaderLookup& header);

 private:
  ImdsResponse get(std::string_view path);
  Simulator& sim_;
  std::string instance_id_;
  ImdsOptions options_;
  std::mutex mu_;
  std::map<std::string, int64_t> tokens_;  // token -> expiry (ms, real clock)
};

}  // namespace ec2rk::sim
