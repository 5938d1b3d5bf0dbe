#!/usr/bin/env python3
"""The Pacemaker OCF agent (integrations/pacemaker/ec2rk) against ec2rk-sim.

ocf-tester (Debian's resource-agents) must pass with the node found through the
simulator's IMDS endpoint, and each action must map ec2rk's outcome to the right OCF
code: an API, network or throttling failure is OCF_ERR_GENERIC (1), never
OCF_NOT_RUNNING (7); drift while started is OCF_ERR_GENERIC; stop succeeds when there
is nothing to stop; monitor after stop says not running although the routes stay.
"""

import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ops_support as ops  # noqa: E402

AGENT = os.path.join(ops.SOURCE_DIR, "integrations", "pacemaker", "ec2rk")
OCF_ROOT = "/usr/lib/ocf"

OCF_SUCCESS = 0
OCF_ERR_GENERIC = 1
OCF_ERR_INSTALLED = 5
OCF_ERR_CONFIGURED = 6
OCF_NOT_RUNNING = 7


class Agent:
    """Runs the agent's actions as Pacemaker would, for one resource instance."""

    def __init__(self, testcase, sim, instance="ec2rk-test", **params):
        self.sim = sim
        self.workdir = sim.workdir
        self.rsctmp = os.path.join(self.workdir, "rsctmp")
        os.makedirs(self.rsctmp, exist_ok=True)
        self.instance = instance
        self.params = {"config": sim.config}
        self.params.update(params)
        # ec2rk on PATH, as the default `ec2rk` parameter expects.
        self.bindir = os.path.join(self.workdir, "bin")
        os.makedirs(self.bindir, exist_ok=True)
        link = os.path.join(self.bindir, "ec2rk")
        if not os.path.exists(link):
            os.symlink(ops.ec2rk_bin(), link)
        self.imds_node = None

    def env(self, **extra):
        env = ops.clean_env(
            self.workdir,
            PATH=self.bindir + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
            OCF_ROOT=OCF_ROOT,
            HA_RSCTMP=self.rsctmp,
            OCF_RESOURCE_INSTANCE=self.instance,
            OCF_RESKEY_CRM_meta_timeout="20000",
            HA_LOGFILE=os.path.join(self.workdir, "ha.log"),
            HA_DEBUGLOG=os.path.join(self.workdir, "ha-debug.log"),
            HA_LOGFACILITY="none")
        if self.imds_node:
            # This "instance" is the node whose IMDS endpoint it is given.
            env.pop("AWS_EC2_METADATA_DISABLED", None)
            env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = self.sim.imds[self.imds_node]
        for k, v in self.params.items():
            env["OCF_RESKEY_" + k] = v
        env.update(extra)
        return env

    def run(self, action, **extra):
        p = subprocess.run([AGENT, action], env=self.env(**extra), capture_output=True,
                           text=True, timeout=120, stdin=subprocess.DEVNULL)
        self.last_output = p.stdout + p.stderr
        return p.returncode

    def log(self):
        """What the agent logged through ocf_log (HA_LOGFILE and HA_DEBUGLOG)."""
        text = ""
        for name in ("ha.log", "ha-debug.log"):
            path = os.path.join(self.workdir, name)
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    text += f.read()
        return text

    def state_file(self):
        return os.path.join(self.rsctmp, f"ec2rk-{self.instance}.state")


class OcfTesterTest(unittest.TestCase):
    def test_ocf_tester_passes_and_start_moves_everything_to_the_node_imds_names(self):
        self.assertTrue(os.path.exists("/usr/sbin/ocf-tester"), "resource-agents not installed")
        with ops.Sim(ops.tempdir(self)) as sim:
            self.assertEqual(sim.holders(), {"vip": {"node1"}, "eip": {"node1"}})
            agent = Agent(self, sim)
            agent.imds_node = "node2"  # no `node` parameter: found through IMDS
            p = subprocess.run(
                ["/usr/sbin/ocf-tester", "-v", "-n", agent.instance,
                 "-o", "config=" + sim.config, AGENT],
                env=agent.env(), capture_output=True, text=True, timeout=300)
            out = p.stdout + p.stderr
            self.assertEqual(p.returncode, 0, out)
            self.assertIn("passed all tests", out)
            # start really switched over to node2, and the final stop left it there.
            self.assertEqual(sim.holders(), {"vip": {"node2"}, "eip": {"node2"}})
            self.assertFalse(os.path.exists(agent.state_file()))

    def test_ocf_tester_fails_an_agent_whose_monitor_lies_after_stop(self):
        # The harness can fail: an agent that says "running" after stop is caught.
        with ops.Sim(ops.tempdir(self)) as sim:
            broken = os.path.join(sim.workdir, "broken-agent")
            with open(AGENT) as f:
                text = f.read()
            text = text.replace('[ -f "$_ec2rk_state" ] || return $OCF_NOT_RUNNING',
                                '[ -f "$_ec2rk_state" ] || return $OCF_SUCCESS')
            self.assertIn("return $OCF_SUCCESS", text)
            with open(broken, "w") as f:
                f.write(text)
            os.chmod(broken, 0o755)
            agent = Agent(self, sim, node="node2")
            p = subprocess.run(
                ["/usr/sbin/ocf-tester", "-n", agent.instance, "-o", "config=" + sim.config,
                 "-o", "node=node2", broken],
                env=agent.env(), capture_output=True, text=True, timeout=300)
            self.assertNotEqual(p.returncode, 0, p.stdout + p.stderr)


class ActionMappingTest(unittest.TestCase):
    def test_monitor_before_start_is_not_running_and_start_makes_it_healthy(self):
        with ops.Sim(ops.tempdir(self)) as sim:
            agent = Agent(self, sim, node="node2")
            self.assertEqual(agent.run("monitor"), OCF_NOT_RUNNING, agent.last_output)
            self.assertEqual(agent.run("start"), OCF_SUCCESS, agent.last_output)
            self.assertEqual(sim.holders(), {"vip": {"node2"}, "eip": {"node2"}})
            self.assertEqual(agent.run("monitor"), OCF_SUCCESS, agent.last_output)
            with open(agent.state_file()) as f:
                self.assertEqual(f.read().strip(), "node2")

    def test_monitor_after_stop_is_not_running_although_the_routes_stay(self):
        with ops.Sim(ops.tempdir(self)) as sim:
            agent = Agent(self, sim, node="node2")
            self.assertEqual(agent.run("start"), OCF_SUCCESS, agent.last_output)
            self.assertEqual(agent.run("stop"), OCF_SUCCESS, agent.last_output)
            self.assertEqual(agent.run("monitor"), OCF_NOT_RUNNING, agent.last_output)
            self.assertEqual(sim.holders(), {"vip": {"node2"}, "eip": {"node2"}})

    def test_drift_while_started_is_a_generic_error_not_not_running(self):
        with ops.Sim(ops.tempdir(self)) as sim:
            agent = Agent(self, sim, node="node2")
            self.assertEqual(agent.run("start"), OCF_SUCCESS, agent.last_output)
            moved = ops.ec2rk(sim, "switchover", "--to", "node1", "--yes", "vip")
            self.assertEqual(moved.returncode, 0, moved.stderr)
            self.assertEqual(agent.run("monitor"), OCF_ERR_GENERIC, agent.last_output)
            # Recovery (stop, start) re-asserts the claim.
            self.assertEqual(agent.run("stop"), OCF_SUCCESS)
            self.assertEqual(agent.run("start"), OCF_SUCCESS, agent.last_output)
            self.assertEqual(agent.run("monitor"), OCF_SUCCESS, agent.last_output)

    def test_only_the_named_resources_are_moved_and_monitored(self):
        with ops.Sim(ops.tempdir(self)) as sim:
            agent = Agent(self, sim, node="node2", resources="vip")
            self.assertEqual(agent.run("start"), OCF_SUCCESS, agent.last_output)
            self.assertEqual(sim.holders(), {"vip": {"node2"}, "eip": {"node1"}})
            self.assertEqual(agent.run("monitor"), OCF_SUCCESS, agent.last_output)

    def test_stop_succeeds_with_nothing_to_stop_even_when_the_endpoint_is_down(self):
        workdir = ops.tempdir(self)
        sim = ops.Sim(workdir).start()
        sim.stop()
        agent = Agent(self, sim, node="node2")
        self.assertEqual(agent.run("stop"), OCF_SUCCESS, agent.last_output)
        self.assertEqual(agent.run("stop"), OCF_SUCCESS, agent.last_output)
        # A probe of a resource never started needs no AWS call either.
        self.assertEqual(agent.run("monitor", OCF_RESKEY_CRM_meta_interval="0"),
                         OCF_NOT_RUNNING, agent.last_output)

    def test_start_that_cannot_switch_over_fails_generic_and_stays_stopped(self):
        with ops.Sim(ops.tempdir(self), "--fail", "ReplaceRoute") as sim:
            agent = Agent(self, sim, node="node2", timeout="2")
            self.assertEqual(agent.run("start"), OCF_ERR_GENERIC, agent.last_output)
            self.assertFalse(os.path.exists(agent.state_file()))
            self.assertEqual(agent.run("monitor"), OCF_NOT_RUNNING, agent.last_output)


class MonitorFailureTest(unittest.TestCase):
    """A monitor that cannot tell reports OCF_ERR_GENERIC, never OCF_NOT_RUNNING."""

    def started_agent(self, sim):
        agent = Agent(self, sim, node="node1")
        # Started for node1, which holds everything in the example scenario. Written
        # directly: with the fault active a start could not observe either.
        with open(agent.state_file(), "w") as f:
            f.write("node1\n")
        return agent

    def test_monitor_with_describe_route_tables_failing_is_a_generic_error(self):
        with ops.Sim(ops.tempdir(self), "--fail", "DescribeRouteTables") as sim:
            agent = self.started_agent(sim)
            self.assertEqual(agent.run("monitor"), OCF_ERR_GENERIC, agent.last_output)

    def test_monitor_while_throttled_is_a_generic_error(self):
        # One token per action, refilled every 100 s: the first monitor spends them
        # (and is healthy), the next one is throttled on every call and retry.
        with ops.Sim(ops.tempdir(self), "--throttle", "1:0.01") as sim:
            agent = self.started_agent(sim)
            self.assertEqual(agent.run("monitor"), OCF_SUCCESS, agent.last_output)
            self.assertEqual(agent.run("monitor"), OCF_ERR_GENERIC, agent.last_output)
            self.assertIn("RequestLimitExceeded", agent.log())

    def test_monitor_with_the_endpoint_down_is_a_generic_error(self):
        workdir = ops.tempdir(self)
        sim = ops.Sim(workdir).start()
        agent = self.started_agent(sim)
        self.assertEqual(agent.run("monitor"), OCF_SUCCESS, agent.last_output)
        sim.stop()
        self.assertEqual(agent.run("monitor"), OCF_ERR_GENERIC, agent.last_output)

    def test_the_same_monitor_is_healthy_without_the_fault(self):
        # The control for the three above: the fault, not the set-up, made them fail.
        with ops.Sim(ops.tempdir(self)) as sim:
            agent = self.started_agent(sim)
            self.assertEqual(agent.run("monitor"), OCF_SUCCESS, agent.last_output)


class ValidateTest(unittest.TestCase):
    def test_validate_all_accepts_a_good_configuration(self):
        with ops.Sim(ops.tempdir(self)) as sim:
            agent = Agent(self, sim, node="node1", resources="vip eip")
            self.assertEqual(agent.run("validate-all"), OCF_SUCCESS, agent.last_output)

    def test_validate_all_errors(self):
        with ops.Sim(ops.tempdir(self)) as sim:
            cases = [
                ({"config": ""}, OCF_ERR_CONFIGURED),
                ({"config": os.path.join(sim.workdir, "missing.toml")}, OCF_ERR_INSTALLED),
                ({"node": "node3"}, OCF_ERR_CONFIGURED),
                ({"resources": "vip nosuch"}, OCF_ERR_CONFIGURED),
                ({"timeout": "soon"}, OCF_ERR_CONFIGURED),
                ({"ec2rk": "/nonexistent/ec2rk"}, OCF_ERR_INSTALLED),
            ]
            for params, expected in cases:
                with self.subTest(params=params):
                    agent = Agent(self, sim, **params)
                    self.assertEqual(agent.run("validate-all"), expected, agent.last_output)
                    self.assertEqual(agent.run("start"), expected, agent.last_output)
            self.assertEqual(sim.holders(), {"vip": {"node1"}, "eip": {"node1"}})

    def test_start_with_a_configuration_ec2rk_rejects_is_err_configured(self):
        with ops.Sim(ops.tempdir(self)) as sim:
            bad = os.path.join(sim.workdir, "bad.toml")
            with open(sim.config) as f:
                text = f.read()
            with open(bad, "w") as f:
                f.write(text.replace('instance_id = "i-', 'instance_idd = "i-', 1))
            agent = Agent(self, sim, config=bad, node="node2")
            self.assertEqual(agent.run("start"), OCF_ERR_CONFIGURED, agent.last_output)
            self.assertEqual(sim.holders(), {"vip": {"node1"}, "eip": {"node1"}})

    def test_an_instance_that_is_no_node_of_the_configuration_cannot_start(self):
        with ops.Sim(ops.tempdir(self)) as sim:
            other = os.path.join(sim.workdir, "other.toml")
            with open(sim.config) as f:
                text = f.read()
            # node2's instance id no longer matches what IMDS says.
            with open(other, "w") as f:
                f.write(text.replace("i-0ec20000000000b12", "i-0ec20000000000fff"))
            agent = Agent(self, sim, config=other)
            agent.imds_node = "node2"
            self.assertEqual(agent.run("start"), OCF_ERR_CONFIGURED, agent.last_output)
            self.assertIn("not a node", agent.last_output)

    def test_meta_data_and_usage(self):
        with ops.Sim(ops.tempdir(self)) as sim:
            agent = Agent(self, sim)
            self.assertEqual(agent.run("meta-data"), OCF_SUCCESS)
            self.assertIn('<resource-agent name="ec2rk"', agent.last_output)
            self.assertEqual(agent.run("usage"), OCF_SUCCESS)
            self.assertEqual(agent.run("promote"), 3)  # OCF_ERR_UNIMPLEMENTED
            if shutil.which("xmllint"):
                p = subprocess.run(
                    f"{AGENT} meta-data | xmllint --noout --valid -", shell=True,
                    cwd="/usr/share/resource-agents", env=agent.env(), capture_output=True,
                    text=True)
                self.assertEqual(p.returncode, 0, p.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
