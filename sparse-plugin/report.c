// SPDX-License-Identifier: GPL-2.0
/*
 * report.c - where a finding is reported.
 */
#include "report.h"
#include "fn.h"

struct position report_pos(struct fn *f, struct instruction *insn)
{
	struct position p = insn->pos;
	struct basic_block *bb;
	struct instruction *i;
	int after = 0;

	if (p.stream == f->stream && (int)p.line >= f->first_line &&
	    (int)p.line <= f->last_line)
		return p;
	/* inside an inlined helper: the helper's call site in this function */
	FOR_EACH_PTR(f->ep->bbs, bb) {
		if (bb == insn->bb)
			after = 1;
		if (!after)
			continue;
		FOR_EACH_PTR(bb->insns, i) {
			if (i == insn) {
				after = 2;
				continue;
			}
			if (after < 2 && bb == insn->bb)
				continue;
			if (i->opcode == OP_INLINED_CALL &&
			    i->pos.stream == f->stream &&
			    (int)i->pos.line >= f->first_line &&
			    (int)i->pos.line <= f->last_line)
				return i->pos;
		} END_FOR_EACH_PTR(i);
		after = 2;
	} END_FOR_EACH_PTR(bb);
	return p;
}
