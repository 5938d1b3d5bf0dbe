#include "ec2api/result.h"

namespace ec2rk {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUsage: return "usage";
    case ErrorKind::kConfig: return "config";
    case ErrorKind::kCredentials: return "credentials";
    case ErrorKind::kNetwork: return "network";
    case ErrorKind::kThrottled: return "throttled";
    case ErrorKind::kService: return "service";
    case ErrorKind::kServer: return "server";
    case ErrorKind::kParse: return "parse";
    case ErrorKind::kPrecondition: return "precondition";
    case ErrorKind::kTimeout: return "timeout";
    case ErrorKind::kTls: return "tls";
  }
  return "unknown";
}

std::string Error::describe() const {
  std::string out = message.empty() ? std::string(to_string(kind)) + " error" : message;
  if (!aws_code.empty() && !request_id.empty()) {
    out += " (" + aws_code + ", request id " + request_id + ")";
  } else if (!aws_code.empty()) {
    out += " (" + aws_code + ")";
  } else if (!request_id.empty()) {
    out += " (request id " + request_id + ")";
  }
  return out;
}

}  // namespace ec2rk
