#!/usr/bin/env python3
"""ec2rk api against moto (an EC2 emulator nobody here wrote) with SigV4 checking on.

moto starts with INITIAL_NO_AUTH_ACTION_COUNT=3: the first three requests (IAM CreateUser,
PutUserPolicy, CreateAccessKey, made with boto3) are not authenticated; every later request,
boto3's and ec2rk's, must carry a valid SigV4 signature for that user's access key: moto
recomputes it from the request (re-encoding the form body as botocore does) with the
user's secret, and answers SignatureDoesNotMatch / AuthFailure otherwise.

Usage: moto_test.py /path/to/ec2rk
"""
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from moto_support import Moto  # noqa: E402

EC2RK = None


class MotoEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        moto = cls.moto = Moto().start(user="ec2rk-itest")
        cls.addClassCleanup(moto.stop)
        cls.endpoint, cls.akid, cls.secret = moto.endpoint, moto.akid, moto.secret

        # From here on moto verifies signatures: boto3 signs with the new key too.
        ec2 = moto.client("ec2")
        cls.ec2 = ec2
        cls.vpc_a = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        cls.vpc_b = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
        cls.rtb_a1 = ec2.create_route_table(VpcId=cls.vpc_a)["RouteTable"]["RouteTableId"]
        cls.rtb_a2 = ec2.create_route_table(VpcId=cls.vpc_a)["RouteTable"]["RouteTableId"]
        cls.rtb_b1 = ec2.create_route_table(VpcId=cls.vpc_b)["RouteTable"]["RouteTableId"]
        subnet = ec2.create_subnet(VpcId=cls.vpc_a, CidrBlock="10.0.2.0/24")["Subnet"]["SubnetId"]
        cls.eni = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]
        image = ec2.describe_images()["Images"][0]["ImageId"]
        cls.instances = []
        for _ in range(7):  # one reservation each: moto pages DescribeInstances by reservation
            r = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet)
            cls.instances.append(r["Instances"][0]["InstanceId"])

    def ec2rk(self, *args, secret=None):
        home = tempfile.mkdtemp()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": home,  # no ~/.aws files
            "AWS_ACCESS_KEY_ID": self.akid,
            "AWS_SECRET_ACCESS_KEY": self.secret if secret is None else secret,
            "AWS_EC2_METADATA_DISABLED": "true",
        }
        cmd = [EC2RK, "api"] + list(args) + ["--endpoint-url", self.endpoint, "--region", "us-east-1"]
        r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        os.rmdir(home)
        return r

    def test_describe_route_tables_with_the_right_key(self):
        r = self.ec2rk("DescribeRouteTables")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        self.assertIn("<DescribeRouteTablesResponse", r.stdout)
        for rtb in (self.rtb_a1, self.rtb_a2, self.rtb_b1):
            self.assertIn("<routeTableId>%s</routeTableId>" % rtb, r.stdout)

    def test_a_wrong_secret_is_rejected_by_signature_verification(self):
        r = self.ec2rk("DescribeRouteTables", secret=self.secret[:-4] + "XXXX")
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertEqual(r.stdout, "")
        self.assertRegex(r.stderr, r"^ec2rk: error: .*\((SignatureDoesNotMatch|AuthFailure)")
        self.assertNotIn(self.secret[:-4], r.stderr)

    def test_a_filter_narrows_the_result(self):
        r = self.ec2rk("DescribeRouteTables", "Filter.1.Name=vpc-id", "Filter.1.Value.1=" + self.vpc_a)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(self.rtb_a1, r.stdout)
        self.assertIn(self.rtb_a2, r.stdout)
        self.assertNotIn(self.rtb_b1, r.stdout)
        self.assertNotIn(self.vpc_b, r.stdout)

    def test_paging_with_max_results_and_next_token(self):
        # moto does not page DescribeRouteTables (it ignores MaxResults there), so paging is
        # proven on DescribeInstances, which moto pages by reservation.
        first = self.ec2rk("DescribeInstances", "MaxResults=5")
        self.assertEqual(first.returncode, 0, first.stderr)
        page1 = re.findall(r"<instanceId>(i-[0-9a-f]+)</instanceId>", first.stdout)
        token = re.search(r"<nextToken>([^<]+)</nextToken>", first.stdout)
        self.assertIsNotNone(token, first.stdout)
        self.assertEqual(len(set(page1)), 5)
        second = self.ec2rk("DescribeInstances", "MaxResults=5", "NextToken=" + token.group(1))
        self.assertEqual(second.returncode, 0, second.stderr)
        page2 = re.findall(r"<instanceId>(i-[0-9a-f]+)</instanceId>", second.stdout)
        self.assertNotIn("<nextToken>", second.stdout.replace("<nextToken/>", ""))
        self.assertEqual(sorted(set(page1) | set(page2)), sorted(self.instances))
        self.assertEqual(set(page1) & set(page2), set())

    def test_a_mutation_with_characters_that_need_form_encoding(self):
        # '/' in the CIDR, and a space, '~' and '+' in the tag: moto re-encodes the parsed form
        # as botocore does before checking the signature, so any other encoding fails here.
        r = self.ec2rk("CreateRoute", "RouteTableId=" + self.rtb_a1, "DestinationCidrBlock=10.1.0.10/32",
                       "NetworkInterfaceId=" + self.eni)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("<return>true</return>", r.stdout)
        value = "ec2rk vip/route ~a+b"
        r = self.ec2rk("CreateTags", "ResourceId.1=" + self.rtb_a1, "Tag.1.Key=Name", "Tag.1.Value=" + value)
        self.assertEqual(r.returncode, 0, r.stderr)
        table = self.ec2.describe_route_tables(RouteTableIds=[self.rtb_a1])["RouteTables"][0]
        self.assertIn({"Key": "Name", "Value": value}, table["Tags"])
        routes = [rt for rt in table["Routes"] if rt.get("DestinationCidrBlock") == "10.1.0.10/32"]
        self.assertEqual(len(routes), 1)
        self.assertEqual(routes[0].get("NetworkInterfaceId"), self.eni)

    def test_dry_run_is_an_error_with_code_and_request_id(self):
        # (moto honours DryRun on CreateTags, not on DescribeRouteTables.)
        r = self.ec2rk("CreateTags", "ResourceId.1=" + self.rtb_b1, "Tag.1.Key=k", "Tag.1.Value=v",
                       "DryRun=true")
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"^ec2rk: error: .*\(DryRunOperation, request id [^)]+\)\n$")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: moto_test.py /path/to/ec2rk")
    EC2RK = sys.argv.pop(1)
    unittest.main(verbosity=2)
