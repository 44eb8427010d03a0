// SPDX-License-Identifier: GPL-2.0-only
/// A DAX mapping entry that covers pfns owns those pages: page->mapping
/// points at the file while the entry is in the mapping's index, and
/// truncate relies on it to tell a busy page from an idle one ("fs, dax: use
/// page->mapping to warn if truncate collides with a busy page").  So
///  - every removal of an entry from the index (xas_store(xas, NULL),
///    radix_tree_delete() and friends) must be preceded, on every path, by
///    dax_disassociate_entry() of that entry;
///  - a new pfn entry (dax_make_entry() / dax_radix_locked_entry()) must be
///    associated with dax_associate_entry() on every path that stores it
///    in the index, and the entry it replaces disassociated.
/// Removals reached only when the entry is a zero or empty entry (no pages),
/// and stores of entries made for pfn 0 or with the EMPTY / ZERO_PAGE flag,
/// need no association.  The v7/4.18 spelling that (dis)associates under
/// "if (dax_entry_size(old) != dax_entry_size(new))" is accepted: the new
/// entry is only stored over a zero/empty (size 0) entry, so a pfn entry
/// always changes the size.
//
// Rule: dax-entry-association
// Prefilter: dax_(dis)?associate_entry|dax_is_(zero|empty)_entry|dax_make_entry|dax_radix_locked_entry
// Scope: file
// Confidence: Moderate
// Comments: a "store" is xas_store(), radix_tree_insert(),
//  __radix_tree_replace(), radix_tree_replace_slot(), xa_store() or a call
//  of a function of the same file that does one of those (dax_lock_entry).
//  Paths are not condition-sensitive beyond the zero/empty exemptions.
// Options: --no-includes --include-headers

virtual context
virtual org
virtual report

@initialize:python@
@@
# ---- generated from kernel-integration/api/kernel-api.tsv by cocci/generate.py: do not edit
API_DAX_ENTRY_TEST_RX = (r"dax_is_zero_entry|dax_is_empty_entry")
# ---- end of kernel-integration/api/kernel-api.tsv
storers = set()
exempt = set()
ctx_keys = set()


import re

def split_top(c, op):
    """split C at top-level occurrences of OP"""
    out, depth, cur, i = [], 0, "", 0
    while i < len(c):
        ch = c[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if depth == 0 and c.startswith(op, i):
            out.append(cur)
            cur = ""
            i += len(op)
            continue
        cur += ch
        i += 1
    out.append(cur)
    return [x.strip() for x in out]

def strip_parens(c):
    c = c.strip()
    while c.startswith("(") and c.endswith(")") and \
            len(split_top(c[1:-1], ")(")) >= 1 and balanced(c[1:-1]):
        c = c[1:-1].strip()
    return c

def balanced(c):
    d = 0
    for ch in c:
        d += ch == "("
        d -= ch == ")"
        if d < 0:
            return False
    return d == 0

ZE = re.compile(r"^(%s)\s*\(.*\)$" % API_DAX_ENTRY_TEST_RX, re.S)

def is_ze_disj(c):
    c = strip_parens(c)
    parts = split_top(c, "||")
    return all(ZE.match(strip_parens(x)) and balanced(strip_parens(x)) and
               not strip_parens(x).startswith("!") for x in parts)

def implies_ze(c):
    return any(is_ze_disj(x) for x in split_top(strip_parens(c), "&&"))

def key(p):
    return (p[0].file, p[0].line, p[0].column)

emitted = set()

def emit(kind, p, msg):
    # one finding per position (a store can lack both the association of
    # the new entry and the disassociation of the old one)
    if (kind, key(p)) in emitted:
        return
    emitted.add((kind, key(p)))
    line = "[dax-entry-association] %s: %s" % (p[0].current_element, msg)
    if kind == "org":
        coccilib.org.print_todo(p[0], line)
    else:
        coccilib.report.print_report(p[0], "WARNING: " + line)

// state is per file group (Scope: file)
@script:python@
@@
storers.clear()
exempt.clear()
emitted.clear()

// ---------------------------------------------------------------------
// functions of this file that store an entry into the index
// (dax_lock_entry(), dax_unlock_entry(), ...)
@storer@
identifier fn;
expression X, E;
@@
fn(...)
{
<+...
(
xas_store(X, E)
|
radix_tree_insert(...)
|
__radix_tree_replace(...)
|
radix_tree_replace_slot(...)
|
xa_store(...)
|
__xa_store(...)
)
...+>
}

@script:python@
fn << storer.fn;
@@
storers.add(fn)

// ---------------------------------------------------------------------
// removal of an entry without dax_disassociate_entry() before it
@rm exists@
identifier fn;
expression X, E1, E2, E3;
position p;
@@
fn(...)
{
... when != dax_disassociate_entry(...)
(
xas_store@p(X, NULL)
|
radix_tree_delete@p(E1, E2)
|
radix_tree_delete_item@p(E1, E2, E3)
|
__radix_tree_delete@p(...)
|
xa_erase@p(E1, E2)
|
__xa_erase@p(E1, E2)
|
xa_store@p(E1, E2, NULL, E3)
)
...
}

// the entry was disassociated, then the variable was reassigned before
// the removal: the removed entry is not the one disassociated
@rm_stale exists@
expression E, E0, X, E1, E2, E3;
position p;
@@
dax_disassociate_entry(E, ...);
... when != dax_disassociate_entry(...)
E = E0;
... when != dax_disassociate_entry(...)
(
xas_store@p(X, NULL)
|
radix_tree_delete@p(E1, E2)
|
radix_tree_delete_item@p(E1, E2, E3)
|
__radix_tree_delete@p(...)
|
xa_erase@p(E1, E2)
|
__xa_erase@p(E1, E2)
|
xa_store@p(E1, E2, NULL, E3)
)

// Removals reached only for zero / empty entries own no pages.  A guard
// "implies zero/empty" when one of its top-level && conjuncts is
// dax_is_zero_entry(E), dax_is_empty_entry(E), or an || of those only.
// Only a direct guard counts: a removal guarded by a flag that was set
// under such a test (grab_mapping_entry's pmd_downgrade) still has to
// disassociate, as the invariant says of every removal and as the real
// code does.
@rm_guard@
expression C;
identifier rmf =~ "^(xas_store|xa_store|radix_tree_delete|radix_tree_delete_item|__radix_tree_delete|xa_erase|__xa_erase)$";
statement S;
position p;
@@
(
if (C) { <+... rmf@p(...) ...+> } else S
|
if (C) { <+... rmf@p(...) ...+> }
|
if (C) rmf@p(...);
)

@script:python@
p << rm_guard.p;
c << rm_guard.C;
@@
if implies_ze(c):
    exempt.add(key(p))

// ---------------------------------------------------------------------
// a new pfn entry stored without dax_associate_entry()
@mk@
identifier mkf =~ "^(dax_make_entry|dax_radix_locked_entry|dax_radix_entry)$";
identifier N;
expression P, F;
type T;
position pm;
@@
(
T N = mkf@pm(P, F);
|
N = mkf@pm(P, F)
)

// entries with no pages behind them
@mk_empty@
identifier mkf =~ "^(dax_make_entry|dax_radix_locked_entry|dax_radix_entry)$";
expression P, F, E;
position pm;
@@
(
mkf@pm(
\(pfn_to_pfn_t(0)\|0\|__pfn_to_pfn_t(0, E)\), F)
|
mkf@pm(P,
 <+... \(DAX_EMPTY\|DAX_ZERO_PAGE\|RADIX_DAX_EMPTY\|RADIX_DAX_ZERO_PAGE\) ...+>)
)

@script:python@
p << mk_empty.pm;
@@
exempt.add(key(p))

// the v7 / 4.18 spelling: (dis)associate when the entry size changes
@mk_sizeguard exists@
identifier mkf =~ "^(dax_make_entry|dax_radix_locked_entry|dax_radix_entry)$";
identifier N;
expression O;
position pm;
@@
mkf@pm(...)
...
if (\(dax_entry_size(O) != dax_entry_size(N)\|dax_entry_size(N) != dax_entry_size(O)\)) {
	<+... dax_associate_entry(N, ...) ...+>
}

@script:python@
p << mk_sizeguard.pm;
@@
exempt.add(key(p))

@ins exists@
identifier mkf =~ "^(dax_make_entry|dax_radix_locked_entry|dax_radix_entry)$";
identifier mk.N;
expression X, E, E1, E2;
position mk.pm, ps;
identifier sf : script:python () { sf in storers };
@@
mkf@pm(...)
... when != dax_associate_entry(N, ...)
    when != N = E
(
xas_store@ps(X, N)
|
sf@ps(..., N, ...)
|
radix_tree_insert@ps(E1, E2, N)
|
__radix_tree_replace@ps(E1, E2, E, N, ...)
|
radix_tree_replace_slot@ps(E1, E, N)
|
xa_store@ps(E1, E2, N, ...)
)

// the same through a copy of the new entry's pointer
@ins_alias exists@
identifier mkf =~ "^(dax_make_entry|dax_radix_locked_entry|dax_radix_entry)$";
identifier mk.N, A;
expression X, E, E1, E2;
type T2;
position mk.pm, ps;
identifier sf : script:python () { sf in storers };
@@
mkf@pm(...)
... when != dax_associate_entry(N, ...)
    when != N = E
(
T2 A = N;
|
A = N
)
... when != dax_associate_entry(\(A\|N\), ...)
    when != A = E
(
xas_store@ps(X, A)
|
sf@ps(..., A, ...)
|
radix_tree_insert@ps(E1, E2, A)
|
__radix_tree_replace@ps(E1, E2, E, A, ...)
|
radix_tree_replace_slot@ps(E1, E, A)
|
xa_store@ps(E1, E2, A, ...)
)

// the new entry replaces the old one: the old one must be disassociated
@repl exists@
identifier mkf =~ "^(dax_make_entry|dax_radix_locked_entry|dax_radix_entry)$";
identifier mk.N;
expression X, E, E1, E2;
position mk.pm, pr;
identifier sf : script:python () { sf in storers };
@@
mkf@pm(...)
... when != dax_disassociate_entry(...)
    when != N = E
(
xas_store@pr(X, N)
|
sf@pr(..., N, ...)
|
__radix_tree_replace@pr(E1, E2, E, N, ...)
|
radix_tree_replace_slot@pr(E1, E, N)
|
xa_store@pr(E1, E2, N, ...)
)

// ---------------------------------------------------------------------
@script:python depends on report@
p << rm.p;
@@
if key(p) not in exempt:
  emit("report", p, "entry removed from the mapping index without dax_disassociate_entry(); page->mapping keeps pointing at the file and truncate cannot tell a busy page")

@script:python depends on org@
p << rm.p;
@@
if key(p) not in exempt:
  emit("org", p, "entry removed from the mapping index without dax_disassociate_entry()")

@script:python depends on report@
p << rm_stale.p;
@@
emit("report", p, "the entry variable is reassigned between dax_disassociate_entry() and the removal; the removed entry is not the one disassociated")

@script:python depends on org@
p << rm_stale.p;
@@
emit("org", p, "entry reassigned between dax_disassociate_entry() and the removal")

@script:python depends on report@
p << ins_alias.ps;
pm << mk.pm;
@@
if key(pm) not in exempt:
  emit("report", p, "new pfn entry stored in the mapping index (through a copy of its pointer) without dax_associate_entry(); its pages have no page->mapping and truncate cannot see them busy")

@script:python depends on org@
p << ins_alias.ps;
pm << mk.pm;
@@
if key(pm) not in exempt:
  emit("org", p, "new pfn entry stored (through a copy) without dax_associate_entry()")

@script:python depends on context@
p << ins_alias.ps;
pm << mk.pm;
@@
if key(pm) not in exempt:
    ctx_keys.add(key(p))

@script:python depends on report@
p << ins.ps;
pm << mk.pm;
@@
if key(pm) not in exempt:
  emit("report", p, "new pfn entry stored in the mapping index without dax_associate_entry(); its pages have no page->mapping and truncate cannot see them busy")

@script:python depends on org@
p << ins.ps;
pm << mk.pm;
@@
if key(pm) not in exempt:
  emit("org", p, "new pfn entry stored without dax_associate_entry()")

@script:python depends on report@
p << repl.pr;
pm << mk.pm;
@@
if key(pm) not in exempt:
  emit("report", p, "new pfn entry replaces the old entry without dax_disassociate_entry() of the old one")

@script:python depends on org@
p << repl.pr;
pm << mk.pm;
@@
if key(pm) not in exempt:
  emit("org", p, "new pfn entry replaces the old entry without dax_disassociate_entry()")

// the findings, for context mode
@script:python depends on context@
p << rm.p;
@@
if key(p) not in exempt:
    ctx_keys.add(key(p))

@script:python depends on context@
p << rm_stale.p;
@@
ctx_keys.add(key(p))

@script:python depends on context@
p << ins.ps;
pm << mk.pm;
@@
if key(pm) not in exempt:
    ctx_keys.add(key(p))

@script:python depends on context@
p << repl.pr;
pm << mk.pm;
@@
if key(pm) not in exempt:
    ctx_keys.add(key(p))

@ctx depends on context@
identifier f;
position p : script:python () { key(p) in ctx_keys };
@@
* f@p(...)
