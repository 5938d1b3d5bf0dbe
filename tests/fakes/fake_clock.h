// A Clock for tests: time stands still until a test advances it, and sleep_for
// advances it (and records the sleep), so retry delays are exact and instant.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "ec2api/clock.h"

namespace ec2rk::testing {

class FakeClock : public ec2api::Clock {
 public:
  // Wall time starts at `unix_ms` (milliseconds since the epoch); the default is
  // 2025-01-02T03:04:05.500Z, half a second into a second so sub-second sleeps can
  // change the X-Amz-Date.
  explicit FakeClock(int64_t unix_ms = 1735787045500) : wall_ms_(unix_ms) {}

  int64_t unix_time() const override { return wall_ms_ / 1000; }
  Instant now() const override { return mono_; }
  void sleep_for(std::chrono::milliseconds d) override {
    sleeps.push_back(d);
    advance(d);
  }

  // Moves both clocks forward.
  void advance(std::chrono::milliseconds d) {
    if (d.count() < 0) return;
    wall_ms_ += d.count();
    mono_ += d;
  }
  // Sets the wall clock only (simulates a wrong system clock); monotonic time is unaffected.
  void set_unix_ms(int64_t ms) { wall_ms_ = ms; }
  int64_t unix_ms() const { return wall_ms_; }

  std::vector<std::chrono::milliseconds> sleeps;  // every sleep_for, in order

 private:
  int64_t wall_ms_;
  Instant mono_{std::chrono::hours(1)};
};

}  // namespace ec2rk::testing
