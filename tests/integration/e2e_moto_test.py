#!/usr/bin/env python3
"""ec2rk list / check / switchover / check end to end against moto (an EC2 emulator nobody
here wrote) with SigV4 checking on: the test builds the example topology through moto's
API with boto3 (VPC, two private subnets with a route table each, two instances with two
ENIs each, the VIP route on node1, an Elastic IP on node1's second ENI), then drives ec2rk.

Usage: e2e_moto_test.py /path/to/ec2rk
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from moto_support import Moto  # noqa: E402

EC2RK = None
VIP = "10.1.0.10/32"


class MotoSwitchover(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        moto = cls.moto = Moto().start(user="ec2rk-e2e")
        cls.addClassCleanup(moto.stop)
        cls.endpoint, cls.akid, cls.secret = moto.endpoint, moto.akid, moto.secret

        ec2 = cls.ec2 = moto.client("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        image = ec2.describe_images()["Images"][0]["ImageId"]
        cls.vpc = vpc
        cls.tables, cls.vip_eni, cls.eip_eni, cls.instance = [], {}, {}, {}
        for node, cidr in (("node1", "10.0.2.0/24"), ("node2", "10.0.4.0/24")):
            subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr)["Subnet"]["SubnetId"]
            inst = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet)["Instances"][0]
            cls.instance[node] = inst["InstanceId"]
            cls.vip_eni[node] = inst["NetworkInterfaces"][0]["NetworkInterfaceId"]
            ec2.modify_network_interface_attribute(NetworkInterfaceId=cls.vip_eni[node],
                                                   SourceDestCheck={"Value": False})
            eth1 = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]
            ec2.attach_network_interface(NetworkInterfaceId=eth1, InstanceId=inst["InstanceId"], DeviceIndex=1)
            cls.eip_eni[node] = eth1
            rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
            ec2.associate_route_table(RouteTableId=rtb, SubnetId=subnet)
            cls.tables.append(rtb)
        for rtb in cls.tables:
            ec2.create_route(RouteTableId=rtb, DestinationCidrBlock=VIP, NetworkInterfaceId=cls.vip_eni["node1"])
        cls.allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
        ec2.associate_address(AllocationId=cls.allocation, NetworkInterfaceId=cls.eip_eni["node1"])

        cls.dir = tempfile.TemporaryDirectory(prefix="ec2rk-e2e-moto-")
        cls.addClassCleanup(cls.dir.cleanup)
        cls.config = os.path.join(cls.dir.name, "ec2rk.toml")
        with open(cls.config, "w") as f:
            f.write('region = "us-east-1"\nendpoint_url = "%s"\n' % cls.endpoint)
            for node in ("node1", "node2"):
                f.write('\n[nodes.%s]\ninstance_id = "%s"\n' % (node, cls.instance[node]))
            f.write('\n[routes.vip]\nvpc_id = "%s"\ndestination = "%s"\n[routes.vip.eni]\n' % (vpc, VIP))
            for node in ("node1", "node2"):
                f.write('%s = "%s"\n' % (node, cls.vip_eni[node]))
            f.write('\n[eips.web]\nallocation_id = "%s"\n[eips.web.eni]\n' % cls.allocation)
            for node in ("node1", "node2"):
                f.write('%s = "%s"\n' % (node, cls.eip_eni[node]))


    def ec2rk(self, *args, secret=None):
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.dir.name,  # no ~/.aws files
            "AWS_ACCESS_KEY_ID": self.akid,
            "AWS_SECRET_ACCESS_KEY": self.secret if secret is None else secret,
            "AWS_EC2_METADATA_DISABLED": "true",
            "EC2RK_CONFIG": self.config,
        }
        return subprocess.run([EC2RK] + list(args), env=env, capture_output=True, text=True, timeout=120)

    def vip_targets(self):
        out = []
        for t in self.ec2.describe_route_tables(RouteTableIds=self.tables)["RouteTables"]:
            out += [r.get("NetworkInterfaceId") for r in t["Routes"] if r.get("DestinationCidrBlock") == VIP]
        return out

    def eip_target(self):
        a = self.ec2.describe_addresses(AllocationIds=[self.allocation])["Addresses"][0]
        return a.get("NetworkInterfaceId")

    def test_list_check_switchover_check_and_back(self):
        r = self.ec2rk("list", "--output", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        listed = json.loads(r.stdout)
        self.assertEqual(sorted(t["route_table_id"] for t in listed["routes"][0]["tables"]), sorted(self.tables))
        self.assertEqual({t["node"] for t in listed["routes"][0]["tables"]}, {"node1"})
        self.assertEqual(listed["eips"][0]["node"], "node1")

        r = self.ec2rk("check")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

        r = self.ec2rk("switchover", "--to", "node2", "--yes", "--output", "json")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual([c["outcome"] for c in json.loads(r.stdout)["changes"]], ["changed"] * 3)
        self.assertEqual(self.vip_targets(), [self.vip_eni["node2"]] * 2)
        self.assertEqual(self.eip_target(), self.eip_eni["node2"])

        r = self.ec2rk("check", "--expect", "node2")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(self.ec2rk("check", "--expect", "node1").returncode, 3)

        r = self.ec2rk("switchover", "--to", "node2", "--yes", "--output", "json")  # again: nothing to do
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([c["outcome"] for c in json.loads(r.stdout)["changes"]], ["unchanged"] * 3)

        r = self.ec2rk("switchover", "--to", "node1", "--yes")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(self.vip_targets(), [self.vip_eni["node1"]] * 2)
        self.assertEqual(self.eip_target(), self.eip_eni["node1"])

    def test_a_wrong_secret_is_exit_1_not_drift(self):
        r = self.ec2rk("check", secret=self.secret[:-4] + "XXXX")
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertEqual(r.stdout, "")
        self.assertNotIn(self.secret[:-4], r.stderr)


if __name__ == "__main__":
    EC2RK = os.path.abspath(sys.argv[1])
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:], verbosity=2)
