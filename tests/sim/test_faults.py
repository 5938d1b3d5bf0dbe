"""One test per ec2rk-sim fault option, with a stdlib SigV4 client (fast and precise)."""

import http.client
import json
import os
import tempfile
import time
import unittest

import simproc as sp

REPLACE_A = {"Action": "ReplaceRoute", "RouteTableId": sp.RTB_PRIVATE_A, "DestinationCidrBlock": sp.VIP,
             "NetworkInterfaceId": sp.NODE2_ETH0}
REPLACE_B = dict(REPLACE_A, RouteTableId=sp.RTB_PRIVATE_B)
DESCRIBE_A = {"Action": "DescribeRouteTables", "RouteTableId.1": sp.RTB_PRIVATE_A}


def vip_in_body(body):
    # The VIP route is the last route of the private tables; its ENI is the last one listed.
    return body.rsplit("<networkInterfaceId>", 1)[1].split("<", 1)[0]


class FaultTest(unittest.TestCase):
    def setUp(self):
        sp.require_sim(self)

    def test_latency_delays_every_response_by_at_least_the_given_time(self):
        with sp.Sim("--latency-ms", "300") as sim:
            started = time.monotonic()
            status, _, _ = sim.ec2({"Action": "DescribeVpcs"})
            elapsed = time.monotonic() - started
            self.assertEqual(status, 200)
            self.assertGreaterEqual(elapsed, 0.29)
            # /_sim endpoints are not delayed (no lower bound to assert; just that they answer).
            self.assertEqual(sim.request("GET", "/_sim/state")[0], 200)

    def test_error_rate_1_answers_500_internal_error_or_503_unavailable(self):
        with sp.Sim("--error-rate", "1.0", "--seed", "3") as sim:
            seen = set()
            for _ in range(20):
                status, _, body = sim.ec2(REPLACE_A)
                seen.add((status, sp.error_code(body)))
            self.assertEqual(seen, {(500, "InternalError"), (503, "Unavailable")})
            self.assertEqual(sp.vip_target(sim.state(), sp.RTB_PRIVATE_A), sp.NODE1_ETH0)

    def test_the_seed_makes_random_faults_repeatable(self):
        runs = []
        for _ in range(2):
            with sp.Sim("--error-rate", "0.5", "--seed", "7") as sim:
                runs.append([sim.ec2({"Action": "DescribeVpcs"})[0] for _ in range(16)])
        self.assertEqual(runs[0], runs[1])
        self.assertIn(200, runs[0])
        self.assertTrue(set(runs[0]) - {200})

    def test_drop_rate_1_closes_the_connection_without_a_response(self):
        with sp.Sim("--drop-rate", "1.0") as sim:
            for method in ("POST", "GET"):
                with self.assertRaises((http.client.RemoteDisconnected, ConnectionResetError, http.client.BadStatusLine)):
                    sim.ec2({"Action": "DescribeVpcs"}, method=method)
            self.assertEqual(sim.request("GET", "/_sim/state")[0], 200)  # /_sim is never dropped
            # Also over TLS.
        tmp = tempfile.mkdtemp(prefix="ec2rk-sim-ca-")
        ca = os.path.join(tmp, "ca.pem")
        with sp.Sim("--drop-rate", "1.0", "--https", "--ca-out", ca) as sim:
            sim.ca_file = ca
            with self.assertRaises((http.client.RemoteDisconnected, ConnectionResetError, http.client.BadStatusLine,
                                    OSError)):
                sim.ec2({"Action": "DescribeVpcs"})
        os.remove(ca)
        os.rmdir(tmp)

    def test_stale_reads_show_the_old_route_until_the_window_passes(self):
        with sp.Sim("--stale-ms", "1500") as sim:
            status, _, _ = sim.ec2(REPLACE_A)
            self.assertEqual(status, 200)
            status, _, body = sim.ec2(DESCRIBE_A)
            self.assertEqual(vip_in_body(body), sp.NODE1_ETH0)  # stale
            self.assertEqual(sp.vip_target(sim.state(), sp.RTB_PRIVATE_A), sp.NODE2_ETH0)  # the truth
            deadline = time.monotonic() + 30
            seen = None
            while time.monotonic() < deadline:
                seen = vip_in_body(sim.ec2(DESCRIBE_A)[2])
                if seen == sp.NODE2_ETH0:
                    break
                time.sleep(0.2)
            self.assertEqual(seen, sp.NODE2_ETH0)

    def test_fail_action_and_resource_returns_unauthorized_operation_for_that_call_only(self):
        with sp.Sim("--fail", "ReplaceRoute:" + sp.RTB_PRIVATE_A, "--fail", "DisassociateAddress") as sim:
            status, _, body = sim.ec2(REPLACE_A)
            self.assertEqual((status, sp.error_code(body)), (403, "UnauthorizedOperation"))
            self.assertIn("route-table/" + sp.RTB_PRIVATE_A, body)
            self.assertEqual(sim.ec2(REPLACE_B)[0], 200)
            status, _, body = sim.ec2({"Action": "DisassociateAddress", "AssociationId": sp.EIP_ASSOC})
            self.assertEqual((status, sp.error_code(body)), (403, "UnauthorizedOperation"))
            state = sim.state()
            self.assertEqual(sp.vip_target(state, sp.RTB_PRIVATE_A), sp.NODE1_ETH0)
            self.assertEqual(sp.vip_target(state, sp.RTB_PRIVATE_B), sp.NODE2_ETH0)

    def test_clock_skew_refuses_a_client_that_does_not_correct_from_the_date_header(self):
        with sp.Sim("--clock-skew-s", "900") as sim:
            status, headers, body = sim.ec2({"Action": "DescribeVpcs"})
            self.assertEqual((status, sp.error_code(body)), (401, "AuthFailure"))
            server_time = sp.http_date_seconds(headers)
            self.assertIsNotNone(server_time)
            self.assertLess(abs(server_time - time.time() - 900), 120)
            # Correcting from Date gets through.
            status, _, _ = sim.ec2({"Action": "DescribeVpcs"}, when=server_time)
            self.assertEqual(status, 200)

    def test_every_response_carries_a_date_header(self):
        with sp.Sim() as sim:
            _, headers, _ = sim.ec2({"Action": "DescribeVpcs"})
            self.assertLess(abs(sp.http_date_seconds(headers) - time.time()), 120)

    def test_throttle_burst_rate_answers_503_request_limit_exceeded(self):
        with sp.Sim("--throttle", "2:0.1") as sim:
            self.assertEqual(sim.ec2(DESCRIBE_A)[0], 200)
            self.assertEqual(sim.ec2(DESCRIBE_A)[0], 200)
            status, _, body = sim.ec2(DESCRIBE_A)
            self.assertEqual((status, sp.error_code(body)), (503, "RequestLimitExceeded"))
            self.assertEqual(sim.ec2({"Action": "DescribeVpcs"})[0], 200)  # another action's bucket

    def test_throttle_off_never_throttles(self):
        with sp.Sim("--throttle", "off") as sim:
            statuses = {sim.ec2(REPLACE_A)[0] for _ in range(60)}
            self.assertEqual(statuses, {200})

    def test_the_default_throttle_is_ec2s_mutating_burst_of_50(self):
        with sp.Sim() as sim:
            # At least the burst succeeds; calls faster than 5/s then hit the empty bucket.
            statuses = []
            while len(statuses) < 300 and 503 not in statuses:
                statuses.append(sim.ec2(REPLACE_A)[0])
            self.assertIn(503, statuses)
            self.assertGreaterEqual(statuses.index(503), 50)
            self.assertEqual(set(statuses[:50]), {200})

    def test_denied_actions_in_a_scenario_file_drive_dry_run_answers(self):
        with open(os.path.join(os.path.dirname(__file__), "..", "..", "sim", "scenarios", "example.json")) as f:
            scenario = json.load(f)
        scenario["denied_actions"] = ["ReplaceRoute"]
        tmp = tempfile.mkdtemp(prefix="ec2rk-sim-scn-")
        path = os.path.join(tmp, "denied.json")
        with open(path, "w") as f:
            json.dump(scenario, f)
        try:
            with sp.Sim("--scenario", path) as sim:
                status, _, body = sim.ec2(dict(REPLACE_A, DryRun="true"))
                self.assertEqual((status, sp.error_code(body)), (403, "UnauthorizedOperation"))
                self.assertIn("Encoded authorization failure message: ", body)
                status, _, body = sim.ec2(dict(DESCRIBE_A, DryRun="true"))
                self.assertEqual((status, sp.error_code(body)), (412, "DryRunOperation"))
        finally:
            os.remove(path)
            os.rmdir(tmp)

    def test_wrong_region_in_the_scope_and_get_query_strings(self):
        with sp.Sim() as sim:
            status, _, body = sim.ec2({"Action": "DescribeVpcs"}, region="eu-west-1")
            self.assertEqual((status, sp.error_code(body)), (401, "AuthFailure"))
            status, _, body = sim.ec2({"Action": "DescribeVpcs"}, method="GET")
            self.assertEqual(status, 200, body)
            status, _, body = sim.request("GET", "/?Action=DescribeVpcs&Version=2016-11-15")
            self.assertEqual((status, sp.error_code(body)), (401, "AuthFailure"))


if __name__ == "__main__":
    unittest.main()
