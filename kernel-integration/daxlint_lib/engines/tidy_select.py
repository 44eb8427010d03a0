"""The tidy engine's candidate units on a kernel tree: for each rule, the
files its Coccinelle prefilter selects (cocci_select: the rule's own
statement of what a file or directory must name to hold a finding),
narrowed, for a check that looks at one unit, by the regex the catalog's
tidy section gives for the rule (unit_prefilter: dax-aops-shape and
dax-writepages-divert judge the address_space_operations a unit defines,
so a unit that defines none cannot hold their finding)."""
import os
import re

from .. import catalog
from ..srcfiles import read_text
from . import cocci_select


def unit_prefilters():
    return catalog.load().engines.get("tidy", {}).get("unit_prefilter", {})


def candidates(root, paths, rules):
    """{rule: [units]}: the units to run RULE's check on."""
    cands = cocci_select.candidates(root, paths, rules)
    gates = unit_prefilters()
    out = {}
    for r in rules:
        units = cands.get(r, [])
        if r in gates:
            rx = re.compile(gates[r])
            units = [u for u in units
                     if rx.search(read_text(os.path.join(root, u)))]
        out[r] = units
    return out


def rules_of_units(cands):
    """{unit: sorted rules} from candidates()."""
    out = {}
    for r, units in cands.items():
        for u in units:
            out.setdefault(u, []).append(r)
    return dict((u, sorted(rs)) for u, rs in out.items())
