// RUN: %check_tidy %s daxlint-dax-writepages-divert v5.15 %t
// A page-cache .writepages that tests DAX-ness or writes back through the
// page cache must not divert to dax_writeback_mapping_range(), directly
// or through a helper of the unit; a DAX aops's own .writepages may.
#include "daxlint_stub.h"

static int w_flush(struct address_space *mapping,
		   struct writeback_control *wbc)
{
	return dax_writeback_mapping_range(mapping,
					   mapping->host->i_sb->s_daxdev, wbc);
}

/* the flag test, negated, then the page-cache path */
static int w_writepages(struct address_space *mapping,
			struct writeback_control *wbc)
{
	if (!(mapping->host->i_flags & S_DAX))
		return generic_writepages(mapping, wbc);
	return w_flush(mapping, wbc);
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: w_writepages: page-cache .writepages of w_aops tests DAX-ness and diverts to w_flush(), which calls the DAX writeback; {{.*}} [daxlint-dax-writepages-divert]
}

static int w_read_folio(struct file *file, struct folio *folio)
{
	return 0;
}

const struct address_space_operations w_aops = {
	.read_folio	= w_read_folio,
	.writepages	= w_writepages,
	.dirty_folio	= block_dirty_folio,
};

/* the DAX aops's own .writepages: no page-cache path, no diversion */
static int w_dax_writepages(struct address_space *mapping,
			    struct writeback_control *wbc)
{
	return w_flush(mapping, wbc);
}

const struct address_space_operations w_dax_aops = {
	.writepages	= w_dax_writepages,
	.dirty_folio	= noop_dirty_folio,
};
