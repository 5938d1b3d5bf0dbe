#!/usr/bin/env python3
"""ec2rk end to end over HTTPS against ec2rk-sim: both scenarios (the VIP's routes and the
Elastic IP), switchover and back, idempotent reruns, blackhole and foreign routes, partial
failure, check's three exit codes, the Elastic IP never unassociated, --dry-run, and the
confirmation on a terminal (through a pseudo-terminal).

Usage: e2e_sim_test.py /path/to/ec2rk /path/to/ec2rk-sim
"""
import json
import os
import pty
import select
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import (ALLOCATION, NAT_B_ENI, NODE1_EIP_ENI, NODE1_VIP_ENI, NODE2_EIP_ENI,  # noqa: E402
                         NODE2_VIP_ENI, TABLE_A, TABLE_B, Sim, eip_eni, example_scenario, route_target, run,
                         with_orphan_eni, with_vip_route)

EC2RK = SIM = None
MUTATIONS = {"route_replaced", "route_created", "route_deleted", "address_associated", "address_disassociated",
             "network_interface_modified"}


def mutation_events(sim, since=0):
    return [e for e in sim.events(since) if e["type"] in MUTATIONS]


class Switchover(unittest.TestCase):
    def test_switchover_and_back_moves_every_route_and_the_elastic_ip(self):
        with Sim(SIM) as sim:
            r = run(EC2RK, sim, "switchover", "--to", "node2", "--yes")
            self.assertEqual(r.returncode, 0, r.stderr)
            s = sim.state()
            self.assertEqual(route_target(s, TABLE_A), (NODE2_VIP_ENI, "active"))
            self.assertEqual(route_target(s, TABLE_B), (NODE2_VIP_ENI, "active"))
            self.assertEqual(eip_eni(s), NODE2_EIP_ENI)
            self.assertEqual(run(EC2RK, sim, "check", "--expect", "node2").returncode, 0)

            r = run(EC2RK, sim, "switchover", "--to", "node1", "--yes", "--output", "json")
            self.assertEqual(r.returncode, 0, r.stderr)
            report = json.loads(r.stdout)
            self.assertEqual(report["status"], "ok")
            self.assertEqual([c["outcome"] for c in report["changes"]], ["changed"] * 3)
            for c in report["changes"]:
                self.assertTrue(c["request_id"])
            s = sim.state()
            self.assertEqual(route_target(s, TABLE_A)[0], NODE1_VIP_ENI)
            self.assertEqual(route_target(s, TABLE_B)[0], NODE1_VIP_ENI)
            self.assertEqual(eip_eni(s), NODE1_EIP_ENI)

    def test_each_scenario_alone_touches_only_its_resource(self):
        with Sim(SIM) as sim:
            r = run(EC2RK, sim, "switchover", "--to", "node2", "--yes", "vip")  # route-table scenario
            self.assertEqual(r.returncode, 0, r.stderr)
            s = sim.state()
            self.assertEqual(route_target(s, TABLE_A)[0], NODE2_VIP_ENI)
            self.assertEqual(eip_eni(s), NODE1_EIP_ENI)
            self.assertEqual({e["type"] for e in mutation_events(sim)}, {"route_replaced"})
            seq = sim.last_seq()
            r = run(EC2RK, sim, "switchover", "--to", "node2", "--yes", "eip")  # Elastic IP scenario
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(eip_eni(sim.state()), NODE2_EIP_ENI)
            self.assertEqual([e["type"] for e in mutation_events(sim, seq)], ["address_associated"])

    def test_a_rerun_when_everything_is_there_changes_nothing(self):
        with Sim(SIM) as sim:
            self.assertEqual(run(EC2RK, sim, "switchover", "--to", "node2", "--yes").returncode, 0)
            seq = sim.last_seq()
            r = run(EC2RK, sim, "switchover", "--to", "node2", "--yes", "--output", "json")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual([c["outcome"] for c in json.loads(r.stdout)["changes"]], ["unchanged"] * 3)
            self.assertEqual(mutation_events(sim, seq), [])

    def test_the_elastic_ip_is_never_unassociated_during_a_switchover(self):
        with Sim(SIM) as sim:
            for target in ("node2", "node1", "node2"):
                self.assertEqual(run(EC2RK, sim, "switchover", "--to", target, "--yes").returncode, 0)
            events = [e for e in sim.events() if e.get("allocation_id") == ALLOCATION]
            self.assertEqual([e["type"] for e in events], ["address_associated"] * 3)
            for e in events:
                self.assertIsNotNone(e["before"])
                self.assertIsNotNone(e["after"])

    def test_a_blackhole_route_is_replaced(self):
        sc = with_vip_route(with_orphan_eni(example_scenario()), TABLE_B, "eni-0ec20000000000dead")
        with Sim(SIM, scenario=sc) as sim:
            self.assertEqual(route_target(sim.state(), TABLE_B)[1], "blackhole")
            r = run(EC2RK, sim, "list")
            self.assertIn("\tblackhole\t", r.stdout)
            self.assertEqual(run(EC2RK, sim, "check").returncode, 3)
            r = run(EC2RK, sim, "switchover", "--to", "node1", "--yes")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(route_target(sim.state(), TABLE_B), (NODE1_VIP_ENI, "active"))
            self.assertEqual(run(EC2RK, sim, "check", "--expect", "node1").returncode, 0)

    def test_a_route_on_a_foreign_eni_is_refused_and_then_forced(self):
        sc = with_vip_route(example_scenario(), TABLE_B, NAT_B_ENI)
        with Sim(SIM, scenario=sc) as sim:
            before = sim.state()
            r = run(EC2RK, sim, "switchover", "--to", "node2", "--yes")
            self.assertEqual(r.returncode, 4, r.stderr)
            self.assertIn("refused, nothing changed", r.stderr)
            self.assertIn(NAT_B_ENI, r.stderr)
            self.assertEqual(mutation_events(sim), [])
            after = sim.state()
            self.assertEqual(after["route_tables"], before["route_tables"])
            self.assertEqual(after["addresses"], before["addresses"])

            r = run(EC2RK, sim, "switchover", "--to", "node2", "--yes", "--force")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(route_target(sim.state(), TABLE_B)[0], NODE2_VIP_ENI)

    def test_a_partial_failure_switches_the_other_tables_and_exits_5(self):
        with Sim(SIM, args=["--fail", "ReplaceRoute:" + TABLE_B]) as sim:
            r = run(EC2RK, sim, "switchover", "--to", "node2", "--yes", "--timeout", "5", "--output", "json")
            self.assertEqual(r.returncode, 5, r.stderr)
            self.assertIn(TABLE_B, r.stderr)
            self.assertIn("incomplete", r.stderr)
            report = json.loads(r.stdout)
            self.assertEqual(report["status"], "incomplete")
            by_table = {c["route_table_id"]: c for c in report["changes"] if c["kind"] == "route"}
            self.assertEqual(by_table[TABLE_A]["outcome"], "changed")
            self.assertEqual(by_table[TABLE_B]["outcome"], "failed")
            self.assertEqual(by_table[TABLE_B]["after"]["target"], NODE1_VIP_ENI)  # what is where
            self.assertEqual(by_table[TABLE_B]["error"]["code"], "UnauthorizedOperation")
            s = sim.state()
            self.assertEqual(route_target(s, TABLE_A)[0], NODE2_VIP_ENI)
            self.assertEqual(route_target(s, TABLE_B)[0], NODE1_VIP_ENI)
            self.assertEqual(eip_eni(s), NODE2_EIP_ENI)

    def test_dry_run_changes_nothing(self):
        with Sim(SIM) as sim:
            before = sim.state()
            r = run(EC2RK, sim, "switchover", "--to", "node2", "--dry-run")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("\treplace\t", r.stdout)
            self.assertIn("\tallowed\n", r.stdout)
            self.assertEqual(mutation_events(sim), [])
            after = sim.state()
            self.assertEqual(after["route_tables"], before["route_tables"])
            self.assertEqual(after["addresses"], before["addresses"])

    def test_without_yes_and_without_a_terminal_it_refuses(self):
        with Sim(SIM) as sim:
            r = run(EC2RK, sim, "switchover", "--to", "node2")
            self.assertEqual(r.returncode, 4)
            self.assertIn("without --yes when stdin is not a terminal", r.stderr)
            self.assertEqual(mutation_events(sim), [])


class Check(unittest.TestCase):
    def test_check_exits_0_when_healthy_3_on_drift_and_1_when_it_cannot_tell(self):
        with Sim(SIM) as sim:
            self.assertEqual(run(EC2RK, sim, "check").returncode, 0)
            self.assertEqual(run(EC2RK, sim, "check", "--expect", "node1").returncode, 0)
            r = run(EC2RK, sim, "check", "--expect", "node2", "--output", "json")
            self.assertEqual(r.returncode, 3)
            self.assertEqual(json.loads(r.stdout)["status"], "drift")
            # Wrong secret: the state cannot be read, which is not drift.
            r = run(EC2RK, sim, "check", env=sim.env(AWS_SECRET_ACCESS_KEY="wrong" + "0" * 35))
            self.assertEqual(r.returncode, 1, r.stdout)
            self.assertIn("ec2rk: error:", r.stderr)
            self.assertEqual(r.stdout, "")
            self.assertNotIn("wrong", r.stderr)
        # Endpoint down (the simulator stopped): also 1, not drift.
        with tempfile.TemporaryDirectory() as keep:
            with Sim(SIM) as sim:
                shutil.copy(sim.config, keep)
                shutil.copy(sim.ca, keep)
                env = sim.env(EC2RK_CONFIG=os.path.join(keep, "ec2rk.toml"),
                              AWS_CA_BUNDLE=os.path.join(keep, "ca.pem"))
            r = run(EC2RK, sim, "check", env=env)
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            self.assertIn("ec2rk: error:", r.stderr)

    def test_an_untrusted_certificate_fails_at_once_and_says_so(self):
        # The simulator's CA is not in the system's store: every call fails verification, which
        # a retry would not change, so each is tried once (attempt 1 in the --debug trace).
        with Sim(SIM) as sim:
            env = sim.env()
            del env["AWS_CA_BUNDLE"]
            r = run(EC2RK, sim, "check", "--debug", env=env)
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            self.assertEqual(r.stdout, "")
            self.assertRegex(r.stderr, r"(?m)^ec2rk: error: https://127\.0\.0\.1:\d+/: the server's TLS "
                                       r"certificate is not trusted \(.*\); AWS_CA_BUNDLE names the CAs to trust$")
            self.assertIn(" attempt 1", r.stderr)
            self.assertNotIn(" attempt 2", r.stderr)

    def test_check_permissions_passes_with_the_simulator_credentials(self):
        with Sim(SIM) as sim:
            r = run(EC2RK, sim, "check", "--permissions")
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("\tReplaceRoute\t", r.stdout)

    def test_check_permissions_reports_a_denied_call_as_drift(self):
        with Sim(SIM, args=["--fail", "AssociateAddress"]) as sim:
            r = run(EC2RK, sim, "check", "--permissions")
            self.assertEqual(r.returncode, 3, r.stdout + r.stderr)
            self.assertIn("\tAssociateAddress\t", r.stdout)
            self.assertIn("\tdenied\n", r.stdout)


class Terminal(unittest.TestCase):
    def converse(self, sim, answer):
        """Runs a switchover on a pseudo-terminal, answers the question, returns (exit code, output)."""
        pid, fd = pty.fork()
        if pid == 0:
            env = sim.env(TERM="xterm")
            os.execve(EC2RK, [EC2RK, "switchover", "--to", "node2"], env)
        out = b""
        deadline = time.time() + 30
        answered = False
        while time.time() < deadline:
            r, _, _ = select.select([fd], [], [], 0.5)
            if r:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
                if not answered and b"[y/N]" in out:
                    os.write(fd, answer)
                    answered = True
        _, status = os.waitpid(pid, 0)
        os.close(fd)
        return os.waitstatus_to_exitcode(status), out.decode(errors="replace"), answered

    def test_on_a_terminal_the_plan_is_confirmed_before_anything_changes(self):
        with Sim(SIM) as sim:
            code, out, answered = self.converse(sim, b"n\n")
            self.assertTrue(answered, out)
            self.assertEqual(code, 4, out)
            self.assertIn("RESOURCE", out)  # the plan, as a table with a header
            self.assertIn("aborted; nothing changed", out)
            self.assertEqual(mutation_events(sim), [])

            code, out, answered = self.converse(sim, b"y\n")
            self.assertEqual(code, 0, out)
            self.assertIn("switchover to node2: 3 changed", out)
            self.assertEqual(route_target(sim.state(), TABLE_A)[0], NODE2_VIP_ENI)


if __name__ == "__main__":
    EC2RK, SIM = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
