// Result<T>: a value or an Error, the one error currency of ec2rk (no exceptions
// cross module boundaries). Error kinds are what callers branch on: retry
// decisions and exit codes come from the kind, never from message text.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace ec2rk {

enum class ErrorKind {
  kUsage,         // the command line is wrong
  kConfig,        // the configuration file (or a credentials/config ini) is wrong
  kCredentials,   // no usable credentials, or IMDS refused them
  kNetwork,       // connect/read failure, timeout, TLS, dropped connection
  kThrottled,     // RequestLimitExceeded and the other throttling codes
  kService,       // an EC2 4xx error (AuthFailure, *.NotFound, UnauthorizedOperation, ...)
  kServer,        // an EC2 5xx error (InternalError, Unavailable)
  kParse,         // a response that is not what EC2 sends
  kPrecondition,  // a safety check refused the operation
  kTimeout,       // the overall deadline passed
  kTls,           // the endpoint's TLS certificate could not be verified (never retried)
};

std::string_view to_string(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::kService;
  std::string aws_code;    // EC2's <Code>, e.g. "InvalidRoute.NotFound"; empty if none
  std::string message;     // human text; never contains secrets
  std::string request_id;  // EC2's RequestID, when the server answered
  int http_status = 0;     // 0 when no HTTP response arrived

  // "message (Code, request id X)" as the CLI prints it after "ec2rk: error: ".
  std::string describe() const;
};

inline Error make_error(ErrorKind kind, std::string message) {
  Error e;
  e.kind = kind;
  e.message = std::move(message);
  return e;
}

// A minimal std::expected: holds T or Error. Accessing the wrong side asserts.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }
  Error& error() { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() { return Status(Ok{}); }

}  // namespace ec2rk
