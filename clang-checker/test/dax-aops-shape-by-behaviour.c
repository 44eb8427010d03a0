// RUN: %check_tidy %s daxlint-dax-aops-shape v5.15 %t
// Which objects are DAX aops is decided by what the code does, never by
// names: a page-cache aops named *dax* is silent; an aops with a neutral
// name installed under a helper returning IS_DAX() is checked.
#include "daxlint_stub.h"

static int b_read_folio(struct file *file, struct folio *folio)
{
	return 0;
}

static int b_wb(struct address_space *m, struct writeback_control *wbc)
{
	return dax_writeback_mapping_range(m, m->host->i_sb->s_daxdev, wbc);
}

// page-cache members and writeback: not a DAX aops whatever its name
const struct address_space_operations b_dax_aops = {
	.read_folio	= b_read_folio,
	.writepages	= generic_writepages,
	.dirty_folio	= block_dirty_folio,
};

// installed where IS_DAX() holds: a DAX aops, lacking its dirty hook;
// the file's aops use folio members, so the 5.18+ spelling is added
const struct address_space_operations b_plain = {
	.writepages	= b_wb,
};
// CHECK-MESSAGES: :[[@LINE-3]]:39: warning: b_plain: DAX aops has no no-op dirty hook (.dirty_folio = noop_dirty_folio) [daxlint-dax-aops-shape]
// CHECK-FIXES: {{^}}	.writepages	= b_wb,{{$}}
// CHECK-FIXES-NEXT: {{^}}	.dirty_folio	= noop_dirty_folio,{{$}}

// a DAX aops (by its .writepages) carrying a page-cache read
const struct address_space_operations b_mixed = {
	.writepages	= b_wb,
	.dirty_folio	= noop_dirty_folio,
	.read_folio	= b_read_folio,
};
// CHECK-MESSAGES: :[[@LINE-2]]:16: warning: b_mixed: DAX aops sets page-cache operation .read_folio = b_read_folio; page-cache code must never run on DAX-mapped blocks [daxlint-dax-aops-shape]

static bool b_is_direct(struct inode *inode)
{
	return IS_DAX(inode);
}

void b_set(struct inode *inode)
{
	if (!b_is_direct(inode))
		inode->i_mapping->a_ops = &b_dax_aops;
	else
		inode->i_mapping->a_ops = &b_plain;
}

// a page-cache .writepages that diverts DAX inodes to the DAX writeback
// (dax-writepages-divert's subject): not a DAX aops
static int b_divert(struct address_space *m, struct writeback_control *wbc)
{
	if (b_is_direct(m->host))
		return dax_writeback_mapping_range(m, m->host->i_sb->s_daxdev,
						   wbc);
	return 0;
}

const struct address_space_operations b_divert_ops = {
	.read_folio	= b_read_folio,
	.writepages	= b_divert,
};
