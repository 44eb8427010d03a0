"""`daxlint check --format json` in a child process.

The review bot, the fixture harness and the real-tree tests run the checker
as a user would, in its own process (so a crash, an exit code or a stray
print is seen as such, and runs can go in parallel): this is the one place
that builds that command and reads its report.
"""
import json
import os
import signal
import subprocess
import sys

from . import HERE

DAXLINT = os.path.join(HERE, "daxlint")


def check_json(paths, kernel=None, engines=None, profile=None, rules=None,
               jobs=None, cwd=None, no_cache=False, env=None, timeout=None):
    """(report, exit code) of `daxlint check -q --format json` over PATHS.

    Raises RuntimeError (with the end of stderr) when there is no JSON
    report, i.e. the tool failed before it could write one, or when it
    ran over TIMEOUT seconds (then it and its engines are killed)."""
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
    if timeout is None:
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, env=env)
    else:
        p = _run_bounded(cmd, cwd, env, timeout)
    try:
        return json.loads(p.stdout), p.returncode
    except ValueError:
        raise RuntimeError("daxlint exited %d: %s"
                           % (p.returncode, p.stderr.strip()[-3000:]))


def _run_bounded(cmd, cwd, env, timeout):
    """subprocess.run(CMD) in a session of its own, killed with all its
    children (the engines' spatch processes) after TIMEOUT seconds."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        proc.communicate()
        raise RuntimeError("daxlint check over %s took more than %d s: "
                           "stopped" % (" ".join(cmd[-3:]), timeout))
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)
