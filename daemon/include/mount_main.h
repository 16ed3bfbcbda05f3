/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mount_main.h - the daemon's entry point, all the CLI calls of it:
 * "accessfs [-o opts] SOURCE MOUNTPOINT" (also what mount -t fuse.accessfs
 * and /etc/fstab run).
 */
#ifndef ACCESSFS_MOUNT_MAIN_H
#define ACCESSFS_MOUNT_MAIN_H

#include <stdio.h>

/*
 * Parse the mount's argv (argv[0] the program), mount and serve until
 * unmounted; returns the exit status.  print_commands, if not NULL, adds
 * the program's other commands to --help.
 */
int mount_main(int argc, char **argv, void (*print_commands)(FILE *out));

#endif /* ACCESSFS_MOUNT_MAIN_H */
