/*
 * check-name: the devmap key get/put pair balanced on every error path
 * check-command: daxlint-sparse -I../../kernel-integration/include $file
 *
 * check-error-start
 * check-error-end
 */
#include "daxlint_stub.h"

int rc_init(struct dev_pagemap *pgmap);
/* a get that can fail (5.3's devmap_managed_enable_get returned int) */
int dev_pagemap_get_ops(void);
void dev_pagemap_put_ops(void);
int rc_map(struct dev_pagemap *pgmap, int i);
void rc_free(struct dev_pagemap *pgmap);

/* the put on the error path, the reference kept on success: a taker */
int rc_take(struct dev_pagemap *pgmap)
{
	int err;

	devmap_managed_enable_get(pgmap);
	err = rc_init(pgmap);
	if (err) {
		devmap_managed_enable_put(pgmap);
		return err;
	}
	return 0;
}

/* "rc < 0 ? rc : 0" after the label: sparse if-converts the return */
int rc_label(struct dev_pagemap *pgmap)
{
	int rc;

	devmap_managed_enable_get(pgmap);
	rc = rc_map(pgmap, 0);
	if (rc < 0)
		goto out_put;
	return 0;
out_put:
	devmap_managed_enable_put(pgmap);
	return rc;
}

/* the error path unwinds through a teardown of the unit that puts */
static void rc_unmap(struct dev_pagemap *pgmap, int n)
{
	int i;

	for (i = 0; i < n; i++)
		rc_free(pgmap);
	devmap_managed_enable_put(pgmap);
}

static void rc_release(void *data)
{
	rc_unmap(data, 1);
}

void *rc_remap(struct dev_pagemap *pgmap, int nr)
{
	int error = 0, i;

	if (nr <= 0)
		return ERR_PTR(-EINVAL);
	devmap_managed_enable_get(pgmap);
	for (i = 0; i < nr; i++) {
		error = rc_map(pgmap, i);
		if (error)
			break;
	}
	if (i < nr) {
		rc_unmap(pgmap, i);
		return ERR_PTR(error);
	}
	return pgmap;
}

/* a caller of the taker: its failure took nothing; the release action
 * that puts is registered */
void *rc_devm_remap(void *dev, struct dev_pagemap *pgmap)
{
	void *ret = rc_remap(pgmap, 1);
	int error;

	if (IS_ERR(ret))
		return ret;
	error = devm_add_action_or_reset(dev, rc_release, pgmap);
	if (error)
		return ERR_PTR(error);
	return ret;
}

/* the get's own failure took nothing */
void *rc_tested_get(struct dev_pagemap *pgmap)
{
	int error = dev_pagemap_get_ops();

	if (error)
		return ERR_PTR(error);
	error = rc_init(pgmap);
	if (error) {
		dev_pagemap_put_ops();
		return ERR_PTR(error);
	}
	return pgmap;
}
