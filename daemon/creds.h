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
 *
 * The caller's umask is applied the same way, by the backing filesystem
 * rather than by us: the daemon asks for FUSE_CAP_DONT_MASK, so the kernel
 * sends the mode unmasked with the caller's umask beside it, and
 * creds_umask_become() gives that umask to this worker thread before the
 * creating syscall.  The backing filesystem then masks exactly as for a
 * native call, which means not at all under a parent with a default ACL
 * (posix_acl_create()), something neither the kernel's masking nor ours
 * could get right.  The daemon's own umask is 0 (mount_main.c); a worker
 * keeps its last caller's, which only creating requests (which all set
 * it) depend on.
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

/*
 * Give this thread the umask of req's caller for the creating syscall that
 * follows; returns the mode to create with: mode itself, or, should this
 * thread be unable to have a umask of its own, mode with the umask applied.
 */
mode_t creds_umask_become(fuse_req_t req, mode_t mode);

/*
 * Clear set-user-ID and set-group-ID of the file at fd (any descriptor,
 * O_PATH too) as the kernel clears them when req's caller, who lacks
 * CAP_FSETID, writes or truncates it (setattr_should_drop_suidgid() in
 * fs/attr.c): set-user-ID always; set-group-ID with group execute, or when
 * the caller is not in the file's group.  Only regular files.  For
 * FUSE_HANDLE_KILLPRIV_V2 (session_io.h).  1 if it cleared any, 0 if
 * there was none to clear, or -errno.  A daemon not root
 * that may not chmod leaves it to the backing filesystem, which clears the
 * bits itself when the daemon writes (the daemon lacks CAP_FSETID too).
 */
int creds_kill_suidgid(fuse_req_t req, int fd);

#endif /* ACCESSFS_CREDS_H */
