// SPDX-License-Identifier: GPL-2.0-only
/// APIs that the "dax: fix dma vs truncate/hole-punch" series and its
/// mainline follow-ups removed or renamed, so that out-of-tree and
/// backported code is migrated by the same rules (collateral evolution):
///  - put_zone_device_private_or_public_page()  -> put_devmap_managed_page()
///  - IS_HMM_ENABLED, device_private_key        -> the devmap_managed_key
///    machinery (dev_pagemap_get_ops() in v7)
///  - dax_radix_sector()                        -> dax_radix_pfn()
///  - BREAK_UNMAPI (v7 only)                    -> BREAK_UNMAP (4.18+)
///  - noop_set_page_dirty (removed in 5.14)     -> __set_page_dirty_no_writeback
///    (5.14-5.17) or .dirty_folio = noop_dirty_folio (5.18+)
/// Patch mode rewrites only where the replacement is mechanical and the
/// tree's own spelling is known; everything else is reported only.
/// v7 leftovers of fs_dax_get_by_bdev()/fs_put_dax() are reported (and
/// patched) by dax-claim-release, not here.
//
// Rule: removed-api
// Prefilter: put_zone_device_private_or_public_page|device_private_key|IS_HMM_ENABLED|dax_radix_sector|BREAK_UNMAPI|noop_set_page_dirty
// Scope: file
// Confidence: High
// Comments: which generation the code belongs to comes from -D profile, or
//  (make coccicheck) from the tree's headers in the current directory,
//  or from the file itself.
// Options: --no-includes --include-headers

virtual context
virtual org
virtual report
virtual patch

@initialize:python@
@@
# ---- generated from kernel-integration/api/kernel-api.tsv by cocci/generate.py: do not edit
API_BREAK_UNMAP = ("BREAK_UNMAP", "BREAK_UNMAPI")
API_BREAK_UNMAP_PROFILES = {"BREAK_UNMAP": ("v4.18", "v5.15",),
                            "BREAK_UNMAPI": ("v7",)}
API_DAX_ENTRY_PFN = ("dax_radix_pfn", "dax_to_pfn")
API_DAX_ENTRY_PFN_PROFILES = {"dax_radix_pfn": ("v7",),
                              "dax_to_pfn": ("v4.18", "v5.15",)}
API_MARKER = ("filemap_invalidate_lock", "dax_layout_lock",
              "dax_layout_busy_page", "fs_dax_claim_bdev", "BREAK_UNMAPI")
API_MARKER_EXTRA = {"filemap_invalidate_lock": {"form": "call", "in": "include/linux/fs.h", "marks": "v5.15"},
                    "dax_layout_lock": {"form": "call", "in": "include/linux/dax.h", "marks": "v7"},
                    "dax_layout_busy_page": {"form": "call", "in": "include/linux/dax.h", "marks": "v4.18"},
                    "fs_dax_claim_bdev": {"form": "call", "in": "include/linux/dax.h", "marks": "v7"},
                    "BREAK_UNMAPI": {"form": "word", "in": "fs/xfs/xfs_inode.h", "marks": "v7", "with": "BREAK_UNMAP"}}
API_NOOP_DIRTY = ("noop_set_page_dirty", "__set_page_dirty_no_writeback",
                  "noop_dirty_folio")
API_REMOVED = ("device_private_key", "noop_set_page_dirty",
               "fs_dax_get_by_bdev", "put_zone_device_private_or_public_page",
               "IS_HMM_ENABLED", "dax_radix_sector", "BREAK_UNMAPI")
# ---- end of kernel-integration/api/kernel-api.tsv
import os
import re

PROF = {"p": None}
MODE = {"report": False, "org": False}
TREE = {}
FILETXT = {}
SEEN = set()

def _read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return None

def tree_text(rel):
    """A header of the tree being checked (spatch runs at its top)."""
    if rel not in TREE:
        TREE[rel] = _read(rel)
    return TREE[rel]

def file_text(path):
    if path not in FILETXT:
        FILETXT[path] = _read(path) or ""
    return FILETXT[path]

def marker_call_rx(profile, header):
    """A regex of the calls in HEADER that mark PROFILE (API table)."""
    names = [n for n in API_MARKER
             if API_MARKER_EXTRA[n]["marks"] == profile and
             API_MARKER_EXTRA[n]["in"] == header and
             API_MARKER_EXTRA[n]["form"] == "call"]
    return r"\b(%s)\s*\(" % "|".join(names)

def generation():
    """v7 / v4.18 / v5.15, or None when nothing tells."""
    if PROF["p"]:
        return PROF["p"]
    for p, hdr in (("v7", "include/linux/dax.h"),
                   ("v5.15", "include/linux/fs.h"),
                   ("v4.18", "include/linux/dax.h")):
        text = tree_text(hdr)
        if text is not None and re.search(marker_call_rx(p, hdr), text):
            return p
    return None

# the unmapping reason as v7 spells it, and as later trees do
UNMAPI_RX = "|".join(n for n in API_BREAK_UNMAP
                     if "v7" in (API_BREAK_UNMAP_PROFILES[n] or ()))
UNMAP_RX = "|".join(n for n in API_BREAK_UNMAP
                    if "v7" not in (API_BREAK_UNMAP_PROFILES[n] or ()))

def break_unmapi_removed(path):
    """BREAK_UNMAPI is only v7's spelling."""
    txt = file_text(path)
    # the file defines the enum itself: its own spelling
    if re.search(r"\b(%s)\s*(=[^,}]*)?," % UNMAPI_RX, txt) and \
       re.search(r"enum\s+layout_break_reason\s*{", txt):
        return False
    g = generation()
    if g is not None:
        return g != "v7"
    hdr = tree_text("fs/xfs/xfs_inode.h")
    if hdr is not None:
        return not re.search(r"\b(%s)\b" % UNMAPI_RX, hdr)
    return re.search(r"\b(%s)\b" % UNMAP_RX, txt) is not None

def dirty_spelling(path):
    """How this tree spells the no-op dirty hook: 'folio' (5.18+),
    'nowb' (5.14-5.17), 'noop' (noop_set_page_dirty still exists) or None
    (removed, but the replacement spelling is unknown)."""
    fs = tree_text("include/linux/fs.h")
    if fs is not None:
        if re.search(r"\b(%s)\s*\(" % "|".join(
                n for n in API_NOOP_DIRTY if n in API_REMOVED), fs):
            return "noop"
        m = re.search(r"struct\s+address_space_operations\s*{(.*?)\n}",
                      fs, re.S)
        if m and re.search(r"\(\*dirty_folio\)", m.group(1)):
            return "folio"
        if m and re.search(r"\(\*set_page_dirty\)", m.group(1)):
            return "nowb"
    g = generation()
    if g in ("v7", "v4.18"):
        return "noop"
    txt = file_text(path)
    if re.search(r"\.(dirty_folio|read_folio|invalidate_folio|"
                 r"release_folio|migrate_folio)\s*=", txt):
        return "folio"
    if re.search(r"\.(readpage|invalidatepage|releasepage|migratepage)\s*=",
                 txt) or re.search(r"\.set_page_dirty\s*=\s*(?!noop_set_"
                                   r"page_dirty\b)\w", txt):
        return "nowb"
    if g is None:
        return "noop"   # nothing says it was removed
    return None

def sector_to_pfn(path):
    """The tree's name for the pfn accessor of a DAX entry, if known."""
    txt = file_text(path)
    g = generation()
    if g == "v7":
        # the series spells it one way (the API table says which)
        return [n for n in API_DAX_ENTRY_PFN
                if g in API_DAX_ENTRY_PFN_PROFILES[n]][0]
    for name in API_DAX_ENTRY_PFN:
        if re.search(r"\b%s\s*\(" % name, txt):
            return name
    return None

def emit(p, msg):
    key = (p.file, p.line, p.column)
    if key in SEEN:
        return
    SEEN.add(key)
    where = p.current_element
    if not where or where == "something_else":
        # file scope (DEFINE_STATIC_KEY_FALSE(...), EXPORT_SYMBOL(...)):
        # name the removed symbol itself
        where = msg.split("(")[0].split()[0]
    if MODE["report"]:
        coccilib.report.print_report(p,
            "WARNING: [removed-api] %s: %s" % (where, msg))
    elif MODE["org"]:
        coccilib.org.print_todo(p,
            "[removed-api] %s: %s" % (where, msg))

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
// findings (all modes): positions are taken before any rewrite

@hmm_any@
position p;
@@
IS_HMM_ENABLED@p

@zdput@
expression P;
position p;
@@
put_zone_device_private_or_public_page@p(P)

@dpk@
symbol device_private_key;
position p;
@@
device_private_key@p

@dpk_decl@
symbol device_private_key;
position p;
type T;
@@
T device_private_key@p;

@dpk_init@
symbol device_private_key;
position p;
type T;
@@
T device_private_key@p = ...;

@sect_cmp@
expression A, B;
position p, p2;
binary operator op = {==, !=};
@@
dax_radix_sector@p(A) op dax_radix_sector@p2(B)

@sect_any@
position p;
@@
dax_radix_sector@p(...)

@unmapi@
position p;
@@
BREAK_UNMAPI@p

@noop_init@
symbol noop_set_page_dirty;
identifier ops;
position p;
@@
struct address_space_operations ops = {
	...,
	.set_page_dirty = noop_set_page_dirty@p,
	...
};

@noop_any@
symbol noop_set_page_dirty;
position p;
@@
noop_set_page_dirty@p

@script:python@
p << hmm_any.p;
@@
emit(p[0], "IS_HMM_ENABLED was removed by the series (seed patch 09): "
     "test the page with put_devmap_managed_page(), which "
     "checks devmap_managed_key")

@script:python@
p << zdput.p;
@@
emit(p[0], "put_zone_device_private_or_public_page() was removed by the "
     "series: call put_devmap_managed_page(), which also handles FS-DAX "
     "pages and wakes layout breakers")

@script:python@
p << dpk.p;
@@
emit(p[0], "device_private_key was removed by the series: the key is the "
     "reference-counted devmap_managed_key (dev_pagemap_get_ops()/"
     "dev_pagemap_put_ops(), later devmap_managed_enable_get/put)")

@script:python@
p << dpk_decl.p;
@@
emit(p[0], "device_private_key was removed by the series: the key is the "
     "reference-counted devmap_managed_key (dev_pagemap_get_ops()/"
     "dev_pagemap_put_ops(), later devmap_managed_enable_get/put)")

@script:python@
p << dpk_init.p;
@@
emit(p[0], "device_private_key was removed by the series: the key is the "
     "reference-counted devmap_managed_key (dev_pagemap_get_ops()/"
     "dev_pagemap_put_ops(), later devmap_managed_enable_get/put)")

@script:python@
p << sect_cmp.p;
p2 << sect_cmp.p2;
@@
SEEN.add((p2[0].file, p2[0].line, p2[0].column))
emit(p[0], "dax_radix_sector() was removed by the series: DAX entries "
     "encode a pfn, compare them with %s()"
     % (sector_to_pfn(p[0].file) or "the tree's pfn accessor"))

@script:python@
p << sect_any.p;
@@
emit(p[0], "dax_radix_sector() was removed by the series: DAX entries "
     "encode a pfn (%s()), not a sector; convert the caller by hand"
     % (sector_to_pfn(p[0].file) or "dax_radix_pfn/dax_to_pfn"))

@script:python@
p << unmapi.p;
@@
if break_unmapi_removed(p[0].file):
    emit(p[0], "BREAK_UNMAPI is the v7 spelling; from 4.18 on the unmap "
         "reason is BREAK_UNMAP")

@script:python@
p << noop_init.p;
ops << noop_init.ops;
@@
sp = dirty_spelling(p[0].file)
if sp != "noop":
    emit(p[0], "noop_set_page_dirty was removed in 5.14: %s" % {
        "folio": "use .dirty_folio = noop_dirty_folio",
        "nowb": "use .set_page_dirty = __set_page_dirty_no_writeback",
        None: "use __set_page_dirty_no_writeback (5.14-5.17) or "
              ".dirty_folio = noop_dirty_folio (5.18+)"}[sp])

@script:python@
p << noop_any.p;
@@
sp = dirty_spelling(p[0].file)
if sp != "noop":
    emit(p[0], "noop_set_page_dirty was removed in 5.14: %s" % {
        "folio": "use .dirty_folio = noop_dirty_folio",
        "nowb": "use __set_page_dirty_no_writeback",
        None: "use __set_page_dirty_no_writeback (5.14-5.17) or "
              ".dirty_folio = noop_dirty_folio (5.18+)"}[sp])

// context mode marks what report mode reports.  The spellings are
// decided by script constraints on the rules that use them, never by
// a script that drops the matches it does not want with
// include_match(False): dropping a match drops the whole environment,
// and when every match of one rule is dropped spatch starts again from
// an empty one, losing the matches of all the other rules (a v7 aops
// with the still current noop_set_page_dirty made the rewrite of
// device_private_key disappear).
@ctx1 depends on context@
position hmm_any.p;
@@
* IS_HMM_ENABLED@p

@ctx2 depends on context@
position zdput.p;
@@
* put_zone_device_private_or_public_page@p(...)

@ctx3 depends on context@
position dpk.p;
@@
* device_private_key@p

@ctx4 depends on context@
position sect_any.p;
@@
* dax_radix_sector@p(...)

@ctx5 depends on context@
position p : script:python() { break_unmapi_removed(p[0].file) };
@@
* BREAK_UNMAPI@p

@ctx6 depends on context@
symbol noop_set_page_dirty;
position p : script:python() { dirty_spelling(p[0].file) != "noop" };
@@
* noop_set_page_dirty@p

// ---------------------------------------------------------------------
// patch mode: only the mechanical rewrites, each gated on the spelling

// the seed's put_page() hunk: guard + private/public put -> one call
@depends on patch@
expression P, C;
@@
- if (IS_HMM_ENABLED && C) {
-	put_zone_device_private_or_public_page(P);
-	return;
- }
+ if (put_devmap_managed_page(P))
+	return;

@depends on patch@
expression P;
@@
- put_zone_device_private_or_public_page(P)
+ put_devmap_managed_page(P)

// the HMM enable of hmm_devmem_add*(): v7 takes a devmap_managed_key
// reference instead (the put belongs to the teardown: pagemap-ops-balance)
@depends on patch@
position p : script:python() { generation() == "v7" };
@@
- static_branch_enable@p(&device_private_key);
+ dev_pagemap_get_ops();

// (the tree's pfn accessor, when known: one rule per spelling)
@depends on patch@
expression A, B;
binary operator op = {==, !=};
position p : script:python() {
  sector_to_pfn(p[0].file) == "dax_radix_pfn" };
@@
- dax_radix_sector@p(A) op dax_radix_sector(B)
+ dax_radix_pfn(A) op dax_radix_pfn(B)

@depends on patch@
expression A, B;
binary operator op = {==, !=};
position p : script:python() {
  sector_to_pfn(p[0].file) == "dax_to_pfn" };
@@
- dax_radix_sector@p(A) op dax_radix_sector(B)
+ dax_to_pfn(A) op dax_to_pfn(B)

@depends on patch@
position p : script:python() { break_unmapi_removed(p[0].file) };
@@
- BREAK_UNMAPI@p
+ BREAK_UNMAP

// 5.18+: .dirty_folio = noop_dirty_folio; 5.14-5.17:
// .set_page_dirty = __set_page_dirty_no_writeback
@depends on patch@
symbol noop_set_page_dirty;
identifier O;
position p : script:python() { dirty_spelling(p[0].file) == "folio" };
@@
struct address_space_operations O = {
	...,
-	.set_page_dirty = noop_set_page_dirty@p,
+	.dirty_folio = noop_dirty_folio,
	...
};

@depends on patch@
symbol noop_set_page_dirty;
identifier O;
position p : script:python() { dirty_spelling(p[0].file) == "nowb" };
@@
struct address_space_operations O = {
	...,
-	.set_page_dirty = noop_set_page_dirty@p,
+	.set_page_dirty = __set_page_dirty_no_writeback,
	...
};
