"""`daxlint review`'s reports, without an engine, from a review result:
the email replies parsed back with the email package (threading headers,
quoted hunk lines, rule, function, why, Reported-by), GitHub workflow
commands and their escaping, SARIF 2.1.0 with partialFingerprints that
survive a line move, a GitLab Code Quality report, json and text."""
import copy
import json
import os
import re
import sys
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(TESTS)
sys.path.insert(0, os.path.join(TOP, "kernel-integration"))
from daxlint_lib import catalog, review_output as ro  # noqa: E402
sys.path.insert(0, TESTS)
from review_helpers import mbox_messages  # noqa: E402

RULE = "dax-writepages-divert"


def patch(n, msgid="m%d@example.org"):
    return {"index": n, "total": 2, "version": 2,
            "subject": "ext2: change %d" % n,
            "full_subject": "[PATCH v2 %d/2] ext2: change %d" % (n, n),
            "message_id": msgid % n if msgid else None,
            "references": ["cover@example.org"] if msgid else [],
            "commit": None, "author": "Ann Hacker <ann@example.org>",
            "source": "s.mbx"}


def result():
    quote = [" static int ext2_writepages(struct address_space *mapping,",
             " {",
             "+\tif (dax_mapping(mapping))"]
    finding = {"rule": RULE, "file": "fs/ext2/inode.c", "line": 990,
               "column": 2, "function": "ext2_writepages",
               "engines": ["cocci"], "message": catalog.load().rule(RULE)[
                   "message"],
               "detail": "From here, writeback: diverted, 100% wrong",
               "severity": catalog.load().rule(RULE)["severity"],
               "profile": "v6.1"}
    c = dict(finding, introduced_by=dict(
        patch(1), line=985, hunk="@@ -980,6 +980,9 @@ ext2_writepages",
        quote=quote))
    return {"patches": [patch(1), patch(2)],
            "touched": ["fs/ext2/inode.c"], "checked": ["fs/ext2"],
            "not_checked": [{"path": "include/linux/fs.h",
                             "reason": "included in 900 places"}],
            "comments": [c], "transient": [], "fixed": [], "errors": [],
            "unchecked": [], "profile": "v6.1", "engines": ["cocci"],
            "kernel": "/k", "notes": [],
            "command": "daxlint review --kernel /k --series s.mbx"}


class Email(unittest.TestCase):
    def replies(self, res):
        text = ro.render(res, "email", "bot <bot@example.org>")
        return text, mbox_messages(text)

    def test_one_threaded_reply_per_patch_with_findings(self):
        text, msgs = self.replies(result())
        self.assertEqual(len(msgs), 1)
        m = msgs[0]
        self.assertEqual(m["Subject"], "Re: [PATCH v2 1/2] ext2: change 1")
        self.assertEqual(m["In-Reply-To"], "<m1@example.org>")
        self.assertEqual(m["References"].split(),
                         ["<cover@example.org>", "<m1@example.org>"])
        self.assertEqual(m["To"], "Ann Hacker <ann@example.org>")
        self.assertEqual(m["From"], "bot <bot@example.org>")
        body = m.get_content()
        lines = body.splitlines()
        self.assertEqual(lines[0], "Hi Ann,")
        self.assertIn("> @@ -980,6 +980,9 @@ ext2_writepages", lines)
        self.assertIn("> +\tif (dax_mapping(mapping))", lines)
        self.assertIn("| Reported-by: bot <bot@example.org>", lines)
        rule = catalog.load().rule(RULE)
        self.assertIn("rule:     %s (%s): %s" % (
            RULE, rule["severity"], rule["title"]), lines)
        self.assertIn("function: ext2_writepages", lines)
        self.assertIn("why it matters: %s"
                      % catalog.load().rule(RULE)["message"], lines)
        self.assertIn("        b4 mbox m1@example.org", lines)
        self.assertIn("        daxlint review --kernel /k --series s.mbx",
                      lines)
        self.assertIn(">> fs/ext2/inode.c:990: ext2_writepages: [%s] "
                      "From here, writeback: diverted, 100%% wrong" % RULE,
                      lines)
        # readable as it is: 8-bit text, not quoted-printable
        self.assertEqual(m["Content-Transfer-Encoding"], "8bit")
        self.assertIn("\n> +\tif (dax_mapping(mapping))\n", text)
        # written as mboxrd: no body line starts with "From "
        self.assertEqual(re.findall(r"^From .*$", text, re.M),
                         ["From daxlint@localhost Thu Jan  1 00:00:00 1970"])

    def test_no_findings_no_mail(self):
        res = result()
        res["comments"] = []
        self.assertEqual(ro.render(res, "email"), "")

    def test_without_message_id_no_threading_headers(self):
        res = result()
        res["patches"] = [patch(1, None), patch(2, None)]
        res["comments"][0]["introduced_by"].update(message_id=None,
                                                   references=[])
        _, msgs = self.replies(res)
        self.assertIsNone(msgs[0]["In-Reply-To"])
        self.assertEqual(msgs[0]["Subject"],
                         "Re: [PATCH v2 1/2] ext2: change 1")


class GitHub(unittest.TestCase):
    def test_escaping(self):
        self.assertEqual(ro.gh_property("a:b,c%d\r\ne"),
                         "a%3Ab%2Cc%25d%0D%0Ae")
        self.assertEqual(ro.gh_data("a:b,c%d\r\ne"), "a:b,c%25d%0D%0Ae")

    def test_workflow_commands(self):
        res = result()
        res["comments"][0]["file"] = "fs/ext2/in,ode:1.c"
        out = ro.render(res, "github")
        lines = out.splitlines()
        self.assertEqual(len(lines), 2)
        level = {"error": "error", "warning": "warning", "note": "notice"}[
            catalog.load().rule(RULE)["severity"]]
        self.assertRegex(lines[0], r"^::" + level + r" file=fs/ext2/in%2Code%3A1\.c,"
                         r"line=990,title=daxlint dax-writepages-divert in "
                         r"ext2_writepages::From here, writeback: diverted, "
                         r"100%25 wrong%0Aintroduced by \[PATCH v2 1/2\] "
                         r"ext2: change 1 \(<m1@example\.org>\)$")
        self.assertTrue(lines[1].startswith(
            "::notice title=daxlint%3A not checked::include/linux/fs.h: "))


class Sarif(unittest.TestCase):
    def test_shape_and_fingerprints(self):
        res = result()
        doc = json.loads(ro.render(res, "sarif"))
        self.assertEqual(doc["version"], "2.1.0")
        run = doc["runs"][0]
        self.assertEqual(run["tool"]["driver"]["name"], "daxlint")
        r = run["results"][0]
        self.assertEqual(r["ruleId"], RULE)
        self.assertEqual(run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"],
                         RULE)
        loc = r["locations"][0]["physicalLocation"]
        self.assertEqual((loc["artifactLocation"]["uri"],
                          loc["region"]["startLine"]),
                         ("fs/ext2/inode.c", 990))
        self.assertEqual(r["properties"]["introducedBy"]["index"], 1)
        fp = r["partialFingerprints"]["daxlint/v1"]
        moved = copy.deepcopy(res)
        moved["comments"][0]["line"] = 1200
        self.assertEqual(json.loads(ro.render(moved, "sarif"))["runs"][0][
            "results"][0]["partialFingerprints"]["daxlint/v1"], fp)
        other = copy.deepcopy(res)
        other["comments"][0]["function"] = "ext2_dax_writepages"
        self.assertNotEqual(json.loads(ro.render(other, "sarif"))["runs"][0][
            "results"][0]["partialFingerprints"]["daxlint/v1"], fp)


class GitLab(unittest.TestCase):
    def test_code_quality(self):
        res = result()
        twin = copy.deepcopy(res["comments"][0])
        res["comments"].append(twin)
        doc = json.loads(ro.render(res, "gitlab"))
        self.assertEqual(len(doc), 2)
        for e in doc:
            self.assertEqual(set(e), {"description", "check_name",
                                      "fingerprint", "severity", "location"})
            self.assertEqual(e["check_name"], RULE)
            self.assertIn(e["severity"], ("info", "minor", "major",
                                          "critical", "blocker"))
            self.assertEqual(e["location"], {"path": "fs/ext2/inode.c",
                                             "lines": {"begin": 990}})
        self.assertNotEqual(doc[0]["fingerprint"], doc[1]["fingerprint"])


class JsonText(unittest.TestCase):
    def test_json_is_check_report_plus_attribution(self):
        doc = json.loads(ro.render(result(), "json"))
        self.assertEqual(doc["findings"], doc["comments"])
        self.assertEqual(doc["findings"][0]["introduced_by"]["message_id"],
                         "m1@example.org")
        for k in ("profile", "kernel", "engines", "errors", "unchecked"):
            self.assertIn(k, doc)

    def test_text(self):
        out = ro.render(result(), "text")
        self.assertIn("fs/ext2/inode.c:990: ext2_writepages: [%s]" % RULE,
                      out)
        self.assertIn("introduced by [PATCH v2 1/2] ext2: change 1 "
                      "(<m1@example.org>), its line 985", out)
        self.assertIn("not checked: include/linux/fs.h", out)
        self.assertIn("1 new finding(s) introduced by the series", out)

    def test_text_transient_and_errors(self):
        res = result()
        f = dict(res["comments"][0])
        del f["introduced_by"]
        res["transient"] = [dict(f, introduced_by=patch(1),
                                 removed_by=patch(2))]
        res["errors"] = [{"engine": "cocci", "file": "fs/ext2/dir.c",
                          "line": 3, "function": "f", "reason": "parse error",
                          "rules": [RULE]}]
        out = ro.render(res, "text")
        self.assertIn("not reported: fs/ext2/inode.c:ext2_writepages: [%s] "
                      "introduced by 1/2 and removed by 2/2 of the series"
                      % RULE, out)
        self.assertIn("daxlint review: error: fs/ext2/dir.c:3: f: [cocci] "
                      "parse error", out)
        gh = ro.render(res, "github")
        self.assertIn("::error title=daxlint review::fs/ext2/dir.c:3: f: "
                      "[cocci] parse error", gh)


if __name__ == "__main__":
    unittest.main()
