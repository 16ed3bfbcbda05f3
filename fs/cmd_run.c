/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd_run.c - placeholder until "accessfs run" lands. */
#include <stdio.h>
#include "commands.h"

int cmd_run(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "accessfs: %s: not implemented yet\n", argv[0]);
	return 2;
}
