// RUN: %check_tidy %s daxlint-dax-aops-shape v4.18 %t
// A 4.18 DAX aops (its .writepages writes back through the DAX API) that
// lacks the no-op hooks: one finding on the object, and a fix-it adding
// them in the spelling whose type the struct members have.
#include "daxlint_stub.h"

static int t_dax_writepages(struct address_space *mapping,
			    struct writeback_control *wbc)
{
	return dax_writeback_mapping_range(mapping,
					   mapping->host->i_sb->s_daxdev, wbc);
}

const struct address_space_operations t_ops = {
	.writepages	= t_dax_writepages,
	.direct_IO	= noop_direct_IO
};
// CHECK-MESSAGES: :[[@LINE-4]]:39: warning: t_ops: DAX aops has no no-op dirty hook (.set_page_dirty = noop_set_page_dirty); no .invalidatepage = noop_invalidatepage [daxlint-dax-aops-shape]
// CHECK-FIXES: {{^}}	.direct_IO	= noop_direct_IO,{{$}}
// CHECK-FIXES-NEXT: {{^}}	.set_page_dirty	= noop_set_page_dirty,{{$}}
// CHECK-FIXES-NEXT: {{^}}	.invalidatepage	= noop_invalidatepage,{{$}}
// CHECK-FIXES-NEXT: {{^}}};{{$}}

// The same object, correct: nothing to say.
const struct address_space_operations t_ok_ops = {
	.writepages	= t_dax_writepages,
	.set_page_dirty	= noop_set_page_dirty,
	.invalidatepage	= noop_invalidatepage,
};

// A helper two calls deep still counts as DAX writeback.
static int t_inner(struct address_space *m, struct writeback_control *wbc)
{
	return dax_writeback_mapping_range(m, m->host->i_sb->s_daxdev, wbc);
}
static int t_middle(struct address_space *m, struct writeback_control *wbc)
{
	return t_inner(m, wbc);
}
static int t_outer(struct address_space *m, struct writeback_control *wbc)
{
	return t_middle(m, wbc);
}
const struct address_space_operations t_deep_ops = {
	.writepages	= t_outer,
	.set_page_dirty	= noop_set_page_dirty,
	.invalidatepage	= block_invalidatepage,
};
// CHECK-MESSAGES: :[[@LINE-2]]:20: warning: t_deep_ops: DAX aops sets .invalidatepage = block_invalidatepage; a DAX aops has no invalidate hook other than the no-op one [daxlint-dax-aops-shape]
