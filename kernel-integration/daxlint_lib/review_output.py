"""The review's report in the form each venue expects: text (a terminal),
json (`daxlint check`'s report plus the attribution), sarif (2.1.0, with
partialFingerprints so a finding keeps its identity across pushes), github
(workflow commands), gitlab (a Code Quality report) and email (an mbox of
replies threaded under the patches, in the layout of the kernel test
robot's reports; written, never sent).

Everything here reads the dict review.review() returns (with "command",
the command line that reproduces the review, added by the caller).
"""
import email.message
import email.policy
import email.utils
import hashlib
import json
import re

from . import catalog, findings as fnd

FROM = "daxlint <daxlint@localhost>"
GITHUB_LEVEL = {"error": "error", "warning": "warning", "note": "notice"}
GITLAB_SEVERITY = {"error": "major", "warning": "minor", "note": "info"}


def fingerprint(f):
    """A finding's identity across pushes: its rule, file and function
    (not its line, which moves)."""
    return hashlib.sha256(("%s\0%s\0%s" % (f["rule"], f["file"],
                                           f["function"])).encode()
                          ).hexdigest()[:32]


def _patch_name(p):
    return "[%s] %s" % (" ".join(
        ["PATCH"] + (["v%d" % p["version"]] if p["version"] > 1 else []) +
        ["%d/%d" % (p["index"], p["total"])]), p["subject"])


def _ident(p):
    if p.get("message_id"):
        return "<%s>" % p["message_id"]
    if p.get("commit"):
        return "commit %s" % p["commit"][:12]
    return p.get("source") or ""


def _msg(f):
    return f.get("detail") or f["message"]


def _origin(p):
    return "%s (%s)" % (_patch_name(p), _ident(p)) if _ident(p) \
        else _patch_name(p)


# --- text, json ---------------------------------------------------------------

def text(res):
    out = []
    for f in res["comments"]:
        p = f["introduced_by"]
        out.append("%s:%d: %s: [%s] %s (%s)" % (
            f["file"], f["line"], f["function"] or "<file scope>", f["rule"],
            _msg(f), ", ".join(f["engines"])))
        out.append("    introduced by %s%s" % (
            _origin(p), ", its line %d" % p["line"] if p.get("line") else ""))
    for f in res["transient"]:
        out.append("not reported: %s:%s: [%s] introduced by %d/%d and "
                   "removed by %d/%d of the series" % (
                       f["file"], f["function"], f["rule"],
                       f["introduced_by"]["index"],
                       f["introduced_by"]["total"],
                       f["removed_by"]["index"], f["removed_by"]["total"]))
    for s in res["not_checked"]:
        out.append("not checked: %s: %s" % (s["path"], s["reason"]))
    for n in res.get("notes", []):
        out.append("note: %s" % n)
    for e in res["errors"]:
        out.append("daxlint review: error: %s"
                   % fnd.error_text(fnd.as_error(e)))
    out.append("")
    out.append("reviewed %d patch(es) touching %d file(s); checked %s"
               % (len(res["patches"]), len(res["touched"]),
                  " ".join(res["checked"]) or "nothing (no C change)"))
    if res["fixed"]:
        out.append("%d finding(s) of the tree removed by the series"
                   % len(res["fixed"]))
    out.append("%d new finding(s) introduced by the series"
               % len(res["comments"]))
    return "\n".join(out) + "\n"


def as_json(res):
    doc = dict(res)
    doc["findings"] = res["comments"]
    return json.dumps(doc, indent=2) + "\n"


# --- sarif ------------------------------------------------------------------

def sarif(res):
    """SARIF 2.1.0 as `daxlint check --format sarif` writes it, each result
    with partialFingerprints and the patch that introduced it."""
    found = []
    for f in res["comments"]:
        x = fnd.Finding(f["rule"], f["file"], f["line"], f.get("column"),
                        f["function"], None, f.get("detail"))
        x.engines = list(f["engines"])
        found.append(x)
    report = fnd.Report(res["profile"], "review", res["kernel"], [], [],
                        found, res["errors"], res["engines"],
                        res["unchecked"])
    doc = json.loads(report.sarif())
    run = doc["runs"][0]
    # paths are relative to the tree's top, which in CI is the repository
    # checked out (the scratch or base directory is of no use to a viewer)
    run.pop("originalUriBaseIds", None)
    for r, f in zip(run["results"], res["comments"]):
        r["partialFingerprints"] = {"daxlint/v1": fingerprint(f)}
        p = f["introduced_by"]
        r["properties"]["introducedBy"] = {
            k: p.get(k) for k in ("index", "total", "subject", "message_id",
                                  "commit", "line")}
        r["message"]["text"] += " (introduced by %s)" % _origin(p)
    run["properties"]["patches"] = [
        {k: p.get(k) for k in ("index", "total", "subject", "message_id",
                               "commit")} for p in res["patches"]]
    return json.dumps(doc, indent=2) + "\n"


# --- github -------------------------------------------------------------------

def gh_data(s):
    """Escape a workflow command's message as GitHub's toolkit does."""
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def gh_property(s):
    """Escape a workflow command's property value."""
    return gh_data(s).replace(":", "%3A").replace(",", "%2C")


def github(res):
    cat = catalog.load()
    out = []
    for f in res["comments"]:
        level = GITHUB_LEVEL[cat.rule(f["rule"])["severity"]]
        title = "daxlint %s in %s" % (f["rule"], f["function"] or "file scope")
        msg = "%s\nintroduced by %s" % (_msg(f), _origin(f["introduced_by"]))
        out.append("::%s file=%s,line=%d,title=%s::%s" % (
            level, gh_property(f["file"]), f["line"], gh_property(title),
            gh_data(msg)))
    for e in res["errors"]:
        out.append("::error title=%s::%s" % (
            gh_property("daxlint review"),
            gh_data(fnd.error_text(fnd.as_error(e)))))
    for s in res["not_checked"]:
        out.append("::notice title=%s::%s" % (
            gh_property("daxlint: not checked"),
            gh_data("%s: %s" % (s["path"], s["reason"]))))
    return "".join(l + "\n" for l in out)


# --- gitlab -------------------------------------------------------------------

def gitlab(res):
    cat = catalog.load()
    out, seen = [], set()
    for f in res["comments"]:
        fp = fingerprint(f)
        while fp in seen:
            fp = hashlib.sha256(fp.encode()).hexdigest()[:32]
        seen.add(fp)
        out.append({
            "description": "[%s] %s: %s (introduced by %s)" % (
                f["rule"], f["function"] or "<file scope>", _msg(f),
                _origin(f["introduced_by"])),
            "check_name": f["rule"],
            "fingerprint": fp,
            "severity": GITLAB_SEVERITY[cat.rule(f["rule"])["severity"]],
            "location": {"path": f["file"], "lines": {"begin": f["line"]}},
        })
    return json.dumps(out, indent=2) + "\n"


# --- email --------------------------------------------------------------------

def _greeting(author):
    name = email.utils.parseaddr(author or "")[0] or (author or "")
    name = name.strip().strip('"').split()
    return "Hi %s," % name[0] if name and "@" not in name[0] else "Hi,"


def reply_body(res, p, comments, sender):
    cat = catalog.load()
    cmd = res.get("command") or "daxlint review"
    lines = [_greeting(p.get("author")), "",
             "daxlint noticed the following DAX \"DMA vs truncate\" "
             "issue%s:" % ("s" if len(comments) > 1 else ""), "",
             "[daxlint review of the series on top of %s (profile %s), "
             "engines: %s]" % (res["kernel"], res["profile"],
                               ", ".join(res["engines"])), ""]
    lines.append("patch subject: %s" % (p.get("full_subject") or
                                        _patch_name(p)))
    if p.get("message_id"):
        lines.append("patch link: <%s>" % p["message_id"])
    if p.get("commit"):
        lines.append("commit: %s" % p["commit"])
    lines += ["reproduce:"]
    if p.get("message_id"):
        lines.append("        b4 mbox %s" % p["message_id"])
    lines += ["        %s" % cmd, "",
              "If you fix the issue in a separate patch/commit (i.e. not "
              "just a new version",
              "of the same patch/commit), kindly add following tags",
              "| Reported-by: %s" % sender, "",
              "New findings (new ones prefixed by >>):", ""]
    for f in comments:
        lines.append(">> %s:%d: %s: [%s] %s" % (
            f["file"], f["line"], f["function"] or "<file scope>",
            f["rule"], _msg(f)))
    for f in comments:
        ib = f["introduced_by"]
        rule = cat.rule(f["rule"])
        lines.append("")
        if ib.get("quote"):
            lines.append("> %s" % ib["hunk"])
            lines += ["> %s" % q for q in ib["quote"]]
            lines.append("")
        else:
            lines.append("(%s:%d is outside this patch's hunks: the patch "
                         "changes what is reached from there)"
                         % (f["file"], f["line"]))
            lines.append("")
        lines.append("rule:     %s (%s): %s" % (f["rule"], rule["severity"],
                                                rule["title"]))
        lines.append("function: %s" % (f["function"] or "<file scope>"))
        lines.append("where:    %s:%d%s" % (
            f["file"], f["line"], " (line %d of this patch's post-image)"
            % ib["line"] if ib.get("line") else ""))
        lines.append("why it matters: %s" % rule["message"])
        lines.append("docs:     docs/rules/%s.md" % f["rule"])
    lines += ["", "-- ", "daxlint review bot"]
    return "\n".join(lines) + "\n"


def replies(res, sender=FROM):
    """The EmailMessages: one reply per patch with findings."""
    out = []
    for p in res["patches"]:
        mine = [f for f in res["comments"]
                if f["introduced_by"]["index"] == p["index"]]
        if not mine:
            continue
        m = email.message.EmailMessage(policy=email.policy.default)
        m["From"] = sender
        if "@" in email.utils.parseaddr(p.get("author") or "")[1]:
            try:
                m["To"] = p["author"]
            except (ValueError, TypeError):
                pass
        subj = p.get("full_subject") or _patch_name(p)
        m["Subject"] = subj if re.match(r"(?i)re:", subj) else "Re: " + subj
        m["Date"] = email.utils.formatdate(localtime=False)
        m["Message-ID"] = email.utils.make_msgid("daxlint",
                                                 domain="daxlint.localhost")
        if p.get("message_id"):
            refs = [r for r in p.get("references") or []
                    if r != p["message_id"]] + [p["message_id"]]
            m["In-Reply-To"] = "<%s>" % p["message_id"]
            m["References"] = " ".join("<%s>" % r for r in refs)
        m["X-Daxlint-Findings"] = str(len(mine))
        # plain 8-bit text, as kernel mail is read and quoted: not
        # quoted-printable (which the email package picks for long lines)
        m.set_content(reply_body(res, p, mine, sender), cte="8bit")
        out.append(m)
    return out


MBOXRD_QUOTE = re.compile(r"^(>*From )", re.M)


def mbox(res, sender=FROM):
    """The replies as an mboxrd (body lines starting with "From " quoted)."""
    out = []
    pol = email.policy.default.clone(linesep="\n")
    for m in replies(res, sender):
        text = m.as_string(policy=pol)
        head, _, body = text.partition("\n\n")
        out.append("From daxlint@localhost Thu Jan  1 00:00:00 1970\n" +
                   head + "\n\n" + MBOXRD_QUOTE.sub(r">\1", body).rstrip("\n")
                   + "\n\n")
    return "".join(out)


FORMATS = {"text": text, "json": as_json, "sarif": sarif, "github": github,
           "gitlab": gitlab, "email": mbox}


def render(res, fmt, sender=FROM):
    if fmt == "email":
        return mbox(res, sender)
    return FORMATS[fmt](res)
