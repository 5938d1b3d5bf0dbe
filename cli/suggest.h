// "Did you mean": the closest candidate to a mistyped name (commands, config
// keys, resource and node names). Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ec2rk::cli {

// Edit distance (insert, delete, substitute, swap of neighbours) between a and b.
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` if it is close enough to be a plausible typo
// (distance <= max(1, len/3)); "" otherwise.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "" — ready to append to a message.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace ec2rk::cli
