#!/usr/bin/env python3
"""ec2rk api with instance-profile credentials and region from IMDSv2, end to end.

A local IMDS (token required, tokens revocable, role + credentials JSON, placement/region)
and a local EC2 stub that verifies SigV4 with the IMDS secret and session token run on
loopback; the built ec2rk binary runs against them through the real curl transport, with
a dead proxy in the environment that IMDS traffic must bypass.

Usage: imds_test.py /path/to/ec2rk
"""
import hashlib
import hmac
import http.server
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

EC2RK = None

ROLE = "ec2rk-test-role"
REGION = "ap-southeast-2"
AKID = "ASIAIMDSINTEGRATION1"
SECRET = "imds/Secret+Key0123456789abcdefghijklmno"
TOKEN = "IQoJb3JpZ2luX2VjEIMDSTESTSESSIONTOKEN//+=="


def dead_port():
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Imds:
    """State of the fake IMDS, shared with its handler."""

    def __init__(self):
        self.lock = threading.Lock()
        self.tokens = set()
        self.puts = 0
        self.unauthorized = 0
        self.tokenless_gets = 0
        self.forwarded = 0
        self.gets = []
        self.revoke_after_gets = None  # revoke every token after this many served GETs
        self.credentials_code = "Success"


def make_imds_handler(state):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, status, body=b"", ctype="text/plain"):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_PUT(self):
            with state.lock:
                if self.headers.get("X-Forwarded-For"):
                    state.forwarded += 1
                    return self.reply(403)
                if self.path != "/latest/api/token":
                    return self.reply(403)
                ttl = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds", "")
                if not ttl.isdigit() or not 1 <= int(ttl) <= 21600:
                    return self.reply(400)
                state.puts += 1
                token = "imds-token-%d" % state.puts
                state.tokens.add(token)
                self.ttl_seen = ttl
                state.last_ttl = ttl
            self.reply(200, token.encode())

        def do_GET(self):
            with state.lock:
                token = self.headers.get("X-aws-ec2-metadata-token")
                if not token:
                    state.tokenless_gets += 1
                    return self.reply(401)
                if token not in state.tokens:
                    state.unauthorized += 1
                    return self.reply(401)
                state.gets.append(self.path)
                if state.revoke_after_gets is not None and len(state.gets) >= state.revoke_after_gets:
                    state.tokens.clear()  # the token "expires" after this response
                    state.revoke_after_gets = None
            path = self.path
            if path == "/latest/meta-data/placement/region":
                return self.reply(200, REGION.encode())
            if path == "/latest/meta-data/iam/security-credentials/":
                return self.reply(200, (ROLE + "\n").encode())
            if path == "/latest/meta-data/iam/security-credentials/" + ROLE:
                if state.credentials_code != "Success":
                    doc = {"Code": state.credentials_code, "Message": "EC2 cannot assume the role",
                           "LastUpdated": "2025-01-02T03:04:05Z"}
                else:
                    expiry = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 6 * 3600))
                    doc = {"Code": "Success", "LastUpdated": "2025-01-02T03:04:05Z", "Type": "AWS-HMAC",
                           "AccessKeyId": AKID, "SecretAccessKey": SECRET, "Token": TOKEN,
                           "Expiration": expiry}
                return self.reply(200, json.dumps(doc, indent=2).encode(), "text/plain")
            return self.reply(404)

    return Handler


def sigv4_valid(method, path, headers, body, secret, token):
    """Verifies an AWS4-HMAC-SHA256 Authorization header (POST, empty query)."""
    auth = headers.get("authorization", "")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        return False, "no SigV4 Authorization"
    parts = dict(p.strip().split("=", 1) for p in auth[len("AWS4-HMAC-SHA256 "):].split(","))
    akid, date, region, service, term = parts["Credential"].split("/")
    signed = parts["SignedHeaders"].split(";")
    if "host" not in signed or "x-amz-date" not in signed:
        return False, "host and x-amz-date must be signed"
    if token and (headers.get("x-amz-security-token") != token or "x-amz-security-token" not in signed):
        return False, "session token missing or unsigned"
    canonical_headers = "".join("%s:%s\n" % (h, " ".join(headers[h].strip().split())) for h in signed)
    creq = "\n".join([method, path, "", canonical_headers, ";".join(signed),
                      hashlib.sha256(body).hexdigest()])
    amz_date = headers["x-amz-date"]
    scope = "/".join([date, region, service, term])
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(creq.encode()).hexdigest()])

    def h(key, msg):
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()

    key = h(h(h(h(("AWS4" + secret).encode(), date), region), service), "aws4_request")
    expected = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, parts["Signature"]):
        return False, "signature mismatch"
    return True, {"akid": akid, "region": region, "service": service}


def make_ec2_handler(seen):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            ok, info = sigv4_valid("POST", self.path, headers, body, SECRET, TOKEN)
            seen.append({"ok": ok, "info": info, "body": body.decode(), "headers": headers})
            if ok:
                status = 200
                out = ("<DescribeRouteTablesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                       "<requestId>imds-itest-1</requestId><routeTableSet/></DescribeRouteTablesResponse>")
            else:
                status = 403
                out = ("<Response><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>%s</Message>"
                       "</Error></Errors><RequestID>imds-itest-err</RequestID></Response>" % info)
            data = out.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


class ImdsEndToEnd(unittest.TestCase):
    def setUp(self):
        self.imds = Imds()
        # IMDS on 127.0.0.2 so that NO_PROXY=127.0.0.1 (for the EC2 stub) does not cover it:
        # only ec2rk's own proxy bypass keeps IMDS traffic away from the dead proxy.
        try:
            self.imds_server = http.server.ThreadingHTTPServer(("127.0.0.2", 0), make_imds_handler(self.imds))
            self.imds_host = "127.0.0.2"
        except OSError:
            self.imds_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_imds_handler(self.imds))
            self.imds_host = "127.0.0.1"
        self.ec2_seen = []
        self.ec2_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_ec2_handler(self.ec2_seen))
        self.threads = []
        for srv in (self.imds_server, self.ec2_server):
            t = threading.Thread(target=srv.serve_forever, daemon=True)
            t.start()
            self.threads.append(t)
        self.home = tempfile.TemporaryDirectory()

    def tearDown(self):
        for srv in (self.imds_server, self.ec2_server):
            srv.shutdown()
            srv.server_close()
        self.home.cleanup()

    def run_ec2rk(self, *extra_args, extra_env=None):
        proxy = "http://127.0.0.1:%d" % dead_port()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.home.name,
            "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://%s:%d" % (self.imds_host, self.imds_server.server_port),
            "http_proxy": proxy, "HTTPS_PROXY": proxy, "ALL_PROXY": proxy,
            "NO_PROXY": "127.0.0.1",
        }
        env.update(extra_env or {})
        endpoint = "http://127.0.0.1:%d" % self.ec2_server.server_port
        cmd = [EC2RK, "api", "DescribeRouteTables", "--endpoint-url", endpoint] + list(extra_args)
        return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)

    def test_credentials_and_region_come_from_imds_v2(self):
        r = self.run_ec2rk()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("<requestId>imds-itest-1</requestId>", r.stdout)
        self.assertEqual(self.imds.puts, 1, "one token serves the region and credential lookups")
        self.assertEqual(self.imds.last_ttl, "21600")
        self.assertEqual(self.imds.tokenless_gets, 0)
        self.assertEqual(self.imds.forwarded, 0)
        self.assertEqual(self.imds.gets, [
            "/latest/meta-data/placement/region",
            "/latest/meta-data/iam/security-credentials/",
            "/latest/meta-data/iam/security-credentials/" + ROLE,
        ])
        self.assertEqual(len(self.ec2_seen), 1)
        call = self.ec2_seen[0]
        self.assertTrue(call["ok"], call["info"])
        self.assertEqual(call["info"]["akid"], AKID)
        self.assertEqual(call["info"]["region"], REGION)
        self.assertEqual(call["info"]["service"], "ec2")
        self.assertTrue(call["body"].startswith("Action=DescribeRouteTables&Version=2016-11-15"))

    def test_a_stale_token_is_renewed_after_401(self):
        self.imds.revoke_after_gets = 1  # the token dies after the region lookup
        r = self.run_ec2rk()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.imds.unauthorized, 1)
        self.assertEqual(self.imds.puts, 2)
        self.assertTrue(self.ec2_seen and self.ec2_seen[0]["ok"])

    def test_an_imds_error_document_is_reported_without_secrets(self):
        self.imds.credentials_code = "AssumeRoleUnauthorizedAccess"
        r = self.run_ec2rk()
        self.assertEqual(r.returncode, 1)
        self.assertIn("AssumeRoleUnauthorizedAccess", r.stderr)
        self.assertTrue(r.stderr.startswith("ec2rk: error: "), r.stderr)
        self.assertEqual(self.ec2_seen, [])

    def test_debug_trace_shows_imds_steps_but_no_token_or_secret(self):
        r = self.run_ec2rk("--debug")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("imds: PUT http://%s:%d/latest/api/token -> 200" % (self.imds_host, self.imds_server.server_port),
                      r.stderr)
        self.assertIn("credentials: using imds", r.stderr)
        self.assertIn("region %s (from instance metadata)" % REGION, r.stderr)
        for secret in (SECRET, TOKEN, "imds-token-1"):
            self.assertNotIn(secret, r.stderr)
            self.assertNotIn(secret, r.stdout)

    def test_metadata_disabled_means_no_imds_requests(self):
        r = self.run_ec2rk(extra_env={"AWS_EC2_METADATA_DISABLED": "true"})
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("no region configured", r.stderr)
        self.assertEqual(self.imds.puts + len(self.imds.gets) + self.imds.tokenless_gets, 0)
        r = self.run_ec2rk("--region", "us-east-1", extra_env={"AWS_EC2_METADATA_DISABLED": "true"})
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("no AWS credentials found", r.stderr)
        self.assertEqual(self.imds.puts, 0)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: imds_test.py /path/to/ec2rk")
    EC2RK = sys.argv.pop(1)
    unittest.main(verbosity=2)
