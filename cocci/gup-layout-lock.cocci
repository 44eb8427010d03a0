// SPDX-License-Identifier: GPL-2.0-only
/// In the v7 "dax: fix dma vs truncate/hole-punch" series dax_layout_lock()
/// is rcu_read_lock(): dax_layout_busy_page() does synchronize_rcu() after
/// unmapping a file, so every get_user_pages() page-table walk that may
/// have taken a reference must run inside a dax_layout_lock() section.
/// Three obligations follow:
///  - a call of a gup page-table walker (follow_page_mask(),
///    gup_pgd_range()) sits inside a section of the same function on every
///    path that reaches it;
///  - every section is closed on every path (early return, goto, the end
///    of a void function);
///  - nothing that can sleep runs inside a section (faultin_page,
///    cond_resched, schedule, might_sleep, sleeping locks, GFP_KERNEL-like
///    allocations, or a function of the same file that does one of these).
//
// Rule: gup-layout-lock
// Prefilter: dax_layout_lock|follow_page_mask|gup_pgd_range|gup_fast_pgd_range
// Scope: file
// Confidence: Moderate
// Comments: v7 profile only. Path-insensitive (a conditional lock is a
//  path without the lock). Sleepers are known by name, by GFP flag, and
//  through functions of the same file (transitively); a sleeper hidden in
//  another file is not seen.
// Options: --no-includes --include-headers

virtual context
virtual org
virtual report

@initialize:python@
@@
# ---- generated from kernel-integration/api/kernel-api.tsv by cocci/generate.py: do not edit
API_GFP_SLEEPY = ("GFP_KERNEL", "GFP_KERNEL_ACCOUNT", "GFP_NOFS", "GFP_NOIO",
                  "GFP_USER", "GFP_HIGHUSER", "GFP_HIGHUSER_MOVABLE",
                  "GFP_TEMPORARY")
API_LAYOUT_LOCK = ("dax_layout_lock",)
API_MAY_SLEEP_RX = (r"schedule_hrtimeout\w*|schedule_preempt_disabled|"
                    r"fsleep|faultin_page|fixup_user_fault|handle_mm_fault|"
                    r"cond_resched\w*|_cond_resched\w*|__cond_resched\w*|"
                    r"might_sleep|might_sleep_if|__might_sleep|"
                    r"___might_sleep|__might_resched|might_resched|"
                    r"might_fault|synchronize_rcu\w*|synchronize_srcu\w*|"
                    r"rcu_barrier|vmalloc\w*|vzalloc\w*|kvmalloc\w*|"
                    r"kvzalloc\w*|inode_lock|inode_lock_shared|"
                    r"inode_lock_nested|mutex_lock\w*|down|down_read\w*|"
                    r"down_write\w*|down_interruptible|down_killable|"
                    r"down_timeout|percpu_down_read|percpu_down_write|"
                    r"mmap_read_lock|mmap_read_lock_killable|"
                    r"mmap_write_lock|mmap_write_lock_killable|"
                    r"filemap_invalidate_lock\w*|i_mmap_lock_read|"
                    r"i_mmap_lock_write|lock_page\w*|__lock_page\w*|"
                    r"folio_lock\w*|get_user_pages\w*|__get_user_pages\w*|"
                    r"pin_user_pages\w*|copy_from_user|copy_to_user|"
                    r"__copy_from_user|__copy_to_user|get_user|put_user|"
                    r"clear_user|flush_work|flush_workqueue|"
                    r"cancel_work_sync|kthread_stop|filemap_fdatawait\w*")
API_NO_SLEEP = ("mutex_lock_trylock", "folio_lock_trylock",
                "__get_user_pages_fast", "get_user_pages_fast_only",
                "pin_user_pages_fast_only", "lock_page_memcg",
                "folio_lock_memcg", "lock_page_lruvec", "folio_lock_lruvec",
                "lock_page_lruvec_irq", "lock_page_lruvec_irqsave",
                "folio_lock_lruvec_irq", "folio_lock_lruvec_irqsave",
                "folio_wait_stable_nowait")
API_SLEEP_RX = (r"schedule|schedule_timeout\w*|io_schedule\w*|msleep\w*|"
                r"usleep_range\w*|ssleep|wait_for_completion\w*|"
                r"wait_var_event\w*|wait_event\w*|wait_on_bit\w*|"
                r"wait_on_page\w*|folio_wait\w*")
API_TRYLOCK = ("xfs_ilock_nowait", "down_write_trylock", "down_read_trylock")
# ---- end of kernel-integration/api/kernel-api.tsv
import re

# functions that may sleep (by name); local helpers are added per file
SLEEPERS_RX = re.compile(r"^(%s|%s)$" % (API_SLEEP_RX, API_MAY_SLEEP_RX))
# names the patterns above catch that do not sleep
NOT_SLEEPERS = set(API_NO_SLEEP + API_TRYLOCK)

def sleeper(name):
    return name not in NOT_SLEEPERS and SLEEPERS_RX.match(name) is not None

SLEEPY_GFP_RX = r"\b(%s)\b" % "|".join(API_GFP_SLEEPY)
GFPVARS = set()
# calls inside sections that pass a sleeping mask; functions of the file
# that make such a call anywhere (they sleep, for their callers)
allocs = []
gfp_fns = set()

def sleepy_mask(A, p):
    """Is the argument A (at P) a sleeping GFP mask: written with one, or
    a local variable set to one?  (A call that takes one is not itself
    the mask: kfree(kmalloc(n, GFP_KERNEL)) is one allocation.)"""
    if re.search(r"\w\s*\(", A):
        return False
    return bool(re.search(SLEEPY_GFP_RX, A)) or \
        (p[0].file, p[0].current_element, A.strip()) in GFPVARS

# per file: {function: set(callees)}, calls inside sections, findings
calls_in = {}
inside = []
seen = set()

PROF = {"p": None}
APPLIES = {}

def applies(path):
    """The rule exists only in v7 trees: the profile says so, or (make
    coccicheck, no profile) the tree's include/linux/dax.h declares
    dax_layout_lock(), or, with no tree at hand, the file uses it."""
    if PROF["p"] is not None:
        return PROF["p"] == "v7"
    if "tree" not in APPLIES:
        try:
            with open("include/linux/dax.h", errors="replace") as f:
                APPLIES["tree"] = bool(re.search(
                    r"\b(%s)\s*\(" % "|".join(API_LAYOUT_LOCK), f.read()))
        except OSError:
            APPLIES["tree"] = None
    if APPLIES["tree"] is not None:
        return APPLIES["tree"]
    if path not in APPLIES:
        try:
            with open(path, errors="replace") as f:
                text = f.read()
            APPLIES[path] = any(n in text for n in API_LAYOUT_LOCK)
        except OSError:
            APPLIES[path] = False
    return APPLIES[path]

def emit(p, msg):
    if not applies(p.file):
        return
    key = (p.file, p.line, p.column, msg)
    if key in seen:
        return
    seen.add(key)
    if MODE["report"]:
        coccilib.report.print_report(p,
            "WARNING: [gup-layout-lock] %s: %s" % (p.current_element, msg))
    elif MODE["org"]:
        coccilib.org.print_todo(p,
            "[gup-layout-lock] %s: %s" % (p.current_element, msg))

MODE = {"report": False, "org": False}

@script:python setprof@
prof << virtual.profile;
@@
PROF["p"] = prof

@script:python depends on report@
@@
MODE["report"] = True

@script:python depends on org@
@@
MODE["org"] = True

// ---------------------------------------------------------------------
// 1. a walker reached on some path without an open section

@walk_nolock exists@
identifier fn;
position p;
@@
fn(...)
{
... when != dax_layout_lock()
\(follow_page_mask@p\|gup_pgd_range@p\|gup_fast_pgd_range@p\)(...)
... when any
}

@walk_relock exists@
position p;
@@
dax_layout_unlock();
... when != dax_layout_lock()
\(follow_page_mask@p\|gup_pgd_range@p\|gup_fast_pgd_range@p\)(...)

@ctx_walk1 depends on context@
position walk_nolock.p;
identifier w;
@@
* w@p(...)

@ctx_walk2 depends on context@
position walk_relock.p;
identifier w;
@@
* w@p(...)

@script:python@
p << walk_nolock.p;
@@
emit(p[0], "gup page-table walk outside a dax_layout_lock() section on "
     "some path: dax_layout_busy_page() cannot wait for the page reference "
     "it takes")

@script:python@
p << walk_relock.p;
@@
emit(p[0], "gup page-table walk after dax_layout_unlock(): outside a "
     "dax_layout_lock() section, dax_layout_busy_page() cannot wait for it")

// ---------------------------------------------------------------------
// 2. a section some path leaves open

@unclosed exists@
identifier fn;
position p;
@@
fn(...)
{
... when any
dax_layout_lock@p();
... when != dax_layout_unlock()
}

@ctx_unclosed depends on context@
position unclosed.p;
@@
* dax_layout_lock@p();

@script:python@
p << unclosed.p;
@@
emit(p[0], "dax_layout_lock() section is not closed on every path (return "
     "or goto without dax_layout_unlock()): RCU read lock leaked")

// ---------------------------------------------------------------------
// 3. sleeping inside a section

// local variables holding a sleeping mask: gfp_t gfp = GFP_KERNEL | ...
@gfpvar@
identifier g;
expression F;
type T;
position p;
@@
(
T g@p = F;
|
g@p = F
)

@script:python@
g << gfpvar.g;
F << gfpvar.F;
p << gfpvar.p;
@@
import re as _re
# a mask expression, not an allocation that takes one
if not _re.search(r"\w\s*\(", F) and _re.search(SLEEPY_GFP_RX, F):
    GFPVARS.add((p[0].file, p[0].current_element, g))

@callin exists@
identifier f;
position p;
@@
dax_layout_lock();
... when != dax_layout_unlock()
f@p(...)

// a sleeping mask anywhere in an argument (GFP_KERNEL | __GFP_ZERO)
@allocin2 exists@
identifier f;
expression list es;
expression A;
position p;
@@
dax_layout_lock();
... when != dax_layout_unlock()
f@p(es, A, ...)

// (kept in a list, not filtered with include_match(False): dropping a
// match drops the whole environment, and the calls of callin with it)
@script:python@
f << allocin2.f;
A << allocin2.A;
p << allocin2.p;
@@
if sleepy_mask(A, p):
    allocs.append((f, p[0]))

// the functions of the file that allocate with a sleeping mask anywhere
@anygfp@
identifier f;
expression list es;
expression A;
position p;
@@
f@p(es, A, ...)

@script:python@
A << anygfp.A;
p << anygfp.p;
@@
if sleepy_mask(A, p):
    gfp_fns.add(p[0].current_element)

// every call made by every function of the file (to find local
// sleepers); matched anywhere and attributed with current_element, a
// whole-function <+... ...+> pattern is far too slow on mm/gup.c
@anycall@
identifier f;
position p;
@@
f@p(...)

@script:python@
f << anycall.f;
p << anycall.p;
@@
calls_in.setdefault(p[0].current_element, set()).add(f)

@script:python@
f << callin.f;
p << callin.p;
@@
inside.append((f, p[0]))


// context mode cannot run the end-of-file summary: mark the calls whose
// name says they sleep
@ctx_sleep depends on context@
identifier callin.f =~ "^(might_sleep|might_fault|cond_resched|schedule|schedule_timeout|msleep|mutex_lock|mutex_lock_interruptible|mutex_lock_killable|down_read|down_write|down_read_killable|down_write_killable|faultin_page|wait_for_completion|synchronize_rcu)$";
position callin.p;
@@
* f@p(...)

@ctx_alloc depends on context@
position allocin2.p : script:python() { any(q.line == p[0].line and q.column == p[0].column for _, q in allocs) };
identifier f;
@@
* f@p(...)

// end of file: decide which calls inside sections may sleep
@script:python depends on !context@
@@
for f, p in allocs:
    emit(p, "sleeping allocation %s() inside a dax_layout_lock() (RCU "
         "read-side) section" % f)
sleepy = set(f for f in calls_in if sleeper(f)) | gfp_fns
changed = True
while changed:
    changed = False
    for fn, callees in calls_in.items():
        if fn not in sleepy and any(c in sleepy or sleeper(c)
                                    for c in callees):
            sleepy.add(fn)
            changed = True
for f, p in inside:
    if sleeper(f):
        emit(p, "%s() can sleep inside a dax_layout_lock() (RCU read-side) "
             "section" % f)
    elif f in sleepy:
        emit(p, "%s() sleeps (it calls a sleeping function) inside a "
             "dax_layout_lock() (RCU read-side) section" % f)
calls_in.clear()
del inside[:]
del allocs[:]
gfp_fns.clear()
