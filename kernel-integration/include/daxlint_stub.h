/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daxlint_stub.h - just enough of the kernel's types and APIs, written here,
 * for daxlint's fixtures to compile with gcc, clang and sparse, and for the
 * files daxlint checks standalone (--profile): the sparse engine compiles
 * them against this directory.
 *
 * One header serves every profile: an API whose signature changed between
 * kernel generations is declared once per generation under
 * DAXLINT_PROFILE_V7 / _V4_18 / _V5_15 / _V6_15 (the fixture harness defines the one
 * named in the fixture's "daxlint: profile=" line; v5.15 is the default).
 * Engines that read source text (Coccinelle) never open this file, so it
 * must not hide a pattern a rule looks for behind a macro the fixture
 * relies on.
 */
#ifndef DAXLINT_STUB_H
#define DAXLINT_STUB_H

#if !defined(DAXLINT_PROFILE_V7) && !defined(DAXLINT_PROFILE_V4_18) && \
	!defined(DAXLINT_PROFILE_V5_15) && !defined(DAXLINT_PROFILE_V6_15)
#define DAXLINT_PROFILE_V5_15 1
#endif

/* the kernels daxlint checks are built with filesystem DAX (the sparse
 * engine's prepared config enables it): code under #ifdef CONFIG_FS_DAX
 * is compiled */
#define CONFIG_FS_DAX 1

#define NULL ((void *)0)
#define true 1
#define false 0
#define __user
#define __init
#define __exit
#define __always_inline inline
#define unlikely(x) (x)
#define likely(x) (x)
#define EXPORT_SYMBOL(s)
#define EXPORT_SYMBOL_GPL(s)
#define BIT(n) (1UL << (n))
/* a configuration option the fixture defines to 0 or 1 */
#define IS_ENABLED(option) (option)
#define ENOMEM 12
#define EINVAL 22
#define EOPNOTSUPP 95
#define EINTR 4
#define EFAULT 14
#define ERESTARTSYS 512
#define LLONG_MAX 0x7fffffffffffffffLL
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)

typedef _Bool bool;
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long s64;
typedef unsigned int uint;
typedef unsigned long size_t;
typedef long ssize_t;
typedef long long loff_t;
typedef unsigned long pgoff_t;
typedef unsigned short umode_t;
typedef unsigned int gfp_t;
typedef unsigned long sector_t;
typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic64_t;
typedef struct { unsigned long val; } pfn_t;

#define ___GFP_DIRECT_RECLAIM 0x400u	/* the bit that lets it sleep */
#define GFP_KERNEL ((gfp_t)0xcc0u)
#define GFP_NOFS ((gfp_t)0xc40u)
#define GFP_ATOMIC ((gfp_t)0x20u)
#define GFP_NOWAIT ((gfp_t)0x0u)

/* ---- atomics, errors, warnings -------------------------------------- */
int atomic_read(const atomic_t *v);
void atomic_inc(atomic_t *v);
bool atomic_dec_and_test(atomic_t *v);
#define IS_ERR(p) ((unsigned long)(p) > (unsigned long)-4096)
#define PTR_ERR(p) ((long)(p))
#define ERR_PTR(e) ((void *)(long)(e))
#define WARN_ON(c) ({ int __w = !!(c); __w; })
#define WARN_ON_ONCE(c) WARN_ON(c)
#define BUG_ON(c) do { if (c) __builtin_trap(); } while (0)
#define ASSERT(expr) ((void)(expr))
int printk(const char *fmt, ...);
#define pr_warn(...) printk(__VA_ARGS__)

/* ---- sleeping and scheduling ---------------------------------------- */
void might_sleep(void);
void cond_resched(void);
void schedule(void);
long schedule_timeout(long timeout);
void msleep(unsigned int ms);
void *kmalloc(size_t size, gfp_t flags);
void *kzalloc(size_t size, gfp_t flags);
void *kcalloc(size_t n, size_t size, gfp_t flags);
void kfree(const void *p);
int fatal_signal_pending(void *task);
extern void *current;
#define TASK_INTERRUPTIBLE 1
#define TASK_UNINTERRUPTIBLE 2

/* ---- locks ----------------------------------------------------------- */
struct rw_semaphore { long count; };
struct mutex { long owner; };
typedef struct { int lock; } spinlock_t;
void down_read(struct rw_semaphore *sem);
void down_write(struct rw_semaphore *sem);
int down_write_killable(struct rw_semaphore *sem);
void up_read(struct rw_semaphore *sem);
void up_write(struct rw_semaphore *sem);
int rwsem_is_locked(struct rw_semaphore *sem);
void mutex_lock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
void rcu_read_lock(void);
void rcu_read_unlock(void);
#define lockdep_assert_held(l) ((void)(l))
#define lockdep_assert_held_write(l) ((void)(l))
#define lockdep_assert_held_read(l) ((void)(l))

/* ---- wait_var_event --------------------------------------------------- */
void wake_up_var(void *var);
#define ___wait_var_event(var, condition, state, exclusive, ret, cmd)	\
({									\
	long __ret = ret;						\
	(void)(var);							\
	for (;;) {							\
		if (condition)						\
			break;						\
		cmd;							\
	}								\
	__ret;								\
})
#define wait_var_event(var, condition)					\
	___wait_var_event(var, condition, TASK_UNINTERRUPTIBLE, 0, 0, schedule())

/* ---- pages and mappings --------------------------------------------- */
struct address_space;
struct inode;
struct file;
struct kiocb;
struct iov_iter;
struct writeback_control { long nr_to_write; int sync_mode; };
struct block_device { struct inode *bd_inode; };
struct super_block { void *s_fs_info; struct block_device *s_bdev;
		     unsigned long s_flags; struct dax_device *s_daxdev; };
struct vm_area_struct { struct file *vm_file; unsigned long vm_flags; };
struct mm_struct { struct rw_semaphore mmap_lock; };
/* include/linux/mmap_lock.h: inline wrappers of the mmap rw_semaphore */
static inline void mmap_read_lock(struct mm_struct *mm)
{
	down_read(&mm->mmap_lock);
}
static inline void mmap_read_unlock(struct mm_struct *mm)
{
	up_read(&mm->mmap_lock);
}
struct list_head { struct list_head *next, *prev; };

struct page {
	unsigned long flags;
	struct list_head lru;	/* page-cache, anonymous and free pages */
	struct address_space *mapping;
	pgoff_t index;
	atomic_t _refcount;
	void *pgmap;
};
/* the page's first members under their folio names, as the kernel has */
struct folio {
	union {
		struct { unsigned long flags; struct list_head lru; };
		struct page page;
	};
};
struct pagevec { unsigned int nr; struct page *pages[15]; };

int page_count(struct page *page);
int page_ref_count(struct page *page);
bool page_ref_sub_and_test(struct page *page, int nr);
bool put_page_testzero(struct page *page);
void get_page(struct page *page);
void put_page(struct page *page);
void __put_page(struct page *page);
void free_unref_page(struct page *page, unsigned int order);
void release_pages(struct page **pages, int nr);
bool is_zone_device_page(const struct page *page);
struct folio *page_folio(struct page *page);
void folio_put(struct folio *folio);
void folio_put_refs(struct folio *folio, int refs);
bool folio_ref_sub_and_test(struct folio *folio, int nr);
bool folio_is_zone_device(struct folio *folio);
void __folio_put(struct folio *folio);
void list_add(struct list_head *n, struct list_head *head);
void free_unref_page_list(struct list_head *list);
struct folio *lru_to_folio(struct list_head *head);

/* ZONE_DEVICE reference helpers */
bool put_devmap_managed_page(struct page *page);
bool put_devmap_managed_page_refs(struct page *page, int refs);
/* devmap-put fixtures */
bool folio_put_testzero(struct folio *folio);
bool page_ref_dec_and_test(struct page *page);
void page_ref_sub(struct page *page, int nr);
void free_zone_device_page(struct page *page);
void __free_pages(struct page *page, unsigned int order);
struct folio_batch { unsigned char nr; struct folio *folios[15]; };
/* where a page can come from (devmap-put: these are never ZONE_DEVICE) */
#define container_of(ptr, type, member) ({				\
	void *__mptr = (void *)(ptr);					\
	((type *)((char *)__mptr - __builtin_offsetof(type, member))); })
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) \
	list_entry((ptr)->next, type, member)
#define list_first_entry_or_null(ptr, type, member) ({		\
	struct list_head *head__ = (ptr);				\
	struct list_head *pos__ = head__->next;				\
	pos__ != head__ ? list_entry(pos__, type, member) : NULL; })
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_for_each_entry(pos, head, member)				\
	for (pos = list_first_entry(head, __typeof__(*pos), member);	\
	     &pos->member != (head);					\
	     pos = list_next_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_first_entry(head, __typeof__(*pos), member),	\
	     n = list_next_entry(pos, member);				\
	     &pos->member != (head);					\
	     pos = n, n = list_next_entry(n, member))
void list_del(struct list_head *entry);
struct folio *filemap_get_folio(struct address_space *mapping,
				unsigned long index);
struct page *find_lock_page(struct address_space *mapping,
			    unsigned long index);
struct folio *filemap_alloc_folio(gfp_t gfp, unsigned int order);
struct page *alloc_pages(gfp_t gfp, unsigned int order);
struct page *folio_file_page(struct folio *folio, unsigned long index);
int shmem_get_folio(struct inode *inode, unsigned long index,
		    struct folio **foliop, int sgp);
#define FOLL_PIN 0x40000
#define GUP_PIN_COUNTING_BIAS (1U << 10)
#ifdef DAXLINT_PROFILE_V7
void put_zone_device_private_or_public_page(struct page *page);
#endif

struct address_space_operations {
	int (*writepage)(struct page *page, struct writeback_control *wbc);
	int (*readpage)(struct file *file, struct page *page);
	int (*read_folio)(struct file *file, struct folio *folio);
	int (*writepages)(struct address_space *mapping,
			  struct writeback_control *wbc);
	int (*set_page_dirty)(struct page *page);
	bool (*dirty_folio)(struct address_space *mapping, struct folio *folio);
	int (*readpages)(struct file *filp, struct address_space *mapping,
			 struct list_head *pages, unsigned nr_pages);
	void (*readahead)(void *rac);
	int (*write_begin)(struct file *file, struct address_space *mapping,
			   loff_t pos, unsigned len, struct page **pagep,
			   void **fsdata);
	int (*write_end)(struct file *file, struct address_space *mapping,
			 loff_t pos, unsigned len, unsigned copied,
			 struct page *page, void *fsdata);
	sector_t (*bmap)(struct address_space *mapping, sector_t block);
	void (*invalidatepage)(struct page *page, unsigned int offset,
			       unsigned int length);
	void (*invalidate_folio)(struct folio *folio, size_t offset,
				 size_t len);
	int (*releasepage)(struct page *page, gfp_t gfp);
	bool (*release_folio)(struct folio *folio, gfp_t gfp);
	void (*freepage)(struct page *page);
	ssize_t (*direct_IO)(struct kiocb *iocb, struct iov_iter *iter);
	int (*migratepage)(struct address_space *mapping, struct page *newpage,
			   struct page *page, int mode);
	int (*migrate_folio)(struct address_space *mapping, struct folio *dst,
			     struct folio *src, int mode);
	int (*launder_folio)(struct folio *folio);
	int (*is_partially_uptodate)(struct page *page, unsigned long from,
				     unsigned long count);
	int (*error_remove_page)(struct address_space *mapping,
				 struct page *page);
	int (*swap_activate)(void *sis, struct file *file, sector_t *span);
};

struct address_space {
	struct inode *host;
	const struct address_space_operations *a_ops;
	struct rw_semaphore invalidate_lock;
	struct rw_semaphore i_mmap_rwsem;
	void *i_pages;
	unsigned long nrpages;
	unsigned long nrexceptional;
};

/* the no-op address_space_operations, one spelling per generation */
int noop_set_page_dirty(struct page *page);
void noop_invalidatepage(struct page *page, unsigned int offset,
			 unsigned int length);
ssize_t noop_direct_IO(struct kiocb *iocb, struct iov_iter *iter);
bool noop_dirty_folio(struct address_space *mapping, struct folio *folio);
int __set_page_dirty_no_writeback(struct page *page);
int __set_page_dirty_buffers(struct page *page);
bool block_dirty_folio(struct address_space *mapping, struct folio *folio);
void block_invalidatepage(struct page *page, unsigned int offset,
			  unsigned int length);
void block_invalidate_folio(struct folio *folio, size_t offset, size_t len);
int generic_error_remove_page(struct address_space *mapping,
			      struct page *page);
int buffer_migrate_page(struct address_space *mapping, struct page *newpage,
			struct page *page, int mode);
int block_is_partially_uptodate(struct page *page, unsigned long from,
				unsigned long count);
int mpage_writepages(struct address_space *mapping,
		     struct writeback_control *wbc, void *get_block);
int generic_writepages(struct address_space *mapping,
		       struct writeback_control *wbc);

/* ---- inodes ---------------------------------------------------------- */
struct iattr {
	unsigned int ia_valid;
	umode_t ia_mode;
	loff_t ia_size;
};
#define ATTR_MODE	(1 << 0)
#define ATTR_UID	(1 << 1)
#define ATTR_GID	(1 << 2)
#define ATTR_SIZE	(1 << 3)

struct user_namespace;
struct dentry { struct inode *d_inode; };
struct path { struct dentry *dentry; };
struct kstat;

struct inode_operations {
	int (*setattr)(struct user_namespace *ns, struct dentry *dentry,
		       struct iattr *attr);
	int (*getattr)(struct user_namespace *ns, const struct path *path,
		       struct kstat *stat, u32 mask, unsigned int flags);
	struct dentry *(*lookup)(struct inode *dir, struct dentry *dentry,
				 unsigned int flags);
	const char *(*get_link)(struct dentry *dentry, struct inode *inode,
				void *done);
};

struct file_operations {
	ssize_t (*read_iter)(struct kiocb *iocb, struct iov_iter *to);
	ssize_t (*write_iter)(struct kiocb *iocb, struct iov_iter *from);
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
	int (*open)(struct inode *inode, struct file *file);
	int (*fsync)(struct file *file, loff_t start, loff_t end, int datasync);
	long (*fallocate)(struct file *file, int mode, loff_t offset,
			  loff_t len);
	long (*unlocked_ioctl)(struct file *file, unsigned int cmd,
			       unsigned long arg);
	loff_t (*remap_file_range)(struct file *file_in, loff_t pos_in,
				   struct file *file_out, loff_t pos_out,
				   loff_t len, unsigned int remap_flags);
};

#define S_SYNC		(1 << 0)
#define S_NOATIME	(1 << 1)
#define S_APPEND	(1 << 2)
#define S_IMMUTABLE	(1 << 3)
#define S_DAX		(1 << 13)
#define S_IFMT		00170000
#define S_IFREG		0100000
#define S_IFDIR		0040000
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)

struct inode {
	umode_t i_mode;
	unsigned int i_flags;
	unsigned long i_ino;
	loff_t i_size;
	struct super_block *i_sb;
	struct address_space *i_mapping;
	struct address_space i_data;
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;
	struct rw_semaphore i_rwsem;
	void *i_private;
};

struct file {
	struct inode *f_inode;
	struct address_space *f_mapping;
	void *private_data;
};

#define IS_DAX(inode) ((inode)->i_flags & S_DAX)

/* the superblock's operations: .evict_inode runs once an inode's last
   reference is gone, before it is freed */
struct super_operations {
	struct inode *(*alloc_inode)(struct super_block *sb);
	void (*free_inode)(struct inode *inode);
	void (*evict_inode)(struct inode *inode);
	void (*put_super)(struct super_block *sb);
};
void clear_inode(struct inode *inode);
void inode_set_flags(struct inode *inode, unsigned int flags,
		     unsigned int mask);
void inode_nohighmem(struct inode *inode);
struct inode *file_inode(const struct file *f);
struct inode *d_inode(const struct dentry *dentry);
void inode_lock(struct inode *inode);
void inode_unlock(struct inode *inode);
void inode_lock_shared(struct inode *inode);
void inode_unlock_shared(struct inode *inode);
void inode_dio_wait(struct inode *inode);
void mark_inode_dirty(struct inode *inode);
int setattr_prepare(struct user_namespace *ns, struct dentry *dentry,
		    struct iattr *attr);
void setattr_copy(struct user_namespace *ns, struct inode *inode,
		  const struct iattr *attr);
loff_t i_size_read(const struct inode *inode);
void i_size_write(struct inode *inode, loff_t i_size);
int inode_newsize_ok(const struct inode *inode, loff_t offset);
int filemap_write_and_wait_range(struct address_space *mapping,
				 loff_t lstart, loff_t lend);
int filemap_write_and_wait(struct address_space *mapping);

/* the page-cache truncation primitives that free a file's pages */
void truncate_setsize(struct inode *inode, loff_t newsize);
void truncate_pagecache(struct inode *inode, loff_t new);
void truncate_pagecache_range(struct inode *inode, loff_t lstart,
			      loff_t lend);
void truncate_inode_pages(struct address_space *mapping, loff_t lstart);
void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart,
				loff_t lend);
void truncate_inode_pages_final(struct address_space *mapping);
int invalidate_inode_pages2_range(struct address_space *mapping,
				  pgoff_t start, pgoff_t end);

/* the fault-blocking lock of 5.15+ */
static inline void filemap_invalidate_lock(struct address_space *mapping)
{
	down_write(&mapping->invalidate_lock);
}
static inline void filemap_invalidate_unlock(struct address_space *mapping)
{
	up_write(&mapping->invalidate_lock);
}
static inline void filemap_invalidate_lock_shared(struct address_space *m)
{
	down_read(&m->invalidate_lock);
}
static inline void filemap_invalidate_unlock_shared(struct address_space *m)
{
	up_read(&m->invalidate_lock);
}
void filemap_invalidate_lock_two(struct address_space *m1,
				 struct address_space *m2);
void filemap_invalidate_unlock_two(struct address_space *m1,
				   struct address_space *m2);

#define FALLOC_FL_KEEP_SIZE	0x01
#define FALLOC_FL_PUNCH_HOLE	0x02
#define FALLOC_FL_NO_HIDE_STALE	0x04
#define FALLOC_FL_COLLAPSE_RANGE 0x08
#define FALLOC_FL_ZERO_RANGE	0x10
#define FALLOC_FL_INSERT_RANGE	0x20
#define FALLOC_FL_UNSHARE_RANGE	0x40

/* ---- DAX ------------------------------------------------------------- */
struct dax_device;
struct dax_holder_operations;
struct iomap_ops;
struct vm_fault { struct vm_area_struct *vma; unsigned long address; };
typedef unsigned int vm_fault_t;

struct page *dax_layout_busy_page(struct address_space *mapping);
struct page *dax_layout_busy_page_range(struct address_space *mapping,
					loff_t start, loff_t end);
int dax_writeback_mapping_range(struct address_space *mapping,
				struct dax_device *dax_dev,
				struct writeback_control *wbc);
#ifdef DAXLINT_PROFILE_V6_15
/*
 * 6.15: the generic layout break scans dax_layout_busy_page_range() itself
 * and waits for each busy page through CB, which must drop the caller's
 * fault lock around its sleep; a NULL CB does not wait and returns
 * -ERESTARTSYS when a page is busy.  The final break runs on eviction.
 */
int __attribute__((warn_unused_result))
dax_break_layout(struct inode *inode, loff_t start, loff_t end,
		 void (cb)(struct inode *));
static inline int __attribute__((warn_unused_result))
dax_break_layout_inode(struct inode *inode, void (cb)(struct inode *))
{
	return dax_break_layout(inode, 0, LLONG_MAX, cb);
}
void dax_break_layout_final(struct inode *inode);
bool dax_page_is_idle(struct page *page);
#endif
bool dax_mapping(struct address_space *mapping);
int dax_delete_mapping_entry(struct address_space *mapping, pgoff_t index);
vm_fault_t dax_iomap_fault(struct vm_fault *vmf, unsigned int pe_size,
			   pfn_t *pfnp, int *errp,
			   const struct iomap_ops *ops);
ssize_t dax_iomap_rw(struct kiocb *iocb, struct iov_iter *iter,
		     const struct iomap_ops *ops);
int dax_truncate_page(struct inode *inode, loff_t pos, bool *did_zero,
		      const struct iomap_ops *ops);
int dax_zero_range(struct inode *inode, loff_t pos, loff_t len,
		   bool *did_zero, const struct iomap_ops *ops);
/* the dax_device API (drivers/dax): a device's memory, not file pages */
long dax_direct_access(struct dax_device *dax_dev, pgoff_t pgoff,
		       long nr_pages, int mode, void **kaddr, pfn_t *pfn);
void dax_flush(struct dax_device *dax_dev, void *addr, size_t size);

#ifdef DAXLINT_PROFILE_V7
/* v7: the layout lock is an RCU read-side section around gup walks */
static inline void dax_layout_lock(void) { rcu_read_lock(); }
static inline void dax_layout_unlock(void) { rcu_read_unlock(); }
struct dax_device *fs_dax_claim_bdev(struct block_device *bdev, void *owner);
void fs_dax_release(struct dax_device *dax_dev, void *owner);
struct dax_device *fs_dax_get_by_bdev(struct block_device *bdev);
void fs_put_dax(struct dax_device *dax_dev);
sector_t dax_radix_sector(void *entry);
unsigned long dax_radix_pfn(void *entry);
#elif defined(DAXLINT_PROFILE_V4_18)
struct dax_device *fs_dax_get_by_bdev(struct block_device *bdev);
void fs_put_dax(struct dax_device *dax_dev);
unsigned long dax_radix_pfn(void *entry);
#else
struct dax_device *fs_dax_get_by_bdev(struct block_device *bdev,
				      u64 *start_off, void *holder,
				      const struct dax_holder_operations *ops);
void fs_put_dax(struct dax_device *dax_dev, void *holder);
#endif

/* fs/dax.c internals: entry association and the mapping index */
void dax_associate_entry(void *entry, struct address_space *mapping,
			 struct vm_area_struct *vma, unsigned long address,
			 bool shared);
void dax_disassociate_entry(void *entry, struct address_space *mapping,
			    bool trunc);
void *radix_tree_delete(void *root, unsigned long index);
int radix_tree_insert(void *root, unsigned long index, void *item);
void *radix_tree_lookup(void *root, unsigned long index);
struct xa_state { void *xa; unsigned long xa_index; };
#define XA_STATE(name, array, index) \
	struct xa_state name = { .xa = (array), .xa_index = (index) }
void *xas_store(struct xa_state *xas, void *entry);
void *xas_load(struct xa_state *xas);
void xas_lock_irq(struct xa_state *xas);
void xas_unlock_irq(struct xa_state *xas);
void *dax_make_entry(pfn_t pfn, unsigned long flags);
bool dax_is_zero_entry(void *entry);
bool dax_is_empty_entry(void *entry);
/* dax-entry-association fixtures */
#define DAX_PMD		(1UL << 1)
#define DAX_ZERO_PAGE	(1UL << 2)
#define DAX_EMPTY	(1UL << 3)
#define RADIX_DAX_PMD		DAX_PMD
#define RADIX_DAX_ZERO_PAGE	DAX_ZERO_PAGE
#define RADIX_DAX_EMPTY		DAX_EMPTY
pfn_t pfn_to_pfn_t(unsigned long pfn);
unsigned long dax_entry_size(void *entry);
bool dax_is_pmd_entry(void *entry);
void *dax_radix_locked_entry(unsigned long pfn, unsigned long flags);
void *__radix_tree_lookup(void *root, unsigned long index, void **nodep,
			  void ***slotp);
void __radix_tree_replace(void *root, void *node, void **slot, void *item,
			  void *update_node);
void *xa_erase(void *xa, unsigned long index);
void xas_reset(struct xa_state *xas);
void *xas_find(struct xa_state *xas, unsigned long max);
void *xas_next_entry(struct xa_state *xas, unsigned long max);
#define xas_for_each(xas, entry, max) \
	for (entry = xas_find(xas, max); entry; \
	     entry = xas_next_entry(xas, max))
void *xa_load(void *xa, unsigned long index);
bool xa_is_value(const void *entry);

/* ---- dev_pagemap / the devmap_managed_key ---------------------------- */
struct static_key_false { int enabled; };
#define DEFINE_STATIC_KEY_FALSE(name) struct static_key_false name = { 0 }
#define DECLARE_STATIC_KEY_FALSE(name) extern struct static_key_false name
void static_branch_enable(struct static_key_false *key);
void static_branch_disable(struct static_key_false *key);
void static_branch_inc(struct static_key_false *key);
void static_branch_dec(struct static_key_false *key);
struct dev_pagemap { int type; void *owner; struct list_head list; };
#define MEMORY_DEVICE_FS_DAX 3
#define MEMORY_DEVICE_PRIVATE 1
void *devm_memremap_pages(void *dev, struct dev_pagemap *pgmap);
void *memremap_pages(struct dev_pagemap *pgmap, int nid);
void memunmap_pages(struct dev_pagemap *pgmap);
#ifdef DAXLINT_PROFILE_V7
void dev_pagemap_get_ops(void);
void dev_pagemap_put_ops(void);
extern struct static_key_false device_private_key;
#define IS_HMM_ENABLED 1
#endif
void devmap_managed_enable_get(struct dev_pagemap *pgmap);
void devmap_managed_enable_put(struct dev_pagemap *pgmap);
/* pagemap-ops-balance fixtures */
bool static_branch_unlikely(struct static_key_false *key);
int devm_add_action_or_reset(void *dev, void (*action)(void *), void *data);
void *devres_alloc_node(void (*release)(void *dev, void *res), size_t size,
			gfp_t gfp, int nid);
void devres_free(void *res);

/* ---- get_user_pages internals ---------------------------------------- */
typedef struct { unsigned long pgd; } pgd_t;
struct follow_page_context { struct dev_pagemap *pgmap; unsigned int mask; };
struct page *follow_page_mask(struct vm_area_struct *vma,
			      unsigned long address, unsigned int foll_flags,
			      unsigned int *page_mask);
int gup_pgd_range(unsigned long addr, unsigned long end, unsigned int flags,
		  struct page **pages, int *nr);
int faultin_page(struct vm_area_struct *vma, unsigned long address,
		 unsigned int *flags, int *nonblocking);
struct vm_area_struct *find_extend_vma(struct mm_struct *mm,
				       unsigned long addr);
#define FOLL_WRITE 0x01
#define FOLL_GET 0x04

/* ---- XFS -------------------------------------------------------------- */
struct xfs_mount { struct super_block *m_super; struct dax_device *m_ddev_targp; };
struct xfs_inode {
	struct xfs_mount *i_mount;
	u64 i_ino;
	struct inode i_vnode;
};
struct xfs_trans;
#define XFS_IOLOCK_EXCL		(1u << 0)
#define XFS_IOLOCK_SHARED	(1u << 1)
#define XFS_ILOCK_EXCL		(1u << 2)
#define XFS_ILOCK_SHARED	(1u << 3)
#define XFS_MMAPLOCK_EXCL	(1u << 4)
#define XFS_MMAPLOCK_SHARED	(1u << 5)
#define XFS_LOCK_INUMORDER(f, n) ((f) | ((n) << 8))

static inline struct xfs_inode *XFS_I(struct inode *inode)
{
	return (struct xfs_inode *)((char *)inode -
				    __builtin_offsetof(struct xfs_inode, i_vnode));
}
static inline struct inode *VFS_I(struct xfs_inode *ip)
{
	return &ip->i_vnode;
}

enum layout_break_reason {
	BREAK_WRITE,
	BREAK_UNMAP,
	BREAK_UNMAPI = BREAK_UNMAP,
};

void xfs_ilock(struct xfs_inode *ip, uint lock_flags);
int xfs_ilock_nowait(struct xfs_inode *ip, uint lock_flags);
void xfs_iunlock(struct xfs_inode *ip, uint lock_flags);
void xfs_ilock_demote(struct xfs_inode *ip, uint lock_flags);
bool xfs_isilocked(struct xfs_inode *ip, uint lock_flags);
void xfs_assert_ilocked(struct xfs_inode *ip, uint lock_flags);
uint xfs_lock_inumorder(uint lock_mode, uint subclass);
void xfs_lock_two_inodes(struct xfs_inode *ip0, uint ip0_mode,
			 struct xfs_inode *ip1, uint ip1_mode);
int xfs_break_layouts(struct inode *inode, uint *iolock,
		      enum layout_break_reason reason);
int xfs_break_leased_layouts(struct inode *inode, uint *iolock,
			     bool *did_unlock);
int xfs_free_file_space(struct xfs_inode *ip, loff_t offset, loff_t len);
int xfs_collapse_file_space(struct xfs_inode *ip, loff_t offset, loff_t len);
int xfs_insert_file_space(struct xfs_inode *ip, loff_t offset, loff_t len);
int xfs_alloc_file_space(struct xfs_inode *ip, loff_t offset, loff_t len);
int xfs_itruncate_extents(struct xfs_trans **tpp, struct xfs_inode *ip,
			  int whichfork, loff_t new_size);
int xfs_setattr_size(struct xfs_inode *ip, struct iattr *iattr);
int xfs_reflink_remap_blocks(struct xfs_inode *src, loff_t pos_in,
			     struct xfs_inode *dest, loff_t pos_out,
			     loff_t remap_len, loff_t *remapped);
int xfs_flush_unmap_range(struct xfs_inode *ip, loff_t offset, loff_t len);

/* ---- ext4 -------------------------------------------------------------- */
struct ext4_inode_info {
	struct rw_semaphore i_mmap_sem;
	struct rw_semaphore i_data_sem;
	struct inode vfs_inode;
};
static inline struct ext4_inode_info *EXT4_I(struct inode *inode)
{
	return (struct ext4_inode_info *)((char *)inode -
		__builtin_offsetof(struct ext4_inode_info, vfs_inode));
}
int ext4_punch_hole_blocks(struct inode *inode, loff_t start, loff_t end);

/* ---- fuse -------------------------------------------------------------- */
struct fuse_inode { struct inode inode; void *dax; };
static inline struct fuse_inode *get_fuse_inode(struct inode *inode)
{
	return (struct fuse_inode *)inode;
}

#endif /* DAXLINT_STUB_H */
