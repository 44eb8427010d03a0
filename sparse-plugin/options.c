// SPDX-License-Identifier: GPL-2.0
/*
 * options.c - the run's options (main.c fills them from the environment).
 */
#include "options.h"

struct options opt;
