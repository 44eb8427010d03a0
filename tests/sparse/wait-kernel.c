/*
 * check-name: busy-page waits in the kernel's own shape (prepare_to_wait_event, inlined rwsem_is_locked)
 * check-command: daxlint-sparse $file
 *
 * check-error-start
wait-kernel.c:217:25: warning: [busy-page-wait] kw_plain_schedule: sleeps in schedule() with the fault lock held; the faulting task that must drop the page needs that lock
wait-kernel.c:235:44: warning: [busy-page-wait] kw_retry_only_if_slept: dax_layout_busy_page() is looked up again only when the wait slept; repeat it until it returns NULL
wait-kernel.c:256:36: warning: [busy-page-wait] kw_single_lookup: dax_layout_busy_page() is looked up once; repeat it until it returns NULL
wait-kernel.c:274:36: warning: [busy-page-wait] kw_single_lookup_extern_cmd: dax_layout_busy_page() is looked up once; repeat it until it returns NULL
wait-kernel.c:324:29: warning: [busy-page-wait] kw_flag_once: kw_break_flag() looks busy pages up once and sets a retry flag; call it until it sets none
wait-kernel.c:354:36: warning: [busy-page-wait] kw_exported_no_flag: dax_layout_busy_page() is looked up once; repeat it until it returns NULL
 * check-error-end
 *
 * Self-contained on purpose: the kernel's ___wait_var_event() (a
 * prepare_to_wait_event() loop, a local label, the command last), and
 * rwsem_is_locked() / filemap_invalidate_lock() as the static inlines
 * they are in include/linux/, not the stub header's declarations.  The
 * entry points are static and reached only through an operations table,
 * so what they hold at entry comes from their own inlined assertion.
 */
#define NULL ((void *)0)
#define true 1
#define false 0
#define EINVAL 22
#define TASK_INTERRUPTIBLE 0x0001
#define TASK_WAKEKILL 0x0100
#define WQ_FLAG_EXCLUSIVE 0x01
typedef _Bool bool;
typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;

struct rw_semaphore { atomic_long_t count; };
struct address_space { struct rw_semaphore invalidate_lock; };
struct inode { struct address_space *i_mapping; };
struct page { unsigned long flags; atomic_t _refcount; };
struct wait_queue_head { int lock; };
struct wait_queue_entry { unsigned int flags; };
struct wait_bit_queue_entry { void *key; struct wait_queue_entry wq_entry; };

int atomic_read(const atomic_t *v);
long atomic_long_read(const atomic_long_t *v);
void down_write(struct rw_semaphore *sem);
void up_write(struct rw_semaphore *sem);
void schedule(void);
struct page *dax_layout_busy_page(struct address_space *mapping);
struct wait_queue_head *__var_waitqueue(void *p);
void init_wait_var_entry(struct wait_bit_queue_entry *wbq, void *var,
			 int flags);
long prepare_to_wait_event(struct wait_queue_head *wq_head,
			   struct wait_queue_entry *wq_entry, int state);
void finish_wait(struct wait_queue_head *wq_head,
		 struct wait_queue_entry *wq_entry);
/* a wait command of another translation unit */
void kw_other_unit_wait(struct inode *inode);

static inline int rwsem_is_locked(struct rw_semaphore *sem)
{
	return atomic_long_read(&sem->count) != 0;
}

static inline void filemap_invalidate_lock(struct address_space *mapping)
{
	down_write(&mapping->invalidate_lock);
}

static inline void filemap_invalidate_unlock(struct address_space *mapping)
{
	up_write(&mapping->invalidate_lock);
}

#define WARN_ON_ONCE(c) ({ int __w = !!(c); __w; })
#define ___wait_is_interruptible(state)					\
	(!__builtin_constant_p(state) ||				\
	 state == TASK_INTERRUPTIBLE || state == TASK_WAKEKILL)

#define ___wait_var_event(var, condition, state, exclusive, ret, cmd)	\
({									\
	__label__ __out;						\
	struct wait_queue_head *__wq_head = __var_waitqueue(var);	\
	struct wait_bit_queue_entry __wbq_entry;			\
	long __ret = ret; /* explicit shadow */				\
									\
	init_wait_var_entry(&__wbq_entry, var,				\
			    exclusive ? WQ_FLAG_EXCLUSIVE : 0);		\
	for (;;) {							\
		long __int = prepare_to_wait_event(__wq_head,		\
						   &__wbq_entry.wq_entry, \
						   state);		\
		if (condition)						\
			break;						\
									\
		if (___wait_is_interruptible(state) && __int) {		\
			__ret = __int;					\
			goto __out;					\
		}							\
									\
		cmd;							\
	}								\
	finish_wait(__wq_head, &__wbq_entry.wq_entry);			\
__out:	__ret;								\
})

/* ext4_wait_dax_page: drops the fault lock, sleeps, takes it again */
static void kw_wait_page(struct inode *inode)
{
	filemap_invalidate_unlock(inode->i_mapping);
	schedule();
	filemap_invalidate_lock(inode->i_mapping);
}

/* the same with the raw rwsem */
static void kw_wait_page_raw(struct inode *inode)
{
	up_write(&inode->i_mapping->invalidate_lock);
	schedule();
	down_write(&inode->i_mapping->invalidate_lock);
}

/* the 4.19 wait command: says that it slept */
static void kw_wait_page_slept(struct inode *inode, bool *slept)
{
	*slept = true;
	filemap_invalidate_unlock(inode->i_mapping);
	schedule();
	filemap_invalidate_lock(inode->i_mapping);
}

/* 6.1's ext4_break_layouts */
static int kw_good(struct inode *inode)
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
				kw_wait_page(inode));
	} while (error == 0);

	return error;
}

/* for (;;), the raw rwsem dropped and retaken */
static int kw_good_raw(struct inode *inode)
{
	struct page *page;
	int error;

	if (WARN_ON_ONCE(!rwsem_is_locked(&inode->i_mapping->invalidate_lock)))
		return -EINVAL;

	for (;;) {
		page = dax_layout_busy_page(inode->i_mapping);
		if (!page)
			return 0;

		error = ___wait_var_event(&page->_refcount,
				atomic_read(&page->_refcount) == 1,
				TASK_INTERRUPTIBLE, 0, 0,
				kw_wait_page_raw(inode));
		if (error)
			break;
	}
	return error;
}

/* the wait command reports a sleep, but the loop does not depend on it */
static int kw_good_flag_unused(struct inode *inode)
{
	struct page *page;
	bool slept;
	int error;

	if (WARN_ON_ONCE(!rwsem_is_locked(&inode->i_mapping->invalidate_lock)))
		return -EINVAL;

	do {
		slept = false;
		page = dax_layout_busy_page(inode->i_mapping);
		if (!page)
			return 0;

		error = ___wait_var_event(&page->_refcount,
				atomic_read(&page->_refcount) == 1,
				TASK_INTERRUPTIBLE, 0, 0,
				kw_wait_page_slept(inode, &slept));
	} while (error == 0);

	return error;
}

/* plain schedule() as the command: sleeps with invalidate_lock held */
static int kw_plain_schedule(struct inode *inode)
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
				schedule());
	} while (error == 0);

	return error;
}

/* the loop repeats only if the command slept (before b1f382178d15) */
static int kw_retry_only_if_slept(struct inode *inode)
{
	struct page *page;
	bool retry;
	int error;

	if (WARN_ON_ONCE(!rwsem_is_locked(&inode->i_mapping->invalidate_lock)))
		return -EINVAL;

	do {
		retry = false;
		page = dax_layout_busy_page(inode->i_mapping);
		if (!page)
			return 0;

		error = ___wait_var_event(&page->_refcount,
				atomic_read(&page->_refcount) == 1,
				TASK_INTERRUPTIBLE, 0, 0,
				kw_wait_page_slept(inode, &retry));
	} while (error == 0 && retry);

	return error;
}

/* one lookup, one wait, never looked at again */
static int kw_single_lookup(struct inode *inode)
{
	struct page *page;

	if (WARN_ON_ONCE(!rwsem_is_locked(&inode->i_mapping->invalidate_lock)))
		return -EINVAL;

	page = dax_layout_busy_page(inode->i_mapping);
	if (!page)
		return 0;

	return ___wait_var_event(&page->_refcount,
			atomic_read(&page->_refcount) == 1,
			TASK_INTERRUPTIBLE, 0, 0,
			kw_wait_page(inode));
}

/* the same with a wait command this unit cannot see into */
static int kw_single_lookup_extern_cmd(struct inode *inode)
{
	struct page *page;

	if (WARN_ON_ONCE(!rwsem_is_locked(&inode->i_mapping->invalidate_lock)))
		return -EINVAL;

	page = dax_layout_busy_page(inode->i_mapping);
	if (!page)
		return 0;

	return ___wait_var_event(&page->_refcount,
			atomic_read(&page->_refcount) == 1,
			TASK_INTERRUPTIBLE, 0, 0,
			kw_other_unit_wait(inode));
}

/* xfs_break_dax_layouts: one lookup, a retry flag for the caller ... */
static int kw_break_flag(struct inode *inode, bool *retry)
{
	struct page *page;

	page = dax_layout_busy_page(inode->i_mapping);
	if (!page)
		return 0;

	*retry = true;
	return ___wait_var_event(&page->_refcount,
			atomic_read(&page->_refcount) == 1,
			TASK_INTERRUPTIBLE, 0, 0,
			kw_wait_page(inode));
}

/* ... which loops on it */
static int kw_flag_loop(struct inode *inode)
{
	bool retry;
	int error;

	if (WARN_ON_ONCE(!rwsem_is_locked(&inode->i_mapping->invalidate_lock)))
		return -EINVAL;

	do {
		retry = false;
		error = kw_break_flag(inode, &retry);
	} while (error == 0 && retry);
	return error;
}

/* ... or ignores it */
static int kw_flag_once(struct inode *inode)
{
	bool retry = false;

	if (WARN_ON_ONCE(!rwsem_is_locked(&inode->i_mapping->invalidate_lock)))
		return -EINVAL;

	return kw_break_flag(inode, &retry);
}

/* an exported retry-flag wrapper: its callers are in other units */
int kw_exported_flag(struct inode *inode, bool *retry)
{
	struct page *page;

	if (WARN_ON_ONCE(!rwsem_is_locked(&inode->i_mapping->invalidate_lock)))
		return -EINVAL;

	page = dax_layout_busy_page(inode->i_mapping);
	if (!page)
		return 0;

	*retry = true;
	return ___wait_var_event(&page->_refcount,
			atomic_read(&page->_refcount) == 1,
			TASK_INTERRUPTIBLE, 0, 0,
			kw_wait_page(inode));
}

/* the same without the flag: nobody repeats its lookup */
int kw_exported_no_flag(struct inode *inode)
{
	struct page *page;

	if (WARN_ON_ONCE(!rwsem_is_locked(&inode->i_mapping->invalidate_lock)))
		return -EINVAL;

	page = dax_layout_busy_page(inode->i_mapping);
	if (!page)
		return 0;

	return ___wait_var_event(&page->_refcount,
			atomic_read(&page->_refcount) == 1,
			TASK_INTERRUPTIBLE, 0, 0,
			kw_wait_page(inode));
}

int (*kw_ops[])(struct inode *) = {
	kw_good, kw_good_raw, kw_good_flag_unused, kw_plain_schedule,
	kw_retry_only_if_slept, kw_single_lookup, kw_single_lookup_extern_cmd,
	kw_flag_loop, kw_flag_once,
};
