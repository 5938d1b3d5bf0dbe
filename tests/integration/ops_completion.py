#!/usr/bin/env python3
"""Shell completion in the real shells: the candidates bash (with bash-completion),
zsh (compinit, under a pseudo-terminal) and fish offer for lines typed at a prompt.

Usage: ops_completion.py {bash|zsh|fish} [unittest args]

No ec2rk binary is needed: node and resource names come from a temporary
configuration file, through --config or EC2RK_CONFIG.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("EC2RK_SOURCE_DIR", os.path.abspath(os.path.join(HERE, "..", "..")))
COMPLETIONS = os.path.join(SOURCE_DIR, "completions")
BASH_COMPLETION = "/usr/share/bash-completion/bash_completion"

CONFIG = textwrap.dedent("""\
    region = "us-east-1"

    [nodes.node1]
    instance_id = "i-0ec20000000000a11"

    [nodes."node2"]   # quoted keys count too
    instance_id = "i-0ec20000000000b12"

    [routes.vip]
    vpc_id = "vpc-0ec20000000000001"
    destination = "10.1.0.10/32"

    [routes.vip.eni]
    node1 = "eni-0ec20000000000a11"
    node2 = "eni-0ec20000000000b12"

    [eips.eip]
    allocation_id = "eipalloc-0ec20000000000001"

    [eips.eip.eni]
    node1 = "eni-0ec20000000001a11"
    node2 = "eni-0ec20000000001b12"
    """)

# A second configuration, to show the one on the command line wins.
OTHER_CONFIG = textwrap.dedent("""\
    [nodes.alpha]
    instance_id = "i-0000000000000000a"
    [nodes.beta]
    instance_id = "i-0000000000000000b"
    [routes.db-vip]
    vpc_id = "vpc-00000000000000001"
    destination = "10.9.0.1/32"
    """)


def bash_candidates(line, env):
    """COMPREPLY for `line` (completed at its end), after sourcing bash-completion and
    the completion file, with COMP_WORDS split as readline would (on whitespace; a
    trailing space starts an empty word)."""
    script = textwrap.dedent(r"""
        source "$BASH_COMPLETION" || exit 2
        source "$COMPLETIONS/ec2rk.bash" || exit 2
        complete -p ec2rk >/dev/null || exit 2
        line=$1
        read -r -a COMP_WORDS <<<"$line"
        [[ $line == *' ' ]] && COMP_WORDS+=("")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE=$line
        COMP_POINT=${#line}
        COMP_TYPE=9
        COMP_KEY=9
        COMPREPLY=()
        fn=$(complete -p ec2rk | sed -n 's/.*-F \([^ ]*\).*/\1/p')
        "$fn" ec2rk "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf '%s\n' "${COMPREPLY[@]}"
        """)
    env = dict(env, BASH_COMPLETION=BASH_COMPLETION, COMPLETIONS=COMPLETIONS)
    p = subprocess.run(["bash", "--norc", "--noprofile", "-c", script, "bash", line],
                       env=env, capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise AssertionError(f"bash harness failed ({p.returncode}): {p.stderr}")
    return sorted(c for c in p.stdout.splitlines() if c)


def zsh_candidates(line, env):
    harness = os.path.join(HERE, "ops_zsh_complete.zsh")
    p = subprocess.run(["zsh", "-f", harness, COMPLETIONS, line], env=env,
                       capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise AssertionError(f"zsh harness failed ({p.returncode}): {p.stderr}")
    return sorted(set(c for c in p.stdout.splitlines() if c))


def fish_candidates(line, env):
    script = 'source $argv[1]; or exit 2; complete -C $argv[2]'
    p = subprocess.run(["fish", "--no-config", "-c", script,
                        os.path.join(COMPLETIONS, "ec2rk.fish"), line],
                       env=env, capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise AssertionError(f"fish harness failed ({p.returncode}): {p.stderr}")
    return sorted(c.split("\t")[0] for c in p.stdout.splitlines() if c)


SHELLS = {"bash": bash_candidates, "zsh": zsh_candidates, "fish": fish_candidates}
SHELL = "bash"


class CompletionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        exe = shutil.which(SHELL)
        if not exe:
            raise AssertionError(f"{SHELL} is not installed")
        if SHELL == "bash" and not os.path.exists(BASH_COMPLETION):
            raise AssertionError("bash-completion is not installed")
        cls.dir = tempfile.mkdtemp(prefix="ec2rk-completion-")
        cls.config = os.path.join(cls.dir, "ec2rk.toml")
        cls.other = os.path.join(cls.dir, "other.toml")
        with open(cls.config, "w") as f:
            f.write(CONFIG)
        with open(cls.other, "w") as f:
            f.write(OTHER_CONFIG)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def candidates(self, line, config="env"):
        env = {k: v for k, v in os.environ.items() if k != "EC2RK_CONFIG"}
        env.update({"HOME": self.dir, "TERM": "dumb", "LC_ALL": "C.UTF-8",
                    "XDG_CONFIG_HOME": self.dir, "XDG_DATA_HOME": self.dir})
        if config == "env":
            env["EC2RK_CONFIG"] = self.config
        return SHELLS[SHELL](line, env)

    # The three lines the issue names.
    def test_sw_completes_to_switchover(self):
        self.assertEqual(self.candidates("ec2rk sw"), ["switchover"])

    def test_switchover_to_offers_the_node_names_of_the_configuration(self):
        self.assertEqual(self.candidates("ec2rk switchover --to "), ["node1", "node2"])

    def test_output_offers_json_and_table(self):
        self.assertEqual(self.candidates("ec2rk --output "), ["json", "table"])

    # And around them.
    def test_every_subcommand_is_offered(self):
        self.assertEqual(self.candidates("ec2rk "),
                         ["api", "check", "init", "list", "repair", "switchover"])

    def test_positional_arguments_are_resource_names(self):
        self.assertEqual(self.candidates("ec2rk switchover --to node2 "), ["eip", "vip"])

    def test_the_config_on_the_command_line_wins_over_ec2rk_config(self):
        line = f"ec2rk --config {self.other} switchover --to "
        self.assertEqual(self.candidates(line), ["alpha", "beta"])
        line = f"ec2rk check --config {self.other} --expect "
        self.assertEqual(self.candidates(line), ["alpha", "beta"])

    def test_without_a_readable_config_no_names_are_offered(self):
        line = f"ec2rk --config {self.dir}/missing.toml switchover --to "
        self.assertEqual(self.candidates(line), [])

    def test_global_flags_are_offered_after_the_subcommand(self):
        got = self.candidates("ec2rk check --")
        for flag in ("--expect", "--local", "--permissions", "--config", "--output",
                     "--region", "--debug"):
            self.assertIn(flag, got)
        self.assertNotIn("--to", got)
        self.assertNotIn("--version", got)

    def test_repair_node_offers_node_names(self):
        self.assertEqual(self.candidates("ec2rk repair --node "), ["node1", "node2"])


def main():
    global SHELL
    if len(sys.argv) < 2 or sys.argv[1] not in SHELLS:
        sys.exit("usage: ops_completion.py {bash|zsh|fish} [unittest args]")
    SHELL = sys.argv.pop(1)
    unittest.main(verbosity=2)


if __name__ == "__main__":
    main()
