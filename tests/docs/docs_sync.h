// The docs sync check: every subcommand and long flag of a CLI11 command tree must be
// documented in ec2rk(1) and offered by each shell completion, in the right place; and
// no document may list a flag the tree lacks. Pure functions over (tree, texts).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace ec2rk::docs {

enum class DocKind { kMan, kBash, kZsh, kFish };

struct Doc {
  std::string name;  // for messages, e.g. "man/ec2rk.1"
  DocKind kind = DocKind::kMan;
  std::string text;
};

// A command of the tree and its long flags (names without the dashes). The root has
// the empty name; its flags are the global ones (accepted after a subcommand too).
struct CommandFlags {
  std::string name;
  std::vector<std::string> long_flags;
};

// The root, then every visible subcommand (one level; a hidden subcommand or option,
// i.e. one in the empty group, is skipped). Flags of option groups count as their
// parent's.
std::vector<CommandFlags> walk(const CLI::App& root);

// One line per omission, e.g. "man/ec2rk.1: switchover --frob is not documented",
// "completions/ec2rk.fish: subcommand 'init' is missing". Empty when in sync.
// Where a document must mention what (the section rules) is in docs_sync.cpp.
std::vector<std::string> find_undocumented(const std::vector<CommandFlags>& tree,
                                           const std::vector<Doc>& docs);

// One line per flag a document lists for a command (or globally) that the tree does
// not have there, e.g. "completions/ec2rk.bash: check --frob is listed but ec2rk has no
// such flag". Empty when in sync.
std::vector<std::string> find_stale(const std::vector<CommandFlags>& tree,
                                    const std::vector<Doc>& docs);

}  // namespace ec2rk::docs
