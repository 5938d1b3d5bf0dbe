"""ec2rk-sim's own surface: /_sim/state, /_sim/events, /_sim/reset, --write-config,
--scenario FILE, --route-tables, --help, bad flags and a clean exit on SIGTERM/SIGINT."""

import json
import os
import re
import signal
import subprocess
import tempfile
import time
import unittest

import simproc as sp

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None

EXAMPLE_JSON = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "sim", "scenarios",
                            "example.json")


class EndpointTest(unittest.TestCase):
    def setUp(self):
        sp.require_sim(self)
        self.tmp = tempfile.mkdtemp(prefix="ec2rk-sim-ep-")

    def tearDown(self):
        for name in os.listdir(self.tmp):
            os.remove(os.path.join(self.tmp, name))
        os.rmdir(self.tmp)

    def test_state_lists_every_resource_and_no_secret(self):
        with sp.Sim() as sim:
            state = sim.state()
            self.assertEqual(state["name"], "example")
            self.assertEqual(len(state["route_tables"]), 5)
            self.assertEqual(len(state["network_interfaces"]), 6)
            self.assertEqual(len(state["instances"]), 4)
            self.assertEqual(state["ec2rk"]["nodes"], {"node1": sp.NODE1, "node2": sp.NODE2})
            self.assertNotIn(sp.SECRET, json.dumps(state))

    def test_the_event_log_measures_how_long_an_eip_had_no_association(self):
        with sp.Sim() as sim:
            self.assertEqual(sim.ec2({"Action": "DisassociateAddress", "AssociationId": sp.EIP_ASSOC})[0], 200)
            time.sleep(0.05)
            self.assertEqual(sim.ec2({"Action": "AssociateAddress", "AllocationId": sp.EIP,
                                      "NetworkInterfaceId": sp.NODE2_ETH1})[0], 200)
            events = sim.events()
            self.assertEqual([e["type"] for e in events], ["address_disassociated", "address_associated"])
            gap_ms = events[1]["time_ms"] - events[0]["time_ms"]
            self.assertGreaterEqual(gap_ms, 50)
            self.assertEqual(events[0]["before"]["network_interface_id"], sp.NODE1_ETH1)
            self.assertIsNone(events[0]["after"])
            self.assertIsNone(events[1]["before"])
            self.assertEqual(events[1]["after"]["network_interface_id"], sp.NODE2_ETH1)
            self.assertTrue(all(abs(e["time_ms"] / 1000 - time.time()) < 120 for e in events))
            self.assertEqual(sim.events(since=events[0]["seq"]), events[1:])
            # A route change is logged with before and after, and each event names its request.
            status, headers, _ = sim.ec2({"Action": "ReplaceRoute", "RouteTableId": sp.RTB_PRIVATE_B,
                                          "DestinationCidrBlock": sp.VIP, "NetworkInterfaceId": sp.NODE2_ETH0})
            last = sim.events()[-1]
            self.assertEqual(last["type"], "route_replaced")
            self.assertEqual(last["before"]["network_interface_id"], sp.NODE1_ETH0)
            self.assertEqual(last["after"]["network_interface_id"], sp.NODE2_ETH0)
            self.assertEqual(last["request_id"], headers["x-amzn-RequestId"])

    def test_reset_restores_the_scenario(self):
        with sp.Sim() as sim:
            sim.ec2({"Action": "ReplaceRoute", "RouteTableId": sp.RTB_PRIVATE_A, "DestinationCidrBlock": sp.VIP,
                     "NetworkInterfaceId": sp.NODE2_ETH0})
            self.assertEqual(sp.vip_target(sim.state(), sp.RTB_PRIVATE_A), sp.NODE2_ETH0)
            sim.reset()
            self.assertEqual(sp.vip_target(sim.state(), sp.RTB_PRIVATE_A), sp.NODE1_ETH0)
            self.assertEqual([e["type"] for e in sim.events()], ["reset"])

    def test_write_config_is_there_when_the_listening_line_is(self):
        path = os.path.join(self.tmp, "ec2rk.toml")
        with sp.Sim("--write-config", path) as sim:
            with open(path) as f:
                text = f.read()
            self.assertIn('endpoint_url = "%s"\n' % sim.url, text)
            self.assertTrue(text.startswith('# ec2rk configuration for ec2rk-sim scenario "example"\n'))
            if tomllib:
                cfg = tomllib.loads(text)
                self.assertEqual(cfg["region"], "us-east-1")
                self.assertEqual(cfg["nodes"]["node2"]["instance_id"], sp.NODE2)
                self.assertEqual(cfg["routes"]["vip"], {"vpc_id": sp.VPC, "destination": sp.VIP,
                                                        "eni": {"node1": sp.NODE1_ETH0, "node2": sp.NODE2_ETH0}})
                self.assertEqual(cfg["eips"]["eip"]["allocation_id"], sp.EIP)
                self.assertEqual(cfg["eips"]["eip"]["eni"], {"node1": sp.NODE1_ETH1, "node2": sp.NODE2_ETH1})
                self.assertEqual(cfg["eips"]["eip"]["private_ip"], {"node1": "10.0.1.11", "node2": "10.0.3.12"})

    def test_route_tables_adds_fixed_extra_tables_with_the_vip_route(self):
        with sp.Sim("--route-tables", "3") as sim:
            ids = [t["id"] for t in sim.state()["route_tables"]]
            self.assertEqual(ids[-3:], ["rtb-0ec2000000e000001", "rtb-0ec2000000e000002", "rtb-0ec2000000e000003"])
            for table_id in ids[-3:]:
                self.assertEqual(sp.vip_target(sim.state(), table_id), sp.NODE1_ETH0)
            status, _, body = sim.ec2({"Action": "DescribeRouteTables", "Filter.1.Name": "route.destination-cidr-block",
                                       "Filter.1.Value.1": sp.VIP})
            self.assertEqual(status, 200)
            self.assertEqual(len(set(re.findall(r"<routeTableId>(rtb-[0-9a-f]+)</routeTableId>", body))), 5)

    def test_a_scenario_file_replaces_the_example(self):
        scenario = {
            "name": "tiny", "region": "eu-west-1", "availability_zones": {"eu-west-1a": "euw1-az1"},
            "credentials": [{"access_key_id": "AKIDTINY", "secret_access_key": "tiny-secret"}],
            "vpcs": [{"id": "vpc-0000000000000aaaa", "cidr": "172.31.0.0/16"}],
            "subnets": [{"id": "subnet-000000000000aaaa", "vpc_id": "vpc-0000000000000aaaa", "cidr": "172.31.1.0/24",
                         "availability_zone": "eu-west-1a"}],
            "instances": [{"id": "i-000000000000000aa"}],
            "network_interfaces": [{"id": "eni-000000000000000aa", "subnet_id": "subnet-000000000000aaaa",
                                    "mac": "02:00:00:00:00:aa", "private_ips": ["172.31.1.10"],
                                    "attachment": {"instance_id": "i-000000000000000aa"}}],
            "route_tables": [{"id": "rtb-000000000000000aa", "vpc_id": "vpc-0000000000000aaaa",
                              "routes": [{"destination": "192.168.0.1/32",
                                          "network_interface_id": "eni-000000000000000aa"}]}],
            "ec2rk": {"nodes": {"a": "i-000000000000000aa"}},
        }
        path = os.path.join(self.tmp, "tiny.json")
        with open(path, "w") as f:
            json.dump(scenario, f)
        config = os.path.join(self.tmp, "tiny.toml")
        with sp.Sim("--scenario", path, "--write-config", config) as sim:
            self.assertEqual(sim.state()["name"], "tiny")
            status, _, body = sim.ec2({"Action": "DescribeRouteTables"}, key="AKIDTINY", secret="tiny-secret",
                                      region="eu-west-1")
            self.assertEqual(status, 200, body)
            self.assertIn("<routeTableId>rtb-000000000000000aa</routeTableId>", body)
            self.assertIn("<destinationCidrBlock>172.31.0.0/16</destinationCidrBlock>", body)  # local route added
            self.assertEqual(sim.ec2({"Action": "DescribeVpcs"})[0], 401)  # the example key is not in this one
            with open(config) as f:
                self.assertIn('[nodes.a]\ninstance_id = "i-000000000000000aa"\n', f.read())

    def test_the_scenario_example_in_the_readme_loads_and_behaves_as_documented(self):
        readme = os.path.join(os.path.dirname(EXAMPLE_JSON), "..", "README.md")
        with open(readme) as f:
            block = re.search(r"```json\n(.*?)```", f.read(), re.S).group(1)
        path = os.path.join(self.tmp, "readme.json")
        with open(path, "w") as f:
            f.write(block)
        with sp.Sim("--scenario", path) as sim:
            state = sim.state()
            self.assertEqual(state["name"], "two-nodes")
            routes = {r["destination"]: r["state"] for r in state["route_tables"][0]["routes"]}
            self.assertEqual(routes, {"172.31.0.0/16": "active", "0.0.0.0/0": "active",
                                      "192.168.100.1/32": "blackhole", "192.168.100.2/32": "blackhole"})
            status, _, body = sim.ec2({"Action": "ModifyNetworkInterfaceAttribute",
                                       "NetworkInterfaceId": "eni-00000000000000a01", "SourceDestCheck.Value": "true",
                                       "DryRun": "true"},
                                      key="AKIDTWONODES", secret="two-nodes-secret", region="eu-west-1")
            self.assertEqual((status, sp.error_code(body)), (403, "UnauthorizedOperation"))

    def test_the_example_json_file_is_the_built_in_scenario(self):
        with sp.Sim() as builtin, sp.Sim("--scenario", EXAMPLE_JSON) as from_file:
            a, b = builtin.state(), from_file.state()
            for key in ("now_ms",):
                a.pop(key), b.pop(key)
            self.assertEqual(a, b)

    def test_bad_scenarios_and_flags_exit_2_with_a_message(self):
        bad = os.path.join(self.tmp, "bad.json")
        with open(bad, "w") as f:
            f.write('{"region": "us-east-1", "vpcs": [{"id": "vpc-1"}]}')
        for args, needle in ((["--scenario", bad], 'missing "cidr"'),
                             (["--scenario", os.path.join(self.tmp, "missing.json")], "cannot read"),
                             (["--throttle", "fast"], "--throttle"),
                             (["--fail", "replace-route"], "--fail"),
                             (["--imds", "node9=0"], "node9"),
                             (["--imds", "node1"], "NODE=PORT"),
                             (["--ca-out", os.path.join(self.tmp, "ca.pem")], "--https")):
            result = subprocess.run([sp.SIM, *args], capture_output=True, text=True, timeout=30)
            self.assertEqual(result.returncode, 2, args)
            self.assertIn(needle, result.stderr, args)
            self.assertEqual(result.stdout, "")
        result = subprocess.run([sp.SIM, "--error-rate", "2"], capture_output=True, text=True, timeout=30)
        self.assertNotEqual(result.returncode, 0)
        result = subprocess.run([sp.SIM, "--no-such-flag"], capture_output=True, text=True, timeout=30)
        self.assertNotEqual(result.returncode, 0)

    def test_help_lists_every_flag(self):
        result = subprocess.run([sp.SIM, "--help"], capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 0)
        for flag in ("--scenario", "--route-tables", "--port", "--https", "--ca-out", "--write-config", "--imds",
                     "--imds-credential-ttl-s", "--imds-token-ttl-cap-s", "--latency-ms", "--throttle",
                     "--error-rate", "--drop-rate", "--stale-ms", "--fail", "--clock-skew-s", "--seed", "--threads",
                     "--verbose", "--version"):
            self.assertIn(flag, result.stdout)

    def test_sigint_and_sigterm_stop_it_cleanly(self):
        for sig in (signal.SIGINT, signal.SIGTERM):
            sim = sp.Sim()
            sim.proc.send_signal(sig)
            self.assertEqual(sim.proc.wait(timeout=20), 0)
            sim.stop()

    def test_it_serves_many_concurrent_requests_in_parallel(self):
        import threading
        with sp.Sim("--latency-ms", "500", "--throttle", "off") as sim:
            results = []
            lock = threading.Lock()

            def one():
                status = sim.ec2({"Action": "DescribeVpcs"})[0]
                with lock:
                    results.append(status)

            threads = [threading.Thread(target=one) for _ in range(50)]
            started = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=60)
            elapsed = time.monotonic() - started
            self.assertEqual(results, [200] * 50)
            # 50 x 500 ms in sequence would take 25 s; a generous bound that only parallel serving meets.
            self.assertLess(elapsed, 12)


if __name__ == "__main__":
    unittest.main()
