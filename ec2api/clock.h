// Time as a seam: wall time for signing, monotonic time and sleeps for retries
// and deadlines. Tests use a fake clock that advances on sleep.
#pragma once

#include <chrono>
#include <cstdint>

namespace ec2rk::ec2api {

class Clock {
 public:
  using Instant = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  virtual int64_t unix_time() const = 0;  // wall clock, seconds since the epoch (UTC)
  virtual Instant now() const = 0;        // monotonic
  virtual void sleep_for(std::chrono::milliseconds d) = 0;
};

// The real clock. Thread-safe.
Clock& system_clock();

}  // namespace ec2rk::ec2api
