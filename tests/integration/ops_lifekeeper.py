#!/usr/bin/env python3
"""The LifeKeeper-style hooks (integrations/lifekeeper) against ec2rk-sim: each hook
runs the ec2rk command it documents, with EC2RK_CONFIG and EC2RK_NODE from the
environment, and exits with its status."""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ops_support as ops  # noqa: E402

HOOKS = os.path.join(ops.SOURCE_DIR, "integrations", "lifekeeper")


class LifeKeeperHooksTest(unittest.TestCase):
    def hook(self, sim, name, node="node2", **extra):
        env = ops.clean_env(sim.workdir, EC2RK_CONFIG=sim.config, EC2RK=ops.ec2rk_bin(),
                            EC2RK_NODE=node, **extra)
        # LifeKeeper passes -t TAG -i ID; the hooks ignore them.
        p = subprocess.run([os.path.join(HOOKS, name), "-t", "vip-tag", "-i", "vip-id"],
                           env=env, capture_output=True, text=True, timeout=120,
                           stdin=subprocess.DEVNULL)
        self.last_output = p.stdout + p.stderr
        return p.returncode

    def test_restore_moves_everything_to_this_node(self):
        with ops.Sim(ops.tempdir(self)) as sim:
            self.assertEqual(self.hook(sim, "restore"), 0, self.last_output)
            self.assertEqual(sim.holders(), {"vip": {"node2"}, "eip": {"node2"}})
            # Restoring again changes nothing and succeeds.
            self.assertEqual(self.hook(sim, "restore"), 0, self.last_output)

    def test_restore_moves_only_the_named_resources(self):
        with ops.Sim(ops.tempdir(self)) as sim:
            self.assertEqual(self.hook(sim, "restore", EC2RK_RESOURCES="eip"), 0,
                             self.last_output)
            self.assertEqual(sim.holders(), {"vip": {"node1"}, "eip": {"node2"}})

    def test_restore_that_cannot_complete_fails(self):
        with ops.Sim(ops.tempdir(self), "--fail", "AssociateAddress") as sim:
            rc = self.hook(sim, "restore", EC2RK_TIMEOUT="2")
            self.assertNotEqual(rc, 0, self.last_output)
            self.assertEqual(sim.holders()["eip"], {"node1"})

    def test_quick_check_tells_healthy_drift_and_unknown_apart(self):
        with ops.Sim(ops.tempdir(self)) as sim:
            self.assertEqual(self.hook(sim, "quickCheck", node="node1"), 0, self.last_output)
            self.assertEqual(self.hook(sim, "quickCheck", node="node2"), 3, self.last_output)
        # The simulator is gone: the state cannot be determined.
        self.assertEqual(self.hook(sim, "quickCheck", node="node1"), 1, self.last_output)

    def test_remove_releases_nothing_and_succeeds(self):
        with ops.Sim(ops.tempdir(self)) as sim:
            before = sim.holders()
            self.assertEqual(self.hook(sim, "remove", node="node1"), 0, self.last_output)
            self.assertEqual(sim.holders(), before)
        # Even with the endpoint gone there is nothing to fail.
        self.assertEqual(self.hook(sim, "remove", node="node1"), 0, self.last_output)

    def test_recover_repairs_drift_that_quick_check_found(self):
        with ops.Sim(ops.tempdir(self)) as sim:
            self.assertEqual(self.hook(sim, "restore"), 0, self.last_output)
            # Someone moves the route resource back to node1 behind the cluster's back.
            moved = ops.ec2rk(sim, "switchover", "--to", "node1", "--yes", "vip")
            self.assertEqual(moved.returncode, 0, moved.stderr)
            self.assertEqual(self.hook(sim, "quickCheck"), 3, self.last_output)
            self.assertEqual(self.hook(sim, "recover"), 0, self.last_output)
            self.assertEqual(sim.holders(), {"vip": {"node2"}, "eip": {"node2"}})
            self.assertEqual(self.hook(sim, "quickCheck"), 0, self.last_output)

    def test_hooks_without_ec2rk_node_fail_with_a_message(self):
        with ops.Sim(ops.tempdir(self)) as sim:
            for name in ("restore", "quickCheck", "recover"):
                with self.subTest(hook=name):
                    env = ops.clean_env(sim.workdir, EC2RK_CONFIG=sim.config,
                                        EC2RK=ops.ec2rk_bin())
                    p = subprocess.run([os.path.join(HOOKS, name)], env=env,
                                       capture_output=True, text=True, timeout=60)
                    self.assertNotEqual(p.returncode, 0)
                    self.assertIn("EC2RK_NODE", p.stderr)
            self.assertEqual(sim.holders(), {"vip": {"node1"}, "eip": {"node1"}})


if __name__ == "__main__":
    unittest.main(verbosity=2)
