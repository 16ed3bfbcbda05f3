/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd_dump.c - placeholder until "accessfs dump" lands. */
#include <stdio.h>
#include "commands.h"

int cmd_dump(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "accessfs: %s: not implemented yet\n", argv[0]);
	return 2;
}
