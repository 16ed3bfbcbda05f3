/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * commands.h - the accessfs subcommands, one file each (cmd_<name>.c).
 * Each takes argv with argv[0] = the subcommand name and returns the
 * process exit status.  Mounting itself is the daemon's (mount_main.h).
 */
#ifndef ACCESSFS_COMMANDS_H
#define ACCESSFS_COMMANDS_H

int cmd_run(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_top(int argc, char **argv);

#endif /* ACCESSFS_COMMANDS_H */
