"""Findings: one record per violation, merged across engines, written as
text, JSON or SARIF 2.1.0."""
import json

from . import catalog

SARIF_LEVEL = {"error": "error", "warning": "warning", "note": "note"}


class Finding:
    __slots__ = ("rule", "file", "line", "column", "function", "engines",
                 "detail")

    def __init__(self, rule, file, line, column, function, engine, detail=""):
        self.rule = rule
        self.file = file
        self.line = int(line)
        self.column = int(column) if column is not None else None
        self.function = function or ""
        self.engines = [engine] if engine else []
        self.detail = detail or ""

    def key(self):
        return (self.rule, self.file, self.line)

    def sort_key(self):
        return (self.file, self.line, self.column or 0, self.rule)

    def as_dict(self, profile):
        rule = catalog.load().rule(self.rule)
        return {
            "rule": self.rule,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "function": self.function,
            "engines": sorted(self.engines),
            "message": rule["message"],
            "detail": self.detail,
            "severity": rule["severity"],
            "profile": profile,
        }


def merge(findings):
    """One finding per (rule, file, line): several engines that found the
    same violation make one finding that lists them all."""
    out = {}
    for f in findings:
        k = f.key()
        if k not in out:
            out[k] = f
            continue
        m = out[k]
        for e in f.engines:
            if e not in m.engines:
                m.engines.append(e)
        if m.column is None:
            m.column = f.column
        if not m.function:
            m.function = f.function
        if not m.detail:
            m.detail = f.detail
    # a rule that "subsumes" another (catalog) is the more precise statement
    # of the same violation: where both fire on one line, keep that one
    cat = catalog.load()
    where = {}
    for f in out.values():
        where.setdefault((f.file, f.line), set()).add(f.rule)
    kept = []
    for f in out.values():
        others = where[(f.file, f.line)] - {f.rule}
        if any(f.rule in cat.rule(o).get("subsumes", []) for o in others):
            continue
        kept.append(f)
    return sorted(kept, key=Finding.sort_key)


def tool_error(engine, reason, file=None, line=None, function=None,
               rules=()):
    """What an engine could not do or could not see.  `rules` names the
    rules that are blind there (the place calls an API they are about):
    such an error means the run cannot claim "clean"."""
    return {"engine": engine, "file": file,
            "line": int(line) if line is not None else None,
            "function": function, "reason": reason, "rules": sorted(rules)}


def as_error(e, engine=None):
    """Engines may still report a bare message: make it a record."""
    if isinstance(e, dict):
        return dict(tool_error(None, ""), **e)
    return tool_error(engine, str(e))


def error_text(e):
    where = ""
    if e.get("file"):
        where = "%s:%s: %s: " % (e["file"], e["line"] or 0,
                                 e.get("function") or "<file scope>")
    blind = ""
    if e.get("rules"):
        blind = " (not checked here: %s)" % ", ".join(e["rules"])
    eng = "[%s] " % e["engine"] if e.get("engine") else ""
    return "%s%s%s%s" % (where, eng, e["reason"], blind)


class Report:
    """`errors` are what makes the run unable to claim "clean" (exit 2);
    `unchecked` are blind spots that touch no rule's API (listed, counted,
    but they cannot hide a finding)."""

    def __init__(self, profile, profile_source, kdir, rules_run,
                 not_applicable, findings, errors, engines, unchecked=(),
                 not_checked=()):
        self.profile = profile
        self.profile_source = profile_source
        self.kdir = kdir
        self.rules_run = rules_run
        self.not_applicable = not_applicable
        self.findings = findings
        self.errors = [as_error(e) for e in errors]
        self.unchecked = [as_error(e) for e in unchecked]
        self.engines = engines
        # rules of this tree that no engine of the run has a check for
        self.not_checked = list(not_checked)

    def exit_code(self):
        if self.errors:
            return 2
        return 1 if self.findings else 0

    def as_dict(self):
        return {
            "profile": self.profile,
            "profile_source": self.profile_source,
            "kernel": self.kdir,
            "engines": self.engines,
            "rules_run": self.rules_run,
            "findings": [f.as_dict(self.profile) for f in self.findings],
            "not_applicable": self.not_applicable,
            "not_checked": self.not_checked,
            "errors": self.errors,
            "unchecked": self.unchecked,
        }

    def text(self):
        lines = []
        for f in self.findings:
            msg = f.detail or catalog.load().rule(f.rule)["message"]
            lines.append("%s:%d: %s: [%s] %s (%s)" % (
                f.file, f.line, f.function or "<file scope>", f.rule, msg,
                ", ".join(sorted(f.engines))))
        for e in self.errors:
            lines.append("daxlint: error: %s" % error_text(e))
        lines.append("")
        lines.append("profile: %s (%s)" % (self.profile, self.profile_source))
        lines.append("engines: %s" % ", ".join(self.engines))
        lines.append("rules checked: %d" % len(self.rules_run))
        for nc in self.not_checked:
            lines.append("not checked: %s (%s)" % (nc["rule"], nc["reason"]))
        for na in self.not_applicable:
            lines.append("not applicable to this tree: %s (%s)" % (
                na["rule"], na["reason"]))
        if self.unchecked:
            lines.append("not analysed, touching no rule's API: %d place(s) "
                         "(listed under \"unchecked\" in --format json)"
                         % len(self.unchecked))
        lines.append("%d finding(s), %d error(s)" % (len(self.findings),
                                                      len(self.errors)))
        return "\n".join(lines) + "\n"

    def json(self):
        return json.dumps(self.as_dict(), indent=2) + "\n"

    def sarif(self):
        cat = catalog.load()
        rules = []
        index = {}
        for r in cat.rules:
            index[r["id"]] = len(rules)
            rules.append({
                "id": r["id"],
                "name": r["id"],
                "shortDescription": {"text": r["title"]},
                "fullDescription": {"text": r["message"]},
                "defaultConfiguration": {"level": SARIF_LEVEL[r["severity"]]},
                "helpUri": "docs/rules/%s.md" % r["id"],
                "properties": {"profiles": r["profiles"],
                               "engines": r["engines"]},
            })
        results = []
        for f in self.findings:
            r = cat.rule(f.rule)
            region = {"startLine": f.line}
            if f.column:
                region["startColumn"] = f.column
            loc = {"physicalLocation": {
                "artifactLocation": {"uri": f.file, "uriBaseId": "KDIR"},
                "region": region}}
            if f.function:
                loc["logicalLocations"] = [{"name": f.function,
                                            "kind": "function"}]
            results.append({
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": SARIF_LEVEL[r["severity"]],
                "message": {"text": f.detail or r["message"]},
                "locations": [loc],
                "properties": {"engines": sorted(f.engines),
                               "profile": self.profile},
            })
        run = {
            "tool": {"driver": {"name": "daxlint",
                                "informationUri": "docs/rules/README.md",
                                "rules": rules}},
            "results": results,
            "invocations": [{
                "executionSuccessful": not self.errors,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": error_text(e)}}
                    for e in self.errors] + [
                    {"level": "note", "message": {"text": error_text(e)}}
                    for e in self.unchecked],
            }],
            "properties": {"profile": self.profile,
                           "not_applicable": self.not_applicable},
        }
        if self.kdir:
            run["originalUriBaseIds"] = {
                "KDIR": {"uri": "file://" + self.kdir.rstrip("/") + "/"}}
        doc = {
            "version": "2.1.0",
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "runs": [run],
        }
        return json.dumps(doc, indent=2) + "\n"
