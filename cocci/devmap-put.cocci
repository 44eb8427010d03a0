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
import re

buddy = set()      # drop positions whose zero branch frees to the buddy allocator
cands = {}         # drop position -> (kind, position)
bulkfix = set()    # functions whose bulk loop calls the devmap helper
bulk_fns = set()   # functions with a loop over a page array parameter
bulk_out = []
params_of = {}
ctx_keys = set()

def scalar(t):
    """an integer count, not a structure that carries one"""
    t = t.strip()
    return "*" not in t and not re.match(r"^(const\s+)?(struct|union)\b", t)

def uses_param(p, e):
    ids = set(re.findall(r"[A-Za-z_]\w*", e))
    return bool(ids & params_of.get(p[0].current_element, set()))

def key(p):
    return (p[0].file, p[0].line, p[0].column)

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
params_of.clear()

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
if uses_param(p, e):
    params_of.setdefault(p[0].current_element, set()).add(l)

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
@@
if uses_param(p, e):
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
@@
if uses_param(p, c):
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

@bulk_drop@
identifier drop =~ "^(put_page_testzero|folio_put_testzero|page_ref_dec_and_test|folio_ref_dec_and_test|page_ref_sub_and_test|folio_ref_sub_and_test|folio_put_refs)$";
expression E1, E2, E3, C;
position p;
@@
(
for (E1; E2; E3) { <+... drop@p(...) ...+> }
|
for (E1; E2; E3) drop@p(...);
|
while (C) { <+... drop@p(...) ...+> }
|
while (C) drop@p(...);
)

@script:python@
p << bulk_drop.p;
@@
if p[0].current_element in bulk_fns:
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
