/*
 * check-name: page references dropped by count or in bulk go through the devmap helper first
 * check-command: daxlint-sparse -I../../kernel-integration/include $file
 *
 * check-error-start
devmap.c:41:23: warning: [devmap-put] dm_one_path: folio_put_refs() drops a counted number of page references without put_devmap_managed_page_refs() first on some path; an FS-DAX page never signals idle and layout breakers wait forever
devmap.c:49:23: warning: [devmap-put] dm_short_circuit: folio_put_refs() drops a counted number of page references without put_devmap_managed_page_refs() first on some path; an FS-DAX page never signals idle and layout breakers wait forever
devmap.c:71:26: warning: [devmap-put] dm_count_loop: folio_put() drops a counted number of page references without put_devmap_managed_page_refs() first on some path; an FS-DAX page never signals idle and layout breakers wait forever
devmap.c:124:47: warning: [devmap-put] dm_release_bad: page array released in bulk through folio_put_testzero() without put_devmap_managed_page() for ZONE_DEVICE pages; an FS-DAX page never signals idle and layout breakers wait forever
devmap.c:136:23: warning: [devmap-put] dm_inline_put: folio_put_refs() drops a counted number of page references without put_devmap_managed_page_refs() first on some path; an FS-DAX page never signals idle and layout breakers wait forever
 * check-error-end
 * dm_guarded, dm_early, dm_retry, dm_switch, dm_drain, dm_release_ok:
 * silent.
 */
#include "daxlint_stub.h"

void free_the_page(struct page *page, unsigned int order);

/* the helper guards the drop, or returns early: every path */
static void dm_guarded(struct folio *folio, int refs)
{
	if (!put_devmap_managed_page_refs(&folio->page, refs))
		folio_put_refs(folio, refs);
}

static void dm_early(struct folio *folio, int refs)
{
	if (put_devmap_managed_page_refs(&folio->page, refs))
		return;
	folio_put_refs(folio, refs);
}

/* the helper on one path only: the other drops without it */
static void dm_one_path(struct folio *folio, int refs, unsigned int flags)
{
	if (flags & FOLL_PIN) {
		if (put_devmap_managed_page_refs(&folio->page, refs))
			return;
		refs *= GUP_PIN_COUNTING_BIAS;
	}
	folio_put_refs(folio, refs);
}

/* && does not always call the helper */
static void dm_short_circuit(struct folio *folio, int refs, bool pinned)
{
	if (pinned && put_devmap_managed_page_refs(&folio->page, refs))
		return;
	folio_put_refs(folio, refs);
}

/* a retry loop through a label, the helper before each drop */
static struct folio *dm_retry(struct page *page, int refs)
{
	struct folio *folio;

retry:
	folio = page_folio(page);
	if (page_folio(page) != folio) {
		if (!put_devmap_managed_page_refs(&folio->page, refs))
			folio_put_refs(folio, refs);
		goto retry;
	}
	return folio;
}

/* one reference at a time, the count from a parameter */
static void dm_count_loop(struct folio *folio, int count)
{
	while (count--)
		folio_put(folio);
}

/* a switch: the helper runs before it on every path */
static void dm_switch(struct folio *folio, int refs, int how)
{
	if (put_devmap_managed_page_refs(&folio->page, refs))
		return;
	switch (how) {
	case 0:
		folio_put_refs(folio, refs);
		break;
	default:
		folio_put_refs(folio, refs + 1);
		break;
	}
}

/* allocator pages: the zero branch frees to the buddy allocator */
static void dm_drain(struct page *page, unsigned int count)
{
	if (page_ref_sub_and_test(page, count))
		free_the_page(page, 0);
}

/* a release loop over a page array: with and without the helper */
void dm_release_ok(struct page **pages, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		struct folio *folio = page_folio(pages[i]);

		if (folio_is_zone_device(folio)) {
			if (put_devmap_managed_page(&folio->page))
				continue;
			if (folio_put_testzero(folio))
				free_zone_device_page(&folio->page);
			continue;
		}
		if (folio_put_testzero(folio))
			__folio_put(folio);
	}
}

void dm_release_bad(struct page **pages, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		struct folio *folio = page_folio(pages[i]);

		if (folio_is_zone_device(folio)) {
			if (folio_put_testzero(folio))
				free_zone_device_page(&folio->page);
			continue;
		}
		if (folio_put_testzero(folio))
			__folio_put(folio);
	}
}

/* a static inline of the unit: sparse only has its inlined copies */
static inline void dm_inline_put(struct folio *folio, int refs)
{
	folio_put_refs(folio, refs);
}

void dm_caller(struct folio *folio, int n)
{
	dm_inline_put(folio, 2);	/* a constant: this copy folds it */
	dm_inline_put(folio, n);
}

void (*dm_ops[])(void) = {
	(void (*)(void))dm_guarded, (void (*)(void))dm_early,
	(void (*)(void))dm_one_path, (void (*)(void))dm_short_circuit,
	(void (*)(void))dm_retry, (void (*)(void))dm_count_loop,
	(void (*)(void))dm_switch, (void (*)(void))dm_drain,
};
