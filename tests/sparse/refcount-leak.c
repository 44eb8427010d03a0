/*
 * check-name: a devmap key get not dropped on an error path, a teardown that never puts
 * check-command: daxlint-sparse -I../../kernel-integration/include $file
 *
 * check-error-start
refcount-leak.c:26:34: warning: [pagemap-ops-balance] rl_get_early: devmap_managed_key reference taken here is not dropped on the error return at line 29; every put_page() keeps paying for the ZONE_DEVICE check
refcount-leak.c:38:34: warning: [pagemap-ops-balance] rl_loop: devmap_managed_key reference taken here is not dropped on the error return at line 41; every put_page() keeps paying for the ZONE_DEVICE check
refcount-leak.c:46:13: warning: [pagemap-ops-balance] rl_unmap: teardown (rl_setup's error path calls it to undo the set-up) never drops the devmap_managed_key reference the get took; the key and every put_page()'s ZONE_DEVICE check stay on
refcount-leak.c:94:26: warning: [pagemap-ops-balance] rl_wrap: devmap_managed_key reference taken here is not dropped on the error return at line 99; every put_page() keeps paying for the ZONE_DEVICE check
 * check-error-end
 * rl_release (the devm release action) calls rl_unmap: only the deepest
 * teardown that does not put is reported.  rl_take is a taker (success
 * returns the reference held): its caller rl_wrap gets it by the call.
 */
#include "daxlint_stub.h"

int rl_init(struct dev_pagemap *pgmap);
int rl_map(struct dev_pagemap *pgmap, int i);
void rl_free(struct dev_pagemap *pgmap);

/* the get before a step that can fail: its failure returns it held */
void *rl_get_early(struct dev_pagemap *pgmap)
{
	int error;

	devmap_managed_enable_get(pgmap);
	error = rl_init(pgmap);
	if (error)
		return ERR_PTR(error);
	return pgmap;
}

/* an error return from inside a loop, and a NULL one */
struct dev_pagemap *rl_loop(struct dev_pagemap *pgmap, int nr)
{
	int i;

	devmap_managed_enable_get(pgmap);
	for (i = 0; i < nr; i++)
		if (rl_map(pgmap, i) < 0)
			return NULL;
	return pgmap;
}

/* the error path calls a teardown of the unit, which does not put */
static void rl_unmap(struct dev_pagemap *pgmap)
{
	rl_free(pgmap);
}

int rl_setup(struct dev_pagemap *pgmap)
{
	int rc;

	devmap_managed_enable_get(pgmap);
	rc = rl_map(pgmap, 0);
	if (rc) {
		rl_unmap(pgmap);
		return rc;
	}
	return 0;
}

/* the teardown registered as a devm release action by a caller of the
 * getter does not put either; it calls rl_unmap, which is reported */
static void rl_release(void *data)
{
	rl_unmap(data);
}

int rl_devm_setup(void *dev, struct dev_pagemap *pgmap)
{
	int rc = rl_setup(pgmap);

	if (rc)
		return rc;
	return devm_add_action_or_reset(dev, rl_release, pgmap);
}

/* a taker: success hands the reference to its caller, failure puts */
static void *rl_take(struct dev_pagemap *pgmap)
{
	devmap_managed_enable_get(pgmap);
	if (rl_init(pgmap)) {
		devmap_managed_enable_put(pgmap);
		return ERR_PTR(-ENOMEM);
	}
	return pgmap;
}

/* its caller: the taker's own failure took nothing, a later one leaks */
void *rl_wrap(struct dev_pagemap *pgmap)
{
	void *p = rl_take(pgmap);

	if (IS_ERR(p))
		return p;
	if (rl_map(pgmap, 1))
		return ERR_PTR(-ENOMEM);
	return p;
}
