/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * creds.h - act as the requesting user around one syscall.
 *
 * When the daemon runs as root, objects it creates would belong to root.
 * creds_become() switches this worker thread's fsuid, fsgid and
 * supplementary groups to the caller's (all three are per-thread in the
 * kernel: we use the raw syscalls, since glibc would change every thread),
 * so the backing filesystem sets the owner and checks permissions as it
 * would for the caller.  Not root: both calls do nothing.
 */
#ifndef ACCESSFS_CREDS_H
#define ACCESSFS_CREDS_H

#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>
#include <stdbool.h>

/* Remember the daemon's own groups; call once before serving requests. */
void creds_init(void);

/* Become the caller of req if enabled; returns whether creds_restore() is due. */
bool creds_become(fuse_req_t req, bool enabled);

/* Back to the daemon's own credentials. */
void creds_restore(bool switched);

#endif /* ACCESSFS_CREDS_H */
