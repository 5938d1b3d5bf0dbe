"""Shared by the ops_* integration tests: find the binaries, run ec2rk-sim with the
example scenario (and its IMDS endpoints) on loopback, read who holds what.

The binaries come from the environment ctest sets (EC2RK_BIN, EC2RK_SIM_BIN); the
sources from EC2RK_SOURCE_DIR. Every server binds 127.0.0.1 on a free port and is
stopped by the test that started it.
"""

import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request

# The key pair ec2rk-sim's example scenario accepts (documented in its README).
EXAMPLE_ACCESS_KEY = "AKIDEXAMPLE"
EXAMPLE_SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

SOURCE_DIR = os.environ.get(
    "EC2RK_SOURCE_DIR",
    os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))


def binary(variable, name):
    """The path in $variable, else `name` on PATH; fails the test run when neither."""
    path = os.environ.get(variable) or shutil.which(name)
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError(f"{name} not found: set {variable}")
    return os.path.abspath(path)


def ec2rk_bin():
    return binary("EC2RK_BIN", "ec2rk")


def sim_bin():
    return binary("EC2RK_SIM_BIN", "ec2rk-sim")


def clean_env(workdir, **extra):
    """An environment with the example credentials and nothing of the caller's AWS
    set-up (no shared files, proxies or IMDS), plus `extra`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and k.lower() not in
           ("http_proxy", "https_proxy", "all_proxy", "no_proxy") and k != "EC2RK_CONFIG"}
    env.update({
        "AWS_ACCESS_KEY_ID": EXAMPLE_ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": EXAMPLE_SECRET_KEY,
        "AWS_CONFIG_FILE": os.path.join(workdir, "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(workdir, "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_MAX_ATTEMPTS": "2",
        "NO_COLOR": "1",
        "LC_ALL": "C.UTF-8",
    })
    env.update({k: v for k, v in extra.items() if v is not None})
    for k, v in extra.items():
        if v is None:
            env.pop(k, None)
    return env


class Sim:
    """ec2rk-sim with the example scenario, IMDS endpoints for node1 and node2 and an
    ec2rk configuration written to `<workdir>/ec2rk.toml`. Use as a context manager."""

    def __init__(self, workdir, *flags):
        self.workdir = workdir
        self.config = os.path.join(workdir, "ec2rk.toml")
        self.flags = list(flags)
        self.url = None
        self.imds = {}
        self.proc = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        cmd = [sim_bin(), "--imds", "node1=0", "--imds", "node2=0",
               "--write-config", self.config] + self.flags
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=clean_env(self.workdir))
        # Raw reads: a buffered readline could swallow the later lines select waits for.
        fd = self.proc.stdout.fileno()
        buffered = b""
        deadline = time.monotonic() + 15
        while self.url is None or len(self.imds) < 2:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([fd], [], [], max(left, 0))
            chunk = os.read(fd, 4096) if ready else b""
            if not chunk:
                self.stop()
                raise RuntimeError("ec2rk-sim did not start: " + " ".join(cmd))
            buffered += chunk
            *lines, buffered = buffered.split(b"\n")
            for raw in lines:
                line = raw.decode()
                words = line.split()
                if line.startswith("ec2rk-sim listening on "):
                    self.url = words[-1]
                elif line.startswith("ec2rk-sim imds "):
                    self.imds[words[2]] = words[-1]
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            for stream in (self.proc.stdout, self.proc.stderr):
                if stream:
                    stream.close()

    def state(self):
        with urllib.request.urlopen(self.url + "/_sim/state", timeout=10) as r:
            return json.load(r)

    def holders(self):
        """{resource name: set of node names its routes / association point at}."""
        state = self.state()
        cfg = state["ec2rk"]
        out = {}
        for name, route in cfg["routes"].items():
            owner = {eni: node for node, eni in route["eni"].items()}
            targets = set()
            for table in state["route_tables"]:
                if table["vpc_id"] != route["vpc_id"]:
                    continue
                for r in table["routes"]:
                    if r.get("destination") == route["destination"]:
                        eni = r.get("network_interface_id", "?")
                        targets.add(owner.get(eni, eni))
            out[name] = targets
        for name, eip in cfg["eips"].items():
            owner = {eni: node for node, eni in eip["eni"].items()}
            targets = set()
            for a in state["addresses"]:
                if a["allocation_id"] == eip["allocation_id"]:
                    assoc = a.get("association") or {}
                    eni = assoc.get("network_interface_id", "(none)")
                    targets.add(owner.get(eni, eni))
            out[name] = targets
        return out


def ec2rk(sim, *args, env_extra=None, timeout=60):
    """Runs ec2rk with the sim's configuration; returns the CompletedProcess."""
    env = clean_env(sim.workdir, **(env_extra or {}))
    return subprocess.run([ec2rk_bin(), "--config", sim.config, *args], env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=timeout)


def tempdir(testcase):
    """A temporary directory removed when the test case ends."""
    d = tempfile.mkdtemp(prefix="ec2rk-ops-")
    testcase.addCleanup(shutil.rmtree, d, ignore_errors=True)
    return d
