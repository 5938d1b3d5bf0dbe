// An EC2 error as the simulator returns it: the <Code>, the <Message> and the HTTP status EC2
// pairs with that code (400 for most client errors; see status_for_code).
#pragma once

#include <string>
#include <string_view>

namespace ec2rk::sim {

struct Ec2Error {
  int status = 400;
  std::string code;  // empty: no error
  std::string message;

  explicit operator bool() const { return !code.empty(); }
};

// EC2's status for a code: AuthFailure 401; UnauthorizedOperation and SignatureDoesNotMatch 403;
// DryRunOperation 412; InternalError 500; Unavailable and RequestLimitExceeded 503; else 400.
int status_for_code(std::string_view code);
Ec2Error ec2_error(std::string code, std::string message);

// "The routeTable ID 'rtb-1' does not exist" with code e.g. InvalidRouteTableID.NotFound.
Ec2Error not_found(std::string_view code, std::string_view kind, std::string_view id);
// "The request must contain the parameter routeTableId" (MissingParameter).
Ec2Error missing_parameter(std::string_view name);
// "Value (x) for parameter p is invalid. <why>" (InvalidParameterValue).
Ec2Error invalid_value(std::string_view param, std::string_view value, std::string_view why);

}  // namespace ec2rk::sim
