"""daxlint: the single entry point that runs the engines over a kernel tree
(or standalone files), merges their findings and writes text, JSON or SARIF."""
import argparse
import json
import os
import sys

from . import cache as cachemod, catalog, findings as fnd
from . import profile as prof, tree
from .engines import cocci, sparse, tidy

# Engines, in the order they run.  Each has available() and
# run(ctx, rules, progress) -> (findings, errors) (engines/__init__.py).  An error is a message
# or a findings.tool_error() record; a record with a file is a blind spot,
# and one whose `rules` is empty touches no rule's API (it is listed as
# "unchecked" and does not fail the run).
ENGINES = {"cocci": cocci, "sparse": sparse, "tidy": tidy}

EPILOG = """\
exit status: 0 no findings, 1 findings, 2 the tool failed or could not see:
an engine failed, or could not analyse a place that calls an API a rule is
about (each is listed in the report's errors, with file, line, function and
the rules that are blind there).  Places it could not analyse that touch no
rule's API are listed under "unchecked" and do not change the status.

examples:
  daxlint check                       the Debian 6.1 tree (fetched and cached)
  daxlint check --kernel ~/linux fs/ext2 fs/xfs
  daxlint check --profile v7 --format json foo.c
  daxlint rules                       the rule catalog
"""


class Context:
    def __init__(self, root, paths, profile, jobs, standalone, cache=None):
        self.root = root
        self.paths = paths
        self.profile = profile
        self.jobs = jobs
        self.standalone = standalone
        self.cache = cache


def _progress(quiet):
    def say(msg):
        if not quiet:
            print(msg, file=sys.stderr, flush=True)
    return say


def _resolve(args, say):
    """(root, relative paths, standalone) for the check."""
    kdir = args.kernel
    paths = args.paths
    if kdir is None and not paths:
        kdir = tree.debian_tree(say)
    if kdir is None:
        kdir = prof.find_tree_root(paths[0])
    if kdir is not None:
        kdir = os.path.abspath(kdir)
        rel = []
        for p in paths or [kdir]:
            # relative to KDIR first, then to the current directory
            cands = [p] if os.path.isabs(p) else [os.path.join(kdir, p),
                                                   os.path.abspath(p)]
            full = next((c for c in cands if os.path.exists(c)), None)
            if full is None:
                raise FileNotFoundError("no such file or directory: %s" % p)
            r = os.path.relpath(os.path.realpath(full), os.path.realpath(kdir))
            if r.startswith(".."):
                raise ValueError("%s is outside the kernel tree %s"
                                 % (p, kdir))
            rel.append(r)
        return kdir, rel, False
    rel = []
    for p in paths:
        if not os.path.exists(p):
            raise FileNotFoundError("no such file or directory: %s" % p)
        rel.append(os.path.abspath(p).lstrip("/"))
    return "/", rel, True


def _display_path(ctx, f):
    if not ctx.standalone:
        return f
    full = "/" + f.lstrip("/")
    r = os.path.relpath(full)
    return full if r.startswith("..") else r


def cmd_check(args):
    say = _progress(args.quiet)
    cat = catalog.load()
    if args.engines is None:
        # every installed engine (its tools present; building our own
        # parts on first use is part of the run)
        engines = [e for e in ENGINES if ENGINES[e].available()]
        if not engines:
            print("daxlint: no engine is installed (run: bash "
                  "kernel-integration/bootstrap.sh deps)", file=sys.stderr)
            return 2
        say("daxlint: engines: %s (every installed engine; --engines "
            "chooses)" % ", ".join(engines))
    else:
        engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    for e in engines:
        if e not in ENGINES:
            known = ", ".join(sorted(cat.engines))
            print("daxlint: engine '%s' is not available in this build "
                  "(catalog engines: %s; implemented: %s)"
                  % (e, known, ", ".join(ENGINES)), file=sys.stderr)
            return 2
        if not ENGINES[e].available():
            print("daxlint: engine '%s' needs %s, which is not installed "
                  "(run: bash kernel-integration/bootstrap.sh deps%s)"
                  % (e, cat.engines[e]["command"],
                     " tidy" if e == "tidy" else ""), file=sys.stderr)
            return 2
    try:
        root, paths, standalone = _resolve(args, say)
    except (OSError, ValueError, RuntimeError) as exc:
        print("daxlint: %s" % exc, file=sys.stderr)
        return 2
    if args.profile == "auto":
        if standalone:
            print("daxlint: %s is not inside a kernel tree; pass --profile "
                  "(%s)" % (args.paths[0], ", ".join(cat.profiles)),
                  file=sys.stderr)
            return 2
        try:
            profile, evidence = prof.detect(root)
        except prof.ProfileError as exc:
            print("daxlint: %s" % exc, file=sys.stderr)
            return 2
        source = "detected: " + evidence
    else:
        profile, source = args.profile, "--profile"
    say("daxlint: profile %s (%s)" % (profile, source))

    wanted = cat.ids()
    if args.rules:
        wanted = [r.strip() for r in args.rules.split(",") if r.strip()]
        bad = [r for r in wanted if r not in cat.by_id]
        if bad:
            print("daxlint: unknown rule(s): %s" % ", ".join(bad),
                  file=sys.stderr)
            return 2
    not_applicable, run_rules = [], []
    for r in wanted:
        rule = cat.rule(r)
        if profile not in rule["profiles"]:
            not_applicable.append({
                "rule": r,
                "reason": "applies to %s; this tree is %s"
                          % (", ".join(rule["profiles"]), profile)})
        else:
            run_rules.append(r)

    cache = cachemod.open_cache(not args.no_cache)
    ctx = Context(root, paths, profile, args.jobs, standalone, cache)
    all_findings, errors, unchecked = [], [], []
    for e in engines:
        rules = [r for r in run_rules if cat.runs(e, r)]
        if not rules and args.engines is None:
            # not asked for by name: an engine with no check for the
            # rules to run has nothing to say
            say("daxlint: %s has no check for the rules to run" % e)
            continue
        try:
            f, errs = ENGINES[e].run(ctx, rules, say)
        except (OSError, RuntimeError) as exc:
            f, errs = [], ["engine failed: %s" % exc]
        all_findings += f
        for err in errs:
            rec = fnd.as_error(err, e)
            if rec["file"]:
                rec["file"] = _display_path(ctx, rec["file"])
            (unchecked if rec["file"] and not rec["rules"]
             else errors).append(rec)
    for f in all_findings:
        f.file = _display_path(ctx, f.file)
    merged = fnd.merge(all_findings)
    # what the run may claim: the rules one of its engines has a check for
    checked = [r for r in run_rules if any(cat.runs(e, r) for e in engines)]
    not_checked = [{"rule": r, "reason": "no check in the engines run (%s); "
                    "covered by %s" % (", ".join(engines),
                                       ", ".join(cat.rule(r)["engines"]))}
                   for r in run_rules if r not in checked]
    report = fnd.Report(profile, source, None if standalone else root,
                        checked, not_applicable, merged, errors, engines,
                        unchecked, not_checked)
    out = {"text": report.text, "json": report.json,
           "sarif": report.sarif}[args.format]()
    if args.output:
        with open(args.output, "w") as fh:
            fh.write(out)
    else:
        sys.stdout.write(out)
    if cache is not None:
        say("daxlint: cache: %d hit(s), %d miss(es), %d written (%s)"
            % (cache.hits, cache.misses, cache.writes, cache.root))
    say("daxlint: %d finding(s), %d error(s)" % (len(merged), len(errors)))
    return report.exit_code()


def cmd_cache(args):
    c = cachemod.Cache()
    if args.action == "clear":
        c.clear()
        print("daxlint: cleared %s" % c.root)
    elif args.action == "prune":
        n = c.prune(cachemod.limit() if args.size is None
                    else cachemod.limit_of(args.size))
        print("daxlint: removed %d entr%s" % (n, "y" if n == 1 else "ies"))
    else:
        st = c.stats()
        print("%s: %d entries, %.1f MiB (limit %.1f MiB)" % (
            st["path"], st["entries"], st["bytes"] / 1048576.0,
            st["limit"] / 1048576.0))
    return 0


def rules_markdown():
    """The rule index of docs/rules/README.md, made from the catalog."""
    cat = catalog.load()
    out = ["# daxlint rules", "",
           "Generated from kernel-integration/rules.json by "
           "`daxlint rules --markdown`; do not edit by hand.", "",
           "| rule | severity | profiles | engines | fix-it | what |",
           "|---|---|---|---|---|---|"]
    for r in cat.rules:
        out.append("| [%s](%s.md) | %s | %s | %s | %s | %s |" % (
            r["id"], r["id"], r["severity"], ", ".join(r["profiles"]),
            ", ".join(r["engines"]), ", ".join(r["patch"]) or "-",
            r["title"]))
    out += ["", "Profiles:", ""]
    for name, p in cat.profiles.items():
        out.append("- `%s`: %s; recognised by %s." % (name, p["summary"],
                                                      p["recognise"]))
    return "\n".join(out) + "\n"


def cmd_rules(args):
    cat = catalog.load()
    if args.markdown:
        sys.stdout.write(rules_markdown())
        return 0
    for r in cat.rules:
        print("%-24s %-7s %-22s %-12s %s" % (
            r["id"], r["severity"], ",".join(r["profiles"]),
            ",".join(r["engines"]), r["title"]))
    return 0


def cmd_profile(args):
    try:
        p, why = prof.detect(args.kernel)
    except prof.ProfileError as exc:
        print("daxlint: %s" % exc, file=sys.stderr)
        return 2
    print("%s\t%s" % (p, why))
    return 0


def cmd_tree(args):
    fetch = tree.latest_tree if args.kernel_version == "latest" \
        else tree.debian_tree
    try:
        print(fetch(_progress(False)))
    except (OSError, RuntimeError) as exc:
        print("daxlint: %s" % exc, file=sys.stderr)
        return 2
    return 0


REVIEW_EPILOG = """\
inputs (exactly one):
  PATCH...            patch files, applied in the order given
  --series FILE|DIR   an mbox (mboxo, mboxrd as `b4 mbox` writes it, or the
                      `git format-patch`/`b4 am` flavour), a directory of
                      `git format-patch` files, or a saved public-inbox
                      thread page; patches are ordered by their
                      "[PATCH vN n/m]" subject, the cover letter (0/m) and
                      replies are skipped, the newest version is taken, and
                      a series with missing parts is refused (exit 2)
  --range BASE..HEAD  the commits BASE..HEAD of --repo (default: KDIR),
                      oldest first, merges left out

Each new finding is attributed to the patch after which it appears and
stays; one introduced by a patch and removed by a later one is not reported
(the series does not introduce it; see "transient" in --format json).
The tree is never written: the series is applied to a scratch copy.
Diff paths that leave the tree (absolute, "..", through a symlink, a
rename to outside), symlinks, submodules and binary patches are refused
before anything is applied; a series over 20 MB or 500 patches too.

exit status: 0 the series introduces no finding, 1 it introduces some,
2 the tool failed, a patch does not apply, or the input was refused.

examples:
  daxlint review --kernel ~/linux 0001-foo.patch 0002-bar.patch
  b4 mbox -o . <msgid> && daxlint review --kernel ~/linux \\
      --series <msgid>.mbx --format email -o replies.mbox
  daxlint review --kernel . --range origin/master..HEAD \\
      --format github --sarif daxlint.sarif
  daxlint review --kernel . --range "$BASE..$HEAD" --format gitlab \\
      -o gl-code-quality-report.json
See docs/review.md.
"""


def cmd_review(args):
    from . import review, review_output, review_series
    say = _progress(args.quiet)
    given = [x for x in (args.patches, args.series, args.range) if x]
    if len(given) != 1:
        print("daxlint review: give exactly one of PATCH..., --series or "
              "--range", file=sys.stderr)
        return 2
    mboxrd = args.mbox_format == "mboxrd"
    try:
        kdir = args.kernel or tree.debian_tree(say)
        if not os.path.isdir(kdir):
            raise review.ReviewError("%s is not a directory" % kdir)
        if args.range:
            repo = os.path.abspath(args.repo or kdir)
            review_series.check_tree_at_base(kdir, repo, args.range)
            patches, notes = review_series.read_range(repo, args.range)
        elif args.series:
            patches, notes = review_series.read_series(args.series, mboxrd)
        else:
            patches, notes = review_series.read_patch_files(args.patches,
                                                            mboxrd)
        for n in notes:
            say("review: %s" % n)
        profile = args.profile
        if profile == "auto":
            profile = prof.detect(kdir)[0]
        review.CHECK_TIMEOUT = args.timeout
        res = review.review(os.path.abspath(kdir), patches, args.engines,
                            profile, args.jobs, say,
                            max_header_dirs=args.max_header_dirs)
    except (review_series.SeriesError, review.ReviewError, OSError,
            RuntimeError, prof.ProfileError) as exc:
        print("daxlint review: %s" % exc, file=sys.stderr)
        return 2
    except Exception as exc:    # input written by strangers: no traceback
        print("daxlint review: cannot review this input: %s: %s"
              % (type(exc).__name__, exc), file=sys.stderr)
        return 2
    res["notes"] = notes
    res["command"] = " ".join(_shell_quote(a) for a in ["daxlint", "review"] +
                              _reproduce_args(args, kdir))
    out = review_output.render(res, args.format, args.email_from)
    try:
        if args.output:
            with open(args.output, "w") as fh:
                fh.write(out)
        else:
            sys.stdout.write(out)
        if args.sarif:
            with open(args.sarif, "w") as fh:
                fh.write(review_output.sarif(res))
    except OSError as exc:
        print("daxlint review: %s" % exc, file=sys.stderr)
        return 2
    code = review.exit_code(res)
    say("daxlint review: %d new finding(s), %d error(s), exit %d"
        % (len(res["comments"]), len(res["errors"]), code))
    return code


def _shell_quote(a):
    import shlex
    return shlex.quote(a)


def _reproduce_args(args, kdir):
    out = ["--kernel", kdir]
    if args.series:
        out += ["--series", args.series]
    elif args.range:
        out += ["--range", args.range] + (["--repo", args.repo]
                                          if args.repo else [])
    else:
        out += list(args.patches)
    if args.engines != "cocci":
        out += ["--engines", args.engines]
    return out


def _run_options(p, cat):
    """The options check and review share: how the engines run and where
    the report goes."""
    p.add_argument("--profile", default="auto",
                   choices=["auto"] + list(cat.profiles),
                   help="kernel generation (default: detect from the tree)")
    p.add_argument("--output", "-o", metavar="FILE",
                   help="write the report to FILE instead of stdout")
    p.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                   help="parallel jobs per engine (default: %(default)s)")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="no progress on stderr")


def parser():
    cat = catalog.load()
    ap = argparse.ArgumentParser(
        prog="daxlint", description=__doc__, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", metavar="COMMAND")
    c = sub.add_parser(
        "check", help="check a kernel tree or files",
        description="Check a kernel tree (or files in it, or standalone .c "
        "files with --profile) against the DAX layout rules.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or directories, relative to KDIR or absolute "
                   "(default: the whole tree)")
    c.add_argument("--kernel", "-k", metavar="KDIR",
                   help="kernel source tree (default: the tree containing "
                   "PATH, else Debian's linux-source-6.1, fetched and cached)")
    c.add_argument("--engines",
                   help="comma-separated engines: %s (default: every "
                   "installed engine; the report says which ran)"
                   % ",".join(cat.engines))
    c.add_argument("--rules", help="comma-separated rule IDs (default: all)")
    c.add_argument("--format", default="text",
                   choices=["text", "json", "sarif"])
    c.add_argument("--no-cache", action="store_true",
                   help="neither read nor write the results cache "
                   "(the answer is the same, computed from scratch)")
    _run_options(c, cat)
    c.set_defaults(func=cmd_check)
    k = sub.add_parser(
        "cache", help="show, prune or clear the results cache",
        description="The results cache holds the engines' per-file work "
        "under ${XDG_CACHE_HOME:-~/.cache}/daxlint/results, keyed by file "
        "content, rule, catalog, profile and engine version. It is bounded "
        "by DAXLINT_CACHE_SIZE (bytes, or with k/M/G; default 8G).")
    k.add_argument("action", nargs="?", default="stats",
                   choices=["stats", "prune", "clear"])
    k.add_argument("--size", help="prune to this size (e.g. 500M)")
    k.set_defaults(func=cmd_cache)
    r = sub.add_parser("rules", help="list the rule catalog")
    r.add_argument("--markdown", action="store_true",
                   help="the docs/rules/README.md index")
    r.set_defaults(func=cmd_rules)
    p = sub.add_parser("profile", help="print the profile detected for KDIR")
    p.add_argument("kernel", metavar="KDIR")
    p.set_defaults(func=cmd_profile)
    v = sub.add_parser(
        "review", help="review a patch series: report only what it introduces",
        description="Apply a series (patch files, a mailing-list mbox or "
        "thread, or a git range) to a scratch copy of KDIR, one patch "
        "at a time, check the places it touches before and after each "
        "patch, and report only the findings the series introduces (one more "
        "finding of a rule in a function, told apart by its line's text), "
        "each attributed to its patch.",
        epilog=REVIEW_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    v.add_argument("patches", nargs="*", metavar="PATCH",
                   help="patch files (mail or plain diff), in order")
    v.add_argument("--series", "-s", metavar="FILE|DIR",
                   help="an mbox, a saved public-inbox thread page or a "
                   "directory of git format-patch files ('-': stdin)")
    v.add_argument("--range", "-r", metavar="BASE..HEAD",
                   help="the commits BASE..HEAD of the git repository "
                   "--repo (default: KDIR)")
    v.add_argument("--repo", metavar="DIR",
                   help="the git repository of --range (default: KDIR)")
    v.add_argument("--kernel", "-k", metavar="KDIR",
                   help="the tree the series applies to; never written "
                   "(default: Debian's linux-source-6.1)")
    v.add_argument("--engines", default="cocci",
                   help="comma-separated engines (default: cocci; sparse "
                   "and tidy run the tree's Makefiles, which the series can "
                   "change: run them sandboxed, see docs/review.md)")
    v.add_argument("--format", "-f", default="text",
                   choices=["text", "json", "sarif", "email", "github",
                            "gitlab"],
                   help="text; json (daxlint check's report plus the "
                   "attribution); sarif (2.1.0, with partialFingerprints); "
                   "email (an mbox of replies threaded under the patches, "
                   "written, never sent); github (workflow commands); "
                   "gitlab (a Code Quality report)")
    v.add_argument("--sarif", metavar="FILE",
                   help="also write a SARIF 2.1.0 report to FILE (for "
                   "GitHub code scanning next to --format github)")
    v.add_argument("--email-from", default="daxlint <daxlint@localhost>",
                   metavar="ADDR",
                   help="From: and Reported-by: of --format email "
                   "(default: %(default)s)")
    v.add_argument("--mbox-format", choices=["mboxrd", "mboxo"],
                   default="mboxrd",
                   help="how the --series mbox quotes body lines starting "
                   "with \"From \": mboxrd (b4; \">From \" loses one \">\") "
                   "or mboxo (left as is) (default: %(default)s)")
    v.add_argument("--max-header-dirs", type=int, default=40, metavar="N",
                   help="check at most N directories using a changed "
                   "header under include/; the others are listed as not "
                   "checked (default: %(default)s)")
    v.add_argument("--timeout", type=int, default=1800, metavar="SECONDS",
                   help="stop a check that runs longer (exit 2; default: "
                   "%(default)s)")
    _run_options(v, cat)
    v.set_defaults(func=cmd_review)
    t = sub.add_parser(
        "tree", help="print (fetching if needed) the path of a cached "
        "Debian kernel tree",
        description="Print the path of a Debian kernel source tree unpacked "
        "in daxlint's cache, fetching it on first use: 6.1 is "
        "linux-source-6.1 (the reference tree, installed with apt-get); "
        "latest is the newest linux-source-7.* (or 6.15+) of Debian's "
        "trixie-backports and sid suites, downloaded through a private apt "
        "configuration in the cache (the system's sources are not touched).")
    t.add_argument("--kernel-version", choices=("6.1", "latest"),
                   default="6.1", help="which tree (default: 6.1)")
    t.set_defaults(func=cmd_tree)
    return ap


def main(argv=None):
    ap = parser()
    args = ap.parse_args(argv)
    if not getattr(args, "func", None):
        ap.print_help()
        return 2
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 2
