"""The fault matrix: ec2rk against ec2rk-sim with one fault injected at a time, for both
scenarios of the example (route `vip`, Elastic IP `eip`), each with `check` and `switchover`.
Every case asserts the outcome (exit code, exact report, /_sim/state) and that a switchover
never runs past --timeout by more than a second. Usage: fault_matrix.py [TestClass ...]
(ctest runs one class per test, fault_<name>). Binaries: EC2RK_BIN, EC2RK_SIM_BIN."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fault_harness as h  # noqa: E402

TIMEOUT_S = 10  # --timeout of every switchover here
SLACK_S = 1.0   # the contract: never more than a second past --timeout
RESOURCES = ("vip", "eip")


class FaultCase(unittest.TestCase):
    """Helpers shared by the fault classes."""

    def setUp(self):
        h.require_binaries()

    def start_sim(self, *args, **kw):
        sim = h.Sim(*args, **kw)
        self.addCleanup(sim.stop)
        return sim

    def env(self, sim, **kw):
        return h.base_env(sim, home=sim.dir, **kw)

    def switchover(self, sim, resource, env=None, target="node2", extra=(), timeout_s=TIMEOUT_S):
        r = h.run(["switchover", "--to", target, "--yes", "--timeout", str(timeout_s), *extra, resource],
                  env or self.env(sim))
        self.assertLessEqual(r.elapsed, timeout_s + SLACK_S, "ran past --timeout: %r" % r)
        return r

    def check(self, sim, resource, expect="node1", env=None, extra=()):
        args = ["check", *extra] + (["--expect", expect] if expect else []) + [resource]
        return h.run(args, env or self.env(sim))

    # --- assertions every case makes -----------------------------------------------------
    def assert_converged(self, sim, resource, r, target="node2"):
        self.assertEqual(r.code, 0, r)
        self.assertEqual(sim.holder(resource), target, r)
        self.assertNotIn("ec2rk: error:", r.err, r)

    def assert_healthy(self, sim, resource, r, expect="node1"):
        self.assertEqual(r.code, 0, r)
        self.assertRegex(r.out, r"(?m)^resource\t%s\t(route|eip)\t%s\tok\t" % (resource, expect), r)

    def assert_untouched(self, sim, resource, r, code):
        """A command that failed before changing anything: the exit code, one error line,
        and the simulator's state still node1."""
        self.assertEqual(r.code, code, r)
        self.assertRegex(r.err, r"(?m)^ec2rk: error: \S", r)
        self.assertEqual(sim.holder(resource), "node1", r)

    def assert_truthful_switchover(self, sim, resource, r, target="node2"):
        """Whatever happened, the exit code and report agree with /_sim/state: exit 0 only
        when the target holds everything; each report row's outcome matches the state."""
        holders = sim.holders()[resource]
        if r.code == 0:
            self.assertEqual(sim.holder(resource), target, r)
            return
        self.assertIn(r.code, (1, 4, 5), r)
        self.assertRegex(r.err, r"(?m)^ec2rk: error: ", r)
        for line in r.out.splitlines():
            cols = line.split("\t")
            if cols[0] != "change" or cols[1] != resource:
                continue
            outcome = cols[5]
            if resource == "vip":
                table = cols[2].split()[0]
                now = holders.get(table)
            else:
                now = holders
            if outcome in ("changed", "unchanged"):
                self.assertEqual(now, target, "row %r vs state %r\n%r" % (line, holders, r))
            elif outcome == "failed":
                self.assertNotEqual(now, target, "row %r vs state %r\n%r" % (line, holders, r))

    def assert_check_truthful(self, sim, resource, r, expect):
        """check's verdict agrees with /_sim/state: 0 only if `expect` holds the resource,
        3 only if it does not; 1 (could not tell) carries an error line."""
        actual = sim.holder(resource)
        if r.code == 0:
            self.assertEqual(actual, expect, r)
        elif r.code == 3:
            self.assertNotEqual(actual, expect, r)
        else:
            self.assertEqual(r.code, 1, r)
            self.assertRegex(r.err, r"(?m)^ec2rk: error: \S", r)

    def for_both(self, fn):
        """Runs fn(resource) for both scenarios in parallel (each with its own simulator)."""
        h.run_parallel([lambda res=res: self._sub(fn, res) for res in RESOURCES])

    def _sub(self, fn, resource):
        try:
            fn(resource)
        except AssertionError as e:
            raise AssertionError("[%s] %s" % (resource, e)) from None


class Throttling(FaultCase):
    """--throttle 2:1 (every action: burst 2, 1 call/s). The VIP's VPC gets 6 extra tables so
    ReplaceRoute needs 8 calls: 6 over the burst, as in a busy incident."""

    def test_check_and_switchover_converge_through_throttling(self):
        def case(res):
            sim = self.start_sim("--throttle", "2:1", "--route-tables", "6" if res == "vip" else "0")
            self.assert_healthy(sim, res, self.check(sim, res))
            r = self.switchover(sim, res, extra=["--debug"])
            self.assert_converged(sim, res, r)
            if res == "vip":
                self.assertIn("RequestLimitExceeded", r.err, "the fault was not exercised: %r" % r)
                self.assertEqual(len(sim.holders()["vip"]), 8)
            self.assert_healthy(sim, res, self.check(sim, res, expect="node2"), expect="node2")
        self.for_both(case)


class ServerErrors(FaultCase):
    """--error-rate 0.3: 500 InternalError / 503 Unavailable on 30% of the calls."""

    def test_switchover_converges_and_check_never_calls_a_failure_drift(self):
        def case(res):
            sim = self.start_sim("--error-rate", "0.3", "--seed", "7")
            for _ in range(3):
                r = self.check(sim, res)
                self.assertIn(r.code, (0, 1), r)  # a failed call is never drift (3)
                if r.code == 0:
                    self.assert_healthy(sim, res, r)
                else:
                    self.assertRegex(r.err, r"\((InternalError|Unavailable), request id [0-9a-f-]+\)", r)
            r = self.switchover(sim, res)
            self.assert_converged(sim, res, r)
        self.for_both(case)


class DroppedConnections(FaultCase):
    """--drop-rate 0.2: the connection closes without a response on 20% of the calls."""

    def test_switchover_converges_and_check_never_calls_a_failure_drift(self):
        def case(res):
            sim = self.start_sim("--drop-rate", "0.2", "--seed", "11")
            for _ in range(3):
                r = self.check(sim, res)
                self.assertIn(r.code, (0, 1), r)
                if r.code == 0:
                    self.assert_healthy(sim, res, r)
            r = self.switchover(sim, res)
            self.assert_converged(sim, res, r)
        self.for_both(case)


class LatencyBeyondReadTimeout(FaultCase):
    """--latency-ms 2500 with EC2RK_READ_TIMEOUT_MS=800: every EC2 call times out. check says
    it could not tell (exit 1); switchover changes nothing (exit 1), within its --timeout."""

    def test_every_call_times_out_and_nothing_is_claimed(self):
        def case(res):
            sim = self.start_sim("--latency-ms", "2500")
            env = self.env(sim)
            env["EC2RK_READ_TIMEOUT_MS"] = "800"
            r = self.check(sim, res, env=env)
            self.assert_untouched(sim, res, r, 1)
            self.assertRegex(r.err, r"(?m)^ec2rk: error: %s/: no complete response within 800 ms "
                                    r"\(after 3 attempts\)$" % re.escape(sim.url), r)
            self.assertLess(r.elapsed, 15, r)  # 3 attempts x 0.8 s plus backoff
            r = self.switchover(sim, res, env=env)
            self.assert_untouched(sim, res, r, 1)
        self.for_both(case)


class StaleReads(FaultCase):
    """--stale-ms 2000: reads within 2 s of a write still see the state before it.
    switchover must wait in verification and still converge; the next check sees it."""

    def test_switchover_waits_for_consistency_and_check_sees_the_result(self):
        def case(res):
            sim = self.start_sim("--stale-ms", "2000")
            self.assert_healthy(sim, res, self.check(sim, res))
            r = self.switchover(sim, res)
            self.assert_converged(sim, res, r)
            self.assertGreaterEqual(r.elapsed, 1.9, "verification did not wait out the stale reads: %r" % r)
            self.assert_healthy(sim, res, self.check(sim, res, expect="node2"), expect="node2")
        self.for_both(case)


class PermanentFailure(FaultCase):
    """--fail ReplaceRoute:<one table> / AssociateAddress:<the EIP>: that call always fails
    with 403 UnauthorizedOperation. switchover exits 5 naming exactly what is not done,
    and check then reports the true (split or unmoved) state as drift."""

    FAIL = {"vip": "ReplaceRoute:" + h.RTB_PRIVATE_B, "eip": "AssociateAddress:" + h.EIP_ALLOCATION}

    def test_switchover_reports_exactly_what_failed_and_check_tells_the_truth(self):
        def case(res):
            sim = self.start_sim("--fail", self.FAIL[res])
            r = self.switchover(sim, res)
            self.assertEqual(r.code, 5, r)
            self.assert_truthful_switchover(sim, res, r)
            where = h.RTB_PRIVATE_B if res == "vip" else h.EIP_ALLOCATION
            self.assertRegex(
                r.err,
                r"(?m)^ec2rk: error: switchover to node2 incomplete after \d+ ms: 1 change not done "
                r"\(%s %s: You are not authorized to perform this operation\..*"
                r"\(UnauthorizedOperation, request id [0-9a-f-]+\)\)$" % (res, where), r)
            if res == "vip":
                self.assertEqual(sim.holders()["vip"], {h.RTB_PRIVATE_A: "node2", h.RTB_PRIVATE_B: "node1"})
            else:
                self.assertEqual(sim.holder("eip"), "node1")
            c = self.check(sim, res, expect="node2")
            self.assertEqual(c.code, 3, c)
            self.assert_check_truthful(sim, res, c, "node2")
            self.assertRegex(c.out, r"(?m)^resource\t%s\t(route|eip)\t\S+\tdrift\t" % res, c)
        self.for_both(case)


class ClockSkew(FaultCase):
    """--clock-skew-s 600: EC2's clock is 10 minutes ahead. ec2rk corrects from the Date
    header, re-signs, warns, and both commands succeed."""

    def test_skew_is_corrected_and_both_commands_succeed(self):
        def case(res):
            sim = self.start_sim("--clock-skew-s", "600")
            c = self.check(sim, res)
            self.assert_healthy(sim, res, c)
            self.assertRegex(c.err, r"(?i)clock", c)
            r = self.switchover(sim, res)
            self.assert_converged(sim, res, r)
        self.for_both(case)


class ExpiringInstanceCredentials(FaultCase):
    """Instance-profile credentials from the simulator's IMDS that live 2 s (and IMDS tokens
    capped at 1 s), with 3 s of stale reads so a switchover outlives several of them."""

    def test_credentials_expiring_mid_run_are_refreshed(self):
        def case(res):
            sim = self.start_sim("--imds-credential-ttl-s", "2", "--imds-token-ttl-cap-s", "1",
                                 "--stale-ms", "3000", imds_nodes=["node1"])
            env = self.env(sim, keys=False, imds=True)
            env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = sim.imds["node1"]
            self.assert_healthy(sim, res, self.check(sim, res, env=env))
            r = self.switchover(sim, res, env=env, extra=["--debug"])
            self.assert_converged(sim, res, r)
            fetched = len(re.findall(r"imds: instance-profile credentials for role", r.err))
            self.assertGreaterEqual(fetched, 2, "credentials were not refreshed mid-run: %r" % r)
            self.assertNotIn("AuthFailure", r.err, r)
            self.assert_healthy(sim, res, self.check(sim, res, expect="node2", env=env), expect="node2")
        self.for_both(case)


class ImdsUnavailable(FaultCase):
    """IMDS refusing connections, or accepting and never answering. `check --local` needs
    this instance's id from it; `switchover` needs it for instance-profile credentials (no
    other credentials here), `repair --local` for both. Each exits 1 saying so, nothing
    changes, and the time stays bounded (IMDS has its own short timeouts)."""

    def _case(self, res, imds_url):
        sim = self.start_sim()
        env = self.env(sim, imds=True)
        env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds_url
        r = h.run(["check", "--local", res], env)
        self.assert_untouched(sim, res, r, 1)
        self.assertRegex(r.err, r"(?m)^ec2rk: error: --local: cannot read this instance's id from instance "
                                r"metadata: \S", r)
        self.assertLess(r.elapsed, 15, r)
        no_keys = self.env(sim, keys=False, imds=True)
        no_keys["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds_url
        r = self.switchover(sim, res, env=no_keys)
        self.assert_untouched(sim, res, r, 1)
        self.assertIn("credentials", r.err, r)
        r = h.run(["repair", "--local", "--yes", "--timeout", str(TIMEOUT_S), res], env)
        self.assertLessEqual(r.elapsed, TIMEOUT_S + SLACK_S, r)
        self.assert_untouched(sim, res, r, 1)
        self.assertIn("--local: cannot read this instance's id from instance metadata", r.err, r)

    def test_imds_refusing_connections_is_reported_and_changes_nothing(self):
        url = "http://127.0.0.1:%d" % h.closed_port()
        self.for_both(lambda res: self._case(res, url))

    def test_imds_never_answering_is_reported_within_bounded_time(self):
        imds = h.FakeImds("{}", mode="hang")
        self.addCleanup(imds.stop)
        self.for_both(lambda res: self._case(res, imds.url))


class EndpointRefusesConnections(FaultCase):
    """The endpoint is a closed loopback port: exit 1 naming the URL, nothing changed."""

    def test_connection_refused_is_could_not_tell(self):
        def case(res):
            sim = self.start_sim()
            url = "https://127.0.0.1:%d" % h.closed_port()
            r = self.check(sim, res, extra=["--endpoint-url", url])
            self.assert_untouched(sim, res, r, 1)
            self.assertIn(url, r.err, r)
            self.assertLess(r.elapsed, 10, r)
            r = self.switchover(sim, res, extra=["--endpoint-url", url])
            self.assert_untouched(sim, res, r, 1)
            self.assertIn(url, r.err, r)
        self.for_both(case)


class TwoOperators(FaultCase):
    """Concurrent `switchover --to node1` and `--to node2`, from a state neither target
    holds (the VIP split across the tables, the EIP unassociated), with 100 ms latency so
    the runs overlap. Whatever the final state, a run that exits 0 got its target, and the
    following check tells the truth."""

    def test_concurrent_switchovers_never_both_claim_success(self):
        def case(res):
            sim = self.start_sim("--latency-ms", "100")
            env = self.env(sim)
            if res == "vip":
                prep = h.run(["--region", "us-east-1", "--endpoint-url", sim.url, "api", "ReplaceRoute", "RouteTableId=" + h.RTB_PRIVATE_A,
                              "DestinationCidrBlock=" + h.VIP,
                              "NetworkInterfaceId=" + h.NODE_ENI["vip"]["node2"]], env)
            else:
                assoc = [a for a in sim.state()["addresses"] if a["allocation_id"] == h.EIP_ALLOCATION]
                prep = h.run(["--region", "us-east-1", "--endpoint-url", sim.url, "api", "DisassociateAddress",
                              "AssociationId=" + assoc[0]["association"]["id"]], env)
            self.assertEqual(prep.code, 0, prep)
            self.assertNotIn(sim.holder(res), ("node1", "node2"))
            runs = h.run_parallel([
                lambda: self.switchover(sim, res, env=env, target="node1"),
                lambda: self.switchover(sim, res, env=env, target="node2"),
            ])
            final = sim.holder(res)
            for target, r in zip(("node1", "node2"), runs):
                if r.code == 0:
                    self.assertEqual(final, target, "claimed success but the final state is %s: %r" % (final, r))
                else:
                    self.assertIn(r.code, (1, 5), r)
                    self.assertRegex(r.err, r"(?m)^ec2rk: error: ", r)
            self.assertFalse(runs[0].code == 0 and runs[1].code == 0, runs)
            for expect in ("node1", "node2"):
                c = self.check(sim, res, expect=expect, env=env)
                self.assert_check_truthful(sim, res, c, expect)
                self.assertIn(c.code, (0, 3), c)
        self.for_both(case)


if __name__ == "__main__":
    unittest.main(verbosity=2)
