/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mount_table.h - what is mounted where, from /proc/self/mountinfo (so in
 * the caller's mount namespace).  Paths are compared as given: pass
 * canonical absolute paths (realpath).
 */
#ifndef ACCESSFS_MOUNT_TABLE_H
#define ACCESSFS_MOUNT_TABLE_H

#include <stddef.h>

/*
 * The topmost mount at mountpoint: returns its mount id and copies its
 * file system type ("fuse.accessfs") into fstype; -1 if nothing is mounted
 * exactly there (or mountinfo is unreadable).
 */
int mount_table_top(const char *mountpoint, char *fstype, size_t fstype_len);

/* True if fstype is a FUSE file system ("fuse" or "fuse.<subtype>"). */
int mount_table_is_fuse(const char *fstype);

#endif /* ACCESSFS_MOUNT_TABLE_H */
