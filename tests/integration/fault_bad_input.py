"""Bad input end to end, the evidence behind docs/bad-input.md: the real ec2rk against a
hostile EC2 endpoint (a stdlib server on loopback answering every call with a chosen bad
response), a hostile IMDS, malformed configuration and AWS files, bad command lines and bad
environment values. Each case pins the exit code and the exact message the user gets, and
that ec2rk neither crashes (no signal), nor hangs, nor prints a control character.
Binaries: EC2RK_BIN (and EC2RK_SIM_BIN for the harness checks)."""

import http.server
import json
import os
import random
import re
import socket
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fault_harness as h  # noqa: E402

NS = ' xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"'
CONFIG = """region = "us-east-1"
[nodes.node1]
instance_id = "i-0ec20000000000a11"
[nodes.node2]
instance_id = "i-0ec20000000000b12"
[routes.vip]
vpc_id = "vpc-0ec20000000000001"
destination = "10.1.0.10/32"
[routes.vip.eni]
node1 = "eni-0ec20000000000a11"
node2 = "eni-0ec20000000000b12"
[eips.eip]
allocation_id = "eipalloc-0ec20000000000001"
[eips.eip.eni]
node1 = "eni-0ec20000000001a11"
node2 = "eni-0ec20000000001b12"
"""
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def empty(action):
    return '<?xml version="1.0"?><%sResponse%s><requestId>req-1</requestId></%sResponse>' % (action, NS, action)


class HostileEndpoint:
    """HTTP on 127.0.0.1 (plain http:// is allowed to loopback). `respond(action)` returns
    (status, body) or (status, body, drip_seconds_per_byte)."""

    def __init__(self, respond):
        outer = self
        self.calls = []

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length", 0))
                params = urllib.parse.parse_qs(self.rfile.read(n).decode())
                action = params.get("Action", ["?"])[0]
                outer.calls.append(action)
                answer = respond(action)
                status, body = answer[0], answer[1]
                data = body if isinstance(body, bytes) else body.encode()
                head = ("HTTP/1.1 %d X\r\nContent-Type: text/xml;charset=UTF-8\r\nContent-Length: %d\r\n\r\n"
                        % (status, len(data))).encode()
                try:
                    if len(answer) > 2:  # drip: one byte at a time
                        self.wfile.write(head)
                        for i in range(len(data)):
                            self.wfile.write(data[i:i + 1])
                            self.wfile.flush()
                            time.sleep(answer[2])
                    else:
                        self.wfile.write(head + data)
                except OSError:
                    pass

            def setup(self):
                super().setup()
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class BadInputCase(unittest.TestCase):
    def setUp(self):
        if not h.EC2RK or not os.access(h.EC2RK, os.X_OK):
            raise AssertionError("EC2RK_BIN does not name a built binary (ctest sets it)")
        self.dir = tempfile.mkdtemp(prefix="ec2rk-bad-input-")
        self.config = self.write("ec2rk.toml", CONFIG)

    def write(self, name, text, mode=0o600):
        path = os.path.join(self.dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def env(self, **extra):
        """Never the network: the default endpoint and every proxy are a closed loopback port."""
        env = h.base_env(home=self.dir)
        env["EC2RK_CONFIG"] = self.config
        trap = "http://127.0.0.1:%d" % h.closed_port()
        env["AWS_ENDPOINT_URL"] = trap
        for v in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "ALL_PROXY"):
            env[v] = trap
        env["NO_PROXY"] = "127.0.0.1,localhost"  # the hostile endpoints below are local
        env.update(extra)
        return env

    def ec2rk(self, args, env=None, limit_s=30):
        r = h.run(args, env or self.env(), timeout=limit_s + 30)
        self.assertGreaterEqual(r.code, 0, "killed by signal %d: %r" % (-r.code, r))
        self.assertLess(r.elapsed, limit_s, r)
        self.assertIsNone(CONTROL.search(r.out + r.err), "control character in the output: %r" % r)
        return r

    def assert_error(self, r, code, message):
        """Exit `code` and the one error line, exactly `message` (a regex, anchored)."""
        self.assertEqual(r.code, code, r)
        self.assertRegex(r.err, r"(?m)^ec2rk: error: %s$" % message, r)

    def against(self, respond, args, **kw):
        server = HostileEndpoint(respond)
        self.addCleanup(server.stop)
        r = self.ec2rk(["--endpoint-url", server.url, *args], **kw)
        return r, server


class HostileResponses(BadInputCase):
    """What a broken proxy, a captive portal or a hostile endpoint may answer."""

    def test_truncated_xml(self):
        r, _ = self.against(lambda a: (200, empty(a)[:60]), ["check", "eip"])
        self.assert_error(r, 1, r"expected <DescribeAddressesResponse>: response is not well-formed XML "
                                r"\([A-Za-z -]+ at byte \d+\)")

    def test_html_page_instead_of_xml(self):
        r, _ = self.against(lambda a: (200, "<html><body>Welcome to nginx</body></html>"), ["check", "eip"])
        self.assert_error(r, 1, r"expected <DescribeAddressesResponse> but the response is <html>")

    def test_empty_body(self):
        r, _ = self.against(lambda a: (200, ""), ["check", "eip"])
        self.assert_error(r, 1, r"expected <DescribeAddressesResponse>: empty response body where XML was "
                                r"expected")

    def test_binary_garbage(self):
        junk = bytes(random.Random(1).randrange(256) for _ in range(4096))
        r, _ = self.against(lambda a: (200, junk), ["check", "eip"])
        self.assertEqual(r.code, 1, r)
        self.assertRegex(r.err, r"(?m)^ec2rk: error: expected <DescribeAddressesResponse>", r)

    def test_error_status_with_an_html_body(self):
        r, server = self.against(lambda a: (502, "<html><h1>502 Bad Gateway</h1></html>"), ["check", "eip"])
        self.assert_error(r, 1, r"HTTP 502 \(after 3 attempts\)")
        self.assertEqual(server.calls.count("DescribeAddresses"), 3)

    def test_success_status_with_an_error_document(self):
        body = "<Response><Errors><Error><Code>InternalError</Code><Message>x</Message></Error></Errors></Response>"
        r, _ = self.against(lambda a: (200, body), ["check", "eip"])
        self.assert_error(r, 1, r"expected <DescribeAddressesResponse> but the response is <Response>")

    def test_response_over_64_mib(self):
        big = empty("DescribeAddresses").replace("</requestId>", "</requestId>" + " " * (65 << 20))
        r, _ = self.against(lambda a: (200, big if a == "DescribeAddresses" else empty(a)), ["check", "eip"])
        self.assert_error(r, 1, r"the response from http://127\.0\.0\.1:\d+/ is larger than 67108864 bytes")

    def test_deeply_nested_elements(self):
        deep = ("<DescribeAddressesResponse%s><requestId>r</requestId><addressesSet>" % NS + "<item>" * 100000
                + "</item>" * 100000 + "</addressesSet></DescribeAddressesResponse>")
        r, _ = self.against(lambda a: (200, deep if a == "DescribeAddresses" else empty(a)), ["check", "eip"])
        self.assertEqual(r.code, 3, r)
        self.assertRegex(r.out, r"(?m)^resource\teip\teip\tnone\tdrift\teipalloc-0ec20000000000001 not found$", r)

    def test_entity_expansion_is_not_performed(self):
        ents = "".join('<!ENTITY l%d "%s">' % (i, ("&l%d;" % (i - 1)) * 10) for i in range(1, 12))
        body = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">%s]><DescribeAddressesResponse%s>'
                '<requestId>&l11;</requestId></DescribeAddressesResponse>' % (ents, NS))
        r, _ = self.against(lambda a: (200, body if a == "DescribeAddresses" else empty(a)), ["check", "eip"],
                            limit_s=10)
        self.assertEqual(r.code, 3, r)
        self.assertIn("eipalloc-0ec20000000000001 not found", r.out)

    def test_terminal_escape_sequences_in_values(self):
        body = ('<DescribeAddressesResponse%s><requestId>r\x1b]0;pwned\x07</requestId><addressesSet><item>'
                '<publicIp>203.0.113.10\x1b[2J\x1b[31m</publicIp><allocationId>eipalloc-0ec20000000000001'
                '</allocationId><domain>vpc</domain><associationId>eipassoc-1</associationId>'
                '<networkInterfaceId>eni-evil\x1b[8m</networkInterfaceId></item></addressesSet>'
                '</DescribeAddressesResponse>' % NS)
        r, _ = self.against(lambda a: (200, body if a == "DescribeAddresses" else empty(a)), ["check", "eip"])
        self.assertEqual(r.code, 3, r)
        self.assertIn("203.0.113.10?[2J?[31m is on eni-evil?[8m, which belongs to neither node", r.out)

    def test_escape_sequences_in_an_error_message(self):
        body = ("<Response><Errors><Error><Code>AuthFailure</Code><Message>denied\x1b[2J\x1b]0;x\x07</Message>"
                "</Error></Errors><RequestID>req-9</RequestID></Response>")
        r, _ = self.against(lambda a: (401, body), ["check", "eip"])
        self.assert_error(r, 1, r"denied\?\[2J\?\]0;x\? \(AuthFailure, request id req-9\)")

    def test_wrong_types_in_values(self):
        body = ('<DescribeAddressesResponse%s><requestId>r</requestId><addressesSet><item><publicIp>not-an-ip'
                '</publicIp><allocationId>eipalloc-0ec20000000000001</allocationId><domain>42</domain>'
                '<networkInterfaceId><x>nested</x></networkInterfaceId></item></addressesSet>'
                '</DescribeAddressesResponse>' % NS)
        r, _ = self.against(lambda a: (200, body if a == "DescribeAddresses" else empty(a)), ["check", "eip"])
        self.assertEqual(r.code, 3, r)
        self.assertRegex(r.out, r"(?m)^resource\teip\teip\tnone\tdrift\tnot-an-ip is not associated$", r)

    def test_endless_next_tokens(self):
        def respond(a):
            if a != "DescribeRouteTables":
                return 200, empty(a)
            return 200, ('<DescribeRouteTablesResponse%s><requestId>r</requestId><routeTableSet/>'
                         '<nextToken>t%d</nextToken></DescribeRouteTablesResponse>' % (NS, random.randrange(1 << 60)))
        r, server = self.against(respond, ["check", "vip"], limit_s=60)
        self.assert_error(r, 1, r"DescribeRouteTables: EC2 returned more than 1000 pages; stopping")
        self.assertEqual(server.calls.count("DescribeRouteTables"), 1000)

    def test_a_repeated_next_token(self):
        def respond(a):
            if a != "DescribeRouteTables":
                return 200, empty(a)
            return 200, ('<DescribeRouteTablesResponse%s><requestId>r</requestId><routeTableSet/>'
                         '<nextToken>again</nextToken></DescribeRouteTablesResponse>' % NS)
        r, _ = self.against(respond, ["check", "vip"])
        self.assert_error(r, 1, r"DescribeRouteTables: EC2 returned the same NextToken twice; stopping")

    def test_a_response_dripping_one_byte_at_a_time(self):
        r, _ = self.against(lambda a: (200, empty(a), 0.2), ["check", "eip"],
                            env=self.env(EC2RK_READ_TIMEOUT_MS="1500"), limit_s=20)
        self.assert_error(r, 1, r"http://127\.0\.0\.1:\d+/: no complete response within 1500 ms "
                                r"\(after 3 attempts\)")


class HostileImds(BadInputCase):
    """Instance metadata answering the credentials request with bad documents."""

    def imds_case(self, document):
        imds = h.FakeImds(document)
        self.addCleanup(imds.stop)
        env = self.env(AWS_EC2_METADATA_SERVICE_ENDPOINT=imds.url)
        for v in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_EC2_METADATA_DISABLED"):
            del env[v]
        endpoint = HostileEndpoint(lambda a: (200, empty(a)))
        self.addCleanup(endpoint.stop)
        return self.ec2rk(["--endpoint-url", endpoint.url, "check", "eip"], env)

    def test_bad_credentials_documents(self):
        prefix = r"instance metadata credentials for role ec2rk-node: "
        ok = {"Code": "Success", "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s3cr3t-value-never-shown",
              "Token": "t0ken-value-never-shown", "Expiration": "2099-01-01T00:00:00Z"}
        cases = [
            ("not JSON", "<html>", "not a JSON object"),
            ("a JSON array", "[1, 2]", "not a JSON object"),
            ("a failure code", json.dumps({"Code": "AssumeRoleUnauthorizedAccess", "Message": "no role"}),
             "IMDS says AssumeRoleUnauthorizedAccess: no role"),
            ("no Token", json.dumps({k: v for k, v in ok.items() if k != "Token"}), "missing Token"),
            ("a number for a key", json.dumps(dict(ok, AccessKeyId=12345)), "missing AccessKeyId"),
            ("a bad Expiration", json.dumps(dict(ok, Expiration="tomorrow")), "Expiration is not an ISO 8601 time"),
            ("1 MiB of padding", json.dumps(dict(ok, Code="x" * (1 << 20)))[:100] + "...", "not a JSON object"),
            ("escape sequences", json.dumps({"Code": "Bad\x1b[2J", "Message": "m\x1b]0;t\x07"}),
             r"IMDS says Bad\?\[2J: m\?\]0;t\?"),
        ]
        for name, document, message in cases:
            with self.subTest(name):
                r = self.imds_case(document)
                self.assert_error(r, 1, prefix + message)
                self.assertNotIn("never-shown", r.out + r.err)


class BadConfiguration(BadInputCase):
    """The ec2rk configuration file: every mistake is exit 2, FILE:LINE, before any request."""

    def test_malformed_configuration_files(self):
        base = CONFIG
        cases = [
            ("not TOML", "region = \n[nodes", r"%s:1: Error while parsing key-value pair: expected value, saw '\\n'"),
            ("an unknown key", "aws_secret_access_key = \"s3cr3t-value-never-shown\"\n" + base,
             r"%s:1: unknown key 'aws_secret_access_key' in the top level; expected one of: region, profile, "
             r"endpoint_url, nodes, routes, eips"),
            ("a wrong type", base.replace('instance_id = "i-0ec20000000000a11"', "instance_id = 42"),
             r"%s:3: 'instance_id' in \[nodes\.node1\] must be a string"),
            ("one node only", base.replace('[nodes.node2]\ninstance_id = "i-0ec20000000000b12"\n', ""),
             r"%s:2: a cluster needs at least two nodes; found 1"),
            ("a bad instance id", base.replace("i-0ec20000000000a11", "instance-1"), r'%s:3: instance_id = "instance-1": expected an instance id \(i-\.\.\.\)'),
            ("a bad destination", base.replace("10.1.0.10/32", "10.1.0.0/24"), r'%s:8: destination = "10\.1\.0\.0/24": expected a single address as an IPv4 /32 \(e\.g\. '
             r'10\.1\.0\.10/32\) or IPv6 /128'),
            ("an ENI missing for a node", base.replace('node2 = "eni-0ec20000000001b12"\n', ""),
             r'%s:14: \[eips\.eip\.eni\] has no entry for node \'node2\' \(expected node2 = "eni-\.\.\."\)'),
            ("an empty file", "",
             r'%s:1: no \[nodes\.NAME\] tables; expected at least two nodes, each with instance_id = "i-\.\.\."'),
            ("binary junk", "\x00\x01\x02\xff",
             r"%s:1: Error while parsing root table: expected keys, tables, whitespace or comments, saw "
             r"'\\u0000'"),
        ]
        for name, text, message in cases:
            with self.subTest(name):
                path = self.write("bad.toml", text)
                r = self.ec2rk(["--config", path, "check"])
                self.assert_error(r, 2, message % re.escape(path))
                self.assertNotIn("never-shown", r.err)

    def test_a_missing_configuration_file(self):
        r = self.ec2rk(["--config", "/nonexistent/ec2rk.toml", "check"])
        self.assert_error(r, 2, r"/nonexistent/ec2rk\.toml: cannot read the configuration file \(create it with "
                                r"'ec2rk init', or give --config FILE\)")


class BadAwsFiles(BadInputCase):
    """~/.aws/config and ~/.aws/credentials: exit 2 naming the file and line, never a value."""

    def test_malformed_shared_files(self):
        cases = [
            ("config", "[default]\nregion us-east-1\n", r"~/\.aws/config:2: expected 'key = value'"),
            ("config", "region = us-east-1\n", r"~/\.aws/config:1: 'key = value' before any \[section\]"),
            ("credentials", "[default]\naws_secret_access_key s3cr3t-value-never-shown\n",
             r"~/\.aws/credentials:2: expected 'key = value'"),
            ("credentials", "[default\naws_access_key_id = AKID\n", r"~/\.aws/credentials:1: expected '\[section\]'"),
        ]
        for which, text, message in cases:
            with self.subTest(which=which, text=text):
                for f in ("config", "credentials"):
                    p = os.path.join(self.dir, ".aws", f)
                    if os.path.exists(p):
                        os.remove(p)
                self.write(os.path.join(".aws", which), text)
                env = self.env()
                del env["AWS_CONFIG_FILE"]
                del env["AWS_SHARED_CREDENTIALS_FILE"]
                r = self.ec2rk(["check"], env)
                self.assert_error(r, 2, message)
                self.assertNotIn("never-shown", r.err)


class BadCommandLine(BadInputCase):
    def test_bad_command_lines(self):
        cases = [
            (["chekc"], r"unknown command 'chekc' \(did you mean 'check'\?\)"),
            (["check", "--bogus"], r"The following argument was not expected: --bogus"),
            (["--output", "yaml", "check"], r"--output: Check yaml value in \{json->1,table->0\} OR \{1,0\} FAILED"),
            (["switchover", "--to", "node3", "--yes"],
             r"--to node3: no such node in \S+ \(did you mean 'node1'\?\); nodes are: node1, node2"),
            (["switchover", "--to", "node2", "--yes", "--timeout", "-1"], r"--timeout must be positive"),
            (["check", "vipp"], r"no resource named 'vipp' in \S+ \(did you mean 'vip'\?\); resources are: vip, eip"),
            (["switchover", "--yes"], r"--to is required"),
            (["--region", "us east 1", "check"],
             r"invalid region 'us east 1' from --region \(expected a name like us-east-1\)"),
            ([], r"A subcommand is required"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                r = self.ec2rk(args)
                self.assert_error(r, 2, message)


class BadEnvironment(BadInputCase):
    def test_bad_environment_values(self):
        cases = [
            ({"AWS_MAX_ATTEMPTS": "abc"}, r"AWS_MAX_ATTEMPTS must be a whole number from 1 to 100, not 'abc'"),
            ({"EC2RK_READ_TIMEOUT_MS": "0"},
             r"EC2RK_READ_TIMEOUT_MS must be a whole number of milliseconds from 1 to 600000, not '0'"),
            ({"AWS_CA_BUNDLE": "/nonexistent/ca.pem"}, r"AWS_CA_BUNDLE: cannot read the CA bundle /nonexistent/ca\.pem"),
            ({"AWS_ENDPOINT_URL": "ftp://example.com"},
             r"AWS_ENDPOINT_URL: invalid URL 'ftp://example\.com': expected http:// or https://"),
            ({"AWS_EC2_METADATA_SERVICE_ENDPOINT": "not a url", "AWS_EC2_METADATA_DISABLED": ""},
             r"AWS_EC2_METADATA_SERVICE_ENDPOINT: invalid URL 'not a url': expected http:// or https://"),
        ]
        for extra, message in cases:
            with self.subTest(extra):
                env = self.env(**extra)
                if env.get("AWS_EC2_METADATA_DISABLED") == "":
                    del env["AWS_EC2_METADATA_DISABLED"]
                r = self.ec2rk(["check"], env)
                self.assert_error(r, 2, message)


if __name__ == "__main__":
    unittest.main(verbosity=2)
