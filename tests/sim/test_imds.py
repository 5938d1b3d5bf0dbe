"""ec2rk-sim's IMDSv2 endpoints: the token flow, instance facts, and expiring role credentials
that authenticate EC2 calls (with urllib, and with the AWS CLI's own IMDS client)."""

import json
import time
import unittest
import urllib.error
import urllib.request

import simproc as sp


def put_token(base, ttl="21600", headers=None):
    req = urllib.request.Request(base + "/latest/api/token", method="PUT",
                                 headers=dict({"X-aws-ec2-metadata-token-ttl-seconds": ttl}, **(headers or {})))
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.read().decode()


def get(base, path, token):
    headers = {"X-aws-ec2-metadata-token": token} if token else {}
    req = urllib.request.Request(base + "/latest/" + path, headers=headers)
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.read().decode()


def status_of(fn, *args, **kw):
    try:
        fn(*args, **kw)
        return 200
    except urllib.error.HTTPError as e:
        return e.code


class ImdsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        sp.require_sim(cls)
        cls.sim = sp.Sim("--imds", "node1=0", "--imds", "node2=0", "--imds-credential-ttl-s", "3",
                         "--imds-token-ttl-cap-s", "2", imds_lines=2)

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()

    def test_one_imds_line_per_node_follows_the_listening_line(self):
        self.assertEqual(sorted(self.sim.imds), ["node1", "node2"])
        for url in self.sim.imds.values():
            self.assertTrue(url.startswith("http://127.0.0.1:"))

    def test_the_token_flow_serves_each_nodes_facts(self):
        for node, instance, eni in (("node1", sp.NODE1, sp.NODE1_ETH0), ("node2", sp.NODE2, sp.NODE2_ETH0)):
            base = self.sim.imds[node]
            token = put_token(base)
            self.assertEqual(get(base, "meta-data/instance-id", token), instance)
            self.assertEqual(get(base, "meta-data/placement/region", token), "us-east-1")
            mac = get(base, "meta-data/mac", token)
            self.assertIn(mac + "/", get(base, "meta-data/network/interfaces/macs/", token).split("\n"))
            self.assertEqual(get(base, "meta-data/network/interfaces/macs/%s/interface-id" % mac, token), eni)
            doc = json.loads(get(base, "dynamic/instance-identity/document", token))
            self.assertEqual(doc["instanceId"], instance)

    def test_imdsv2_refusals(self):
        base = self.sim.imds["node1"]
        self.assertEqual(status_of(get, base, "meta-data/instance-id", None), 401)
        self.assertEqual(status_of(get, base, "meta-data/instance-id", "bogus"), 401)
        self.assertEqual(status_of(put_token, base, ttl="0"), 400)
        self.assertEqual(status_of(put_token, base, ttl="21601"), 400)
        self.assertEqual(status_of(put_token, base, headers={"X-Forwarded-For": "10.0.0.9"}), 403)
        # node1's token is no good on node2.
        self.assertEqual(status_of(get, self.sim.imds["node2"], "meta-data/instance-id", put_token(base)), 401)

    def test_tokens_expire_at_the_cap(self):
        base = self.sim.imds["node1"]
        token = put_token(base, ttl="21600")
        self.assertEqual(get(base, "meta-data/instance-id", token), sp.NODE1)
        time.sleep(2.2)
        self.assertEqual(status_of(get, base, "meta-data/instance-id", token), 401)

    def test_role_credentials_sign_ec2_calls_and_expire(self):
        base = self.sim.imds["node1"]
        token = put_token(base)
        role = get(base, "meta-data/iam/security-credentials/", token)
        self.assertEqual(role, "ec2rk-node")
        creds = json.loads(get(base, "meta-data/iam/security-credentials/" + role, token))
        self.assertEqual(creds["Code"], "Success")
        self.assertTrue(creds["AccessKeyId"].startswith("ASIA"))
        for field in ("SecretAccessKey", "Token", "Expiration", "LastUpdated", "Type"):
            self.assertIn(field, creds)
        call = lambda c, with_token=True: self.sim.ec2(
            {"Action": "DescribeVpcs"}, key=c["AccessKeyId"], secret=c["SecretAccessKey"],
            token=c["Token"] if with_token else None)
        self.assertEqual(call(creds)[0], 200)
        status, _, body = call(creds, with_token=False)
        self.assertEqual((status, sp.error_code(body)), (401, "AuthFailure"))
        time.sleep(3.2)  # --imds-credential-ttl-s 3
        status, _, body = call(creds)
        self.assertEqual((status, sp.error_code(body)), (401, "AuthFailure"))
        fresh = json.loads(get(base, "meta-data/iam/security-credentials/" + role, put_token(base)))
        self.assertNotEqual(fresh["AccessKeyId"], creds["AccessKeyId"])
        self.assertEqual(call(fresh)[0], 200)


class ImdsAwsCliTest(unittest.TestCase):
    def test_the_aws_cli_takes_its_credentials_from_the_simulated_imds(self):
        sp.require_sim(self)
        sp.require_aws(self)
        with sp.Sim("--imds", "node2=0", imds_lines=1) as sim:
            result = sp.aws(sim, "describe-instances", "--instance-ids", sp.NODE2, key="", secret="",
                            env_extra={"AWS_EC2_METADATA_DISABLED": "false",
                                       "AWS_EC2_METADATA_SERVICE_ENDPOINT": sim.imds["node2"] + "/"})
            self.assertEqual(result.returncode, 0, result.stderr[-2000:])
            self.assertIn(sp.NODE2, result.stdout)


if __name__ == "__main__":
    unittest.main()
