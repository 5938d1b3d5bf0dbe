"""Helpers for the ec2rk-sim integration tests: start/stop the real binary, talk to it with a
stdlib SigV4 client, and run the AWS CLI against it. Python 3 stdlib only."""

import datetime
import email.utils
import hashlib
import hmac
import http.client
import json
import os
import queue
import shutil
import signal
import ssl
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

SIM = os.environ.get("EC2RK_SIM", "")
AWS = "/usr/bin/aws"
KEY = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
REGION = "us-east-1"

# Example scenario ids (sim/README.md).
VPC = "vpc-0ec20000000000001"
NODE1 = "i-0ec20000000000a11"
NODE2 = "i-0ec20000000000b12"
NODE1_ETH0 = "eni-0ec20000000000a11"
NODE1_ETH1 = "eni-0ec20000000001a11"
NODE2_ETH0 = "eni-0ec20000000000b12"
NODE2_ETH1 = "eni-0ec20000000001b12"
RTB_PRIVATE_A = "rtb-0ec20000000000a02"
RTB_PRIVATE_B = "rtb-0ec20000000000b02"
RTB_PUBLIC_A = "rtb-0ec20000000000a01"
EIP = "eipalloc-0ec20000000000001"
EIP_ASSOC = "eipassoc-0ec20000000000001"
VIP = "10.1.0.10/32"


def _die_with_parent():
    """In the child: get SIGTERM when the test process dies, so no simulator outlives it."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def require_sim(test):
    if not SIM or not os.access(SIM, os.X_OK):
        raise unittest.SkipTest("EC2RK_SIM does not name the ec2rk-sim binary")


class Sim:
    """An ec2rk-sim process on a free loopback port; always stop() it (or use `with`)."""

    def __init__(self, *args, imds_lines=0, tmpdir=None):
        self.tmpdir = tmpdir or tempfile.mkdtemp(prefix="ec2rk-sim-test-")
        self.stderr_path = os.path.join(self.tmpdir, "stderr.txt")
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen([SIM, "--port", "0", *args], stdout=subprocess.PIPE,
                                     stderr=self._stderr, preexec_fn=_die_with_parent)
        self._lines = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        try:
            first = self._lines.get(timeout=30)
            if not first.startswith("ec2rk-sim listening on "):
                raise RuntimeError("unexpected first line %r; stderr: %s" % (first, self.stderr()))
            self.url = first.split()[-1]
            self.imds = {}
            for _ in range(imds_lines):
                line = self._lines.get(timeout=30)
                parts = line.split()  # ec2rk-sim imds NODE listening on URL
                self.imds[parts[2]] = parts[-1]
        except Exception:
            self.stop(check=False)
            raise
        parsed = urllib.parse.urlsplit(self.url)
        self.host, self.port, self.scheme = parsed.hostname, parsed.port, parsed.scheme
        self.ca_file = None

    def _pump(self):
        for raw in self.proc.stdout:
            self._lines.put(raw.decode().rstrip("\n"))
        self._lines.put("")

    def stderr(self):
        self._stderr.flush()
        with open(self.stderr_path, "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self, check=True):
        """SIGTERM, wait, and (if check) require a clean exit 0."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._stderr.close()
        if self.proc.stdout:
            self.proc.stdout.close()
        code = self.proc.returncode
        shutil.rmtree(self.tmpdir, ignore_errors=True)
        if check and code != 0:
            raise AssertionError("ec2rk-sim exited with %r" % code)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop(check=exc[0] is None)

    # --- plain HTTP helpers --------------------------------------------------------------
    def connection(self, timeout=30):
        if self.scheme == "https":
            ctx = ssl.create_default_context(cafile=self.ca_file)
            return http.client.HTTPSConnection(self.host, self.port, timeout=timeout, context=ctx)
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method, target, body=b"", headers=None):
        conn = self.connection()
        try:
            conn.request(method, target, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read().decode()
        finally:
            conn.close()

    def state(self):
        status, _, body = self.request("GET", "/_sim/state")
        assert status == 200, status
        return json.loads(body)

    def events(self, since=0):
        status, _, body = self.request("GET", "/_sim/events?since=%d" % since)
        assert status == 200, status
        return json.loads(body)["events"]

    def reset(self):
        status, _, _ = self.request("POST", "/_sim/reset")
        assert status == 200, status

    def ec2(self, params, key=KEY, secret=SECRET, token=None, when=None, region=REGION, method="POST"):
        """A SigV4-signed EC2 call; returns (status, headers, body)."""
        params = dict(params)
        params.setdefault("Version", "2016-11-15")
        query = urllib.parse.urlencode(sorted(params.items()), quote_via=urllib.parse.quote)
        host = "%s:%d" % (self.host, self.port)
        if method == "POST":
            target, body = "/", query.encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        else:
            target, body, headers = "/?" + query, b"", {}
        headers.update(sign(method, target, body, host, key, secret, region, when or time.time(), token))
        return self.request(method, target, body, headers)


def sign(method, target, body, host, key, secret, region, when, token=None, service="ec2"):
    """Minimal SigV4 header signing (the test's own client; the simulator verifies with sigv4/)."""
    amz = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(when))
    date = amz[:8]
    headers = {"host": host, "x-amz-date": amz}
    if method == "POST":
        headers["content-type"] = "application/x-www-form-urlencoded; charset=utf-8"
    if token:
        headers["x-amz-security-token"] = token
    names = sorted(headers)
    path, _, query = target.partition("?")
    pairs = sorted(urllib.parse.parse_qsl(query, keep_blank_values=True))
    canonical_query = "&".join("%s=%s" % (urllib.parse.quote(k, safe="-_.~"), urllib.parse.quote(v, safe="-_.~"))
                               for k, v in pairs)
    canonical = "\n".join([method, path, canonical_query,
                           "".join("%s:%s\n" % (n, headers[n].strip()) for n in names),
                           ";".join(names), hashlib.sha256(body).hexdigest()])
    scope = "%s/%s/%s/aws4_request" % (date, region, service)
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    k = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
    out = {"X-Amz-Date": amz,
           "Authorization": "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
               key, scope, ";".join(names), signature)}
    if token:
        out["X-Amz-Security-Token"] = token
    return out


def error_code(body):
    start = body.find("<Code>")
    return body[start + 6:body.find("</Code>")] if start >= 0 else ""


def http_date_seconds(headers):
    value = headers.get("Date")
    return email.utils.parsedate_to_datetime(value).timestamp() if value else None


def vip_target(state, table_id):
    for table in state["route_tables"]:
        if table["id"] == table_id:
            for route in table["routes"]:
                if route["destination"] == VIP:
                    return route.get("network_interface_id")
    return None


def address(state, allocation_id):
    for a in state["addresses"]:
        if a["allocation_id"] == allocation_id:
            return a
    return None


def require_aws(test):
    if not os.access(AWS, os.X_OK):
        raise unittest.SkipTest("the AWS CLI is not installed at /usr/bin/aws")


def aws(sim, *args, secret=SECRET, key=KEY, env_extra=None, debug=False, ca_bundle=None, timeout=180):
    """Runs the AWS CLI against the simulator; returns CompletedProcess (text)."""
    home = tempfile.mkdtemp(prefix="ec2rk-sim-aws-")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home,
           "AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret,
           "AWS_DEFAULT_REGION": REGION, "AWS_EC2_METADATA_DISABLED": "true",
           "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_PAGER": ""}
    if env_extra:
        env.update(env_extra)
    cmd = [AWS, "--endpoint-url", sim.url, "--output", "json"]
    if debug:
        cmd.append("--debug")
    if ca_bundle:
        cmd += ["--ca-bundle", ca_bundle]
    try:
        return subprocess.run(cmd + ["ec2", *args], env=env, capture_output=True, text=True, timeout=timeout)
    finally:
        shutil.rmtree(home, ignore_errors=True)
