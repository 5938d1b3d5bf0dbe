// Exit codes, decided in one place (documented in README and ec2rk(1)).
#pragma once

#include "ec2api/result.h"

namespace ec2rk::cli {

enum class ExitCode : int {
  kOk = 0,          // success / healthy
  kFailed = 1,      // operation failed, or the state could not be determined
  kUsage = 2,       // usage or configuration error; nothing was sent
  kDrift = 3,       // check found drift or an unmet precondition
  kRefused = 4,     // switchover refused by a safety check; nothing changed
  kIncomplete = 5,  // switchover incomplete at the deadline
};

inline int to_int(ExitCode c) { return static_cast<int>(c); }

// The exit code for a command that failed with `e`.
ExitCode exit_code_for(const Error& e);

}  // namespace ec2rk::cli
