// SPDX-License-Identifier: GPL-2.0-only
/// A page-cache .writepages must not divert DAX inodes to
/// dax_writeback_mapping_range(): since "fs, dax: prepare for dax-specific
/// address_space_operations" a DAX inode has its own aops whose .writepages
/// does that, and the page-cache one never sees a DAX inode.  A leftover
/// dax_mapping()/IS_DAX() test is dead code at best and, if the aops
/// selection is wrong, hides it.
//
// Rule: dax-writepages-divert
// Prefilter: dax_writeback_mapping_range
// Scope: file
// Confidence: High
// Comments: a page-cache aops is one that sets a page-cache operation
//  (read_folio, readpage(s), readahead, writepage, write_begin/end).
// Options: --no-includes --include-headers

virtual context
virtual org
virtual report

// the .writepages of an aops that does page-cache I/O (designated
// initialisers match in any order)
@pc_aops@
identifier ops, wp, pcop;
@@
struct address_space_operations ops = {
	...,
	.writepages = wp,
	...,
	.\(read_folio\|readpage\|readpages\|readahead\|writepage\|write_begin\|write_end\)
		= pcop,
	...
};

@divert@
identifier pc_aops.wp;
expression M;
position p;
@@
wp(...)
{
<+...
if (\(dax_mapping(M)\|IS_DAX(M)\)) {
<+... dax_writeback_mapping_range@p(...) ...+>
}
...+>
}

@ctx depends on context@
position divert.p;
@@
* dax_writeback_mapping_range@p(...)

@script:python depends on org@
p << divert.p;
@@
coccilib.org.print_todo(p[0], "[dax-writepages-divert] %s: page-cache .writepages diverts DAX inodes to dax_writeback_mapping_range(); move it to the DAX aops" % p[0].current_element)

@script:python depends on report@
p << divert.p;
@@
coccilib.report.print_report(p[0], "WARNING: [dax-writepages-divert] %s: page-cache .writepages diverts DAX inodes to dax_writeback_mapping_range(); move it to the DAX aops" % p[0].current_element)
