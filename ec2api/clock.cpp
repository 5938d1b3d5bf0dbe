#include "ec2api/clock.h"

#include <thread>

namespace ec2rk::ec2api {
namespace {

class SystemClock : public Clock {
 public:
  int64_t unix_time() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  Instant now() const override { return std::chrono::steady_clock::now(); }
  void sleep_for(std::chrono::milliseconds d) override { std::this_thread::sleep_for(d); }
};

}  // namespace

Clock& system_clock() {
  static SystemClock clock;
  return clock;
}

}  // namespace ec2rk::ec2api
