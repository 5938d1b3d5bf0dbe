#!/usr/bin/env python3
"""The Debian package: cpack builds it from a build tree, `dpkg -i` installs it into a
clean root (its dependencies checked against this machine's packages), and there
`ec2rk --version` runs, `man ec2rk` and `man 5 ec2rk.toml` render, the completion
files and the OCF agent are in their standard places and work.

Usage: ops_deb.py BUILD_DIR [unittest args]    (BUILD_DIR holds CPackConfig.cmake and
the built ec2rk and ec2rk-sim)
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

BUILD_DIR = None
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def run(cmd, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    kw.setdefault("timeout", 120)
    return subprocess.run(cmd, **kw)


class DebPackageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ec2rk-deb-")
        out = os.path.join(cls.tmp, "out")
        p = run(["cpack", "-G", "DEB", "-B", out,
                 "--config", os.path.join(BUILD_DIR, "CPackConfig.cmake")], cwd=BUILD_DIR)
        if p.returncode != 0:
            raise AssertionError("cpack failed:\n" + p.stdout + p.stderr)
        debs = glob.glob(os.path.join(out, "ec2rk_*.deb"))
        if len(debs) != 1:
            raise AssertionError(f"expected one ec2rk_*.deb in {out}, found {debs}")
        cls.deb = debs[0]

        # A clean root with its own dpkg database. This machine's package list goes in
        # as the database's status, so Depends are checked as on a machine with the
        # dependencies installed; nothing of ec2rk is there.
        cls.root = os.path.join(cls.tmp, "root")
        admin = os.path.join(cls.root, "var", "lib", "dpkg")
        for d in ("info", "updates", "triggers"):
            os.makedirs(os.path.join(admin, d))
        shutil.copy("/var/lib/dpkg/status", os.path.join(admin, "status"))
        cls.dpkg = ["dpkg", "--root=" + cls.root, "--log=" + os.path.join(cls.tmp, "dpkg.log")]
        if os.geteuid() != 0:
            cls.dpkg.append("--force-not-root")
        p = run(cls.dpkg + ["-i", cls.deb], env=dict(os.environ, PATH=PATH))
        if p.returncode != 0:
            raise AssertionError("dpkg -i into a clean root failed:\n" + p.stdout + p.stderr)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def path(self, relative):
        return os.path.join(self.root, relative.lstrip("/"))

    def test_the_control_fields_name_the_package_and_its_library_dependencies(self):
        fields = run(["dpkg-deb", "-f", self.deb]).stdout
        self.assertIn("Package: ec2rk\n", fields)
        self.assertIn("Maintainer: ", fields)
        depends = run(["dpkg-deb", "-f", self.deb, "Depends"]).stdout
        needed = {"libc6"}
        for binary in ("/usr/bin/ec2rk", "/usr/bin/ec2rk-sim"):
            found = {}  # soname -> path, as the loader resolves it
            for line in run(["ldd", self.path(binary)]).stdout.splitlines():
                if "=>" in line:
                    name, where = line.split("=>")
                    found[name.strip()] = where.split("(")[0].strip()
            for line in run(["readelf", "-d", self.path(binary)]).stdout.splitlines():
                if "(NEEDED)" not in line or "ld-linux" in line:  # the loader: libc6
                    continue
                lib = found.get(line.split("[")[1].rstrip("]"), "")
                self.assertTrue(lib.startswith("/"), binary + " needs an unresolved " + line)
                owner = ""
                for candidate in (lib, os.path.realpath(lib)):  # /lib may be a link to /usr/lib
                    owner = owner or run(["dpkg", "-S", candidate]).stdout.split(":")[0]
                self.assertTrue(owner, "no package owns " + lib)
                needed.add(owner)
        with open(self.path("/usr/bin/ec2rk"), "rb") as f:
            if b"libcurl.so.4" in f.read():  # Debian's libcurl, dlopen'ed: invisible to ldd
                needed.add("libcurl4")
        for package in sorted(needed):
            self.assertIn(package, depends)

    def test_dpkg_knows_it_installed_and_which_files_are_its(self):
        status = run(self.dpkg + ["-s", "ec2rk"]).stdout
        self.assertIn("Status: install ok installed", status)
        files = run(self.dpkg + ["-L", "ec2rk"]).stdout.splitlines()
        for f in ("/usr/bin/ec2rk", "/usr/bin/ec2rk-sim", "/usr/share/man/man1/ec2rk.1.gz",
                  "/usr/share/man/man5/ec2rk.toml.5.gz",
                  "/usr/share/bash-completion/completions/ec2rk",
                  "/usr/share/zsh/vendor-completions/_ec2rk",
                  "/usr/share/fish/vendor_completions.d/ec2rk.fish",
                  "/usr/lib/ocf/resource.d/ec2rk/ec2rk",
                  "/usr/share/ec2rk/lifekeeper/restore",
                  "/usr/share/ec2rk/lifekeeper/quickCheck"):
            self.assertIn(f, files)
            self.assertTrue(os.path.exists(self.path(f)), f)

    def test_ec2rk_version_runs_from_the_installed_root(self):
        p = run([self.path("/usr/bin/ec2rk"), "--version"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout, r"^ec2rk \d+\.\d+\.\d+")
        p = run([self.path("/usr/bin/ec2rk-sim"), "--version"])
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_man_ec2rk_and_man_5_ec2rk_toml_render_from_the_installed_pages(self):
        env = dict(os.environ, MANWIDTH="80", PATH=PATH, LC_ALL="C.UTF-8", MANPAGER="cat",
                   PAGER="cat")
        manpath = self.path("/usr/share/man")
        p = run(["man", "-M", manpath, "ec2rk"], env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("EC2RK(1)", p.stdout)
        self.assertIn("switchover", p.stdout)
        p = run(["man", "-M", manpath, "5", "ec2rk.toml"], env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("allocation_id", p.stdout)
        p = run(["man", "--warnings", "-l", self.path("/usr/share/man/man1/ec2rk.1.gz")], env=env)
        self.assertEqual(p.returncode, 0)
        self.assertEqual(p.stderr, "")

    def test_the_installed_bash_completion_completes(self):
        script = ('source /usr/share/bash-completion/bash_completion; source "$1"; '
                  'COMP_WORDS=(ec2rk sw); COMP_CWORD=1; COMP_LINE="ec2rk sw"; COMP_POINT=8; '
                  '_ec2rk ec2rk sw ec2rk; printf "%s\\n" "${COMPREPLY[@]}"')
        p = run(["bash", "--norc", "-c", script, "bash",
                 self.path("/usr/share/bash-completion/completions/ec2rk")])
        self.assertEqual(p.stdout.split(), ["switchover"], p.stderr)

    def test_the_installed_ocf_agent_is_executable_and_describes_itself(self):
        agent = self.path("/usr/lib/ocf/resource.d/ec2rk/ec2rk")
        self.assertTrue(os.access(agent, os.X_OK))
        p = run([agent, "meta-data"], env=dict(os.environ, OCF_ROOT="/usr/lib/ocf"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn('<resource-agent name="ec2rk"', p.stdout)

    def test_zz_the_package_removes_cleanly(self):
        p = run(self.dpkg + ["-r", "ec2rk"], env=dict(os.environ, PATH=PATH))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertFalse(os.path.exists(self.path("/usr/bin/ec2rk")))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: ops_deb.py BUILD_DIR [unittest args]")
    BUILD_DIR = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
