/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * runtime_file.h - /run/accessfs/<pid>, one line "mountpoint<TAB>trace",
 * present while a traced mount is up, so that `accessfs top MOUNTPOINT`
 * finds the trace even when its path was defaulted.
 */
#ifndef ACCESSFS_RUNTIME_FILE_H
#define ACCESSFS_RUNTIME_FILE_H

#include <stddef.h>

#define RUNTIME_FILE_DIR "/run/accessfs"

/*
 * Write this daemon's runtime file; its path goes to path (len bytes).
 * Best effort: returns -1 (and leaves path empty) if it cannot, and the
 * mount serves all the same.
 */
int runtime_file_create(const char *mountpoint, const char *trace, char *path, size_t len);

/* Remove it again (no-op for an empty path). */
void runtime_file_remove(const char *path);

#endif /* ACCESSFS_RUNTIME_FILE_H */
