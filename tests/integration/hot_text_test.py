#!/usr/bin/env python3
"""The ec2rk binary links the code its commands run together (cmake/ec2rk-hot-text.ld, made
by bench/hot-text): its .text.ec2rk_hot section exists, holds most of that code, and the
functions every switchover and check runs (TLS, libcurl, XML, signing, the planner) are in it.
A stale or ignored file fails here before it shows up as memory in bench/run.

usage: hot_text_test.py EC2RK_BINARY"""
import subprocess
import sys
import unittest

BINARY = sys.argv.pop(1) if len(sys.argv) > 1 else "build/cli/ec2rk"
MUST_BE_HOT = ["SSL_connect", "SSL_read", "EVP_DigestUpdate", "curl_multi_perform",
               "_ZN4pugi12xml_document11load_bufferEPKvmjNS_12xml_encodingE"]
OURS_HOT = ["5ec2rk3cli7observe", "5ec2rk3cli9make_plan", "5ec2rk5sigv4", "5ec2rk6ec2api9Ec2Client8call_all"]


def sections():
    out = subprocess.run(["readelf", "-SW", BINARY], capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        parts = line.replace("[ ", "[").split()
        if len(parts) > 6 and parts[1].startswith(".text"):
            found[parts[1]] = (int(parts[3], 16), int(parts[5], 16))
    return found


def symbols():
    out = subprocess.run(["nm", "--defined-only", BINARY], capture_output=True, text=True, check=True).stdout
    table = {}
    for line in out.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[1] in "TtWw":
            table.setdefault(parts[2], int(parts[0], 16))
    return table


class HotTextTest(unittest.TestCase):
    def setUp(self):
        self.sections = sections()
        self.assertIn(".text.ec2rk_hot", self.sections, "the link did not apply cmake/ec2rk-hot-text.ld")
        self.start, self.size = self.sections[".text.ec2rk_hot"]
        self.symbols = symbols()

    def hot(self, address):
        return self.start <= address < self.start + self.size

    def test_the_hot_part_is_large_and_smaller_than_the_text(self):
        rest = self.sections[".text"][1]
        self.assertGreater(self.size, 1 << 20)
        self.assertGreater(rest, 1 << 20, "everything is 'hot': the file lists cold code too")

    def test_library_code_every_command_runs_is_hot(self):
        for name in MUST_BE_HOT:
            with self.subTest(name=name):
                self.assertTrue(name in self.symbols, "no symbol " + name)
                self.assertTrue(self.hot(self.symbols[name]), name + " lies outside .text.ec2rk_hot")

    def test_our_code_on_the_switchover_path_is_hot(self):
        for fragment in OURS_HOT:
            with self.subTest(fragment=fragment):
                matches = [a for n, a in self.symbols.items() if fragment in n]
                self.assertTrue(matches, "no symbol contains " + fragment)
                self.assertTrue(any(self.hot(a) for a in matches), fragment + " lies outside .text.ec2rk_hot")


if __name__ == "__main__":
    unittest.main()
