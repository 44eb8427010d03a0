// SPDX-License-Identifier: GPL-2.0-only
/// The devmap_managed_key static branch is reference counted: every
/// dev_pagemap_get_ops() / devmap_managed_enable_get() is paired with a
/// dev_pagemap_put_ops() / devmap_managed_enable_put() on every error path
/// of the function that takes it and in the teardown that undoes it, and
/// the key itself is flipped only through that pair.  An unbalanced get
/// makes every put_page() pay the ZONE_DEVICE check forever; an unbalanced
/// put turns the FS-DAX page-idle callback off while pages are pinned.
///
/// Reported:
///  - a path from a get to an error return (ERR_PTR/ERR_CAST/PTR_ERR, a
///    negative constant, NULL/false, the tested error variable, or a
///    label reached by a conditional goto) with no put and no call of a
///    function of the same file that puts (transitively: memunmap_pages);
///  - a teardown of the getter's object that never puts: a function the
///    getter calls on an error path with the get's argument, a function
///    registered as a devres/devm release action by the getter or its
///    caller, or (v7) a function that resets to NULL a field the getter
///    set;
///  - static_branch_*()/static_key_*() on devmap_managed_key outside the
///    file that defines it (DEFINE_STATIC_KEY_*(devmap_managed_key)), or in
///    that file outside the get/put pair.
//
// Rule: pagemap-ops-balance
// Prefilter: dev_pagemap_(get|put)_ops|devmap_managed_enable_(get|put)|devmap_managed_key
// Scope: file
// Confidence: Moderate
// Comments: gets taken through a wrapper in another function are not
//  followed (the wrapper is the getter).  See docs/rules/pagemap-ops-balance.md.
// Options: --no-includes --include-headers

virtual context
virtual org
virtual report

@initialize:python@
@@
# ---- generated from kernel-integration/api/kernel-api.tsv by cocci/generate.py: do not edit
API_PGMAP_GET = ("dev_pagemap_get_ops", "devmap_managed_enable_get")
API_PGMAP_PUT = ("dev_pagemap_put_ops", "devmap_managed_enable_put")
API_PGMAP_REFKEY_RX = (r"devmap_managed_key")
# ---- end of kernel-integration/api/kernel-api.tsv
import re

putters = set()        # functions of this file that (transitively) put
getters = {}           # function -> set of get argument strings
teardowns = {}         # function -> why it is a teardown
release_cbs = {}       # function registered as a release action -> registrar
null_fields = {}       # function -> fields it sets to NULL
set_fields = {}        # function -> fields it sets to a non-NULL value
callees = {}           # function -> functions it calls
tcalls = {}            # teardown that does not put -> its call sites
uncovered = set()      # call sites of those with a path to the end of the
                       # caller that does not put
ctx_keys = set()
leaks = []
fdefs = {}
findings_out = []

GET = API_PGMAP_GET
PUT = API_PGMAP_PUT

def key(p):
    return (p[0].file, p[0].line, p[0].column)

# (a constraint of its own: spatch misreads "in" inside one that is
# followed by an inherited metavariable)
def bare_teardown(t):
    """A teardown that does not put itself."""
    return t in teardowns and t not in putters

def errish(r, c=""):
    r = r.strip()
    if re.match(r"^(ERR_PTR|ERR_CAST|PTR_ERR)\s*\(", r):
        return True
    if re.match(r"^-\s*\(?\s*[A-Z0-9_]+\s*\)?$", r):
        return True
    if r in ("NULL", "false"):
        return True
    if re.match(r"^[A-Za-z_]\w*$", r) and re.search(r"\b%s\b" % re.escape(r), c):
        return True
    return False

def emit(kind, p, fn, msg):
    line = "[pagemap-ops-balance] %s: %s" % (fn, msg)
    if kind == "org":
        coccilib.org.print_todo(p[0], line)
    elif kind == "report":
        coccilib.report.print_report(p[0], "WARNING: " + line)
    else:
        ctx_keys.add(key(p))

// state is per file group (one file: Scope: file)
@script:python@
@@
for d in (getters, teardowns, release_cbs, null_fields, set_fields, callees,
          fdefs, tcalls):
    d.clear()
putters.clear()
uncovered.clear()
del leaks[:]

@fdef@
identifier fn;
position p;
@@
fn@p(...) { ... }

@script:python@
fn << fdef.fn;
p << fdef.p;
@@
fdefs[fn] = p

// ---------------------------------------------------------------------
// the functions that put, directly, through a registered action, or
// through another function of this file that puts (three levels)
@put0@
identifier devmact =~ "^devm_add_action(_or_reset)?$";
identifier putp =~ "^(dev_pagemap_put_ops|devmap_managed_enable_put)$";
expression E0;
position p;
@@
(
putp@p(...)
|
devmact@p(E0, putp, ...)
)

@script:python@
p << put0.p;
@@
putters.add(p[0].current_element)

@calls@
identifier g;
position pc;
@@
g@pc(...)

@script:python@
pc << calls.pc;
g << calls.g;
@@
callees.setdefault(pc[0].current_element, set()).add(g)

@getter@
identifier getp =~ "^(dev_pagemap_get_ops|devmap_managed_enable_get)$";
expression list A;
position pg;
@@
getp@pg(A)

@script:python@
pg << getter.pg;
a << getter.A;
@@
getters.setdefault(pg[0].current_element, set()).add(str(a).strip())

// a function that takes the key itself (or calls one that does) is not
// a put, even when its own error path puts
@script:python@
@@
getclos = set(getters)
changed = True
while changed:
    changed = False
    for f, cs in callees.items():
        if f not in getclos and cs & getclos:
            getclos.add(f)
            changed = True
for f in list(putters):
    if f in getters:
        putters.discard(f)
changed = True
while changed:
    changed = False
    for f, cs in callees.items():
        if f not in putters and f not in getclos and cs & putters:
            putters.add(f)
            changed = True

@fieldset@
identifier fld;
expression X, V;
position p;
@@
X->fld@p = V

@script:python@
p << fieldset.p;
fld << fieldset.fld;
v << fieldset.V;
@@
fn = p[0].current_element
if v.strip() in ("NULL", "0", "false"):
    null_fields.setdefault(fn, set()).add(fld)
else:
    set_fields.setdefault(fn, set()).add(fld)

// release actions registered by a getter or by a caller of a getter
@regcb@
identifier devmact =~ "^devm_add_action(_or_reset)?$";
identifier devresa =~ "^devres_alloc(_node)?$";
identifier cb;
expression E0;
position p;
@@
(
devmact@p(E0, cb, ...)
|
devresa@p(\(cb\|&cb\), ...)
)

@script:python@
p << regcb.p;
cb << regcb.cb;
@@
release_cbs.setdefault(cb, set()).add(p[0].current_element)

// ---------------------------------------------------------------------
// calls made on an error path of a getter with the get's argument: the
// getter's unwind (6.1: memunmap_pages(pgmap) in memremap_pages)
@unwind exists@
identifier t;
identifier getp =~ "^(dev_pagemap_get_ops|devmap_managed_enable_get)$";
expression A, C, R;
position pg;
@@
getp@pg(A);
...
if (C) {
  ... when any
  t(..., A, ...);
  ... when any
  return R;
}

@script:python@
pg << unwind.pg;
t << unwind.t;
r << unwind.R;
c << unwind.C;
@@
if errish(r, c) and t not in GET and t not in PUT:
    teardowns.setdefault(t, "%s's error path calls it to undo the set-up" % pg[0].current_element)

// release actions of a getter (or of a caller of a getter), and (v7)
// functions that reset to NULL what a getter set up
@script:python@
@@
for cb, regs in release_cbs.items():
    for r in regs:
        if r in getters or (callees.get(r, set()) & set(getters)):
            teardowns.setdefault(cb, "registered by %s as the release action" % r)
for t, flds in null_fields.items():
    if t in getters:
        continue
    for g in getters:
        common = flds & set_fields.get(g, set())
        if common:
            teardowns.setdefault(t, "it resets %s that %s sets up" % (", ".join(sorted(common)), g))
for g in GET + PUT:
    teardowns.pop(g, None)
# a teardown is a function of this file (kfree() on an error path is not)
for g in list(teardowns):
    if g not in fdefs:
        del teardowns[g]
for g in list(teardowns):
    if g in getters:
        del teardowns[g]

// ---------------------------------------------------------------------
// the teardown is the function whose whole effect, its callees included,
// must balance: a helper of the teardown that does not put (one that
// resets a field the set-up set) is covered when every call of it in the
// file is followed, on every path to the end of its caller, by a put or a
// call of a function that puts
@tcall@
identifier t : script:python () { bare_teardown(t) };
position pt;
@@
t@pt(...)

@script:python@
t << tcall.t;
pt << tcall.pt;
@@
tcalls.setdefault(t, set()).add(key(pt))

@uncov exists@
identifier f, tcall.t;
position tcall.pt;
identifier putp =~ "^(dev_pagemap_put_ops|devmap_managed_enable_put)$";
identifier putf : script:python () { putf in putters };
@@
f(...) {
... when any
t@pt(...)
... when != putp(...)
    when != putf(...)
}

@script:python@
pt << tcall.pt;
f << uncov.f;
@@
uncovered.add(key(pt))

@script:python@
@@
for t in list(tcalls):
    if tcalls[t] & uncovered:
        del tcalls[t]

// ---------------------------------------------------------------------
// error paths after a get
@leak_ret exists@
identifier getp =~ "^(dev_pagemap_get_ops|devmap_managed_enable_get)$";
identifier putp =~ "^(dev_pagemap_put_ops|devmap_managed_enable_put)$";
identifier putf : script:python () { putf in putters or putf in teardowns };
expression C, R;
expression E0;
position pg, q;
@@
getp@pg(...);
... when != putp(...)
    when != putf(...)
    when != \(devm_add_action\|devm_add_action_or_reset\)(E0, putf, ...)
(
if (C) {
  ... when != putp(...)
      when != putf(...)
  return@q R;
}
|
if (C) return@q R;
)

@script:python@
pg << leak_ret.pg;
q << leak_ret.q;
c << leak_ret.C;
r << leak_ret.R;
@@
if errish(r, c):
    leaks.append((pg[0].current_element, pg, q, "return " + r.strip()))

@leak_ret2 exists@
identifier getp =~ "^(dev_pagemap_get_ops|devmap_managed_enable_get)$";
identifier putp =~ "^(dev_pagemap_put_ops|devmap_managed_enable_put)$";
identifier putf : script:python () { putf in putters or putf in teardowns };
expression R;
expression E0;
position pg, q;
@@
getp@pg(...);
... when != putp(...)
    when != putf(...)
    when != \(devm_add_action\|devm_add_action_or_reset\)(E0, putf, ...)
return@q R;

@script:python@
pg << leak_ret2.pg;
q << leak_ret2.q;
r << leak_ret2.R;
@@
rr = r.strip()
if re.match(r"^(ERR_PTR|ERR_CAST|PTR_ERR)\s*\(", rr) or re.match(r"^-\s*\(?\s*[A-Z0-9_]+\s*\)?$", rr):
    leaks.append((pg[0].current_element, pg, q, "return " + rr))

// a conditional goto after the get, to a label whose tail returns without
// a put
@leak_goto exists@
identifier l;
identifier getp =~ "^(dev_pagemap_get_ops|devmap_managed_enable_get)$";
identifier putp =~ "^(dev_pagemap_put_ops|devmap_managed_enable_put)$";
identifier putf : script:python () { putf in putters or putf in teardowns };
expression C;
expression E0;
position pg;
@@
getp@pg(...);
... when != putp(...)
    when != putf(...)
    when != \(devm_add_action\|devm_add_action_or_reset\)(E0, putf, ...)
(
if (C) {
  ... when != putp(...)
      when != putf(...)
  goto l;
}
|
if (C) goto l;
)

@script:python lg@
pg << leak_goto.pg;
fn;
@@
coccinelle.fn = cocci.make_ident(pg[0].current_element)

@leak_label exists@
identifier lg.fn, leak_goto.l;
identifier putp =~ "^(dev_pagemap_put_ops|devmap_managed_enable_put)$";
identifier putf : script:python () { putf in putters or putf in teardowns };
expression R;
position q;
@@
fn(...)
{
...
l:
... when != putp(...)
    when != putf(...)
return@q R;
}

@script:python@
pg << leak_goto.pg;
q << leak_label.q;
r << leak_label.R;
c << leak_goto.C;
@@
rr = r.strip()
if errish(rr, c) or re.match(r"^[A-Za-z_]\w*$", rr):
    leaks.append((pg[0].current_element, pg, q, "return " + rr))

// ---------------------------------------------------------------------
// direct flips of the key
@flip@
symbol devmap_managed_key;
identifier sbf =~ "^(static_branch_(enable|disable|inc|dec)(_cpuslocked)?|static_key_(enable|disable|slow_inc|slow_dec)(_cpuslocked)?)$";
position p;
@@
(
sbf@p(&devmap_managed_key)
|
sbf@p(&devmap_managed_key.key)
)

@script:python@
p << flip.p;
@@
fn = p[0].current_element
try:
    text = open(p[0].file, errors="replace").read()
except IOError:
    text = ""
defines = re.search(r"DEFINE_STATIC_KEY_(FALSE|TRUE)(_RO)?\s*\(\s*(%s)\s*\)"
                    % API_PGMAP_REFKEY_RX, text)
if not defines:
    leaks.append((fn, p, None, "flip-outside"))
elif fn not in GET + PUT:
    leaks.append((fn, p, None, "flip-inside"))

// ---------------------------------------------------------------------
// the findings of this file
@script:python@
@@
out = []
seen = set()
for fn, pg, q, what in leaks:
    if what == "flip-outside":
        msg = "devmap_managed_key flipped directly outside the file that defines it; use the dev_pagemap get/put pair so the reference count stays balanced"
        at = pg
    elif what == "flip-inside":
        msg = "devmap_managed_key flipped directly outside the get/put pair; the reference count no longer matches the key"
        at = pg
    else:
        msg = "devmap static key taken at line %s is not dropped on the error path that ends in '%s' (line %s); every put_page() keeps paying for the ZONE_DEVICE check" % (pg[0].line, what, q[0].line)
        at = pg
    k = (fn, key(at), what.startswith("return") or what)
    if k in seen:
        continue
    seen.add(k)
    out.append((at, fn, msg))
for t, why in sorted(teardowns.items()):
    if t in putters or t not in fdefs or t in tcalls:
        continue
    # report the deepest teardown only
    if callees.get(t, set()) & set(x for x in teardowns if x not in putters and x in fdefs and x not in tcalls):
        continue
    out.append((fdefs[t], t, "teardown (%s) never drops the devmap static key reference taken with the get; the key and every put_page()'s ZONE_DEVICE check stay on" % why))
findings_out[:] = out

@script:python depends on report@
@@
for at, fn, msg in findings_out:
    emit("report", at, fn, msg)

@script:python depends on org@
@@
for at, fn, msg in findings_out:
    emit("org", at, fn, msg)

@script:python depends on context@
@@
for at, fn, msg in findings_out:
    emit("context", at, fn, msg)

@ctx depends on context@
identifier f;
position p : script:python () { key(p) in ctx_keys };
@@
* f@p(...)

@ctxdef depends on context@
identifier f;
position p : script:python () { key(p) in ctx_keys };
@@
* f@p(...) { ... }
