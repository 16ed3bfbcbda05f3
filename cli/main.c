/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * main.c - one program, git-style: "accessfs SOURCE MOUNTPOINT" mounts (so
 * mount -t fuse.accessfs and /etc/fstab work), "accessfs <command> ..."
 * runs a subcommand.  A directory that happens to be named like a command
 * can still be mounted as ./run.
 */
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "mount_main.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "run", cmd_run, "mount over a directory, run a program, report its I/O" },
	{ "dump", cmd_dump, "print a trace's events as JSON Lines, CSV or Perfetto JSON" },
	{ "report", cmd_report, "per-file analysis of traces by access method" },
	{ "probe", cmd_probe, "do one access method on a file, to see what it becomes" },
	{ "top", cmd_top, "live view of a running mount or a growing trace" },
};

static void print_commands(FILE *out)
{
	fprintf(out, "commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "    %-8s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (strcmp(argv[1], commands[i].name) == 0)
				return commands[i].fn(argc - 1, argv + 1);
	}
	return mount_main(argc, argv, print_commands);
}
