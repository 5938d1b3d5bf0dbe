"""Secrets end to end: the real ec2rk against ec2rk-sim with a distinctive secret key, a
session token and instance-profile credentials behind a known IMDS token. The secret key,
session token, IMDS token and SigV4 signatures must never appear in stdout or stderr of any
command, with --debug, with --output json, or on error paths. Also: the warning for a
credentials file readable by others, and plain http:// endpoints refused unless loopback.
Binaries: EC2RK_BIN, EC2RK_SIM_BIN; the example scenario from EC2RK_SOURCE_DIR."""

import json
import os
import re
import sys
import tempfile
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fault_harness as h  # noqa: E402

ACCESS_KEY = "AKIDSECRETSTEST00042"
SECRET = "Ec2rkSecretsTest/DoNotLeak+9f8e7d6c5b4a3210"
WRONG_SECRET = "Ec2rkWrongSecret/AlsoNeverShown+0123456789ab"
SIGNATURE = re.compile(r"[0-9a-f]{64}")


def forms(secret):
    """The ways a leaked secret could be spelled in output."""
    out = {secret, urllib.parse.quote(secret, safe=""), json.dumps(secret)[1:-1]}
    if len(secret) >= 24:
        out.add(secret[4:20])  # a fragment (partial masking is still a leak)
    return out


def scenario_file(directory):
    """The example scenario with a distinctive long-term key pair."""
    with open(os.path.join(h.SOURCE_DIR, "sim", "scenarios", "example.json")) as f:
        scenario = json.load(f)
    scenario["credentials"] = [{"access_key_id": ACCESS_KEY, "secret_access_key": SECRET}]
    path = os.path.join(directory, "scenario.json")
    with open(path, "w") as f:
        json.dump(scenario, f)
    return path


class SecretsCase(unittest.TestCase):
    def setUp(self):
        h.require_binaries()
        self.tmp = tempfile.mkdtemp(prefix="ec2rk-secrets-")
        self.runs = []

    def start_sim(self, *args, **kw):
        sim = h.Sim(*args, scenario=scenario_file(self.tmp), **kw)
        self.addCleanup(sim.stop)
        return sim

    def env(self, sim, **kw):
        env = h.base_env(sim, home=sim.dir, **kw)
        if "AWS_ACCESS_KEY_ID" in env:
            env["AWS_ACCESS_KEY_ID"] = ACCESS_KEY
            env["AWS_SECRET_ACCESS_KEY"] = SECRET
        return env

    def ec2rk(self, args, env):
        r = h.run(args, env)
        self.runs.append(r)
        return r

    def assert_no_secrets(self, *secrets):
        self.assertTrue(self.runs, "nothing was run")
        for r in self.runs:
            for stream, text in (("stdout", r.out), ("stderr", r.err)):
                for secret in secrets:
                    for form in forms(secret):
                        self.assertNotIn(form, text, "%s of %r leaks %r" % (stream, r.args, form))
                m = SIGNATURE.search(text)
                self.assertIsNone(m, "%s of %r holds a signature-like value %r" % (stream, r.args, m and m.group(0)))


class LongTermKeys(SecretsCase):
    def test_secret_key_and_signatures_never_appear_in_any_output(self):
        sim = self.start_sim()
        env = self.env(sim)
        ok = [
            ["--debug", "check"],
            ["--debug", "--output", "json", "check"],
            ["--debug", "list"],
            ["--debug", "--output", "json", "list"],
            ["--debug", "switchover", "--to", "node2", "--yes", "--timeout", "15"],
            ["--debug", "--output", "json", "switchover", "--to", "node1", "--yes", "--timeout", "15"],
            ["--debug", "switchover", "--to", "node2", "--dry-run"],
            ["--debug", "check", "--permissions"],
            ["--debug", "--region", "us-east-1", "--endpoint-url", sim.url, "api", "DescribeRouteTables"],
        ]
        for args in ok:
            r = self.ec2rk(args, env)
            self.assertEqual(r.code, 0, r)
        # The trace really carried signed requests, redacted.
        self.assertIn("Signature=<redacted>", self.runs[0].err)
        self.assertIn("Credential=****", self.runs[0].err)

        # Error paths: a refused signature (wrong secret), a DryRun answer, an unknown action.
        wrong = dict(env, AWS_SECRET_ACCESS_KEY=WRONG_SECRET)
        r = self.ec2rk(["--debug", "check"], wrong)
        self.assertEqual(r.code, 1, r)
        self.assertIn("SignatureDoesNotMatch", r.err)
        r = self.ec2rk(["--debug", "--output", "json", "check"], wrong)
        self.assertEqual(r.code, 1, r)
        api = ["--debug", "--region", "us-east-1", "--endpoint-url", sim.url, "api"]
        r = self.ec2rk(api + ["DescribeAddresses", "DryRun=true"], env)
        self.assertNotEqual(r.code, 0, r)
        r = self.ec2rk(api + ["NoSuchAction"], env)
        self.assertNotEqual(r.code, 0, r)
        self.assert_no_secrets(SECRET, WRONG_SECRET)

    def test_failed_changes_report_without_secrets(self):
        sim = self.start_sim("--fail", "ReplaceRoute:" + h.RTB_PRIVATE_B, "--fail", "AssociateAddress")
        env = self.env(sim)
        for args in (["--debug", "switchover", "--to", "node2", "--yes", "--timeout", "3"],
                     ["--debug", "--output", "json", "switchover", "--to", "node2", "--yes", "--timeout", "3"],
                     ["--debug", "repair", "--yes", "--timeout", "3"]):
            r = self.ec2rk(args, env)
            self.assertNotEqual(r.code, 0, r)
        self.assertIn("UnauthorizedOperation", self.runs[0].err)
        self.assert_no_secrets(SECRET)


class SessionToken(SecretsCase):
    def test_session_token_and_temporary_secret_never_appear(self):
        sim = self.start_sim(imds_nodes=["node1"])
        _, creds, imds_token = h.sim_role_credentials(sim.imds["node1"])
        env = self.env(sim, keys=False)
        env.update(AWS_ACCESS_KEY_ID=creds["AccessKeyId"], AWS_SECRET_ACCESS_KEY=creds["SecretAccessKey"],
                   AWS_SESSION_TOKEN=creds["Token"])
        for args in (["--debug", "check"], ["--debug", "--output", "json", "check"],
                     ["--debug", "switchover", "--to", "node2", "--yes", "--timeout", "15"],
                     ["--debug", "--region", "us-east-1", "--endpoint-url", sim.url, "api", "DescribeInstances"]):
            r = self.ec2rk(args, env)
            self.assertEqual(r.code, 0, r)
        self.assertRegex(self.runs[0].err, r"(?i)X-Amz-Security-Token: <redacted>")
        # A token the endpoint does not know: the error path.
        bad = dict(env, AWS_SESSION_TOKEN=creds["Token"][::-1])
        r = self.ec2rk(["--debug", "check"], bad)
        self.assertEqual(r.code, 1, r)
        self.assert_no_secrets(creds["SecretAccessKey"], creds["Token"], creds["Token"][::-1], imds_token)


class InstanceProfile(SecretsCase):
    def test_imds_token_and_instance_credentials_never_appear(self):
        sim = self.start_sim(imds_nodes=["node1"])
        doc, creds, sim_imds_token = h.sim_role_credentials(sim.imds["node1"])
        imds = h.FakeImds(doc)
        self.addCleanup(imds.stop)
        env = self.env(sim, keys=False, imds=True)
        env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.url
        for args in (["--debug", "check", "--local"], ["--debug", "--output", "json", "check"],
                     ["--debug", "switchover", "--to", "node2", "--yes", "--timeout", "15"],
                     ["--debug", "--output", "json", "repair", "--local", "--yes", "--timeout", "15"],
                     ["--debug", "--region", "us-east-1", "--endpoint-url", sim.url, "api", "DescribeAddresses"]):
            r = self.ec2rk(args, env)
            self.assertEqual(r.code, 0, r)
        # ec2rk did use the fake IMDS with its token (else the search below proves nothing).
        self.assertIn(("PUT", "/latest/api/token"), imds.requests)
        self.assertIn(("GET", "/latest/meta-data/iam/security-credentials/ec2rk-node"), imds.requests)
        self.assertIn("credentials: using imds", self.runs[0].err)
        self.assert_no_secrets(creds["SecretAccessKey"], creds["Token"], h.FakeImds.TOKEN, sim_imds_token)

    def test_malformed_instance_credentials_are_reported_without_their_values(self):
        sim = self.start_sim()
        hostile = json.dumps({"Code": "Success", "AccessKeyId": "ASIAHOSTILE000000001",
                              "SecretAccessKey": SECRET, "Token": "HostileToken/DoNotLeak+abcdefghij0123",
                              "Expiration": "not-a-time " + SECRET})
        imds = h.FakeImds(hostile)
        self.addCleanup(imds.stop)
        env = self.env(sim, keys=False, imds=True)
        env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.url
        r = self.ec2rk(["--debug", "check"], env)
        self.assertEqual(r.code, 1, r)
        self.assertIn("Expiration is not an ISO 8601 time", r.err)
        r = self.ec2rk(["--output", "json", "check"], env)
        self.assertEqual(r.code, 1, r)
        self.assert_no_secrets(SECRET, "HostileToken/DoNotLeak+abcdefghij0123", h.FakeImds.TOKEN)


class FilePermissions(unittest.TestCase):
    def setUp(self):
        h.require_binaries()

    def run_with_credentials_file(self, mode):
        sim = h.Sim(scenario=scenario_file(tempfile.mkdtemp(prefix="ec2rk-perm-")))
        self.addCleanup(sim.stop)
        aws = os.path.join(sim.dir, ".aws")
        os.makedirs(aws)
        path = os.path.join(aws, "credentials")
        with open(path, "w") as f:
            f.write("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % (ACCESS_KEY, SECRET))
        os.chmod(path, mode)
        env = h.base_env(sim, home=sim.dir, keys=False)
        del env["AWS_SHARED_CREDENTIALS_FILE"]
        return h.run(["check"], env)

    def test_a_credentials_file_readable_by_others_is_warned_about(self):
        r = self.run_with_credentials_file(0o644)
        self.assertEqual(r.code, 0, r)
        self.assertRegex(r.err, r"(?m)^ec2rk: warning: ~/\.aws/credentials is readable by group or others", r)
        self.assertNotIn(SECRET, r.err + r.out)

    def test_a_private_credentials_file_is_not_warned_about(self):
        r = self.run_with_credentials_file(0o600)
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("warning", r.err, r)


class PlainHttpEndpoints(unittest.TestCase):
    """http:// is refused before any connection unless the host is loopback. As a safety net
    every run here has its proxies pointing at a closed loopback port, so even a wrongly
    allowed URL could not reach the network."""

    def setUp(self):
        h.require_binaries()
        self.dir = tempfile.mkdtemp(prefix="ec2rk-http-")
        self.config = os.path.join(self.dir, "ec2rk.toml")
        with open(self.config, "w") as f:
            f.write('region = "us-east-1"\n[nodes.node1]\ninstance_id = "i-0ec20000000000a11"\n'
                    '[nodes.node2]\ninstance_id = "i-0ec20000000000b12"\n'
                    '[eips.eip]\nallocation_id = "eipalloc-0ec20000000000001"\n'
                    '[eips.eip.eni]\nnode1 = "eni-0ec20000000001a11"\nnode2 = "eni-0ec20000000001b12"\n')

    def env(self):
        env = h.base_env(home=self.dir)
        env["EC2RK_CONFIG"] = self.config
        trap = "http://127.0.0.1:%d" % h.closed_port()
        for v in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
            env[v] = trap
        return env

    def test_non_loopback_http_is_refused_with_exit_2_and_no_request(self):
        cases = [
            (["--endpoint-url", "http://10.0.0.1", "--debug", "check"], {}, "--endpoint-url"),
            (["--endpoint-url", "http://10.0.0.1:8080/", "switchover", "--to", "node2", "--yes"], {},
             "--endpoint-url"),
            (["--debug", "check"], {"AWS_ENDPOINT_URL_EC2": "http://ec2.us-east-1.amazonaws.com"},
             "AWS_ENDPOINT_URL_EC2"),
            (["--debug", "check"], {"AWS_ENDPOINT_URL": "http://192.168.1.10"}, "AWS_ENDPOINT_URL"),
            (["--endpoint-url", "http://127.0.0.1.nip.io", "check"], {}, "--endpoint-url"),
            (["--endpoint-url", "http://2130706433", "check"], {}, "--endpoint-url"),
            (["--endpoint-url", "http://[fe80::1]", "check"], {}, "--endpoint-url"),
            (["--region", "us-east-1", "--endpoint-url", "http://10.0.0.1", "api", "DescribeVpcs"], {},
             "--endpoint-url"),
        ]
        for args, extra_env, source in cases:
            with self.subTest(args=args, env=extra_env):
                env = self.env()
                env.update(extra_env)
                r = h.run(args, env)
                self.assertEqual(r.code, 2, r)
                self.assertRegex(r.err, r"(?m)^ec2rk: error: %s: plain http:// is only allowed to a loopback host "
                                 r"\(127\.0\.0\.0/8, ::1, localhost\); use https:// for '" % re.escape(source), r)
                self.assertNotRegex(r.err, r"(?m)(POST|GET) http", "a request was traced: %r" % r)
                self.assertLess(r.elapsed, 3, r)

    def test_loopback_http_is_allowed(self):
        for host in ("127.0.0.1", "localhost", "[::1]", "127.0.0.2"):
            with self.subTest(host=host):
                url = "http://%s:%d" % (host, h.closed_port())
                env = self.env()
                for v in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
                    del env[v]
                r = h.run(["--endpoint-url", url, "--debug", "check"], env)
                # Accepted, so it tried: the port is closed, "could not tell" (1), not a usage error.
                self.assertEqual(r.code, 1, r)
                self.assertIn("POST " + url.rstrip("/"), r.err, r)


if __name__ == "__main__":
    unittest.main(verbosity=2)
