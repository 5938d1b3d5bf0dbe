#include "cli/exit_codes.h"

namespace ec2rk::cli {

ExitCode exit_code_for(const Error& e) {
  switch (e.kind) {
    case ErrorKind::kUsage:
    case ErrorKind::kConfig:
      return ExitCode::kUsage;
    case ErrorKind::kPrecondition:
      return ExitCode::kRefused;
    default:
      return ExitCode::kFailed;
  }
}

}  // namespace ec2rk::cli
