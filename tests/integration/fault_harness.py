"""Shared by the fault_* and secrets_* tests: start ec2rk-sim (HTTPS, free loopback port),
run the real ec2rk against it with a clean environment, and read the simulator's state.
Python 3 stdlib only. Binaries come from EC2RK_BIN and EC2RK_SIM_BIN (set by ctest)."""

import http.client
import http.server
import json
import os
import queue
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time

EC2RK = os.environ.get("EC2RK_BIN", "")
SIM = os.environ.get("EC2RK_SIM_BIN", "")
SOURCE_DIR = os.environ.get("EC2RK_SOURCE_DIR",
                            os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))

KEY = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

# The example scenario (sim/scenarios/example.json): node1 holds everything at start.
NODE_ENI = {
    "vip": {"node1": "eni-0ec20000000000a11", "node2": "eni-0ec20000000000b12"},
    "eip": {"node1": "eni-0ec20000000001a11", "node2": "eni-0ec20000000001b12"},
}
VIP = "10.1.0.10/32"
EIP_ALLOCATION = "eipalloc-0ec20000000000001"
RTB_PRIVATE_A = "rtb-0ec20000000000a02"
RTB_PRIVATE_B = "rtb-0ec20000000000b02"
NODE1_INSTANCE = "i-0ec20000000000a11"


def require_binaries():
    """Fails (never skips: a skipped test would pass in ctest) without both binaries."""
    for path, what in ((EC2RK, "EC2RK_BIN"), (SIM, "EC2RK_SIM_BIN")):
        if not path or not os.access(path, os.X_OK):
            raise AssertionError("%s does not name a built binary (ctest sets it)" % what)


def closed_port():
    """A loopback TCP port nothing listens on (bound, then closed)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Sim:
    """An ec2rk-sim process: HTTPS on a free loopback port, its CA and an ec2rk config written
    to a private directory. Always stop() it (tests use addCleanup)."""

    def __init__(self, *args, imds_nodes=(), scenario=None):
        self.dir = tempfile.mkdtemp(prefix="ec2rk-fault-")
        self.ca = os.path.join(self.dir, "ca.pem")
        self.config = os.path.join(self.dir, "ec2rk.toml")
        cmd = [SIM, "--port", "0", "--https", "--ca-out", self.ca, "--write-config", self.config]
        if scenario:
            cmd += ["--scenario", scenario]
        for node in imds_nodes:
            cmd += ["--imds", "%s=0" % node]
        cmd += list(args)
        self._err = open(os.path.join(self.dir, "sim.stderr"), "wb")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self._err)
        lines = queue.Queue()

        def pump():
            for raw in self.proc.stdout:
                lines.put(raw.decode().rstrip("\n"))
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        self.imds = {}
        try:
            first = lines.get(timeout=30)
            if not first or not first.startswith("ec2rk-sim listening on "):
                raise RuntimeError("ec2rk-sim did not start: %r %s" % (first, self.stderr()))
            self.url = first.split()[-1]
            for _ in imds_nodes:
                parts = lines.get(timeout=30).split()  # ec2rk-sim imds NODE listening on URL
                self.imds[parts[2]] = parts[-1]
        except BaseException:
            self.stop()
            raise
        host_port = self.url.split("://", 1)[1].rstrip("/")
        self.host, port = host_port.rsplit(":", 1)
        self.port = int(port)

    def stderr(self):
        try:
            with open(os.path.join(self.dir, "sim.stderr"), "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
        self._err.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _get(self, path, method="GET"):
        ctx = ssl.create_default_context(cafile=self.ca)
        conn = http.client.HTTPSConnection(self.host, self.port, timeout=30, context=ctx)
        try:
            conn.request(method, path)
            resp = conn.getresponse()
            body = resp.read().decode()
            if resp.status != 200:
                raise AssertionError("%s %s: HTTP %d %s" % (method, path, resp.status, body))
            return json.loads(body) if body else None
        finally:
            conn.close()

    def state(self):
        return self._get("/_sim/state")

    def holders(self, state=None):
        """{"vip": {rtb id: node or ENI id}, "eip": node or ENI id or None} from /_sim/state."""
        state = state or self.state()
        by_eni = {}
        for res, enis in NODE_ENI.items():
            for node, eni in enis.items():
                by_eni[(res, eni)] = node
        vip = {}
        for table in state["route_tables"]:
            for route in table["routes"]:
                if route.get("destination") == VIP:
                    eni = route.get("network_interface_id", "")
                    vip[table["id"]] = by_eni.get(("vip", eni), eni or route.get("state"))
        eip = None
        for addr in state["addresses"]:
            if addr["allocation_id"] == EIP_ALLOCATION and addr.get("association"):
                eni = addr["association"]["network_interface_id"]
                eip = by_eni.get(("eip", eni), eni)
        return {"vip": vip, "eip": eip}

    def holder(self, resource, state=None):
        """The single node holding `resource`, or a description of the split."""
        h = self.holders(state)[resource]
        if resource == "eip":
            return h
        nodes = set(h.values())
        return nodes.pop() if len(nodes) == 1 else "split:%s" % sorted(h.items())


class Run:
    def __init__(self, args, code, out, err, elapsed):
        self.args, self.code, self.out, self.err, self.elapsed = args, code, out, err, elapsed

    def __repr__(self):
        return "ec2rk %s -> exit %d in %.2f s\n--- stdout\n%s--- stderr\n%s" % (
            " ".join(self.args), self.code, self.elapsed, self.out, self.err)


def base_env(sim=None, home=None, keys=True, imds=False):
    """A clean environment: no proxies, no ~/.aws, IMDS off unless asked for."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "NO_COLOR": "1"}
    env["HOME"] = home or tempfile.gettempdir()
    env["AWS_CONFIG_FILE"] = os.path.join(env["HOME"], "no-such-aws-config")
    env["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(env["HOME"], "no-such-aws-credentials")
    if keys:
        env["AWS_ACCESS_KEY_ID"] = KEY
        env["AWS_SECRET_ACCESS_KEY"] = SECRET
    if not imds:
        env["AWS_EC2_METADATA_DISABLED"] = "true"
    if sim is not None:
        env["AWS_CA_BUNDLE"] = sim.ca
        env["EC2RK_CONFIG"] = sim.config
    return env


def run(args, env, timeout=120, stdin=subprocess.DEVNULL):
    start = time.monotonic()
    p = subprocess.run([EC2RK, *args], env=env, stdin=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    elapsed = time.monotonic() - start
    return Run(args, p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"),
               elapsed)


def run_parallel(jobs):
    """Runs callables concurrently; returns their results in order (re-raises the first error)."""
    results = [None] * len(jobs)
    errors = []

    def work(i, job):
        try:
            results[i] = job()
        except BaseException as e:  # noqa: BLE001 - handed back to the caller
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results


class FakeImds:
    """A stdlib IMDSv2 on 127.0.0.1 that hands out a known token and the given credentials
    document (e.g. temporary credentials fetched from ec2rk-sim's IMDS). `mode`: "ok",
    "refuse-token" (403 on PUT), "hang" (accepts, never answers)."""

    TOKEN = "AQAEAImdsTokenEc2rkSecretsTest-DoNotLeak-7f3a9c"

    def __init__(self, credentials_json, instance_id=NODE1_INSTANCE, region="us-east-1", mode="ok",
                 role="ec2rk-node"):
        outer = self
        self.requests = []

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def _send(self, status, body, headers=()):
                data = body.encode()
                self.send_response(status)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_PUT(self):
                outer.requests.append(("PUT", self.path))
                if outer.mode == "hang":
                    time.sleep(30)
                    return
                if outer.mode == "refuse-token":
                    return self._send(403, "Forbidden")
                if self.path != "/latest/api/token":
                    return self._send(404, "Not Found")
                self._send(200, FakeImds.TOKEN, [("X-aws-ec2-metadata-token-ttl-seconds", "21600")])

            def do_GET(self):
                outer.requests.append(("GET", self.path))
                if outer.mode == "hang":
                    time.sleep(30)
                    return
                if self.headers.get("X-aws-ec2-metadata-token") != FakeImds.TOKEN:
                    return self._send(401, "Unauthorized")
                routes = {
                    "/latest/meta-data/instance-id": instance_id,
                    "/latest/meta-data/placement/region": region,
                    "/latest/meta-data/iam/security-credentials/": role,
                    "/latest/meta-data/iam/security-credentials/" + role: outer.credentials_json,
                }
                if self.path in routes:
                    return self._send(200, routes[self.path])
                self._send(404, "Not Found")

        self.mode = mode
        self.credentials_json = credentials_json
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def imds_get(base_url, path, token=None, method="GET", headers=None):
    """One request to an IMDS (the sim's or a fake); returns (status, body)."""
    host_port = base_url.split("://", 1)[1].rstrip("/")
    host, port = host_port.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        h = dict(headers or {})
        if token:
            h["X-aws-ec2-metadata-token"] = token
        conn.request(method, path, headers=h)
        resp = conn.getresponse()
        return resp.status, resp.read().decode()
    finally:
        conn.close()


def sim_role_credentials(imds_url):
    """The temporary credentials document ec2rk-sim's IMDS serves (JSON text, parsed dict)."""
    status, token = imds_get(imds_url, "/latest/api/token", method="PUT",
                             headers={"X-aws-ec2-metadata-token-ttl-seconds": "21600"})
    assert status == 200, (status, token)
    status, role = imds_get(imds_url, "/latest/meta-data/iam/security-credentials/", token)
    assert status == 200, (status, role)
    role = role.splitlines()[0].strip()
    status, doc = imds_get(imds_url, "/latest/meta-data/iam/security-credentials/" + role, token)
    assert status == 200, (status, doc)
    return doc, json.loads(doc), token
