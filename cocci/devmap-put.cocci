// SPDX-License-Identifier: GPL-2.0-only
/// A ZONE_DEVICE (FS-DAX) page is idle when its reference count drops to
/// one, and only put_devmap_managed_page() / put_devmap_managed_page_refs()
/// notice that transition and wake the layout breakers waiting in
/// dax_layout_busy_page().  Code that drops page references in bulk or by
/// count, bypassing put_page(), must route ZONE_DEVICE pages through those
/// helpers before the generic test-and-free path, or truncate / hole punch
/// of a DAX file waits forever ("mm: fix missing wake-up event for FSDAX
/// pages", 5.19, fixed exactly this in gup_put_folio).
///
/// A drop is a generic test-and-free primitive that does not check for
/// devmap pages: put_page_testzero, folio_put_testzero,
/// page_ref_dec_and_test, folio_ref_dec_and_test, page_ref_sub_and_test,
/// folio_ref_sub_and_test, folio_put_refs, folio_put (6.1's folio_put has
/// no devmap check; put_page has).  It is
///  - "by count" when its count argument uses a parameter of the function
///    (refs, nr), or it runs in a loop whose condition uses one;
///  - "in bulk" when it runs in a loop, in a function that is given a page
///    array (a struct page ** / struct folio ** / pagevec / folio_batch
///    parameter) or indexes one: release_pages, unpin_user_pages.
/// A counted drop must be preceded on every path by the helper; a function
/// with a bulk loop must call the helper (for the ZONE_DEVICE pages of the
/// loop).  A counted drop whose zero branch frees straight to the buddy
/// allocator (free_the_page, __free_pages, free_unref_page,
/// __free_pages_ok) handles allocator pages only (page_frag caches) and is
/// not a candidate.
//
// Rule: devmap-put
// Prefilter: put_page_testzero|folio_put_testzero|page_ref_dec_and_test|folio_ref_dec_and_test|page_ref_sub_and_test|folio_ref_sub_and_test|folio_put_refs|folio_put\(
// Scope: file
// Confidence: Moderate
// Comments: see docs/rules/devmap-put.md for what "bulk" and "count" mean
//  and what the rule cannot see.
// Options: --no-includes --include-headers

virtual context
virtual org
virtual report

@initialize:python@
@@
# ---- generated from kernel-integration/api/kernel-api.tsv by cocci/generate.py: do not edit
API_LIST_ENTRY = ("list_entry", "list_first_entry", "list_last_entry",
                  "list_first_entry_or_null", "list_next_entry",
                  "list_prev_entry", "container_of")
API_LIST_ITER = ("list_for_each_entry", "list_for_each_entry_safe",
                 "list_for_each_entry_reverse",
                 "list_for_each_entry_safe_reverse",
                 "list_for_each_entry_continue", "list_for_each_entry_from")
API_PAGE_SOURCE = ("alloc_pages", "__alloc_pages", "alloc_pages_node",
                   "__alloc_pages_node", "folio_alloc", "__folio_alloc",
                   "xas_load", "xas_find", "xas_next_entry",
                   "xas_find_marked", "xas_next_marked", "xas_find_conflict",
                   "xas_next", "xas_prev", "xa_load", "xa_find",
                   "xa_find_after", "filemap_get_folio",
                   "__filemap_get_folio", "filemap_lock_folio",
                   "filemap_grab_folio", "find_get_page", "find_lock_page",
                   "find_or_create_page", "pagecache_get_page",
                   "grab_cache_page_write_begin", "read_cache_folio",
                   "read_cache_page", "read_mapping_folio",
                   "read_mapping_page", "lru_to_folio", "lru_to_page",
                   "filemap_alloc_folio", "__page_cache_alloc",
                   "page_cache_alloc", "vma_alloc_folio", "alloc_page",
                   "alloc_page_vma")
API_PAGE_SOURCE_ITER_OBJ = {"xas_for_each": 1, "xas_for_each_marked": 1,
                            "xas_for_each_conflict": 1}
API_PAGE_SOURCE_ITER_VIA = {"xas_for_each": "xas_find",
                            "xas_for_each_marked": "xas_find_marked",
                            "xas_for_each_conflict": "xas_find_conflict"}
API_PAGE_SOURCE_OUT_OBJ = {"shmem_get_folio": 2, "shmem_get_folio_gfp": 2,
                           "shmem_getpage": 2}
API_SAME_PAGE = ("page_folio", "compound_head", "_compound_head",
                 "folio_page", "nth_page", "folio_file_page")
# ---- end of kernel-integration/api/kernel-api.tsv
import re

# ---- generated from cocci/lib/srcscan.py by cocci/generate.py: do not edit
# The calls a function body makes, read from its source text.
#
# SmPL finds the function and the braces of its body (one cheap match per
# function); the calls inside are read from the text.  Matching every call
# with SmPL (g@p(...) for any g) costs several times the parse of a
# directory, and a directory rule needs the whole call graph of its
# directory, context-free, so that it can be cached file by file.  The text
# is read with comments, string and character literals, preprocessor lines
# and #if 0 blocks blanked out, so positions stay those spatch reports.
import re as ss_re

SS_CALL_RX = ss_re.compile(r"\b([A-Za-z_]\w*)\s*\(")
SS_NOT_CALLS = set(["if", "while", "for", "switch", "return", "sizeof",
                    "typeof", "__typeof__", "_Alignof", "alignof",
                    "__alignof__", "defined", "__attribute__", "asm",
                    "__asm__", "__builtin_expect", "case", "do", "else"])
# (spelt without backslash escapes: spatch's own lexer reads this code)
SS_QUOTES = (chr(34), chr(39))
SS_BACKSLASH = chr(92)
_ss_blank = {}


# comments, then string and character literals (no newline inside), in one
# left-to-right scan
SS_LIT_RX = ss_re.compile(
    "/[*].*?[*]/|//[^\n]*|" +
    "".join("%s(?:%s.|[^%s%s\n])*%s" % (q, SS_BACKSLASH * 2, q,
                                          SS_BACKSLASH * 2, q) + "|"
            for q in SS_QUOTES)[:-1], ss_re.S)
SS_DIRECTIVE_RX = ss_re.compile(r"\s*#\s*(\w*)\s*(\S*)")


def _ss_spaces(m):
    return ss_re.sub(r"[^\n]", " ", m.group(0))


def _ss_blank_text(text):
    """TEXT with comments, literals, preprocessor lines and #if 0 blocks
    turned into spaces (newlines kept, so positions stay)."""
    lines = SS_LIT_RX.sub(_ss_spaces, text).split("\n")
    raw = text.split("\n")
    skip_depth = 0      # inside #if 0 ... #endif
    k = 0
    while k < len(lines):
        m = SS_DIRECTIVE_RX.match(lines[k])
        if m is None:
            if skip_depth:
                lines[k] = " " * len(lines[k])
            k += 1
            continue
        word = m.group(1)
        if skip_depth:
            if word in ("if", "ifdef", "ifndef"):
                skip_depth += 1
            elif word == "endif":
                skip_depth -= 1
            elif word in ("else", "elif") and skip_depth == 1:
                skip_depth = 0
        elif word == "if" and m.group(2) == "0":
            skip_depth = 1
        # the directive and its continuation lines
        while True:
            cont = raw[k].endswith(SS_BACKSLASH)
            lines[k] = " " * len(lines[k])
            k += 1
            if not cont or k >= len(lines):
                break
    return "\n".join(lines)


def ss_lines(file):
    """FILE's lines, blanked as above (cached)."""
    if file not in _ss_blank:
        try:
            with open(file, errors="replace") as fh:
                _ss_blank[file] = _ss_blank_text(fh.read()).split("\n")
        except OSError:
            _ss_blank[file] = []
    return _ss_blank[file]


def _ss_args(lines, ln, col):
    """The argument text of the call whose "(" is at LINES[ln][col]."""
    depth, buf = 0, []
    for k in range(ln, min(len(lines), ln + 60)):
        s = lines[k]
        for c in s[col if k == ln else 0:]:
            if c == "(":
                depth += 1
                if depth == 1:
                    continue
            elif c == ")":
                depth -= 1
                if depth == 0:
                    return ss_re.sub(r"\s+", " ", "".join(buf)).strip()
            buf.append(c)
        buf.append(" ")
    return ss_re.sub(r"\s+", " ", "".join(buf)).strip()


def _ss_body(lines, line, col, limit):
    """(first, last) 0-based line indexes of the body of the function whose
    name is at LINE:COL: from the first "{" after the name to the brace
    that closes it, and never past line LIMIT (the next function's name),
    which bounds the damage of braces that #ifdef branches unbalance."""
    depth, first = 0, None
    for ln in range(line - 1, min(limit, len(lines))):
        s = lines[ln]
        for k in range(col if ln == line - 1 else 0, len(s)):
            c = s[k]
            if c == "{":
                depth += 1
                if first is None:
                    first = (ln, k)
            elif c == "}" and first is not None:
                depth -= 1
                if depth == 0:
                    return first, ln
    if first is None:
        return None, None
    return first, min(limit, len(lines)) - 1


def ss_calls(file, defs):
    """[function, callee, line, column, argument text] of the calls written
    in the bodies of DEFS, [name, line, column] of the functions defined in
    FILE (SmPL's positions of their names): an identifier followed by "(",
    not a keyword, not a member (a->f(), a.f())."""
    lines = ss_lines(file)
    defs = sorted(defs, key=lambda d: (d[1], d[2]))
    out = []
    for i, (fn, line, col) in enumerate(defs):
        limit = defs[i + 1][1] - 1 if i + 1 < len(defs) else len(lines)
        first, last = _ss_body(lines, line, col, limit)
        if first is None:
            continue
        for ln in range(first[0], last + 1):
            s = lines[ln]
            for m in SS_CALL_RX.finditer(s):
                if ln == first[0] and m.start(1) < first[1]:
                    continue
                name = m.group(1)
                if name in SS_NOT_CALLS:
                    continue
                before = s[:m.start(1)].rstrip()
                if before.endswith((".", "->")) or \
                        (not before and ln > 0 and
                         lines[ln - 1].rstrip().endswith((".", "->"))):
                    continue
                args = _ss_args(lines, ln, m.end(0) - 1)
                out.append([fn, name, ln + 1, m.start(1), args])
    return out


def ss_block_end(file, line, col):
    """(line, column) of the "}" that closes the "{" at LINE:COL of FILE
    (1-based line, 0-based column), or None."""
    lines = ss_lines(file)
    depth = 0
    for ln in range(line - 1, len(lines)):
        s = lines[ln]
        for k in range(col if ln == line - 1 else 0, len(s)):
            if s[k] == "{":
                depth += 1
            elif s[k] == "}":
                depth -= 1
                if depth == 0:
                    return (ln + 1, k)
    return None
# ---- end of cocci/lib/srcscan.py

buddy = set()      # drop positions whose zero branch frees to the buddy allocator
cands = {}         # drop position -> (kind, position)
bulkfix = set()    # functions whose bulk loop calls the devmap helper
bulk_fns = set()   # functions with a loop over a page array parameter
loops = {}         # (file, function) -> [(start, end)] of loop bodies
bulk_out = []
params_of = {}
ctx_keys = set()
defs_of = {}       # (file, function, local) -> [expressions assigned to it]
fdefs_of = {}      # file -> [name, line, column] of its functions
args_of = {}       # function -> the names of all its parameters

# Where a page or folio can come from that is never a ZONE_DEVICE page: a
# file mapping's xarray (a DAX mapping holds DAX entries there, not
# pages), a page-cache lookup, the page allocator.  A list linked through
# the lru member is the LRU or an isolation list: a ZONE_DEVICE page keeps
# its pgmap where that link would be.
SOURCES = set(API_PAGE_SOURCE)
# the same page under another type
SAME_PAGE = set(API_SAME_PAGE)
# page-cache lookups that return the page through a pointer argument
# (its index): shmem_get_folio(inode, index, &folio, sgp)
OUT_SOURCES = API_PAGE_SOURCE_OUT_OBJ
# list entries: the container of a list member
LIST_ENTRY = set(API_LIST_ENTRY)
# iterators that bind their entry argument: (index of the entry, source)
ITERATORS = dict((g, (i, API_PAGE_SOURCE_ITER_VIA[g]))
                 for g, i in API_PAGE_SOURCE_ITER_OBJ.items())
LIST_ITERATORS = API_LIST_ITER

def scalar(t):
    """an integer count, not a structure that carries one"""
    t = t.strip()
    return "*" not in t and not re.match(r"^(const\s+)?(struct|union)\b", t)

def uses_param(p, e):
    ids = set(re.findall(r"[A-Za-z_]\w*", e))
    return bool(ids & params_of.get(p[0].current_element, set()))

def key(p):
    return (p[0].file, p[0].line, p[0].column)

def split_args(s):
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out

def peel(e):
    """E without blanks, outer parentheses and pointer casts."""
    e = re.sub(r"\s+", " ", e).strip()
    for _ in range(8):
        m = re.fullmatch(r"\(\s*(?:const\s+)?(?:struct\s+)?\w+\s*\*+\s*\)\s*(.+)", e)
        if m:
            e = m.group(1).strip()
            continue
        if e.startswith("(") and e.endswith(")"):
            depth = 0
            for i, ch in enumerate(e):
                depth += ch == "("
                depth -= ch == ")"
                if depth == 0:
                    break
            if i == len(e) - 1:
                e = e[1:-1].strip()
                continue
        break
    return e

def from_source(e, safe, depth=0):
    """Is the page or folio expression E a source (SOURCES, an lru list
    entry), the same page as one (SAME_PAGE, &folio->page), or a local of
    SAFE?"""
    e = peel(e)
    if depth > 8 or not e:
        return False
    m = re.fullmatch(r"&\s*(.+?)\s*->\s*page", e)
    if m:
        return from_source(m.group(1), safe, depth + 1)
    m = re.fullmatch(r"([A-Za-z_]\w*)\s*\((.*)\)", e, re.S)
    if m:
        g, args = m.group(1), split_args(m.group(2))
        if g in SOURCES:
            return True
        if g in SAME_PAGE and args:
            return from_source(args[0], safe, depth + 1)
        return g in LIST_ENTRY and bool(args) and \
            re.sub(r"\s+", "", args[-1]) == "lru"
    return e in safe

_nodev = {}

def device_free_locals(file, fn):
    """The locals of FN every definition of which (NULL aside) comes from
    a source, directly or through other such locals: the greatest set
    that is closed that way, so that copies back and forth (page =
    folio_file_page(folio, i); folio = page_folio(page)) keep it."""
    if (file, fn) in _nodev:
        return _nodev[(file, fn)]
    defs = {}
    for (fl, f, name), ds in defs_of.items():
        if fl == file and f == fn and name not in args_of.get(fn, ()):
            ds = [d for d in ds if peel(d) not in ("NULL", "0")]
            if ds:
                defs[name] = ds
    safe = set(defs)
    changed = True
    while changed:
        changed = False
        for name in sorted(safe):
            if not all(from_source(d, safe) for d in defs[name]):
                safe.discard(name)
                changed = True
    _nodev[(file, fn)] = safe
    return safe

def device_free(file, fn, e):
    """Is the page or folio E (of function FN) surely not a ZONE_DEVICE
    page, by where the function got it?  A parameter or anything else
    not traced to a source is unknown (False)."""
    return from_source(e, device_free_locals(file, fn))

def emit(kind, p, msg):
    line = "[devmap-put] %s: %s" % (p[0].current_element, msg)
    if kind == "org":
        coccilib.org.print_todo(p[0], line)
    elif kind == "report":
        coccilib.report.print_report(p[0], "WARNING: " + line)
    else:
        ctx_keys.add(key(p))

@script:python@
@@
buddy.clear()
cands.clear()
bulkfix.clear()
bulk_fns.clear()
loops.clear()
params_of.clear()
defs_of.clear()
args_of.clear()
_nodev.clear()

// ---------------------------------------------------------------------
// drops whose zero branch hands the page to the buddy allocator
@buddyfree@
identifier drop =~ "^(put_page_testzero|folio_put_testzero|page_ref_dec_and_test|folio_ref_dec_and_test|page_ref_sub_and_test|folio_ref_sub_and_test)$";
identifier bf =~ "^(free_the_page|__free_pages|__free_pages_ok|free_unref_page|free_pages|__free_page)$";
position p;
@@
(
if (drop@p(...)) { ... bf(...); ... }
|
if (drop@p(...)) bf(...);
|
if (unlikely(drop@p(...))) { ... bf(...); ... }
|
if (unlikely(drop@p(...))) bf(...);
)

@script:python@
p << buddyfree.p;
@@
buddy.add(key(p))

// ---------------------------------------------------------------------
// the scalar parameters of each function
@params@
identifier fn, N;
type TN;
@@
fn(..., TN N, ...) { ... }

@script:python@
fn << params.fn;
n << params.N;
tn << params.TN;
@@
args_of.setdefault(fn, set()).add(n)
if scalar(tn):
    params_of.setdefault(fn, set()).add(n)
elif re.search(r"struct\s+(page|folio)\s*\*\s*\*|struct\s+(pagevec|folio_batch)\s*\*", tn):
    # the function was given an array of pages (release_pages,
    # unpin_user_pages, a pagevec or folio_batch)
    bulk_fns.add(fn)

// locals computed from such a parameter count as the parameter
@alias@
identifier L;
expression E;
type T;
position p;
@@
(
T L@p = E;
|
L@p = E
)

@script:python@
l << alias.L;
e << alias.E;
p << alias.p;
@@
defs_of.setdefault((p[0].file, p[0].current_element, l), []).append(e)
if uses_param(p, e):
    params_of.setdefault(p[0].current_element, set()).add(l)

// the entries iterators bind (xas_for_each, list_for_each_entry), read
// from the text of the function bodies
@fdef@
identifier fn;
position p;
@@
fn@p(...) { ... }

@script:python@
fn << fdef.fn;
p << fdef.p;
@@
fdefs_of.setdefault(p[0].file, []).append([fn, int(p[0].line), int(p[0].column)])

@script:python@
@@
for fl, ds in sorted(fdefs_of.items()):
    for fn, g, ln, col, args in ss_calls(fl, ds):
        a = split_args(args)
        if g in ITERATORS and len(a) > ITERATORS[g][0]:
            i, src = ITERATORS[g]
            defs_of.setdefault((fl, fn, a[i].strip()), []).append(src + "()")
        elif g in LIST_ITERATORS and len(a) >= 3 and a[-1].strip() == "lru":
            for v in a[:-2]:
                defs_of.setdefault((fl, fn, v.strip()), []).append(
                    "list_entry(x, t, lru)")
        elif g in OUT_SOURCES and len(a) > OUT_SOURCES[g]:
            m = re.fullmatch(r"&\s*([A-Za-z_]\w*)", a[OUT_SOURCES[g]].strip())
            if m:
                defs_of.setdefault((fl, fn, m.group(1)), []).append(
                    "xa_load()")
fdefs_of.clear()

// by count: the count argument uses a parameter
@count_arg@
identifier dropn =~ "^(page_ref_sub_and_test|folio_ref_sub_and_test|folio_put_refs)$";
expression X, E;
position p;
@@
dropn@p(X, E)

@script:python@
p << count_arg.p;
e << count_arg.E;
x << count_arg.X;
@@
if uses_param(p, e) and \
        not device_free(p[0].file, p[0].current_element, x):
    cands.setdefault(key(p), ("count", p))

// by count: a loop whose only work is one per-reference drop, bounded
// by a parameter ("while (refs--) folio_put(folio);")
@count_loop@
identifier drop1 =~ "^(put_page_testzero|folio_put_testzero|page_ref_dec_and_test|folio_ref_dec_and_test|folio_put)$";
expression X, E1, E3, C;
position p;
@@
(
while (C) drop1@p(X);
|
while (C) { drop1@p(X); }
|
for (E1; C; E3) drop1@p(X);
|
for (E1; C; E3) { drop1@p(X); }
)

@script:python@
p << count_loop.p;
c << count_loop.C;
x << count_loop.X;
@@
if uses_param(p, c) and \
        not device_free(p[0].file, p[0].current_element, x):
    cands.setdefault(key(p), ("count", p))

// ---------------------------------------------------------------------
// in bulk: a test-and-free drop in a loop, in a function that is given a
// page array (above) or indexes one (struct page **, struct folio **, a
// pagevec's or folio_batch's array)
@bulk_arr@
{struct page **, struct folio **} A;
struct pagevec *V;
struct folio_batch *FB;
expression I;
position p;
@@
\(A[I]@p\|V->pages[I]@p\|FB->folios[I]@p\)

@script:python@
p << bulk_arr.p;
@@
bulk_fns.add(p[0].current_element)

// (a loop's body by its extent, then the drops inside it: matching the
// drop inside each loop body with <+... ...+> costs seconds per large file)
@bulk_loop@
expression E1, E2, E3, C;
position pb;
@@
(
for (E1; E2; E3) {@pb ... }
|
while (C) {@pb ... }
)

@script:python@
pb << bulk_loop.pb;
@@
for q in pb:
    start = (int(q.line), int(q.column))
    end = ss_block_end(q.file, start[0], start[1])
    if end is not None:
        loops.setdefault((q.file, q.current_element), []).append((start, end))

@bulk_loop1@
identifier drop =~ "^(put_page_testzero|folio_put_testzero|page_ref_dec_and_test|folio_ref_dec_and_test|page_ref_sub_and_test|folio_ref_sub_and_test|folio_put_refs)$";
expression E1, E2, E3, C;
position p;
@@
(
for (E1; E2; E3) drop@p(...);
|
while (C) drop@p(...);
)

@script:python@
p << bulk_loop1.p;
@@
q = p[0]
at = (int(q.line), int(q.column))
loops.setdefault((q.file, q.current_element), []).append((at, at))

@bulk_drop@
identifier drop =~ "^(put_page_testzero|folio_put_testzero|page_ref_dec_and_test|folio_ref_dec_and_test|page_ref_sub_and_test|folio_ref_sub_and_test|folio_put_refs)$";
expression X;
position p;
@@
drop@p(X, ...)

@script:python@
p << bulk_drop.p;
x << bulk_drop.X;
@@
q = p[0]
at = (int(q.line), int(q.column))
if q.current_element in bulk_fns and \
        any(a <= at <= b for a, b in loops.get((q.file, q.current_element), ())) and \
        not device_free(q.file, q.current_element, x):
    cands.setdefault(key(p), ("bulk", p))

// the helper called for the pages of the bulk loop
@bulk_helper@
identifier helper =~ "^(put_devmap_managed_page|put_devmap_managed_page_refs|put_devmap_managed_folio|put_devmap_managed_folio_refs)$";
position ph;
@@
helper@ph(...)

@script:python@
ph << bulk_helper.ph;
@@
bulkfix.add(ph[0].current_element)

// ---------------------------------------------------------------------
// a counted drop reached on some path without the helper
@count_nohelper exists@
identifier fn;
identifier helper =~ "^(put_devmap_managed_page|put_devmap_managed_page_refs|put_devmap_managed_folio|put_devmap_managed_folio_refs)$";
identifier drop =~ "^(put_page_testzero|folio_put_testzero|page_ref_dec_and_test|folio_ref_dec_and_test|page_ref_sub_and_test|folio_ref_sub_and_test|folio_put_refs|folio_put)$";
position p : script:python () { key(p) in cands and cands[key(p)][0] == "count" and key(p) not in buddy };
@@
fn(...)
{
... when != helper(...)
drop@p(...)
...
}

@script:python depends on report@
p << count_nohelper.p;
@@
emit("report", p, "reference count dropped by a counted amount with %s() without put_devmap_managed_page_refs() first; an FS-DAX page never signals idle and layout breakers wait forever" % "a generic put")

@script:python depends on org@
p << count_nohelper.p;
@@
emit("org", p, "counted reference drop bypasses put_devmap_managed_page_refs()")

@script:python depends on context@
p << count_nohelper.p;
@@
emit("context", p, "")

@script:python@
@@
reported = set()
for k, (kind, p) in sorted(cands.items()):
    if kind != "bulk":
        continue
    fn = p[0].current_element
    if fn in bulkfix or fn in reported:
        continue
    reported.add(fn)
    bulk_out.append(p)

@script:python depends on report@
@@
for p in bulk_out:
    emit("report", p, "page array released in bulk through a generic test-and-free without put_devmap_managed_page() for ZONE_DEVICE pages; an FS-DAX page never signals idle and layout breakers wait forever")
del bulk_out[:]

@script:python depends on org@
@@
for p in bulk_out:
    emit("org", p, "bulk page release bypasses put_devmap_managed_page()")
del bulk_out[:]

@script:python depends on context@
@@
for p in bulk_out:
    emit("context", p, "")
del bulk_out[:]

@ctx depends on context@
identifier f;
position p : script:python () { key(p) in ctx_keys };
@@
* f@p(...)
