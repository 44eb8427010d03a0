/*
 * check-name: unmap paths break DAX layouts before they truncate
 * check-command: daxlint-sparse -I../../kernel-integration/include $file
 *
 * check-error-start
unmap.c:91:25: warning: [unmap-breaks-layouts] unmap_no_break: truncate_setsize() reached from unmap_fallocate() -> unmap_no_break() (.fallocate, by its type) without breaking DAX layouts first; a device may still be DMAing into those blocks (unmap_dax_aops is a DAX aops)
unmap.c:105:35: warning: [unmap-breaks-layouts] unmap_one_path: truncate_pagecache() reached from unmap_fallocate() -> unmap_one_path() (.fallocate, by its type) without breaking DAX layouts first; a device may still be DMAing into those blocks (unmap_dax_aops is a DAX aops)
unmap.c:116:27: warning: [unmap-breaks-layouts] unmap_break_late: truncate_pagecache() reached from unmap_fallocate() -> unmap_break_late() (.fallocate, by its type) without breaking DAX layouts first; a device may still be DMAing into those blocks (unmap_dax_aops is a DAX aops)
unmap.c:130:35: warning: [unmap-breaks-layouts] unmap_write_reason: truncate_pagecache() reached from unmap_fallocate() -> unmap_write_reason() (.fallocate, by its type) without breaking DAX layouts first; a device may still be DMAing into those blocks (unmap_dax_aops is a DAX aops)
 * check-error-end
 * Reported: no break, a break on one path only, a break after the
 * truncation, the write reason.  Silent: a break first (in the function or
 * in the caller), the unmap reason, a break for DAX inodes only with the
 * page-cache inodes on their own branch, and a function of .setattr's type
 * that is called in the unit (not an entry point).
 */
#include "daxlint_stub.h"

/* the DAX aops: this unit's filesystem has DAX inodes */
static int unmap_dax_writepages(struct address_space *mapping,
				struct writeback_control *wbc)
{
	struct inode *inode = mapping->host;

	return dax_writeback_mapping_range(mapping, inode->i_sb->s_daxdev, wbc);
}

const struct address_space_operations unmap_dax_aops = {
	.writepages	= unmap_dax_writepages,
	.direct_IO	= noop_direct_IO,
	.dirty_folio	= noop_dirty_folio,
};

/* the layout break: under the fault lock, wait until no page is pinned */
static void unmap_wait_dax_page(struct inode *inode)
{
	filemap_invalidate_unlock(inode->i_mapping);
	schedule();
	filemap_invalidate_lock(inode->i_mapping);
}

static int unmap_break_layouts(struct inode *inode)
{
	struct page *page;
	int error;

	if (WARN_ON_ONCE(!rwsem_is_locked(&inode->i_mapping->invalidate_lock)))
		return -EINVAL;
	do {
		page = dax_layout_busy_page(inode->i_mapping);
		if (!page)
			return 0;
		error = ___wait_var_event(&page->_refcount,
				atomic_read(&page->_refcount) == 1,
				TASK_INTERRUPTIBLE, 0, 0,
				unmap_wait_dax_page(inode));
	} while (error == 0);
	return error;
}

/* a break with a reason: only the unmap reason waits for DAX pages */
static int unmap_break_reason(struct inode *inode,
			      enum layout_break_reason reason)
{
	switch (reason) {
	case BREAK_UNMAP:
		return unmap_break_layouts(inode);
	case BREAK_WRITE:
	default:
		return 0;
	}
}

/* break before truncate: silent */
static long unmap_break_first(struct inode *inode, loff_t size)
{
	int error;

	filemap_invalidate_lock(inode->i_mapping);
	error = unmap_break_layouts(inode);
	if (!error)
		truncate_setsize(inode, size);
	filemap_invalidate_unlock(inode->i_mapping);
	return error;
}

/* truncate without any break */
static long unmap_no_break(struct inode *inode, loff_t size)
{
	filemap_invalidate_lock(inode->i_mapping);
	truncate_setsize(inode, size);
	filemap_invalidate_unlock(inode->i_mapping);
	return 0;
}

/* a break on one path only: the other path truncates unbroken */
static long unmap_one_path(struct inode *inode, loff_t size, int mode)
{
	int error = 0;

	filemap_invalidate_lock(inode->i_mapping);
	if (mode & FALLOC_FL_KEEP_SIZE)
		error = unmap_break_layouts(inode);
	if (!error)
		truncate_pagecache(inode, size);
	filemap_invalidate_unlock(inode->i_mapping);
	return error;
}

/* the break comes after the truncation */
static long unmap_break_late(struct inode *inode, loff_t size)
{
	int error;

	filemap_invalidate_lock(inode->i_mapping);
	truncate_pagecache(inode, size);
	error = unmap_break_layouts(inode);
	filemap_invalidate_unlock(inode->i_mapping);
	return error;
}

/* the write reason only recalls leases: no break */
static long unmap_write_reason(struct inode *inode, loff_t size)
{
	int error;

	filemap_invalidate_lock(inode->i_mapping);
	error = unmap_break_reason(inode, BREAK_WRITE);
	if (!error)
		truncate_pagecache(inode, size);
	filemap_invalidate_unlock(inode->i_mapping);
	return error;
}

/* the unmap reason is a break: silent */
static long unmap_unmap_reason(struct inode *inode, loff_t size)
{
	int error;

	filemap_invalidate_lock(inode->i_mapping);
	error = unmap_break_reason(inode, BREAK_UNMAP);
	if (!error)
		truncate_pagecache(inode, size);
	filemap_invalidate_unlock(inode->i_mapping);
	return error;
}

/* broken for DAX inodes only, and page-cache inodes apart: silent */
static long unmap_dax_only(struct inode *inode, loff_t size, int mode)
{
	bool dax = IS_DAX(inode) && !(mode & FALLOC_FL_KEEP_SIZE);
	int error = 0;

	if (!IS_DAX(inode)) {
		truncate_pagecache(inode, size);
		return 0;
	}
	filemap_invalidate_lock(inode->i_mapping);
	if (dax) {
		error = unmap_break_layouts(inode);
		if (error)
			goto out;
	}
	truncate_pagecache(inode, size);
out:
	filemap_invalidate_unlock(inode->i_mapping);
	return error;
}

/* .fallocate of a table in another unit: found by its type */
long unmap_fallocate(struct file *file, int mode, loff_t offset, loff_t len)
{
	struct inode *inode = file_inode(file);

	if (mode & FALLOC_FL_PUNCH_HOLE)
		return unmap_break_first(inode, offset);
	if (mode & FALLOC_FL_COLLAPSE_RANGE)
		return unmap_no_break(inode, offset);
	if (mode & FALLOC_FL_ZERO_RANGE)
		return unmap_one_path(inode, offset, mode);
	if (mode & FALLOC_FL_INSERT_RANGE)
		return unmap_break_late(inode, offset);
	if (mode & FALLOC_FL_UNSHARE_RANGE)
		return unmap_write_reason(inode, offset);
	if (mode & FALLOC_FL_NO_HIDE_STALE)
		return unmap_unmap_reason(inode, offset);
	return unmap_dax_only(inode, offset, mode);
}

/* a size change that breaks first and truncates in a helper: silent */
static void unmap_setsize(struct inode *inode, loff_t size)
{
	truncate_setsize(inode, size);
}

static int unmap_setattr(struct user_namespace *ns, struct dentry *dentry,
			 struct iattr *iattr)
{
	struct inode *inode = d_inode(dentry);
	int error = 0;

	if (iattr->ia_valid & ATTR_SIZE) {
		filemap_invalidate_lock(inode->i_mapping);
		error = unmap_break_layouts(inode);
		if (!error)
			unmap_setsize(inode, iattr->ia_size);
		filemap_invalidate_unlock(inode->i_mapping);
	}
	return error;
}

const struct inode_operations unmap_inode_operations = {
	.setattr	= unmap_setattr,
};

/* not an entry point: the same type, but called here */
int unmap_setattr_helper(struct user_namespace *ns, struct dentry *dentry,
			 struct iattr *iattr)
{
	truncate_setsize(d_inode(dentry), iattr->ia_size);
	return 0;
}

int unmap_setattr_caller(struct dentry *dentry, struct iattr *iattr)
{
	return unmap_setattr_helper(NULL, dentry, iattr);
}
