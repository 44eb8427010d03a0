/*
 * Macros of the kernel that spatch's standard.h does not describe, for
 * the parse of the files daxlint's rules run on.  daxlint passes this file
 * with --macro-file; spatch reads it after its builtin standard.h.
 *
 * Written from what spatch --parse-c fails on in Debian's 6.1 tree
 * (fs/, mm/, drivers/dax, drivers/nvdimm; docs/cocci.md, "Blind spots").
 * Each entry gives spatch a shape it can parse, not the kernel's
 * expansion: only what a rule can see (calls, assignments, control flow)
 * has to survive.
 */

/* compat system calls: a function definition, like SYSCALL_DEFINEn */
#define COMPAT_SYSCALL_DEFINE0(name) long name(void)
#define COMPAT_SYSCALL_DEFINE1(name, t1, a1) long name(t1 a1)
#define COMPAT_SYSCALL_DEFINE2(name, t1, a1, t2, a2) long name(t1 a1, t2 a2)
#define COMPAT_SYSCALL_DEFINE3(name, t1, a1, t2, a2, t3, a3) \
	long name(t1 a1, t2 a2, t3 a3)
#define COMPAT_SYSCALL_DEFINE4(name, t1, a1, t2, a2, t3, a3, t4, a4) \
	long name(t1 a1, t2 a2, t3 a3, t4 a4)
#define COMPAT_SYSCALL_DEFINE5(name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
	long name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5)
#define COMPAT_SYSCALL_DEFINE6(name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, \
			       t6, a6) \
	long name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6)

/* a lock held over the statement that follows: a loop head to spatch */
#define scoped_guard(type, lock) for (;;)

/* an attribute with an argument, before the return type */
#define __realloc_size(x) 
#define __alloc_size(x) 

/* a loop macro whose body can be a lone "break;" (mm/memcontrol.c): with
 * no braces spatch does not guess it is a loop */
#define cgroup_taskset_for_each_leader(leader, css, tset) for (;;)

/* a credentials override held over the statement that follows (7.x
 * drivers/md/dm.c): a loop head, like scoped_guard */
#define scoped_with_kernel_creds() for (;;)

/* cleanup.h's __free(f) on a local declared in a nested block makes spatch
 * 1.1.1 take f for a type name (its typedef heuristic runs before this
 * file's macros), after which every later call f(a->b) of the file fails
 * to parse (7.x fs/erofs/super.c loses erofs_release_device_info's
 * fs_put_dax()).  A function-like definition keeps such a cleanup function
 * a call where spatch parses again; only the ones the checked files need. */
#define kfree(x) kfree(x)
