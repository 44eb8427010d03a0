"""`daxlint check --format json` in a child process.

The review bot, the fixture harness and the real-tree tests run the checker
as a user would, in its own process (so a crash, an exit code or a stray
print is seen as such, and runs can go in parallel): this is the one place
that builds that command and reads its report.
"""
import json
import os
import subprocess
import sys

from . import HERE

DAXLINT = os.path.join(HERE, "daxlint")


def check_json(paths, kernel=None, engines=None, profile=None, rules=None,
               jobs=None, cwd=None, no_cache=False, env=None):
    """(report, exit code) of `daxlint check -q --format json` over PATHS.

    Raises RuntimeError (with the end of stderr) when there is no JSON
    report, i.e. the tool failed before it could write one."""
    cmd = [sys.executable, DAXLINT, "check", "-q", "--format", "json"]
    if kernel:
        cmd += ["--kernel", kernel]
    if engines:
        cmd += ["--engines", engines if isinstance(engines, str)
                else ",".join(engines)]
    if profile:
        cmd += ["--profile", profile]
    if rules:
        cmd += ["--rules", ",".join(rules)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    if no_cache:
        cmd.append("--no-cache")
    cmd += list(paths)
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, env=env)
    try:
        return json.loads(p.stdout), p.returncode
    except ValueError:
        raise RuntimeError("daxlint exited %d: %s"
                           % (p.returncode, p.stderr.strip()[-3000:]))
