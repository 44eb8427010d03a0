/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ir.h - sparse's headers for its AST and linearized IR, in the order
 * they need each other
 */
#ifndef DAXLINT_IR_H
#define DAXLINT_IR_H

#include "lib.h"
#include "allocate.h"
#include "token.h"
#include "parse.h"
#include "symbol.h"
#include "expression.h"
#include "linearize.h"
#include "flow.h"

#endif
