/* SPDX-License-Identifier: GPL-2.0 */
/*
 * unit_record.h - what a run read and wrote, for the driver's cache
 */
#ifndef DAXLINT_UNIT_RECORD_H
#define DAXLINT_UNIT_RECORD_H

#include <stdio.h>

void unit_record_init(int argc, char **argv);
char *unit_record_path(const char *unit, const char *suffix);
void unit_record_lookup(const char *name);
void unit_record_finish(const char *unit);
void json_string(FILE *fp, const char *s);

#endif
