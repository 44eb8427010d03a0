"""The Coccinelle engine's blind spots: what spatch could not parse in the
files it was given, as error records naming the rules that are blind
there (blind_spots)."""
import os
import re
import subprocess
import threading

from .. import cache as cachemod
from ..findings import tool_error
from .cocci_select import (IDENT_RX, NOT_NAMES, SourceReader,
                           closure_tokens, function_blocks)
from .cocci_spatch import (macro_digest, macro_options, portable,
                           read_header, rule_file, spatch_env,
                           spatch_identity, standard_names)

# spatch skips a function it cannot parse and says so only on its verbose
# output: no rule sees that code, and a finding in it vanishes.  What
# failed to parse in a file comes from the rule runs that parse it as
# spatch --parse-c does (--verbose-parsing; ParseLog), else from one
# --parse-c run (same macro files and spatch); both are cached by content.
# spatch lists every failed region as
#   parse error
#    = File "f.c", line L, column C, ...
#   badcount: N
#   bad: <line>            N+1 lines, the one at L marked "BAD:!!!!! "
# The region is mapped to the functions it overlaps; each is reported as
# an error record naming the rules (among those run on the file) whose
# prefilter it matches, or, for a "directory" rule, that calls a function
# of the directory that reaches the prefilter's API (closure_tokens, the
# callers the rule follows): those rules cannot claim the function is
# clean.
PARSE_ERROR_RX = re.compile(r'^ = ?File "([^"]*)", line (\d+)')
BADCOUNT_RX = re.compile(r"^badcount: (\d+)")


def parse_command(f):
    # the rules run with --no-includes and --timeout 120: parse as they do
    return ["spatch", "--parse-c", f, "--no-includes", "--timeout",
            "120"] + macro_options()


def parse_key(cache, root, f):
    return cachemod.digest("parse-c", cachemod.FORMAT, spatch_identity(),
                           standard_names()[1], macro_digest(),
                           " ".join(portable(parse_command("-")[2:])),
                           cache.content(os.path.join(root, f)))


def bad_regions(output, lines, name=None):
    """[(first, last, error line)] (1-based) of the failed regions that
    spatch --parse-c printed for the file NAME (None: any); LINES is the
    file's text."""
    out = []
    it = iter(output.splitlines())
    err, other = None, False
    for line in it:
        m = PARSE_ERROR_RX.match(line)
        if m:
            err = int(m.group(2))
            # a header it read: that file's own run reports it
            other = name is not None and \
                os.path.normpath(m.group(1)) != os.path.normpath(name)
            continue
        m = BADCOUNT_RX.match(line)
        if not m:
            continue
        block = []
        for _ in range(int(m.group(1)) + 1):
            row = next(it, None)
            if row is None:
                break
            if row.startswith("BAD:!!!!! "):
                block.append((True, row[len("BAD:!!!!! "):]))
            elif row.startswith("bad:"):
                block.append((False, row[5:] if row.startswith("bad: ")
                              else row[4:]))
            else:
                break
        if not other:
            out.append(_place(block, err, lines))
        err, other = None, False
    return out


def _place(block, err, lines):
    """Where BLOCK (spatch's copy of the region) is in LINES: anchored at
    the marked error line when spatch gave one, else found by content."""
    want = [t.strip() for _, t in block]
    marked = [i for i, (bad, _) in enumerate(block) if bad]

    def fits(start):
        return start >= 1 and start + len(want) - 1 <= len(lines) and \
            all(lines[start - 1 + i].strip() == w
                for i, w in enumerate(want))
    if err is not None and marked and fits(err - marked[0]):
        start = err - marked[0]
        return (start, start + len(want) - 1, err)
    for start in range(1, len(lines) - len(want) + 2):
        if want and fits(start):
            return (start, start + len(want) - 1, err or start)
    # spatch's listing did not match the file: at least the error line
    line = err or 1
    return (line, line, line)


def _regions_of(output, lines, f):
    """The failed regions of F (LINES its text) in spatch's OUTPUT."""
    return sorted(set(bad_regions(output, lines, f)))


def _read_lines(root, f):
    with open(os.path.join(root, f), errors="replace") as fh:
        return fh.read().split("\n")


class ParseLog:
    """What failed to parse in each file, as the rule runs that parse
    like spatch --parse-c found it (parses_plainly); the blind-spot check
    runs --parse-c only on the files no such run parsed.  Kept in the
    cache under parse_key, so a later run that loads the AST knows it."""

    def __init__(self, cache):
        self.cache = cache
        self.known = {}
        self.lock = threading.Lock()

    def learn(self, root, files, output, unchanged):
        """FILES were parsed by a run with OUTPUT on stderr; those in
        UNCHANGED did not change meanwhile and are remembered in the
        cache."""
        for f in files:
            regions = _regions_of(output, _read_lines(root, f), f)
            with self.lock:
                self.known[f] = regions
                if self.cache and f in unchanged:
                    self.cache.put(parse_key(self.cache, root, f),
                                   [list(r) for r in regions])

    def get(self, f):
        with self.lock:
            return self.known.get(f)


def parse_failures(root, f, cache=None, log=None):
    """The regions of F (relative to ROOT) spatch cannot parse."""
    if log is not None and log.get(f) is not None:
        return log.get(f)
    key = parse_key(cache, root, f) if cache else None
    if key:
        hit = cache.get(key)
        if hit is not None:
            return [tuple(r) for r in hit]
    p = subprocess.run(parse_command(f), cwd=root, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True,
                       errors="replace", env=spatch_env())
    if p.returncode != 0:
        raise RuntimeError("spatch --parse-c %s exited %d" % (f,
                                                             p.returncode))
    lines = _read_lines(root, f)
    regions = _regions_of(p.stdout, lines, f)
    if re.search(r"(?m)^NB total files.*timeout = [1-9]", p.stdout):
        # a parse that timed out: nothing of the file is seen
        regions = [(1, len(lines), 1)]
    if key:
        cache.put(key, [list(r) for r in regions])
    return regions


_C_TYPES = {"void", "int", "char", "short", "long", "unsigned", "signed",
            "const", "struct", "union", "enum", "bool"}


def _outer_names(header):
    """The names called at parenthesis depth 0 in a function's header: the
    last is the function (an attribute with arguments, like
    __realloc_size(2), may come before it)."""
    out, nested, depth = [], [], 0
    for m in re.finditer(r"([A-Za-z_]\w*)\s*\(|[()]", header):
        if m.group(1):
            name = m.group(1)
            if name not in NOT_NAMES and name not in _C_TYPES:
                (nested if depth else out).append(name)
            depth += 1
        elif m.group(0) == "(":
            depth += 1
        else:
            depth = max(0, depth - 1)
    # a function returning a function pointer: int (*f(int a))(void)
    return out or nested[:1]


def function_spans(text):
    """(name, first line, last line) of the functions TEXT defines, in
    kernel style (cocci_select.function_blocks, with 1-based line
    numbers)."""
    out = []
    for header, first, (_, j), _ in function_blocks(text):
        names = _outer_names(header)
        if names:
            out.append((names[-1], first + 1, j + 1))
    return out


def define_at(lines, line):
    """The macro whose #define (with its continuation lines) holds LINE
    (1-based), or None."""
    i = line - 1
    while i > 0 and lines[i - 1].rstrip().endswith("\\"):
        i -= 1
    m = re.match(r"\s*#\s*define\s+(\w+)", lines[i] if i < len(lines)
                 else "")
    return m.group(1) if m else None


def blind_spots(root, cands, scopes, jobs, cache, within, log=None):
    """Error records for the regions of the files in CANDS ({rule: files})
    that spatch cannot parse."""
    files = sorted(set(f for fs in cands.values() for f in fs
                       if within(f)))
    if not files:
        return []
    regexes = dict((r, re.compile(read_header(rule_file(r)).get(
        "prefilter", "") or r"(?!)")) for r in cands)
    failed, errors = {}, []
    lock = threading.Lock()
    todo = list(files)

    def worker():
        while True:
            with lock:
                if not todo:
                    return
                f = todo.pop()
            try:
                regions = parse_failures(root, f, cache, log)
            except (OSError, RuntimeError) as exc:
                with lock:
                    errors.append(tool_error(
                        "cocci", "could not check what spatch fails to "
                        "parse: %s" % exc, file=f, rules=[
                            r for r in cands if f in cands[r]]))
                continue
            if regions:
                with lock:
                    failed[f] = regions
    threads = [threading.Thread(target=worker)
               for _ in range(max(1, min(jobs, len(files))))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    text = SourceReader(root)
    closures = {}

    def reaches(rule, f, idents):
        """Does a function mentioning IDENTS call, in F's directory, one
        that reaches RULE's API?"""
        # only a "directory" rule follows its API out to the callers (the
        # files it is given are that closure); a directory-all rule reads
        # every file, but its API is what its prefilter names
        if scopes[rule] != "directory":
            return False
        d = os.path.dirname(f)
        if (rule, d) not in closures:
            members = [x for x in cands[rule] if os.path.dirname(x) == d]
            closures[(rule, d)] = closure_tokens(members, regexes[rule],
                                                 text.functions)
        return bool(idents & closures[(rule, d)])

    out = list(errors)
    for f in sorted(failed):
        lines = text(f).split("\n")
        spans = function_spans(text(f))
        ran = [r for r in sorted(cands) if f in cands[r]]
        # one record per function, however many errors it holds
        places = {}
        for first, last, err in failed[f]:
            # spatch's region starts on the line of the last token it
            # parsed: a function that ends there is not in it
            hit = [s for s in spans if s[1] <= last and s[2] > first]
            # a region that overlaps no function (a declaration, a table)
            # is judged by its own text
            for name, a, b in hit or [(None, first, last)]:
                line = err if a <= err <= b else max(a, first)
                places.setdefault((name, a, b), []).append(line)
        for (name, fa, fb), at in sorted(places.items(),
                                         key=lambda x: (x[0][1], x[0][2])):
            body = "\n".join(lines[fa - 1:fb])
            idents = set(IDENT_RX.findall(body)) - {name}
            rules = [r for r in ran if regexes[r].search(body) or
                     reaches(r, f, idents)]
            line = min(at)
            what = "function" if name else "region"
            macro = None if name else define_at(lines, line)
            if macro:
                # spatch parses a macro's body on its own; no rule reads
                # it there (its uses are matched where they are written)
                what = "definition of macro %s" % macro
            reason = ("spatch could not parse this %s (from line %d to "
                      "%d)" % (what, fa, fb))
            if rules:
                reason += "; rules blind here: %s" % ", ".join(rules)
            else:
                reason += "; it calls no API of the rules run on it"
            out.append(tool_error("cocci", reason, file=f, line=line,
                                  function=name, rules=rules))
    return out
