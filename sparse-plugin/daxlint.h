/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daxlint.h - what a check (check_*.c) sees of the daxlint sparse engine:
 * the lock state of each event (lockstate.c and the files around it), the
 * reference-count and AST walkers (refstate.c), the report API, the way
 * smatch separates smatch_locking.c from its check_*.c files.  The
 * engine's own files include the few headers they need.
 */
#ifndef DAXLINT_H
#define DAXLINT_H

#include "ir.h"
#include "rules.h"
#include "options.h"
#include "api.h"
#include "calltable.h"
#include "locks.h"
#include "fn.h"
#include "hooks.h"
#include "fntable.h"
#include "types.h"
#include "astscan.h"
#include "optable.h"
#include "value.h"
#include "constval.h"
#include "cfg.h"
#include "events.h"
#include "loops.h"
#include "srctext.h"
#include "macroval.h"
#include "daxtest.h"
#include "daxfs.h"
#include "lockobj.h"
#include "lockstate.h"
#include "summary.h"
#include "summary_db.h"
#include "astvisit.h"
#include "astwalk.h"
#include "refflow.h"
#include "report.h"
#include "checks.h"
#include "analyze.h"
#include "unit_record.h"

#endif
