// Error printing, in one place: "ec2rk: error: <message> (<AWS code>, request id <id>)".
// Control characters other than newline are printed as '?' (messages may quote servers).
#pragma once

#include "cli/app.h"
#include "ec2api/result.h"

namespace ec2rk::cli {

void print_error(const Io& io, const Error& e);
void print_error(const Io& io, std::string_view message);

}  // namespace ec2rk::cli
