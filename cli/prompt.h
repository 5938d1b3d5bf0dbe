// Questions to the operator: asked on stderr, answered on stdin (so stdout
// stays data and a script can feed the answers).
#pragma once

#include <optional>
#include <string>

#include "cli/app.h"

namespace ec2rk::cli {

// One line from stdin, without the newline; nullopt at end of input.
std::optional<std::string> read_answer(const Io& io);

// "QUESTION [y/N] ": true only for y / yes (any case). End of input = no.
bool confirm(const Io& io, const std::string& question);

// "QUESTION [DEFAULT]: ": the answer, or `fallback` for an empty line.
// nullopt at end of input.
std::optional<std::string> ask(const Io& io, const std::string& question, const std::string& fallback = "");

}  // namespace ec2rk::cli
