"""Starts moto (an EC2 emulator nobody here wrote) on a free loopback port with SigV4 checking
on, and creates the IAM user whose access key every later request must be signed with.

moto runs with INITIAL_NO_AUTH_ACTION_COUNT=3: the first three requests (IAM CreateUser,
PutUserPolicy, CreateAccessKey) are not authenticated; every later one, boto3's and ec2rk's,
must carry a valid signature: moto recomputes it from the request (re-encoding the form body
as botocore does) with the user's secret and answers SignatureDoesNotMatch / AuthFailure
otherwise.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

NO_AUTH_SETUP_CALLS = 3  # CreateUser, PutUserPolicy, CreateAccessKey


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc, timeout=60):
    """Waits until the port accepts TCP connections (no HTTP request: moto would count it)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("moto exited early with status %s" % proc.returncode)
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("moto did not start listening on port %d" % port)


class Moto:
    """One moto server: start(), then akid/secret/endpoint and client(); stop() always."""

    def start(self, user):
        import boto3  # only the test drivers use boto3; ec2rk never does

        self._boto3 = boto3
        self.port = free_port()
        self.endpoint = "http://127.0.0.1:%d" % self.port
        self.log = tempfile.TemporaryFile()
        env = dict(os.environ)
        env["INITIAL_NO_AUTH_ACTION_COUNT"] = str(NO_AUTH_SETUP_CALLS)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for_port(self.port, self.proc)

        # The unauthenticated allowance: create the IAM user ec2rk will sign as.
        iam = self.client("iam", "AKIDNOAUTHSETUP00000", "not-checked-yet")
        iam.create_user(UserName=user)
        iam.put_user_policy(UserName=user, PolicyName="all", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
        key = iam.create_access_key(UserName=user)["AccessKey"]
        self.akid, self.secret = key["AccessKeyId"], key["SecretAccessKey"]
        return self

    def client(self, service, akid=None, secret=None):
        return self._boto3.client(service, endpoint_url=self.endpoint, region_name="us-east-1",
                                  aws_access_key_id=akid or self.akid,
                                  aws_secret_access_key=secret or self.secret)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()
