"""Helpers for the ec2rk end-to-end tests: start ec2rk-sim over HTTPS on a free loopback
port (optionally with a modified example scenario or faults), run the ec2rk binary against
it with the simulator's credentials and CA, and read the simulator's state and events."""
import copy
import json
import os
import ssl
import subprocess
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("EC2RK_SOURCE_DIR", os.path.abspath(os.path.join(HERE, "..", "..")))
EXAMPLE_SCENARIO = os.path.join(SOURCE_DIR, "sim", "scenarios", "example.json")

# The example scenario's ids (sim/scenarios/example.json).
NODE1_VIP_ENI = "eni-0ec20000000000a11"
NODE2_VIP_ENI = "eni-0ec20000000000b12"
NODE1_EIP_ENI = "eni-0ec20000000001a11"
NODE2_EIP_ENI = "eni-0ec20000000001b12"
NAT_B_ENI = "eni-0ec20000000000b00"
TABLE_A = "rtb-0ec20000000000a02"
TABLE_B = "rtb-0ec20000000000b02"
ALLOCATION = "eipalloc-0ec20000000000001"
VIP = "10.1.0.10/32"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"


def example_scenario():
    with open(EXAMPLE_SCENARIO) as f:
        return json.load(f)


class Sim:
    """One ec2rk-sim process; use as a context manager."""

    def __init__(self, sim_bin, scenario=None, args=()):
        self.sim_bin = sim_bin
        self.scenario = scenario
        self.args = list(args)
        self.tmp = tempfile.TemporaryDirectory(prefix="ec2rk-e2e-")
        self.dir = self.tmp.name
        self.ca = os.path.join(self.dir, "ca.pem")
        self.config = os.path.join(self.dir, "ec2rk.toml")
        self.proc = None
        self.url = None

    def __enter__(self):
        argv = [self.sim_bin, "--https", "--ca-out", self.ca, "--write-config", self.config]
        if self.scenario is not None:
            path = os.path.join(self.dir, "scenario.json")
            with open(path, "w") as f:
                json.dump(self.scenario, f)
            argv += ["--scenario", path]
        argv += self.args
        self.out = open(os.path.join(self.dir, "sim.out"), "w+")
        self.err = open(os.path.join(self.dir, "sim.err"), "w+")
        self.proc = subprocess.Popen(argv, stdout=self.out, stderr=self.err)
        deadline = time.time() + 20
        while time.time() < deadline:
            self.out.seek(0)
            line = self.out.readline()
            if "listening on" in line:
                self.url = line.split("listening on", 1)[1].strip()
                break
            if self.proc.poll() is not None:
                self.err.seek(0)
                raise RuntimeError("ec2rk-sim exited: " + self.err.read())
            time.sleep(0.05)
        if self.url is None:
            raise RuntimeError("ec2rk-sim did not start")
        self.ssl = ssl.create_default_context(cafile=self.ca)
        return self

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()
        self.err.close()
        self.tmp.cleanup()

    def get(self, path):
        with urllib.request.urlopen(self.url + path, context=self.ssl, timeout=10) as r:
            return json.load(r)

    def state(self):
        return self.get("/_sim/state")

    def events(self, since=0):
        return self.get("/_sim/events?since=%d" % since)["events"]

    def last_seq(self):
        ev = self.events()
        return ev[-1]["seq"] if ev else 0

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("AWS_") and k not in ("EC2RK_CONFIG", "NO_COLOR", "CLICOLOR_FORCE")}
        env.update({
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY": SECRET,
            "AWS_CA_BUNDLE": self.ca,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": os.path.join(self.dir, "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.dir, "no-aws-credentials"),
            "EC2RK_CONFIG": self.config,
        })
        env.update(extra)
        return env


def route_target(state, table_id, destination=VIP):
    for t in state["route_tables"]:
        if t["id"] == table_id:
            for r in t["routes"]:
                if r["destination"] == destination:
                    return r.get("network_interface_id"), r.get("state")
    return None, None


def eip_eni(state, allocation=ALLOCATION):
    for a in state["addresses"]:
        if a["allocation_id"] == allocation:
            assoc = a.get("association")
            return assoc["network_interface_id"] if assoc else None
    return None


def run(ec2rk, sim, *args, env=None, stdin=subprocess.DEVNULL, timeout=60):
    """Runs ec2rk; returns CompletedProcess with text stdout/stderr."""
    return subprocess.run([ec2rk] + list(args), env=env or sim.env(), stdin=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)


def with_orphan_eni(scenario, eni_id="eni-0ec20000000000dead"):
    """Adds an ENI attached to nothing (a route to it is a blackhole)."""
    sc = copy.deepcopy(scenario)
    template = next(e for e in sc["network_interfaces"] if e["id"] == NAT_B_ENI)
    orphan = copy.deepcopy(template)
    orphan["id"] = eni_id
    orphan["mac"] = "02:ec:20:de:ad:00"
    orphan["private_ips"] = ["10.0.3.200"]
    orphan.pop("attachment", None)
    orphan["tags"] = {"Name": "orphan"}
    sc["network_interfaces"].append(orphan)
    return sc


def with_vip_route(scenario, table_id, eni_id):
    sc = copy.deepcopy(scenario)
    for t in sc["route_tables"]:
        if t["id"] == table_id:
            for r in t["routes"]:
                if r["destination"] == VIP:
                    r["network_interface_id"] = eni_id
    return sc
