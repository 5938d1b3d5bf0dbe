#include "tests/docs/docs_sync.h"

#include <doctest/doctest.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <sstream>

#include "cli/app.h"
#include "cli/commands.h"

namespace ec2rk::docs {
namespace {

std::string read_source(const std::string& relative) {
  std::ifstream in(std::string(EC2RK_SOURCE_DIR) + "/" + relative, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << relative);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<Doc> real_docs() {
  return {
      {"man/ec2rk.1", DocKind::kMan, read_source("man/ec2rk.1")},
      {"completions/ec2rk.bash", DocKind::kBash, read_source("completions/ec2rk.bash")},
      {"completions/_ec2rk", DocKind::kZsh, read_source("completions/_ec2rk")},
      {"completions/ec2rk.fish", DocKind::kFish, read_source("completions/ec2rk.fish")},
  };
}

// ec2rk's real command tree: exactly what run() parses with, built by cli::build_cli.
std::vector<CommandFlags> real_tree() {
  cli::App app;
  CLI::App root;
  cli::build_cli(root, app);
  return walk(root);
}

std::string join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

bool mentions(const std::vector<std::string>& problems, const std::string& doc,
              const std::string& what) {
  for (const auto& p : problems) {
    if (p.rfind(doc + ": ", 0) == 0 && p.find(what) != std::string::npos) return true;
  }
  return false;
}

// A tiny CLI and documents that describe it completely, in each kind's notation.
struct Synthetic {
  CLI::App root{"synthetic", "ec2rk"};
  std::string config, to;
  bool yes = false;
  CLI::App* move = nullptr;
  Synthetic() {
    root.add_option("--config", config, "config");
    move = root.add_subcommand("move", "move things");
    move->add_option("--to", to, "node");
    move->add_flag("--yes", yes, "no prompt");
  }
  static std::vector<Doc> docs() {
    return {
        {"man", DocKind::kMan,
         ".SH NAME\nx\n.SH GLOBAL OPTIONS\n.TP\n.BI \\-\\-config \" FILE\"\n"
         ".BR \\-h \", \" \\-\\-help\n.SH COMMANDS\n.SS move\n.TP\n.BI \\-\\-to \" NODE\"\n"
         ".TP\n.B \\-\\-yes\n.SH EXIT STATUS\n"},
        {"bash", DocKind::kBash,
         "local commands=\"move\"\nlocal global_opts=\"--config --help\"\n"
         "case $cmd in\n  move)\n    opts=\"--to --yes\"\n    ;;\nesac\n"},
        {"zsh", DocKind::kZsh,
         "commands=(\n  'move:move things'\n)\nglobal_opts=(\n  '--config=[c]:file:_files'\n"
         "  '(- *)'{-h,--help}'[help]'\n)\ncase $state in\n  (move)\n"
         "    _arguments '--to=[n]:node:' '--yes[y]'\n    ;;\nesac\n"},
        {"fish", DocKind::kFish,
         "complete -c ec2rk -l config -r\ncomplete -c ec2rk -s h -l help\n"
         "complete -c ec2rk -n __ec2rk_needs_command -a move -d 'Move'\n"
         "complete -c ec2rk -n '__ec2rk_using move' -l to -x\n"
         "complete -c ec2rk -n '__ec2rk_using move' -l yes\n"},
    };
  }
};

}  // namespace

TEST_CASE(
    "the man page and the three completion files cover every subcommand and long flag of ec2rk") {
  auto tree = real_tree();
  auto docs = real_docs();
  std::vector<std::string> names;
  for (const auto& c : tree) names.push_back(c.name.empty() ? "(root)" : c.name);
  CAPTURE(join(names));
  // The tree is the real one: the root's global flags are in it.
  CHECK(std::find(tree[0].long_flags.begin(), tree[0].long_flags.end(), "config") !=
        tree[0].long_flags.end());
  CHECK(tree.size() >= 2);
  auto missing = find_undocumented(tree, docs);
  CHECK_MESSAGE(missing.empty(), join(missing));
}

TEST_CASE("no documentation or completion lists a flag ec2rk does not have") {
  auto stale = find_stale(real_tree(), real_docs());
  CHECK_MESSAGE(stale.empty(), join(stale));
}

TEST_CASE("documents that describe a CLI completely are reported in sync") {
  Synthetic s;
  auto tree = walk(s.root);
  CHECK(find_undocumented(tree, Synthetic::docs()).empty());
  CHECK(find_stale(tree, Synthetic::docs()).empty());
}

TEST_CASE("a flag added to the CLI without docs is reported for every document") {
  Synthetic s;
  bool frob = false;
  s.move->add_flag("--frobnicate", frob, "new and undocumented");
  auto missing = find_undocumented(walk(s.root), Synthetic::docs());
  for (const char* doc : {"man", "bash", "zsh", "fish"}) {
    CAPTURE(doc);
    CHECK(mentions(missing, doc, "move --frobnicate is not documented"));
  }
  CHECK(missing.size() == 4);
}

TEST_CASE("a global flag added without docs is reported; a hidden one is not") {
  Synthetic s;
  std::string region, secret;
  s.root.add_option("--region", region, "region");
  s.root.add_option("--internal", secret, "hidden")->group("");
  auto missing = find_undocumented(walk(s.root), Synthetic::docs());
  CHECK(missing.size() == 4);
  CHECK(mentions(missing, "bash", "global flag --region is not documented"));
  CHECK_FALSE(mentions(missing, "bash", "--internal"));
}

TEST_CASE("a subcommand added without docs is reported; a hidden one is not") {
  Synthetic s;
  s.root.add_subcommand("frob", "new");
  s.root.add_subcommand("__complete", "hidden")->group("");
  auto missing = find_undocumented(walk(s.root), Synthetic::docs());
  for (const char* doc : {"man", "bash", "zsh", "fish"}) {
    CAPTURE(doc);
    CHECK(mentions(missing, doc, "subcommand 'frob' is missing"));
  }
  CHECK(missing.size() == 4);
}

TEST_CASE("a flag documented only under another subcommand does not count") {
  Synthetic s;
  std::string node;
  s.root.add_subcommand("fix", "fix things")->add_option("--node", node, "node");
  auto docs = Synthetic::docs();
  // Each document gains a "fix" section without --node, and --node under move.
  docs[0].text += ".SS fix\ntext\n";
  docs[0].text.replace(docs[0].text.find(".B \\-\\-yes"), 10, ".B \\-\\-yes \\-\\-node");
  docs[1].text =
      "local commands=\"move fix\"\nlocal global_opts=\"--config --help\"\n"
      "case $cmd in\n  move)\n    opts=\"--to --yes --node\"\n    ;;\n"
      "  fix) ;;\nesac\n";
  docs[2].text.replace(docs[2].text.find("'move:"), 0, "'fix:fix things'\n");
  docs[2].text.replace(docs[2].text.find("'--yes[y]'"), 0, "'--node=[n]:node:' ");
  docs[2].text += "case $state in\n  (fix)\n    _arguments\n    ;;\nesac\n";
  docs[3].text +=
      "complete -c ec2rk -n __ec2rk_needs_command -a fix\n"
      "complete -c ec2rk -n '__ec2rk_using move' -l node -x\n";
  auto tree = walk(s.root);
  auto missing = find_undocumented(tree, docs);
  for (const char* doc : {"man", "bash", "zsh", "fish"}) {
    CAPTURE(doc);
    CAPTURE(join(missing));
    CHECK(mentions(missing, doc, "fix --node is not documented"));
    CHECK_FALSE(mentions(missing, doc, "subcommand 'fix'"));
  }
  // And --node listed under move, where the CLI has none, is stale there.
  auto stale = find_stale(tree, docs);
  for (const char* doc : {"man", "bash", "zsh", "fish"}) {
    CAPTURE(doc);
    CHECK(mentions(stale, doc, "move --node is listed but ec2rk has no such flag"));
  }
}

TEST_CASE("a flag removed from the CLI but still documented is reported as stale") {
  CLI::App root{"synthetic", "ec2rk"};
  std::string config, to;
  root.add_option("--config", config, "config");
  root.add_subcommand("move", "move things")->add_option("--to", to, "node");  // no --yes
  auto stale = find_stale(walk(root), Synthetic::docs());
  for (const char* doc : {"man", "bash", "zsh", "fish"}) {
    CAPTURE(doc);
    CHECK(mentions(stale, doc, "move --yes is listed but ec2rk has no such flag"));
  }
  CHECK(stale.size() == 4);
}

TEST_CASE("the real docs miss a flag that is added to the real tree") {
  auto tree = real_tree();
  REQUIRE(tree.size() >= 2);
  tree[1].long_flags.push_back("frobnicate");
  auto missing = find_undocumented(tree, real_docs());
  for (const char* doc :
       {"man/ec2rk.1", "completions/ec2rk.bash", "completions/_ec2rk", "completions/ec2rk.fish"}) {
    CAPTURE(doc);
    CHECK(mentions(missing, doc, tree[1].name + " --frobnicate is not documented"));
  }
}

}  // namespace ec2rk::docs
