#include "sim/ec2_error.h"

namespace ec2rk::sim {

int status_for_code(std::string_view code) {
  if (code == "AuthFailure") return 401;
  if (code == "UnauthorizedOperation" || code == "SignatureDoesNotMatch") return 403;
  if (code == "DryRunOperation") return 412;
  if (code == "InternalError") return 500;
  if (code == "Unavailable" || code == "RequestLimitExceeded") return 503;
  return 400;
}

Ec2Error ec2_error(std::string code, std::string message) {
  Ec2Error e;
  e.status = status_for_code(code);
  e.code = std::move(code);
  e.message = std::move(message);
  return e;
}

Ec2Error not_found(std::string_view code, std::string_view kind, std::string_view id) {
  return ec2_error(std::string(code),
                   "The " + std::string(kind) + " ID '" + std::string(id) + "' does not exist");
}

Ec2Error missing_parameter(std::string_view name) {
  return ec2_error("MissingParameter",
                   "The request must contain the parameter " + std::string(name));
}

Ec2Error invalid_value(std::string_view param, std::string_view value, std::string_view why) {
  std::string msg =
      "Value (" + std::string(value) + ") for parameter " + std::string(param) + " is invalid.";
  if (!why.empty()) msg += " " + std::string(why);
  return ec2_error("InvalidParameterValue", msg);
}

}  // namespace ec2rk::sim
