// SPDX-License-Identifier: GPL-2.0
/*
 * options.c - the run's options (main.c fills them from the environment),
 * and whether the run's profile is one a rule applies to.
 */
#include <string.h>

#include "options.h"

struct options opt;

/* is the checker's profile one of PROFILES (NULL-terminated)?  unset: yes */
int profile_is(const char *const *profiles)
{
	if (!opt.profile)
		return 1;
	for (; *profiles; profiles++)
		if (!strcmp(opt.profile, *profiles))
			return 1;
	return 0;
}
