"""ec2rk-sim driven by the AWS CLI (a client nobody here wrote), over HTTP and HTTPS."""

import json
import os
import unittest

import simproc as sp


class AwsCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        sp.require_sim(cls)
        sp.require_aws(cls)
        cls.sim = sp.Sim()

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()

    def setUp(self):
        self.sim.reset()

    def run_ok(self, *args, **kw):
        result = sp.aws(self.sim, *args, **kw)
        self.assertEqual(result.returncode, 0, result.stderr[-2000:])
        return json.loads(result.stdout) if result.stdout.strip() else {}

    def test_describe_route_tables_with_the_destination_filter_finds_both_private_tables(self):
        out = self.run_ok("describe-route-tables", "--filters", "Name=vpc-id,Values=" + sp.VPC,
                          "Name=route.destination-cidr-block,Values=" + sp.VIP)
        ids = [t["RouteTableId"] for t in out["RouteTables"]]
        self.assertEqual(ids, [sp.RTB_PRIVATE_A, sp.RTB_PRIVATE_B])
        for table in out["RouteTables"]:
            vip = [r for r in table["Routes"] if r["DestinationCidrBlock"] == sp.VIP][0]
            self.assertEqual(vip["NetworkInterfaceId"], sp.NODE1_ETH0)
            self.assertEqual(vip["InstanceId"], sp.NODE1)
            self.assertEqual(vip["InstanceOwnerId"], "123456789012")
            self.assertEqual(vip["State"], "active")

    def test_replace_route_moves_the_vip_and_the_state_shows_it(self):
        self.run_ok("replace-route", "--route-table-id", sp.RTB_PRIVATE_A, "--destination-cidr-block", sp.VIP,
                    "--network-interface-id", sp.NODE2_ETH0)
        state = self.sim.state()
        self.assertEqual(sp.vip_target(state, sp.RTB_PRIVATE_A), sp.NODE2_ETH0)
        self.assertEqual(sp.vip_target(state, sp.RTB_PRIVATE_B), sp.NODE1_ETH0)
        events = self.sim.events()
        self.assertEqual([e["type"] for e in events if e["type"] != "reset"], ["route_replaced"])
        out = self.run_ok("describe-route-tables", "--route-table-ids", sp.RTB_PRIVATE_A)
        vip = [r for r in out["RouteTables"][0]["Routes"] if r["DestinationCidrBlock"] == sp.VIP][0]
        self.assertEqual(vip["InstanceId"], sp.NODE2)

    def test_replace_route_on_a_table_without_the_route_reports_ec2s_error(self):
        result = sp.aws(self.sim, "replace-route", "--route-table-id", sp.RTB_PUBLIC_A, "--destination-cidr-block",
                        sp.VIP, "--network-interface-id", sp.NODE2_ETH0)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("InvalidParameterValue", result.stderr)
        self.assertIn("There is no route defined for '10.1.0.10/32' in the route table", result.stderr)

    def test_describe_addresses_shows_the_eip_on_node1(self):
        out = self.run_ok("describe-addresses", "--allocation-ids", sp.EIP)
        (a,) = out["Addresses"]
        self.assertEqual(a["PublicIp"], "203.0.113.10")
        self.assertEqual(a["NetworkInterfaceId"], sp.NODE1_ETH1)
        self.assertEqual(a["PrivateIpAddress"], "10.0.1.11")
        self.assertEqual(a["InstanceId"], sp.NODE1)
        self.assertEqual(a["AssociationId"], sp.EIP_ASSOC)

    def test_associate_address_moves_the_eip_without_a_gap(self):
        out = self.run_ok("associate-address", "--allocation-id", sp.EIP, "--network-interface-id", sp.NODE2_ETH1,
                          "--private-ip-address", "10.0.3.12", "--allow-reassociation")
        self.assertTrue(out["AssociationId"].startswith("eipassoc-"))
        a = sp.address(self.sim.state(), sp.EIP)
        self.assertEqual(a["association"]["network_interface_id"], sp.NODE2_ETH1)
        self.assertEqual(a["association"]["id"], out["AssociationId"])
        types = [e["type"] for e in self.sim.events() if e["type"] != "reset"]
        self.assertEqual(types, ["address_associated"])  # never disassociated in between

    def test_associate_address_without_reassociation_is_refused(self):
        result = sp.aws(self.sim, "associate-address", "--allocation-id", sp.EIP, "--network-interface-id",
                        sp.NODE2_ETH1, "--no-allow-reassociation")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("Resource.AlreadyAssociated", result.stderr)

    def test_describe_network_interfaces_shows_the_route_target_with_source_dest_check_off(self):
        out = self.run_ok("describe-network-interfaces", "--network-interface-ids", sp.NODE1_ETH0, sp.NODE2_ETH0)
        enis = out["NetworkInterfaces"]
        self.assertEqual([e["NetworkInterfaceId"] for e in enis], [sp.NODE1_ETH0, sp.NODE2_ETH0])
        self.assertEqual([e["SourceDestCheck"] for e in enis], [False, False])
        self.assertEqual([e["Attachment"]["InstanceId"] for e in enis], [sp.NODE1, sp.NODE2])

    def test_describe_instances_finds_the_nodes_by_name(self):
        out = self.run_ok("describe-instances", "--filters", "Name=tag:Name,Values=node1,node2")
        instances = [i for r in out["Reservations"] for i in r["Instances"]]
        self.assertEqual([i["InstanceId"] for i in instances], [sp.NODE1, sp.NODE2])
        self.assertEqual([i["State"]["Name"] for i in instances], ["running", "running"])
        self.assertEqual(len(instances[0]["NetworkInterfaces"]), 2)

    def test_modify_network_interface_attribute_turns_source_dest_check_on(self):
        self.run_ok("modify-network-interface-attribute", "--network-interface-id", sp.NODE1_ETH0,
                    "--source-dest-check")
        eni = [e for e in self.sim.state()["network_interfaces"] if e["id"] == sp.NODE1_ETH0][0]
        self.assertTrue(eni["source_dest_check"])

    def test_a_wrong_secret_gets_signature_does_not_match(self):
        result = sp.aws(self.sim, "describe-route-tables", secret="wrong" + sp.SECRET)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SignatureDoesNotMatch", result.stderr)

    def test_an_unknown_key_gets_auth_failure(self):
        result = sp.aws(self.sim, "describe-route-tables", key="AKIDNOTKNOWN")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("AuthFailure", result.stderr)

    def test_dry_run_reports_dry_run_operation(self):
        result = sp.aws(self.sim, "replace-route", "--route-table-id", sp.RTB_PRIVATE_A, "--destination-cidr-block",
                        sp.VIP, "--network-interface-id", sp.NODE2_ETH0, "--dry-run")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DryRunOperation", result.stderr)
        self.assertEqual(sp.vip_target(self.sim.state(), sp.RTB_PRIVATE_A), sp.NODE1_ETH0)


class AwsCliThrottleTest(unittest.TestCase):
    def test_the_cli_retries_request_limit_exceeded_under_throttle_1_1(self):
        sp.require_sim(self)
        sp.require_aws(self)
        with sp.Sim("--throttle", "1:1", "--route-tables", "10") as sim:
            # Three pages back to back from one bucket of one token refilled once a second.
            result = sp.aws(sim, "describe-route-tables", "--page-size", "5", debug=True,
                            env_extra={"AWS_MAX_ATTEMPTS": "20", "AWS_RETRY_MODE": "standard"})
            self.assertEqual(result.returncode, 0, result.stderr[-3000:])
            self.assertEqual(len(json.loads(result.stdout)["RouteTables"]), 15)
            self.assertIn("RequestLimitExceeded", result.stderr)
            self.assertIn("Retry needed", result.stderr)


class AwsCliHttpsTest(unittest.TestCase):
    def test_the_same_calls_work_over_https_with_the_ca_bundle(self):
        sp.require_sim(self)
        sp.require_aws(self)
        import tempfile
        tmp = tempfile.mkdtemp(prefix="ec2rk-sim-ca-")
        ca = os.path.join(tmp, "ca.pem")
        with sp.Sim("--https", "--ca-out", ca) as sim:
            self.assertTrue(sim.url.startswith("https://127.0.0.1:"))
            result = sp.aws(sim, "describe-route-tables", "--filters", "Name=route.destination-cidr-block,Values=" + sp.VIP,
                            ca_bundle=ca)
            self.assertEqual(result.returncode, 0, result.stderr[-2000:])
            self.assertEqual(len(json.loads(result.stdout)["RouteTables"]), 2)
            result = sp.aws(sim, "replace-route", "--route-table-id", sp.RTB_PRIVATE_B, "--destination-cidr-block",
                            sp.VIP, "--network-interface-id", sp.NODE2_ETH0, ca_bundle=ca)
            self.assertEqual(result.returncode, 0, result.stderr[-2000:])
            result = sp.aws(sim, "associate-address", "--allocation-id", sp.EIP, "--network-interface-id",
                            sp.NODE2_ETH1, ca_bundle=ca)
            self.assertEqual(result.returncode, 0, result.stderr[-2000:])
            sim.ca_file = ca
            state = sim.state()  # over TLS too, verified against the same CA
            self.assertEqual(sp.vip_target(state, sp.RTB_PRIVATE_B), sp.NODE2_ETH0)
            self.assertEqual(sp.address(state, sp.EIP)["association"]["network_interface_id"], sp.NODE2_ETH1)
            # Without the CA the CLI refuses the certificate.
            result = sp.aws(sim, "describe-vpcs", env_extra={"AWS_MAX_ATTEMPTS": "1"})
            self.assertNotEqual(result.returncode, 0)
            self.assertIn("SSL", result.stderr)
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
